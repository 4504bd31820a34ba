// Events in the chat (issue 20): upcoming events as a list (filtered by a topic and a time the
// message names), an event's details, registering (the flow "events_<id>" the content loader
// builds: name, phone, the event's questions), the ticket, "Vé của tôi", cancelling, and the
// waitlist: a freed seat is offered to the first in line for `offer_hours`, then passes on.
// Seats are rows (storage/event_repo): the database refuses a seat past the capacity.
#include "handlers/events.hpp"

#include <algorithm>
#include <random>

#include "bot/core/local_time.hpp"
#include "bot/core/text.hpp"
#include "bot/text/unicode.hpp"
#include "handlers/booking_internal.hpp"
#include "handlers/flow.hpp"
#include "handlers/handlers.hpp"
#include "handlers/when.hpp"

namespace outreach::handlers {
namespace {

using booking::Speaker;
using booking::speaker_for;

constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kDayMs = 24 * kHourMs;
constexpr std::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
constexpr std::size_t kMaxListed = 8;

std::string reminder_key(std::int64_t registration_id, std::int64_t offset_ms) {
  return "events.remind:" + std::to_string(registration_id) + ":" + std::to_string(offset_ms);
}

std::string offer_key(std::int64_t registration_id) {
  return "events.offer:" + std::to_string(registration_id);
}

std::string place_of(const Speaker& s, const content::Event& e) {
  if (e.online)
    return s.ui("events.online");
  return e.place.in(s.lang);
}

std::string ticket_url(const std::string& public_url, std::string_view code) {
  return public_url + "/t/" + std::string(code);
}

// {title}, {time}, {place}, {code} of an event's messages.
Vars event_vars(const Speaker& s, const content::Event& e) {
  return {{"title", e.title.in(s.lang)},
          {"time", booking::long_time(s, e.starts_at)},
          {"end", local_time::hhmm(e.ends_at)},
          {"place", place_of(s, e)}};
}

void schedule_reminders(storage::Store& tx,
                        const content::Event& e,
                        std::int64_t registration_id,
                        std::int64_t now_ms) {
  for (std::int64_t offset : e.reminders_ms) {
    const std::int64_t at = e.starts_at - offset;
    if (at > now_ms)
      tx.jobs.schedule(EventReminderJob{registration_id, e.starts_at, offset}, at,
                       reminder_key(registration_id, offset), now_ms);
  }
}

void cancel_reminders(storage::Store& tx, const content::Event& e, std::int64_t registration_id) {
  for (std::int64_t offset : e.reminders_ms) tx.jobs.cancel(reminder_key(registration_id, offset));
}

// The ticket: what it is for, its code and where to see the QR.
OutboundMessage ticket_message(const Speaker& s,
                               const content::Event& e,
                               const storage::Registration& r,
                               const std::string& public_url,
                               std::string_view lead_key) {
  Vars vars = event_vars(s, e);
  vars["code"] = display_code(r.code);
  vars["url"] = ticket_url(public_url, r.code);
  vars["name"] = r.name;
  OutboundMessage m;
  m.text = s.ui(lead_key, vars) + "\n\n" + s.ui("events.ticket", vars);
  if (e.online && !e.online_url.empty())
    m.text += "\n" + s.ui("events.online_link", {{"url", e.online_url}});
  m.image_url = ticket_url(public_url, r.code) + ".png";
  m.buttons = {s.button("events.mine", "events:mine"), s.button("explainer.menu", "menu")};
  return m;
}

// Offers the freed seat of `e` to the first in line, if any (in the caller's transaction).
void offer_next(storage::Store& tx,
                const content::Snapshot& content,
                const content::Event& e,
                std::int64_t now_ms) {
  if (!e.waitlist || !e.registration_open(now_ms))
    return;
  while (auto next = tx.events.first_waiting(e.id)) {
    const std::int64_t until = std::min(now_ms + e.offer_hours * kHourMs, e.starts_at);
    if (!tx.events.take_seat(next->id, e.capacity, "offered", until, now_ms))
      return;  // no seat after all
    if (!next->person_id) {
      tx.events.release(next->id, "passed", now_ms);
      continue;
    }
    const Speaker s = speaker_for(tx, content, *next->person_id);
    Vars vars = event_vars(s, e);
    vars["until"] = booking::long_time(s, until);
    OutboundMessage m;
    m.text = s.ui("events.offer", vars);
    m.buttons = {s.button("events.offer_take", "events:take:" + std::to_string(next->id)),
                 s.button("events.offer_pass", "events:pass:" + std::to_string(next->id))};
    tx.outbox.enqueue(*next->person_id, MessageKind::kNotice, m, now_ms);
    tx.jobs.schedule(EventOfferJob{next->id}, until, offer_key(next->id), now_ms);
    return;
  }
}

// Words of a request that narrow the list: a topic group named (its title, `also:` names or
// id) and a time ("tuần sau", "tháng này", "hôm nay"…, a day as booking reads one, "18/5",
// or a month named alone, "tháng 5", the next such month). Read on folded text.
struct Filter {
  std::vector<std::string> groups;
  std::int64_t from = 0;
  std::int64_t to = 0;  // 0: no end
};

bool has_phrase(const std::string& folded, const std::string& phrase) {
  if (phrase.empty())
    return false;
  const std::string hay = " " + folded + " ";
  return hay.find(" " + phrase + " ") != std::string::npos;
}

std::string folded_words(std::string_view s) {
  std::string out;
  for (const auto& w : text::words(text::fold(s))) out += (out.empty() ? "" : " ") + w;
  return out;
}

Filter read_filter(const Turn& turn, std::string_view typed) {
  Filter f;
  f.from = turn.now_ms;
  const std::string t = folded_words(typed);
  if (t.empty())
    return f;
  for (const content::TopicGroup& g : turn.content.topic_groups) {
    if (g.id == "community" || g.id == "service")
      continue;  // "sự kiện", "hội thảo" name every event
    bool named = has_phrase(t, folded_words(g.title.vi)) || has_phrase(t, folded_words(g.title.en));
    for (const auto& a : g.also) named = named || has_phrase(t, folded_words(a));
    if (named)
      f.groups.push_back(g.id);
  }
  const std::int64_t today = local_time::day_of(turn.now_ms);
  const int weekday = local_time::weekday_of(today);  // 0 = Sunday … 6 = Saturday
  const std::int64_t monday = today - ((weekday + 6) % 7);
  const local_time::Date d = local_time::date_of(today);
  auto month_start = [](int y, int m) {
    while (m > 12) {
      m -= 12;
      ++y;
    }
    return *local_time::day_from(y, m, 1);
  };
  auto window = [&](std::int64_t first_day, std::int64_t end_day) {
    f.from = std::max(turn.now_ms, local_time::unix_ms(first_day));
    f.to = local_time::unix_ms(end_day);
  };
  if (has_phrase(t, "hom nay") || has_phrase(t, "today"))
    window(today, today + 1);
  else if (has_phrase(t, "ngay mai") || has_phrase(t, "tomorrow"))
    window(today + 1, today + 2);
  else if (has_phrase(t, "tuan nay") || has_phrase(t, "this week"))
    window(today, monday + 7);
  else if (has_phrase(t, "tuan sau") || has_phrase(t, "tuan toi") || has_phrase(t, "next week"))
    window(monday + 7, monday + 14);
  else if (has_phrase(t, "thang nay") || has_phrase(t, "this month"))
    window(today, month_start(d.year, d.month + 1));
  else if (has_phrase(t, "thang sau") || has_phrase(t, "thang toi") || has_phrase(t, "next month"))
    window(month_start(d.year, d.month + 1), month_start(d.year, d.month + 2));
  else if (const auto when = parse_when(typed, today); when && when->has_day() && !when->past)
    window(when->first_day, when->last_day + 1);  // "18/5", "thứ 7 này", "dec 15"
  else
    for (int m = 1; m <= 12; ++m) {  // a month named alone: "tháng 5", "in may"; the next one
      static constexpr const char* kMonths[] = {"january",   "february", "march",    "april",
                                                "may",       "june",     "july",     "august",
                                                "september", "october",  "november", "december"};
      if (!has_phrase(t, "thang " + std::to_string(m)) &&
          !has_phrase(t, std::string("in ") + kMonths[m - 1]))
        continue;
      const int year = m < d.month ? d.year + 1 : d.year;
      window(month_start(year, m), month_start(year, m + 1));
      break;
    }
  return f;
}

bool matches(const content::Snapshot& content, const content::Event& e, const Filter& f) {
  if (!e.published() || e.ends_at <= f.from || (f.to != 0 && e.starts_at >= f.to))
    return false;
  if (f.groups.empty())
    return true;
  return std::any_of(e.topics.begin(), e.topics.end(), [&](const std::string& t) {
    auto it = content.topics.find(t);
    const std::string group = it == content.topics.end() ? t : it->second.group;
    return std::find(f.groups.begin(), f.groups.end(), group) != f.groups.end();
  });
}

class EventsHandler final : public Handler {
 public:
  explicit EventsHandler(FlowEngine& flows) : flows_(flows) {
    flows_.on_complete("events_", [this](Turn& turn, storage::Store& tx, const nlohmann::json& a) {
      complete(turn, tx, a);
    });
  }

  std::string_view name() const override { return kEvents; }

  void handle(Turn& turn, storage::Store& tx, std::string_view arg) override {
    turn.handler = "events";
    const auto [verb, rest] = split_payload(arg);
    const std::string id(rest);
    if (verb.empty() || verb == "list")
      return list(turn, tx);
    if (verb == "show")
      return show(turn, tx, id);
    if (verb == "register")
      return start_register(turn, tx, id);
    if (verb == "mine")
      return mine(turn, tx);
    if (verb == "ticket")
      return ticket(turn, tx, std::atoll(id.c_str()));
    if (verb == "cancel" || verb == "cancel_yes")
      return cancel(turn, tx, std::atoll(id.c_str()), verb == "cancel_yes");
    if (verb == "take" || verb == "pass")
      return offer_answer(turn, tx, std::atoll(id.c_str()), verb == "take");
    if (verb == "rate")  // events:rate:<registration>:<1–5>
      return rate(turn, tx, std::atoll(id.c_str()),
                  std::atoi(std::string(split_payload(rest).second).c_str()));
    list(turn, tx);
  }

 private:
  static Speaker speaker(const Turn& turn) { return Speaker{turn.content, turn.lang()}; }

  // "sự kiện sắp tới", "tháng này có hội thảo nào về sở hữu trí tuệ không". When nothing
  // matches the topic or time asked about, every upcoming event is listed at once under that
  // news: the person need not press "Tất cả sự kiện" to see what there is.
  void list(Turn& turn, storage::Store& tx) {
    const Filter f = read_filter(
        turn, turn.event.kind == EventKind::kMessage ? std::string_view(turn.event.text) : "");
    std::vector<const content::Event*> found = upcoming(turn, f);
    const bool narrowed = !f.groups.empty() || f.to != 0;
    std::string heading = "events.list";
    if (found.empty() && narrowed) {
      found = upcoming(turn, Filter{{}, turn.now_ms, 0});
      heading = "events.none_matching";
    }
    if (found.empty()) {
      turn.outcome = "none";
      OutboundMessage& m = turn.say(turn.ui("events.none"));
      m.buttons.push_back(turn.button("menu.subscribe", "subscribe"));
      m.buttons.push_back(turn.button("explainer.menu", "menu"));
      return;
    }
    if (found.size() > kMaxListed)
      found.resize(kMaxListed);
    const Speaker s = speaker(turn);
    OutboundMessage& m = turn.say(turn.ui(heading));
    for (const content::Event* e : found) {
      std::string sub = booking::time_label(s, e->starts_at) + " · " + place_of(s, *e);
      if (e->registers())
        sub += " · " + seats_label(turn, tx, *e);
      m.items.push_back({e->title.in(s.lang), sub, "events:show:" + e->id});
    }
    m.buttons.push_back(turn.button("events.mine", "events:mine"));
    if (heading != "events.list")
      m.buttons.push_back(turn.button("menu.subscribe", "subscribe"));
    m.buttons.push_back(turn.button("explainer.menu", "menu"));
    turn.outcome = heading == "events.list" ? "listed" : "none_matching";
  }

  // The published events `f` lets through, soonest first.
  static std::vector<const content::Event*> upcoming(const Turn& turn, const Filter& f) {
    std::vector<const content::Event*> found;
    for (const auto& [id, e] : turn.content.events)
      if (matches(turn.content, e, f))
        found.push_back(&e);
    std::sort(found.begin(), found.end(),
              [](const auto* a, const auto* b) { return a->starts_at < b->starts_at; });
    return found;
  }

  std::string seats_label(const Turn& turn, storage::Store& tx, const content::Event& e) const {
    if (!e.registration_open(turn.now_ms))
      return turn.ui(turn.now_ms < e.registration_opens ? "events.not_yet" : "events.closed");
    const int left = e.capacity - tx.events.seats_taken(e.id);
    if (left <= 0)
      return turn.ui(e.waitlist ? "events.full_waitlist" : "events.full");
    return turn.ui("events.seats_left", {{"n", std::to_string(left)}});
  }

  void show(Turn& turn, storage::Store& tx, const std::string& id) {
    const content::Event* e = turn.content.event(id);
    if (e == nullptr || e->status == "draft")
      return gone(turn);
    const Speaker s = speaker(turn);
    Vars vars = event_vars(s, *e);
    const content::Office* o = turn.content.office(e->organiser);
    vars["organiser"] = o ? o->name.in(s.lang) : e->organiser;
    std::string text = turn.ui("events.details", vars);
    if (e->example)
      text = turn.ui("events.example") + "\n" + text;
    if (!e->summary.vi.empty())
      text += "\n\n" + e->summary.in(s.lang);
    if (e->status == "cancelled")
      text += "\n\n" + turn.ui("events.is_cancelled");
    else if (e->registers())
      text += "\n\n" + seats_label(turn, tx, *e);
    else
      text += "\n\n" + turn.ui("events.no_registration");
    OutboundMessage& m = turn.say(std::move(text));
    if (e->status != "cancelled" && e->registration_open(turn.now_ms))
      m.buttons.push_back(turn.button("events.register", "events:register:" + e->id));
    if (!e->map_url.empty() && !e->online)
      m.buttons.push_back({turn.ui("events.map"), "", e->map_url});
    m.buttons.push_back(turn.button("events.all", "events:list"));
    m.buttons.push_back(turn.button("explainer.menu", "menu"));
    turn.outcome = "details";
  }

  void gone(Turn& turn) {
    turn.outcome = "gone";
    turn.say(turn.ui("events.gone"),
             {turn.button("events.all", "events:list"), turn.button("explainer.menu", "menu")});
  }

  void start_register(Turn& turn, storage::Store& tx, const std::string& id) {
    const content::Event* e = turn.content.event(id);
    if (e == nullptr || !e->published())
      return gone(turn);
    if (auto live = tx.events.live_for(e->id, turn.person.id)) {
      turn.outcome = "already";
      if (live->status == "waiting") {
        turn.say(
            turn.ui("events.already_waiting", event_vars(speaker(turn), *e)),
            {turn.button("events.mine", "events:mine"), turn.button("explainer.menu", "menu")});
        return;
      }
      turn.replies.push_back(
          ticket_message(speaker(turn), *e, *live, turn.options.public_url, "events.already"));
      return;
    }
    if (!e->registration_open(turn.now_ms)) {
      turn.outcome = "closed";
      const std::string key = !e->registers()                       ? "events.no_registration"
                              : turn.now_ms < e->registration_opens ? "events.opens_later"
                                                                    : "events.closed_long";
      Vars vars = event_vars(speaker(turn), *e);
      vars["opens"] = booking::long_time(speaker(turn), e->registration_opens);
      turn.say(turn.ui(key, vars),
               {turn.button("events.all", "events:list"), turn.button("explainer.menu", "menu")});
      return;
    }
    const bool full = tx.events.seats_taken(e->id) >= e->capacity;
    if (full && !e->waitlist) {
      turn.outcome = "full";
      turn.say(turn.ui("events.full_long", event_vars(speaker(turn), *e)),
               {turn.button("events.all", "events:list"), turn.button("explainer.menu", "menu")});
      return;
    }
    nlohmann::json answers = {{"event", e->id}};
    std::string note = turn.ui(full ? "events.joining_waitlist" : "events.registering",
                               event_vars(speaker(turn), *e));
    // "Dùng thông tin lần trước?": the name and phone of the last registration are filled in;
    // the summary shows them and "sửa số điện thoại" changes them.
    if (auto last = tx.events.latest_of(turn.person.id)) {
      answers["name"] = last->name;
      answers["phone"] = last->phone;
      note += "\n" + turn.ui("events.reusing", {{"name", last->name}, {"phone", last->phone}});
    }
    flows_.start(turn, tx, e->flow_id(), std::move(answers), std::move(note));
  }

  void complete(Turn& turn, storage::Store& tx, const nlohmann::json& a) {
    const std::string id = a.value("event", std::string());
    const content::Event* e = turn.content.event(id);
    if (e == nullptr || !e->registration_open(turn.now_ms)) {
      turn.outcome = "closed";
      turn.say(turn.ui("events.closed_long", e ? event_vars(speaker(turn), *e) : Vars{}),
               {turn.button("events.all", "events:list")});
      return;
    }
    if (tx.events.live_for(e->id, turn.person.id))
      return start_register(turn, tx, id);  // says what they already hold
    storage::Registration r;
    r.event_id = e->id;
    r.person_id = turn.person.id;
    r.name = a.value("name", std::string());
    r.phone = a.value("phone", std::string());
    nlohmann::json extra = nlohmann::json::object();
    for (const auto& q : e->questions)
      if (a.contains(q.id))
        extra[q.id] = a[q.id];
    r.answers = extra.dump();
    r.created_at = turn.now_ms;
    do r.code = new_ticket_code();
    while (tx.events.code_exists(r.code));
    const Speaker s = speaker(turn);
    if (tx.events.insert_with_seat(r, e->capacity)) {
      schedule_reminders(tx, *e, r.id, turn.now_ms);
      turn.outcome = "registered";
      turn.replies.push_back(
          ticket_message(s, *e, r, turn.options.public_url, "events.registered"));
      return;
    }
    if (!e->waitlist) {
      turn.outcome = "full";
      turn.say(turn.ui("events.full_long", event_vars(s, *e)),
               {turn.button("events.all", "events:list"), turn.button("explainer.menu", "menu")});
      return;
    }
    tx.events.insert_waiting(r);
    turn.outcome = "waiting";
    turn.say(turn.ui("events.waiting", event_vars(s, *e)),
             {turn.button("events.mine", "events:mine"), turn.button("explainer.menu", "menu")});
  }

  // "Vé của tôi": the person's live registrations, each with its ticket and cancel buttons.
  void mine(Turn& turn, storage::Store& tx) {
    const auto rows = tx.events.live_of(turn.person.id);
    const Speaker s = speaker(turn);
    if (rows.empty()) {
      turn.outcome = "none";
      turn.say(turn.ui("events.mine_none"),
               {turn.button("events.all", "events:list"), turn.button("explainer.menu", "menu")});
      return;
    }
    OutboundMessage& m = turn.say(turn.ui("events.mine_list"));
    for (const auto& r : rows) {
      const content::Event* e = turn.content.event(r.event_id);
      if (e == nullptr)
        continue;
      const std::string state = r.status == "registered" ? display_code(r.code)
                                : r.status == "offered"  ? turn.ui("events.state_offered")
                                                         : turn.ui("events.state_waiting");
      m.items.push_back({e->title.in(s.lang), booking::time_label(s, e->starts_at) + " · " + state,
                         r.status == "waiting" ? "events:cancel:" + std::to_string(r.id)
                                               : "events:ticket:" + std::to_string(r.id)});
    }
    m.buttons.push_back(turn.button("events.all", "events:list"));
    m.buttons.push_back(turn.button("explainer.menu", "menu"));
    turn.outcome = "listed";
  }

  // The person's own live row `id`, or nothing (someone else's id is "gone").
  std::optional<storage::Registration> own(const Turn& turn, storage::Store& tx, std::int64_t id) {
    auto r = tx.events.get(id);
    if (!r || r->person_id != turn.person.id)
      return std::nullopt;
    return r;
  }

  void ticket(Turn& turn, storage::Store& tx, std::int64_t id) {
    auto r = own(turn, tx, id);
    const content::Event* e = r ? turn.content.event(r->event_id) : nullptr;
    if (!r || e == nullptr || r->status != "registered")
      return mine(turn, tx);
    OutboundMessage m =
        ticket_message(speaker(turn), *e, *r, turn.options.public_url, "events.your_ticket");
    if (turn.now_ms < e->starts_at - e->cancel_until_hours * kHourMs)
      m.buttons.insert(m.buttons.begin(),
                       turn.button("events.cancel", "events:cancel:" + std::to_string(r->id)));
    turn.replies.push_back(std::move(m));
    turn.outcome = "ticket";
  }

  void cancel(Turn& turn, storage::Store& tx, std::int64_t id, bool confirmed) {
    auto r = own(turn, tx, id);
    const content::Event* e = r ? turn.content.event(r->event_id) : nullptr;
    if (!r || e == nullptr ||
        (r->status != "registered" && r->status != "waiting" && r->status != "offered"))
      return mine(turn, tx);
    const Speaker s = speaker(turn);
    if (r->status == "registered" &&
        turn.now_ms >= e->starts_at - e->cancel_until_hours * kHourMs) {
      turn.outcome = "too_late";
      Vars vars = event_vars(s, *e);
      vars["hours"] = std::to_string(e->cancel_until_hours);
      const content::Office* o = turn.content.office(e->organiser);
      vars["office"] =
          o ? o->name.in(s.lang) + (o->phone.empty() ? "" : " (" + o->phone + ")") : e->organiser;
      turn.say(turn.ui("events.cancel_too_late", vars), {turn.button("explainer.menu", "menu")});
      return;
    }
    if (!confirmed) {
      turn.say(turn.ui(r->status == "waiting" ? "events.unwait_sure" : "events.cancel_sure",
                       event_vars(s, *e)),
               {turn.button("events.cancel_yes", "events:cancel_yes:" + std::to_string(r->id)),
                turn.button("events.keep", "events:mine")});
      turn.outcome = "asked";
      return;
    }
    const bool held_seat = r->seat.has_value();
    tx.events.release(r->id, "cancelled", turn.now_ms);
    cancel_reminders(tx, *e, r->id);
    tx.jobs.cancel(offer_key(r->id));
    turn.outcome = "cancelled";
    turn.say(turn.ui(held_seat ? "events.cancelled" : "events.unwaited", event_vars(s, *e)),
             {turn.button("events.all", "events:list"), turn.button("explainer.menu", "menu")});
    if (held_seat)
      offer_next(tx, turn.content, *e, turn.now_ms);
  }

  void offer_answer(Turn& turn, storage::Store& tx, std::int64_t id, bool take) {
    auto r = own(turn, tx, id);
    const content::Event* e = r ? turn.content.event(r->event_id) : nullptr;
    const Speaker s = speaker(turn);
    if (!r || e == nullptr || r->status != "offered") {
      turn.outcome = "offer_gone";
      turn.say(turn.ui("events.offer_gone"),
               {turn.button("events.mine", "events:mine"), turn.button("explainer.menu", "menu")});
      return;
    }
    tx.jobs.cancel(offer_key(r->id));
    if (!take) {
      tx.events.release(r->id, "passed", turn.now_ms);
      turn.outcome = "passed";
      turn.say(turn.ui("events.offer_passed", event_vars(s, *e)),
               {turn.button("events.all", "events:list"), turn.button("explainer.menu", "menu")});
      offer_next(tx, turn.content, *e, turn.now_ms);
      return;
    }
    tx.events.take_seat(r->id, e->capacity, "registered", std::nullopt, turn.now_ms);
    r->status = "registered";
    schedule_reminders(tx, *e, r->id, turn.now_ms);
    turn.outcome = "registered";
    turn.replies.push_back(ticket_message(s, *e, *r, turn.options.public_url, "events.registered"));
  }

  void rate(Turn& turn, storage::Store& tx, std::int64_t id, int rating) {
    auto r = own(turn, tx, id);
    if (!r || rating < 1 || rating > 5)
      return mine(turn, tx);
    turn.outcome = tx.events.rate(r->id, rating, turn.now_ms) ? "rated" : "rated_before";
    turn.say(turn.ui("events.survey_thanks"), {turn.button("explainer.menu", "menu")});
  }

  FlowEngine& flows_;
};

std::string survey_key(std::int64_t registration_id) {
  return "events.survey:" + std::to_string(registration_id);
}

std::string place_key(const content::Event& e) {
  return e.online ? std::string("online") : e.place.vi;
}

}  // namespace

std::string new_ticket_code() {
  std::random_device rd;  // the system's random source (getrandom), not a seeded generator
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  std::string code;
  for (std::size_t i = 0; i < kTicketCodeLength; ++i) code += kAlphabet[pick(rd)];
  return code;
}

std::string display_code(std::string_view code) {
  std::string out;
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (i > 0 && i % 4 == 0)
      out += '-';
    out += code[i];
  }
  return out;
}

std::string normalize_code(std::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c == '-' || c == ' ')
      continue;
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
    if (kAlphabet.find(c) == std::string_view::npos)
      return {};
    out += c;
    if (out.size() > 64)
      return {};
  }
  return out;
}

bool run_event_reminder(storage::Store& tx,
                        const content::Snapshot& content,
                        const EventReminderJob& job,
                        std::int64_t now_ms) {
  auto r = tx.events.get(job.registration_id);
  if (!r || r->status != "registered" || !r->person_id)
    return false;
  const content::Event* e = content.event(r->event_id);
  if (e == nullptr || !e->published() || e->starts_at != job.starts_at || e->starts_at <= now_ms)
    return false;
  const Speaker s = speaker_for(tx, content, *r->person_id);
  Vars vars = event_vars(s, *e);
  vars["in"] = job.offset_ms >= kDayMs
                   ? s.ui("booking.in_days", {{"n", std::to_string(job.offset_ms / kDayMs)}})
                   : s.ui("booking.in_hours",
                          {{"n", std::to_string((job.offset_ms + kHourMs - 1) / kHourMs)}});
  OutboundMessage m;
  m.text = s.ui("events.reminder", vars);
  m.buttons = {s.button("events.show_ticket", "events:ticket:" + std::to_string(r->id))};
  tx.outbox.enqueue(*r->person_id, MessageKind::kReminder, m, now_ms);
  return true;
}

bool run_event_offer_expiry(storage::Store& tx,
                            const content::Snapshot& content,
                            const EventOfferJob& job,
                            std::int64_t now_ms) {
  auto r = tx.events.get(job.registration_id);
  if (!r || r->status != "offered" || (r->offer_until && *r->offer_until > now_ms))
    return false;
  tx.events.release(r->id, "passed", now_ms);
  const content::Event* e = content.event(r->event_id);
  if (r->person_id && e != nullptr) {
    const Speaker s = speaker_for(tx, content, *r->person_id);
    OutboundMessage m;
    m.text = s.ui("events.offer_expired", event_vars(s, *e));
    m.buttons = {s.button("events.all", "events:list")};
    tx.outbox.enqueue(*r->person_id, MessageKind::kNotice, m, now_ms);
  }
  if (e != nullptr)
    offer_next(tx, content, *e, now_ms);
  return true;
}

bool run_event_survey(storage::Store& tx,
                      const content::Snapshot& content,
                      const EventSurveyJob& job,
                      std::int64_t now_ms) {
  auto r = tx.events.get(job.registration_id);
  if (!r || !r->person_id || !r->checked_in_at || r->rating)
    return false;
  const content::Event* e = content.event(r->event_id);
  if (e == nullptr)
    return false;
  const Speaker s = speaker_for(tx, content, *r->person_id);
  OutboundMessage m;
  m.text = s.ui("events.survey", event_vars(s, *e));
  for (int n = 1; n <= 5; ++n)
    m.buttons.push_back(s.button("events.rating." + std::to_string(n),
                                 "events:rate:" + std::to_string(r->id) + ":" + std::to_string(n)));
  tx.outbox.enqueue(*r->person_id, MessageKind::kNotice, m, now_ms);
  return true;
}

int sync_event_changes(storage::Store& tx, const content::Snapshot& content, std::int64_t now_ms) {
  int queued = 0;
  for (const auto& [id, e] : content.events) {
    if (e.status == "draft")
      continue;
    const storage::EventState now_state{id, e.starts_at, e.ends_at, place_key(e), e.status};
    const auto told = tx.events.state(id);
    if (told && told->starts_at == e.starts_at && told->ends_at == e.ends_at &&
        told->place == now_state.place && told->status == e.status)
      continue;
    if (told) {
      const bool cancelled = e.status == "cancelled" && told->status != "cancelled";
      const bool back = e.status == "published" && told->status == "cancelled";
      const bool moved = told->starts_at != e.starts_at || told->ends_at != e.ends_at;
      const bool placed = told->place != now_state.place;
      for (const auto& r : tx.events.live_of_event(id)) {
        if (!r.person_id)
          continue;
        const Speaker s = speaker_for(tx, content, *r.person_id);
        Vars vars = event_vars(s, e);
        vars["old_time"] = booking::long_time(s, told->starts_at);
        OutboundMessage m;
        if (cancelled) {
          m.text = s.ui("events.cancelled_notice", vars);
          cancel_reminders(tx, e, r.id);
        } else {
          m.text = s.ui(back ? "events.back_notice" : "events.changed_notice", vars);
          if (moved && !back)
            m.text += "\n" + s.ui("events.changed_time", vars);
          if (placed && !back)
            m.text += "\n" + s.ui("events.changed_place", vars);
          if (r.status == "registered") {
            schedule_reminders(tx, e, r.id, now_ms);
            m.buttons.push_back(
                s.button("events.show_ticket", "events:ticket:" + std::to_string(r.id)));
          }
        }
        m.buttons.push_back(s.button("events.mine", "events:mine"));
        tx.outbox.enqueue(*r.person_id, MessageKind::kNotice, m, now_ms);
        ++queued;
      }
    }
    tx.events.put_state(now_state, now_ms);
  }
  return queued;
}

std::int64_t checkin_opens_at(const content::Event& e) {
  return e.starts_at - 12 * kHourMs;
}

CheckinAnswer check_in(storage::Store& tx,
                       const content::Snapshot& content,
                       std::string_view event_id,
                       std::string_view code,
                       std::string_view nonce,
                       std::string_view device,
                       std::int64_t now_ms) {
  const std::string nonce_text(nonce);
  auto answer_of = [&](const storage::Checkin& c) {
    CheckinAnswer a;
    a.result = c.result;
    if (c.registration_id) {
      if (auto r = tx.events.get(*c.registration_id)) {
        a.name = r->name;
        a.checked_in_at = r->checked_in_at;
      }
    }
    return a;
  };
  if (auto seen = tx.events.checkin_by_nonce(nonce_text))
    return answer_of(*seen);  // a retry: the first answer, nothing written
  storage::Checkin c;
  c.event_id = std::string(event_id);
  c.code = std::string(code.substr(0, 64));
  c.nonce = nonce_text;
  c.device = std::string(device.substr(0, 200));
  c.at = now_ms;
  const content::Event* e = content.event(event_id);
  const std::string normal = normalize_code(code);
  auto r = normal.empty() ? std::nullopt : tx.events.by_code(normal);
  if (r)
    c.registration_id = r->id;
  if (e == nullptr || !e->published() || now_ms < checkin_opens_at(*e) || now_ms > e->ends_at)
    c.result = "not_open";
  else if (!r)
    c.result = "unknown";
  else if (r->event_id != e->id)
    c.result = "wrong_event";
  else if (r->status != "registered")
    c.result = "cancelled";
  else if (r->checked_in_at)
    c.result = "already";
  else
    c.result = "ok";
  if (tx.events.record_checkin(c) && c.result == "ok")
    tx.jobs.schedule(EventSurveyJob{r->id}, e->ends_at + 30 * 60'000, survey_key(r->id), now_ms);
  return answer_of(c);
}

nlohmann::json to_json(const CheckinAnswer& a) {
  nlohmann::json j = {{"result", a.result}, {"name", a.name}};
  j["checked_in_at"] = a.checked_in_at ? nlohmann::json(local_time::timestamp(*a.checked_in_at))
                                       : nlohmann::json(nullptr);
  return j;
}

std::vector<std::vector<std::string>> registrations_table(storage::Store& tx,
                                                          const content::Event& e) {
  std::vector<std::string> header = {"code", "status", "seat", "name", "phone"};
  for (const auto& q : e.questions) header.push_back(q.id);
  for (const char* h : {"registered_at", "checked_in_at", "rating"}) header.emplace_back(h);
  std::vector<std::vector<std::string>> rows = {std::move(header)};
  for (const auto& r : tx.events.of_event(e.id)) {
    const nlohmann::json answers = nlohmann::json::parse(r.answers, nullptr, false);
    std::vector<std::string> fields = {display_code(r.code), r.status,
                                       r.seat ? std::to_string(*r.seat) : "", r.name, r.phone};
    for (const auto& q : e.questions) {
      std::string v;
      if (answers.is_object() && answers.contains(q.id))
        v = answers[q.id].is_string() ? answers[q.id].get<std::string>() : answers[q.id].dump();
      fields.push_back(std::move(v));
    }
    fields.push_back(local_time::timestamp(r.created_at));
    fields.push_back(r.checked_in_at ? local_time::timestamp(*r.checked_in_at) : "");
    fields.push_back(r.rating ? std::to_string(*r.rating) : "");
    rows.push_back(std::move(fields));
  }
  return rows;
}

std::string registrations_csv(storage::Store& tx,
                              const content::Snapshot& content,
                              const content::Event& e) {
  (void)content;
  std::string out = "\xEF\xBB\xBF";
  for (const auto& row : registrations_table(tx, e)) {
    for (std::size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + booking::csv_field(row[i]);
    out += "\r\n";
  }
  return out;
}

std::string event_ics(const content::Event& e, std::string_view code) {
  using booking::ics_line;
  using booking::ics_text;
  std::string out = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//outreach-bot//events//VI\r\n";
  out += "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\n";
  ics_line(out, "UID:" + std::string(code) + "@outreach-bot");
  ics_line(out, "DTSTAMP:" + local_time::utc_basic(e.starts_at));
  ics_line(out, "DTSTART:" + local_time::utc_basic(e.starts_at));
  ics_line(out, "DTEND:" + local_time::utc_basic(e.ends_at));
  ics_line(out, "SUMMARY:" + ics_text(e.title.vi));
  ics_line(out, "LOCATION:" + ics_text(e.online ? std::string("Online") : e.place.vi));
  ics_line(out, std::string("STATUS:") + (e.published() ? "CONFIRMED" : "CANCELLED"));
  out += "END:VEVENT\r\nEND:VCALENDAR\r\n";
  return out;
}

std::unique_ptr<Handler> make_events_handler(FlowEngine& flows) {
  return std::make_unique<EventsHandler>(flows);
}

}  // namespace outreach::handlers
