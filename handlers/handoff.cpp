// The handoff to staff (bot → human): "Gặp cán bộ", "cho tôi nói chuyện với người thật", the
// menu button, or a person the bot did not understand twice in a row gets a conversation in the
// console's inbox (storage::HandoffRepo) and is told honestly when staff answer. While it is
// active the bot keeps out of the way: what the person types goes to the inbox; buttons still
// work; "Quay lại trợ lý" ends it.
#include "handlers/handoff.hpp"

#include "bot/core/local_time.hpp"
#include "bot/core/text.hpp"
#include "content/store.hpp"

namespace outreach::handlers {
namespace {

// "thứ Hai–thứ Sáu, 07:30–11:30 và 13:30–17:00"
std::string describe_hours(const Turn& turn, const local_time::OfficeHours& h) {
  auto weekday = [&](int d) {
    return turn.ui("date.weekday." + std::to_string(d));
  };
  std::string days;
  // Monday first; a run of days as "first–last".
  for (int k = 0; k < 7;) {
    const int d = (k + 1) % 7;
    if (!h.days[static_cast<std::size_t>(d)]) {
      ++k;
      continue;
    }
    int end = k;
    while (end + 1 < 7 && h.days[static_cast<std::size_t>((end + 2) % 7)]) ++end;
    days += (days.empty() ? "" : ", ") + weekday(d) +
            (end > k ? "–" + weekday((end + 1) % 7) : std::string{});
    k = end + 1;
  }
  std::string spans;
  for (std::size_t i = 0; i < h.spans.size(); ++i) {
    auto hm = [](int m) {
      char buf[24];
      std::snprintf(buf, sizeof buf, "%02d:%02d", m / 60, m % 60);
      return std::string(buf);
    };
    spans += (i == 0                    ? ""
              : i + 1 == h.spans.size() ? turn.ui("handoff.hours_and")
                                        : ", ") +
             hm(h.spans[i].first) + "–" + hm(h.spans[i].second);
  }
  return days + ", " + spans;
}

// When staff will answer, honestly: within office hours the usual delay, outside them when the
// office opens.
std::string when_staff_answer(const Turn& turn) {
  const auto hours = local_time::parse_office_hours(turn.options.handoff_hours);
  if (!hours || local_time::open_at(*hours, turn.now_ms))
    return turn.ui("handoff.when_open",
                   {{"minutes", std::to_string(turn.options.handoff_reply_minutes)}});
  const std::int64_t next = local_time::next_opening(*hours, turn.now_ms);
  return turn.ui("handoff.when_closed",
                 {{"hours", describe_hours(turn, *hours)},
                  {"next", next > 0 ? format_local_time(turn, next) : std::string("—")}});
}

std::string office_name(const Turn& turn) {
  const content::Office* office = turn.content.office("economic-office");
  return office ? office->name.in(turn.lang()) : std::string{};
}

Button leave_button(const Turn& turn) {
  return turn.button("handoff.leave", std::string(kHandoff) + ":leave");
}

}  // namespace

void open_handoff(Turn& turn, storage::Store& tx, std::string_view reason) {
  const auto [id, opened] = tx.handoffs.open(turn.person.id, std::string(reason), turn.now_ms);
  const std::string typed(text::trim(turn.event.text));
  if (!typed.empty())
    tx.handoffs.add_message(id, "person", "", typed, turn.now_ms);
  turn.handler = "handoff";
  turn.outcome = opened ? "opened" : "already_open";
  const Vars vars = {{"office", office_name(turn)}, {"when", when_staff_answer(turn)}};
  const std::string text =
      turn.ui(reason == "not_understood" ? "handoff.not_understood" : "handoff.opened", vars);
  tx.handoffs.add_message(id, "bot", "", text, turn.now_ms);
  turn.say(text, {leave_button(turn)});
}

bool handoff_turn(Turn& turn, storage::Store& tx, const storage::HandoffRow& h) {
  const InboundEvent& ev = turn.event;
  if (ev.kind == EventKind::kFollow) {  // the web chat opened again: still waiting
    say_waiting(turn);
    return true;
  }
  if (!ev.payload.empty())
    return false;  // buttons still work (the leave button is the handler's)
  const std::string typed(text::trim(ev.text));
  tx.handoffs.add_message(h.id, "person", "", typed.empty() ? "[" + ev.attachment + "]" : typed,
                          turn.now_ms);
  tx.handoffs.person_wrote(h.id, turn.now_ms);
  turn.handler = "handoff";
  turn.outcome = "to_staff";
  return true;
}

void say_waiting(Turn& turn) {
  turn.handler = "handoff";
  turn.outcome = "waiting";
  turn.say(turn.ui("handoff.waiting"), {leave_button(turn)});
}

void leave_handoff(Turn& turn, storage::Store& tx) {
  turn.handler = "handoff";
  if (auto h = tx.handoffs.active(turn.person.id)) {
    tx.handoffs.add_message(h->id, "bot", "", turn.ui("handoff.back"), turn.now_ms);
    tx.handoffs.resolve(h->id, turn.now_ms);
    turn.outcome = "left";
  } else {
    turn.outcome = "none";
  }
  add_main_menu(turn, turn.say(turn.ui("handoff.back")));
}

}  // namespace outreach::handlers
