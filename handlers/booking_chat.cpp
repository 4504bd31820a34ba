// Booking a session with the Startup Advisory Office in the chat: topic → a free time (buttons
// or typed freely) → in person or online → name, phone, company, stage, a short description →
// summary → booked, with a reference code and a calendar link. "Lịch hẹn của tôi" lists a
// person's bookings to move or cancel; a full day has a waitlist whose first person is offered
// a freed seat for a while. Seats and the waitlist are booking_seats.cpp, reminders
// booking_jobs.cpp; staff act through booking.hpp.
//
// Payloads: booking (start, or the list when the person has bookings), booking:new,
// booking:mine, booking:cancel:<ref>, booking:cancel_yes:<ref>, booking:move:<ref>,
// booking:take:<wait id>, booking:pass:<wait id>, booking:unwait:<wait id>.
#include <algorithm>
#include <set>

#include "bot/core/local_time.hpp"
#include "bot/text/unicode.hpp"
#include "content/store.hpp"
#include "handlers/booking_internal.hpp"
#include "handlers/booking_slots.hpp"
#include "handlers/form_reading.hpp"
#include "handlers/handlers.hpp"
#include "handlers/phone.hpp"
#include "handlers/when.hpp"

namespace outreach::handlers {
namespace {

using booking::booking_vars;
using booking::day_label;
using booking::kMinuteMs;
using booking::long_time;
using booking::office_contact;
using booking::Speaker;
using booking::topic_title;

constexpr std::size_t kTimesShown = 6;

std::string ics_url(const std::string& base, const storage::Booking& b) {
  return base + "/booking/" + b.ref + ".ics?k=" + b.ics_key;
}

class BookingHandler final : public Handler {
 public:
  explicit BookingHandler(FlowEngine& flows) : flows_(flows) {
    flows_.on_step("booking_topic", topic_step());
    flows_.on_step("booking_slot", slot_step());
    flows_.on_step("phone", phone_step());
    flows_.on_complete<booking::Answers>(
        "booking", [this](Turn& turn, storage::Store& tx, const booking::Answers& a) {
          complete_booking(turn, tx, a);
        });
    flows_.on_complete<booking::MoveAnswers>(
        "booking_move", [this](Turn& turn, storage::Store& tx, const booking::MoveAnswers& a) {
          complete_move(turn, tx, a);
        });
  }

  std::string_view name() const override { return kBooking; }

  void handle(Turn& turn, storage::Store& tx, std::string_view arg) override {
    turn.handler = "booking";
    if (!turn.content.booking.enabled) {
      add_main_menu(turn, turn.say(turn.ui("info.booking")));
      return;
    }
    const auto [verb, rest] = split_payload(arg);
    const std::string ref(rest);
    if (verb.empty()) {  // "đặt lịch", "lịch hẹn của tôi", "đổi lịch"…
      if (!tx.bookings.upcoming_for(turn.person.id, turn.now_ms).empty() ||
          !tx.bookings.waiting_for(turn.person.id).empty())
        return show_mine(turn, tx);
      return start_new(turn, tx);
    }
    if (verb == "new" || verb == "advice")  // "mình cần tư vấn thuế": a session on it
      return start_new(turn, tx);
    if (verb == "mine")
      return show_mine(turn, tx);
    if (verb == "cancel" || verb == "cancel_yes" || verb == "move")
      return change(turn, tx, verb, ref);
    if (verb == "take" || verb == "pass" || verb == "unwait")
      return waitlist_answer(turn, tx, verb, std::atoll(ref.c_str()));
    show_mine(turn, tx);
  }

 private:
  static Speaker speaker(const Turn& turn) { return Speaker{turn.content, turn.lang()}; }

  void start_new(Turn& turn, storage::Store& tx) {
    const auto mine = tx.bookings.upcoming_for(turn.person.id, turn.now_ms);
    if (static_cast<int>(mine.size()) >= turn.content.booking.max_active) {
      turn.outcome = "limit";
      turn.say(
          turn.ui("booking.limit", {{"max", std::to_string(turn.content.booking.max_active)}}),
          {turn.button("booking.mine", "booking:mine"), turn.button("explainer.menu", "menu")});
      return;
    }
    // "đặt lịch tư vấn về nhãn hiệu": the field is already said.
    if (turn.event.kind == EventKind::kMessage) {
      if (auto topic = topic_in_request(turn)) {
        const std::string title = topic_title(speaker(turn), *topic);
        return flows_.start(turn, tx, "booking", {{"topic", *topic}},
                            turn.ui("booking.topic_understood", {{"topic", title}}));
      }
    }
    flows_.start(turn, tx, "booking");
  }

  // The field a request to book names ("đặt lịch tư vấn thuế", "book a session about
  // funding"), once the words of booking itself are set aside: a name of one field found whole,
  // no word shared with another field ("tư vấn về vốn" may be finance or funding: asked).
  static std::optional<std::string> topic_in_request(const Turn& turn) {
    static const std::set<std::string, std::less<>> kBookingWords = {
        // booking itself, in both languages
        "dat", "lich", "hen", "tu", "van", "gap", "buoi", "dang", "ky", "khoi", "nghiep", "phong",
        "chuyen", "vien", "startup", "start", "up", "book", "booking", "appointment", "meeting",
        "session", "advice", "consultation", "consult", "advisory", "office", "schedule", "make",
        "get", "need",
        // who speaks, politeness and the little words around
        "xin", "ve", "nhe", "minh", "em", "toi", "muon", "can", "ban", "ad", "oi", "cho", "voi",
        "mot", "de", "duoc", "khong", "ko", "k", "hk", "hong", "dc", "cua", "chao", "hi", "hello",
        "i", "would", "like", "to", "please", "an", "a", "the", "with", "about", "for", "on",
        "some", "in"};
    // Typed with other marks, a word is another word: "bản" (quyền) is not "bạn".
    static const std::set<std::string, std::less<>> kMarked = {
        "đặt", "lịch", "hẹn",    "tư",    "vấn",    "gặp",  "buổi", "xin", "đăng",
        "ký",  "khởi", "nghiệp", "phòng", "chuyên", "viên", "về",   "nhé", "mình",
        "em",  "tôi",  "muốn",   "cần",   "chào",   "bạn",  "ơi",   "cho", "với",
        "một", "để",   "được",   "không", "của",    "ạ",    "à"};
    std::vector<std::string> rest;
    // A word is set aside as typed, or as the bot reads it ("mun" is "muốn", "e" is "em").
    auto booking_word = [&](const std::string& folded) {
      if (kBookingWords.contains(folded))
        return true;
      if (!turn.read_words)
        return false;
      const auto read = turn.read_words(folded);
      return !read.empty() && std::all_of(read.begin(), read.end(), [](const std::string& r) {
        return kBookingWords.contains(r);
      });
    };
    for (const auto& w : text::words(text::lower(turn.event.text))) {
      const std::string folded = text::fold(w);
      const bool ascii = folded == w;
      if (!booking_word(folded) || !(ascii || kMarked.contains(w)))
        rest.push_back(folded);
    }
    if (rest.empty())
      return std::nullopt;
    std::optional<std::string> found;
    for (const auto& t : turn.content.booking.topics) {
      std::vector<std::string> names = {t.title.vi, t.title.en};
      names.insert(names.end(), t.also.begin(), t.also.end());
      bool whole = false;
      bool shares = false;
      for (const auto& n : names) {
        const auto words = plain_words(n);
        whole = whole || (!words.empty() && std::search(rest.begin(), rest.end(), words.begin(),
                                                        words.end()) != rest.end());
        shares = shares || std::any_of(words.begin(), words.end(), [&](const std::string& w) {
                   return std::find(rest.begin(), rest.end(), w) != rest.end();
                 });
      }
      if (!whole && !shares)
        continue;
      if (found || !whole)
        return std::nullopt;  // two fields, or a word of another field
      found = t.id;
    }
    return found;
  }

  // ---- the steps -----------------------------------------------------------------------

  CustomStep topic_step() {
    CustomStep step;
    step.choices = [](Turn& turn, storage::Store&, const nlohmann::json&) {
      std::vector<Button> out;
      for (const auto& t : turn.content.booking.topics)
        out.push_back({t.title.in(turn.lang()), "flow:choice:" + t.id, {}});
      return out;
    };
    step.read = [](Turn& turn, storage::Store&, std::string_view chosen, std::string_view typed,
                   nlohmann::json&) {
      StepAnswer a;
      for (const auto& t : turn.content.booking.topics) {
        if (chosen == t.id) {
          a.value = t.id;
          return a;
        }
      }
      const ChoiceMatch m = chosen.empty() ? match_topic(turn, typed) : ChoiceMatch{};
      if (m.kind == ChoiceMatch::Kind::kOne) {
        a.value = m.value;
        return a;
      }
      if (m.kind == ChoiceMatch::Kind::kAmbiguous) {  // "tư vấn bán hàng online": which one?
        a.note = turn.ui("flow.which_one");
        a.note_is_prompt = true;
        for (const auto& t : turn.content.booking.topics)
          if (std::find(m.values.begin(), m.values.end(), t.id) != m.values.end())
            a.offer.push_back({t.title.in(turn.lang()), "flow:choice:" + t.id, {}});
        return a;
      }
      a.note = turn.ui("booking.pick_topic");
      a.note_is_prompt = true;
      return a;
    };
    step.fits = [](const Turn& turn, std::string_view typed, const nlohmann::json&) {
      return match_topic(turn, typed).kind == ChoiceMatch::Kind::kNone ? Fit::kNotAnswer
                                                                       : Fit::kAnswer;
    };
    step.display = [](const Turn& turn, const nlohmann::json& v) {
      return topic_title(speaker(turn), v.is_string() ? v.get<std::string>() : std::string{});
    };
    return step;
  }

  // A topic typed: its title in either language, part of it, or another name from booking.yaml.
  static ChoiceMatch match_topic(const Turn& turn, std::string_view typed) {
    std::vector<ChoiceOption> options;
    for (const auto& t : turn.content.booking.topics) {
      ChoiceOption o{t.id, {t.title.vi, t.title.en}};
      o.names.insert(o.names.end(), t.also.begin(), t.also.end());
      options.push_back(std::move(o));
    }
    return match_choice(typed, options,
                        turn.read_words ? WordReader(turn.read_words) : WordReader(plain_words));
  }

  static std::vector<Button> time_buttons(const Turn& turn, const std::vector<FreeTime>& times) {
    std::vector<Button> out;
    const Speaker s = speaker(turn);
    for (const auto& t : times)
      out.push_back(
          {booking::time_label(s, t.start_ms), "flow:choice:" + std::to_string(t.start_ms), {}});
    if (!times.empty())
      out.push_back(turn.button("booking.later_times",
                                "flow:choice:after:" + std::to_string(times.back().start_ms)));
    return out;
  }

  static std::vector<FreeTime> next_times(const Turn& turn,
                                          storage::Store& tx,
                                          const std::string& topic,
                                          std::int64_t after_ms = 0,
                                          std::int64_t first_day = 0) {
    const auto& setup = turn.content.booking;
    const std::int64_t from_day = std::max(local_time::day_of(turn.now_ms), first_day);
    const std::int64_t last = last_bookable_day(setup, turn.now_ms);
    const auto taken =
        tx.bookings.taken(local_time::unix_ms(from_day), local_time::unix_ms(last + 1));
    auto all = free_times(setup, topic, from_day, last, 0, 24 * 60, turn.now_ms, taken, 200);
    std::vector<FreeTime> out;
    for (auto& t : all)
      if (t.start_ms > after_ms && out.size() < kTimesShown)
        out.push_back(std::move(t));
    return out;
  }

  CustomStep slot_step() {
    CustomStep step;
    step.choices = [](Turn& turn, storage::Store& tx, const nlohmann::json& answers) {
      const auto times = next_times(turn, tx, answers.value("topic", std::string{}));
      if (times.empty())
        return std::vector<Button>{};
      return time_buttons(turn, times);
    };
    step.read = [](Turn& turn, storage::Store& tx, std::string_view chosen, std::string_view typed,
                   nlohmann::json& answers) {
      return read_slot(turn, tx, chosen, typed, answers);
    };
    step.fits = [](const Turn& turn, std::string_view typed, const nlohmann::json&) {
      const auto when = parse_when(typed, local_time::day_of(turn.now_ms));
      return when && (when->has_day() || when->has_time() || when->from_minute > 0 ||
                      when->to_minute < 24 * 60)
                 ? Fit::kAnswer
                 : Fit::kNotAnswer;
    };
    step.display = [](const Turn& turn, const nlohmann::json& v) {
      const Speaker s = speaker(turn);
      const std::string value = v.is_string() ? v.get<std::string>() : std::string{};
      if (value.starts_with("wait:"))
        return s.ui("booking.waitlist_value",
                    {{"day", day_label(s, std::atoll(value.c_str() + 5))}});
      return long_time(s, std::atoll(value.c_str()));
    };
    return step;
  }

  static StepAnswer read_slot(Turn& turn,
                              storage::Store& tx,
                              std::string_view chosen,
                              std::string_view typed,
                              nlohmann::json& answers) {
    const auto& setup = turn.content.booking;
    const std::string topic = answers.value("topic", std::string{});
    const Speaker s = speaker(turn);
    const std::int64_t today = local_time::day_of(turn.now_ms);
    const std::int64_t last = last_bookable_day(setup, turn.now_ms);
    StepAnswer a;
    auto taken_between = [&](std::int64_t d0, std::int64_t d1) {
      return tx.bookings.taken(local_time::unix_ms(d0), local_time::unix_ms(d1 + 1));
    };
    auto offer_next = [&](std::string note, std::int64_t after_ms = 0, std::int64_t from_day = 0) {
      a.note = std::move(note);
      auto times = next_times(turn, tx, topic, after_ms, from_day);
      if (times.empty() && after_ms == 0 && from_day == 0)
        a.note += "\n" + turn.ui("booking.no_times", {{"contact", office_contact(s)}});
      a.offer = time_buttons(turn, times);
      a.note_is_prompt = true;
      return a;
    };
    if (chosen.starts_with("after:"))
      return offer_next(turn.ui("booking.more_times"), std::atoll(chosen.data() + 6));
    if (chosen.starts_with("wait:")) {
      const std::int64_t day = std::atoll(chosen.data() + 5);
      if (day < today || day > last)
        return offer_next(turn.ui("booking.pick_time"));
      a.value = "wait:" + std::to_string(day);
      return a;
    }
    if (!chosen.empty()) {
      const std::int64_t start = std::atoll(std::string(chosen).c_str());
      if (booking::advisors_free_at(tx, setup, topic, start, turn.now_ms).empty())
        return offer_next(turn.ui("booking.just_taken"));
      a.value = std::to_string(start);
      return a;
    }
    auto when = parse_when(typed, today);
    if (!when)
      return offer_next(turn.ui("booking.unreadable_time"));
    // A time alone after a day was typed ("thứ 6 này", then "9h"): on that day.
    if (!when->has_day() && answers.contains("_slot_days")) {
      const auto& days = answers["_slot_days"];
      if (days.is_array() && days.size() == 2 && days[0].is_number_integer()) {
        when->first_day = days[0].get<std::int64_t>();
        when->last_day = days[1].get<std::int64_t>();
      }
    }
    if (when->has_day())
      answers["_slot_days"] = nlohmann::json::array({when->first_day, when->last_day});
    if (when->past || (when->has_day() && when->last_day < today))
      return offer_next(turn.ui("booking.past_day"));
    if (when->has_day() && when->first_day > last)
      return offer_next(
          turn.ui("booking.too_far", {{"days", std::to_string(setup.max_days_ahead)}}));
    const std::int64_t d0 = when->has_day() ? when->first_day : today;
    const std::int64_t d1 = when->has_day() ? std::min(when->last_day, last) : last;
    if (d0 == d1 && setup.holidays.contains(d0))
      return offer_next(turn.ui("booking.holiday", {{"day", day_label(s, d0)},
                                                    {"holiday", setup.holidays.at(d0).in(s.lang)}}),
                        0, d0);
    const auto taken = taken_between(d0, d1);
    const int from = when->has_time() ? when->minute : when->from_minute;
    const int to = when->has_time() ? when->minute + 1 : when->to_minute;
    auto times = free_times(setup, topic, d0, d1, from, to, turn.now_ms, taken, kTimesShown);
    if (when->has_time() && !times.empty() && when->has_day()) {
      a.value = std::to_string(times.front().start_ms);  // exactly what was asked for
      return a;
    }
    if (when->has_time() && !times.empty() && !when->has_day()) {
      // "9h" alone: the soonest day with a free session at that time, shown to pick.
      a.note = turn.ui("booking.times_found");
      a.offer = time_buttons(turn, times);
      a.note_is_prompt = true;
      return a;
    }
    if (!times.empty() && !when->has_time()) {
      a.note = when->has_day() && d0 == d1
                   ? turn.ui("booking.day_times", {{"day", day_label(s, d0)}})
                   : turn.ui("booking.times_found");
      a.offer = time_buttons(turn, times);
      a.note_is_prompt = true;
      return a;
    }
    // Nothing free as asked: widen to the whole day(s), then offer the waitlist of a full day.
    auto same_days = free_times(setup, topic, d0, d1, 0, 24 * 60, turn.now_ms, taken, kTimesShown);
    if (!same_days.empty()) {
      a.note = turn.ui("booking.not_that_time");
      a.offer = time_buttons(turn, same_days);
      a.note_is_prompt = true;
      return a;
    }
    bool day_full = false;
    if (d0 == d1) {
      const auto sessions = sessions_on(setup, topic, d0, taken);
      day_full = !sessions.empty() &&
                 std::all_of(sessions.begin(), sessions.end(),
                             [&](const Session& x) {
                               return x.full() || !bookable(setup, x.start_ms, turn.now_ms);
                             }) &&
                 std::any_of(sessions.begin(), sessions.end(), [&](const Session& x) {
                   return bookable(setup, x.start_ms, turn.now_ms);
                 });
    }
    if (day_full) {
      a = offer_next(turn.ui("booking.day_full", {{"day", day_label(s, d0)}}), 0, d0 + 1);
      const local_time::Date date = local_time::date_of(d0);
      a.offer.insert(
          a.offer.begin(),
          Button{turn.ui("booking.join_waitlist",
                         {{"day", std::to_string(date.day) + "/" + std::to_string(date.month)}}),
                 "flow:choice:wait:" + std::to_string(d0),
                 {}});
      return a;
    }
    return offer_next(turn.ui("booking.no_session_then"), 0, d0);
  }

  static CustomStep phone_step() {
    CustomStep step;
    step.read = [](Turn& turn, storage::Store&, std::string_view, std::string_view typed,
                   nlohmann::json&) {
      StepAnswer a;
      if (auto p = find_vn_phone(typed))
        a.value = p->e164;
      else
        a.note = turn.ui("booking.bad_phone");
      return a;
    };
    step.fits = [](const Turn&, std::string_view typed, const nlohmann::json&) {
      return digit_count(typed) >= 6 ? Fit::kAnswer : Fit::kNotAnswer;
    };
    step.display = [](const Turn&, const nlohmann::json& v) {
      const auto p = parse_vn_phone(v.is_string() ? v.get<std::string>() : std::string{});
      return p ? p->display : std::string("—");
    };
    return step;
  }

  // ---- completing --------------------------------------------------------------------------

  void complete_booking(Turn& turn, storage::Store& tx, const booking::Answers& a) {
    const auto& setup = turn.content.booking;
    const std::string& topic = a.topic;
    const std::string& slot = a.slot;
    const Speaker s = speaker(turn);
    if (static_cast<int>(tx.bookings.upcoming_for(turn.person.id, turn.now_ms).size()) >=
        setup.max_active) {
      turn.outcome = "limit";
      turn.say(turn.ui("booking.limit", {{"max", std::to_string(setup.max_active)}}),
               {turn.button("booking.mine", "booking:mine")});
      return;
    }
    if (slot.starts_with("wait:")) {
      const std::int64_t day = std::atoll(slot.c_str() + 5);
      booking::join_waitlist(tx, turn.person.id, topic, day, a.details, turn.now_ms);
      turn.outcome = "waitlisted";
      turn.say(
          turn.ui("booking.waitlisted",
                  {{"day", day_label(s, day)},
                   {"minutes", std::to_string(setup.waitlist_offer_minutes)}}),
          {turn.button("booking.mine", "booking:mine"), turn.button("explainer.menu", "menu")});
      return;
    }
    const std::int64_t start = std::atoll(slot.c_str());
    storage::Booking b;
    b.topic = topic;
    b.starts_at = start;
    b.ends_at = start + setup.slot_minutes * kMinuteMs;
    b.person_id = turn.person.id;
    booking::fill_details(b, a.details);
    b.created_at = turn.now_ms;
    if (!booking::place_in_session(tx, setup, b, turn.now_ms)) {
      nlohmann::json back = a.details;
      back["topic"] = a.topic;
      turn.outcome = "slot_taken";
      flows_.reopen(turn, tx, "booking", std::move(back), "slot", turn.ui("booking.just_taken"));
      return;
    }
    booking::schedule_reminders(tx, setup, b, turn.now_ms);
    turn.outcome = "booked";
    say_booked(turn, b, "booking.booked");
  }

  void say_booked(Turn& turn, const storage::Booking& b, std::string_view key) {
    const Speaker s = speaker(turn);
    Vars vars = booking_vars(s, b);
    std::vector<Button> buttons;
    Button ics = turn.button("booking.add_to_calendar", "");
    ics.url = ics_url(turn.options.public_url, b);
    buttons.push_back(std::move(ics));
    buttons.push_back(turn.button("booking.mine", "booking:mine"));
    buttons.push_back(turn.button("explainer.menu", "menu"));
    turn.say(turn.ui(key, vars), std::move(buttons));
  }

  void complete_move(Turn& turn, storage::Store& tx, const booking::MoveAnswers& a) {
    const auto& setup = turn.content.booking;
    auto b = tx.bookings.by_ref(a.ref);
    if (!b || b->person_id != turn.person.id || b->status != "booked") {
      turn.outcome = "not_found";
      turn.say(turn.ui("booking.not_found"), {turn.button("booking.mine", "booking:mine")});
      return;
    }
    const std::int64_t start = std::atoll(a.slot.c_str());
    if (!booking::move_to(tx, setup, *b, start, turn.now_ms)) {
      turn.outcome = "slot_taken";
      flows_.reopen(turn, tx, "booking_move", {{"ref", b->ref}, {"topic", b->topic}}, "slot",
                    turn.ui("booking.just_taken"));
      return;
    }
    const storage::Booking old = *b;
    auto now_b = tx.bookings.get(b->id);
    booking::schedule_reminders(tx, setup, *now_b, turn.now_ms);
    booking::offer_freed_seat(tx, turn.content, old.advisor, old.starts_at, old.ends_at,
                              turn.now_ms);
    turn.outcome = "moved";
    say_booked(turn, *now_b, "booking.moved");
  }

  // ---- my bookings, changes ----------------------------------------------------------------

  void show_mine(Turn& turn, storage::Store& tx) {
    const Speaker s = speaker(turn);
    const auto mine = tx.bookings.upcoming_for(turn.person.id, turn.now_ms);
    const auto waiting = tx.bookings.waiting_for(turn.person.id);
    turn.outcome = "listed";
    if (mine.empty() && waiting.empty()) {
      turn.say(turn.ui("booking.none"),
               {turn.button("booking.new", "booking:new"), turn.button("explainer.menu", "menu")});
      return;
    }
    std::string text = turn.ui("booking.mine_intro");
    std::vector<Button> buttons;
    for (const auto& b : mine) {
      text += "\n\n" + turn.ui(b.status == "held" ? "booking.mine_held" : "booking.mine_item",
                               booking_vars(s, b));
      if (b.status == "booked") {
        buttons.push_back(
            {turn.ui("booking.move_ref", {{"ref", b.ref}}), "booking:move:" + b.ref, {}});
        buttons.push_back(
            {turn.ui("booking.cancel_ref", {{"ref", b.ref}}), "booking:cancel:" + b.ref, {}});
      }
    }
    for (const auto& w : waiting) {
      text += "\n\n" + turn.ui("booking.mine_waiting",
                               {{"day", day_label(s, w.day)}, {"topic", topic_title(s, w.topic)}});
      if (w.status == "offered") {
        buttons.push_back(turn.button("booking.take", "booking:take:" + std::to_string(w.id)));
        buttons.push_back(turn.button("booking.pass", "booking:pass:" + std::to_string(w.id)));
      } else {
        buttons.push_back(turn.button("booking.unwait", "booking:unwait:" + std::to_string(w.id)));
      }
    }
    if (static_cast<int>(mine.size()) < turn.content.booking.max_active)
      buttons.push_back(turn.button("booking.new", "booking:new"));
    buttons.push_back(turn.button("explainer.menu", "menu"));
    turn.say(std::move(text), std::move(buttons));
  }

  void change(Turn& turn, storage::Store& tx, std::string_view verb, const std::string& ref) {
    const auto& setup = turn.content.booking;
    const Speaker s = speaker(turn);
    auto b = tx.bookings.by_ref(ref);
    if (!b || b->person_id != turn.person.id || b->status != "booked" ||
        b->starts_at <= turn.now_ms) {
      turn.outcome = "not_found";
      turn.say(turn.ui("booking.not_found"), {turn.button("booking.mine", "booking:mine")});
      return;
    }
    if (b->starts_at - turn.now_ms < setup.late_cancel_hours * 60 * kMinuteMs) {
      turn.outcome = "too_late";
      turn.say(
          turn.ui("booking.too_late", {{"hours", std::to_string(setup.late_cancel_hours)},
                                       {"contact", office_contact(s)}}),
          {turn.button("booking.mine", "booking:mine"), turn.button("explainer.menu", "menu")});
      return;
    }
    if (verb == "move") {
      if (b->reschedules >= setup.max_reschedules) {
        turn.outcome = "move_limit";
        turn.say(turn.ui("booking.move_limit", {{"max", std::to_string(setup.max_reschedules)},
                                                {"contact", office_contact(s)}}),
                 {turn.button("booking.cancel", "booking:cancel:" + b->ref),
                  turn.button("booking.mine", "booking:mine")});
        return;
      }
      flows_.start(turn, tx, "booking_move", {{"ref", b->ref}, {"topic", b->topic}});
      return;
    }
    if (verb == "cancel") {
      turn.outcome = "confirm_cancel";
      turn.say(turn.ui("booking.cancel_confirm", booking_vars(s, *b)),
               {turn.button("booking.cancel_yes", "booking:cancel_yes:" + b->ref),
                turn.button("booking.keep", "booking:mine")});
      return;
    }
    booking::cancel_booking(tx, turn.content, *b, {}, "person", turn.now_ms);
    turn.outcome = "cancelled";
    turn.say(turn.ui("booking.cancelled_ok", booking_vars(s, *b)),
             {turn.button("booking.new", "booking:new"), turn.button("explainer.menu", "menu")});
  }

  void waitlist_answer(Turn& turn, storage::Store& tx, std::string_view verb, std::int64_t id) {
    auto w = tx.bookings.waiting_entry(id);
    if (!w || w->person_id != turn.person.id ||
        (w->status != "waiting" && w->status != "offered")) {
      turn.outcome = "not_found";
      turn.say(turn.ui("booking.offer_gone"), {turn.button("booking.mine", "booking:mine")});
      return;
    }
    if (verb == "take" && w->status == "offered" && w->booking_id) {
      if (auto b = booking::take_offer(tx, turn.content, *w, turn.now_ms)) {
        turn.outcome = "offer_taken";
        say_booked(turn, *b, "booking.booked");
        return;
      }
      turn.outcome = "offer_expired";
      turn.say(turn.ui("booking.offer_gone"), {turn.button("booking.mine", "booking:mine")});
      return;
    }
    // pass (an offer declined) or unwait (leaves the list).
    booking::leave_waitlist(tx, turn.content, *w, verb == "pass", turn.now_ms);
    turn.outcome = verb == "pass" ? "offer_passed" : "unwaited";
    turn.say(turn.ui("booking.left_waitlist"),
             {turn.button("booking.new", "booking:new"), turn.button("explainer.menu", "menu")});
  }

  FlowEngine& flows_;
};

}  // namespace

std::unique_ptr<Handler> make_booking_handler(FlowEngine& flows) {
  return std::make_unique<BookingHandler>(flows);
}

}  // namespace outreach::handlers
