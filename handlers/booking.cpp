// Booking a session with the Startup Advisory Office in the chat: topic → a free time (buttons
// or typed freely) → in person or online → name, phone, company, stage, a short description →
// summary → booked, with a reference code and a calendar link. "Lịch hẹn của tôi" lists a
// person's bookings to move or cancel; a full day has a waitlist whose first person is offered
// a freed seat for a while. Reminders are jobs; staff act through booking.hpp.
//
// Payloads: booking (start, or the list when the person has bookings), booking:new,
// booking:mine, booking:cancel:<ref>, booking:cancel_yes:<ref>, booking:move:<ref>,
// booking:take:<wait id>, booking:pass:<wait id>, booking:unwait:<wait id>.
#include "handlers/booking.hpp"

#include <random>

#include "bot/core/text.hpp"
#include "bot/text/unicode.hpp"
#include "content/store.hpp"
#include "handlers/booking_slots.hpp"
#include "handlers/handlers.hpp"
#include "handlers/phone.hpp"
#include "handlers/when.hpp"

namespace outreach::handlers {
namespace {

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::size_t kTimesShown = 6;

// Text in a person's language outside a turn.
struct Speaker {
  const content::Snapshot& content;
  std::string lang;

  std::string ui(std::string_view key, const Vars& vars = {}) const {
    const std::string& t = content.ui(lang, key);
    return vars.empty() ? t : text::fill(t, vars);
  }

  Button button(std::string_view key, std::string payload) const {
    return Button{content.ui(lang, key), std::move(payload), {}};
  }
};

std::string two(int v) {
  return (v < 10 ? "0" : "") + std::to_string(v);
}

std::string hhmm(std::int64_t unix_ms) {
  const int m = local_minute(unix_ms);
  return two(m / 60) + ":" + two(m % 60);
}

// "T5 3/12 09:00": short enough for a quick reply (Messenger: 20 characters).
std::string time_label(const Speaker& s, std::int64_t unix_ms) {
  const std::int64_t day = content::local_day(unix_ms);
  const content::CivilDate c = content::civil_from_day(day);
  return s.ui("booking.time_button",
              {{"wd", s.ui("date.short_weekday." + std::to_string(content::weekday_of(day)))},
               {"d", std::to_string(c.d)},
               {"m", std::to_string(c.m)},
               {"time", hhmm(unix_ms)}});
}

std::string day_label(const Speaker& s, std::int64_t day) {
  const content::CivilDate c = content::civil_from_day(day);
  return s.ui("date.day",
              {{"weekday", s.ui("date.weekday." + std::to_string(content::weekday_of(day)))},
               {"d", std::to_string(c.d)},
               {"m", std::to_string(c.m)},
               {"y", std::to_string(c.y)}});
}

std::string long_time(const Speaker& s, std::int64_t unix_ms) {
  return day_label(s, content::local_day(unix_ms)) + ", " + hhmm(unix_ms);
}

std::string random_code(std::string_view alphabet, std::size_t n) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += alphabet[pick(rng)];
  return out;
}

std::string new_ref(storage::Store& tx) {
  // No 0/O, 1/I/L: a code read out over the phone.
  for (;;) {
    std::string ref = "TV-" + random_code("ABCDEFGHJKMNPQRSTUVWXYZ23456789", 6);
    if (!tx.bookings.ref_exists(ref))
      return ref;
  }
}

std::string topic_title(const Speaker& s, std::string_view topic) {
  const content::BookingTopic* t = s.content.booking.topic(topic);
  return t ? t->title.in(s.lang) : std::string(topic);
}

std::string office_contact(const Speaker& s) {
  const content::Office* o = s.content.office(s.content.booking.office);
  if (o == nullptr)
    return {};
  if (!o->phone.empty())
    return o->name.in(s.lang) + " — " + o->phone;
  return o->name.in(s.lang) + ": " + o->how.in(s.lang);
}

std::string ics_url(const std::string& base, const storage::Booking& b) {
  return base + "/booking/" + b.ref + ".ics?k=" + b.ics_key;
}

std::string place_of(const Speaker& s, const std::string& mode) {
  const auto& setup = s.content.booking;
  if (mode == "online" && !setup.online.vi.empty())
    return setup.online.in(s.lang);
  std::string place = setup.place.in(s.lang);
  if (!setup.map_url.empty())
    place += " — " + setup.map_url;
  return place;
}

Vars booking_vars(const Speaker& s, const storage::Booking& b) {
  return {{"ref", b.ref},
          {"topic", topic_title(s, b.topic)},
          {"time", long_time(s, b.starts_at)},
          {"minutes", std::to_string((b.ends_at - b.starts_at) / kMinuteMs)},
          {"mode", s.ui("booking.mode." + b.mode)},
          {"place", place_of(s, b.mode)},
          {"contact", office_contact(s)}};
}

void enqueue(storage::Store& tx,
             std::int64_t person_id,
             const std::string& kind,
             OutboundMessage m,
             std::int64_t now_ms) {
  tx.outbox.enqueue(person_id, std::nullopt, 0, kind, nlohmann::json(m).dump(), now_ms);
}

std::string reminder_key(std::int64_t booking_id, int minutes) {
  return "booking.remind:" + std::to_string(booking_id) + ":" + std::to_string(minutes);
}

void schedule_reminders(storage::Store& tx,
                        const content::BookingSetup& setup,
                        const storage::Booking& b,
                        std::int64_t now_ms) {
  for (int minutes : setup.reminder_minutes) {
    const std::int64_t at = b.starts_at - minutes * kMinuteMs;
    if (at <= now_ms) {
      tx.jobs.cancel(reminder_key(b.id, minutes));
      continue;
    }
    tx.jobs.schedule(std::string(kBookingReminderJob), at,
                     nlohmann::json{{"booking_id", b.id}, {"minutes", minutes}}.dump(),
                     reminder_key(b.id, minutes), now_ms);
  }
}

void cancel_reminders(storage::Store& tx,
                      const content::BookingSetup& setup,
                      const storage::Booking& b) {
  for (int minutes : setup.reminder_minutes) tx.jobs.cancel(reminder_key(b.id, minutes));
}

Speaker speaker_for(storage::Store& tx, const content::Snapshot& content, std::int64_t person_id) {
  auto p = tx.people.get(person_id);
  return Speaker{content, p ? p->language : std::string(content::kVi)};
}

// Offers a freed seat of (advisor, start) to the first person waiting for that day; repeats
// until someone is offered it or nobody waits. True when the outbox grew.
bool offer_freed_seat(storage::Store& tx,
                      const content::Snapshot& content,
                      const std::string& advisor_id,
                      std::int64_t start_ms,
                      std::int64_t end_ms,
                      std::int64_t now_ms) {
  const auto& setup = content.booking;
  const content::Advisor* advisor = setup.advisor(advisor_id);
  if (advisor == nullptr || start_ms <= now_ms + 30 * kMinuteMs)
    return false;  // too late to be of use
  const std::int64_t day = content::local_day(start_ms);
  auto next = tx.bookings.first_waiting(day, advisor->topics);
  if (!next)
    return false;
  const auto details = nlohmann::json::parse(next->details, nullptr, false);
  if (!details.is_object())
    return false;
  storage::Booking held;
  held.ref = new_ref(tx);
  held.ics_key = random_code("0123456789abcdef", 24);
  held.person_id = next->person_id;
  held.topic = next->topic;
  held.advisor = advisor_id;
  held.starts_at = start_ms;
  held.ends_at = end_ms;
  held.mode = details.value("mode", std::string("in_person"));
  held.status = "held";
  held.name = details.value("name", std::string{});
  held.phone = details.value("phone", std::string{});
  held.company = details.value("company", std::string{});
  held.stage = details.value("stage", std::string{});
  held.description = details.value("description", std::string{});
  held.hold_until = std::min(now_ms + setup.waitlist_offer_minutes * kMinuteMs, start_ms);
  held.created_at = now_ms;
  if (!tx.bookings.insert(held, advisor->seats))
    return false;
  tx.bookings.set_wait_status(next->id, "offered", held.id, now_ms);
  tx.jobs.schedule(std::string(kBookingOfferJob), *held.hold_until,
                   nlohmann::json{{"wait_id", next->id}}.dump(),
                   "booking.offer:" + std::to_string(next->id), now_ms);
  const Speaker s = speaker_for(tx, content, next->person_id);
  Vars vars = booking_vars(s, held);
  vars["until"] = hhmm(*held.hold_until);
  OutboundMessage m;
  m.text = s.ui("booking.offer", vars);
  m.buttons = {s.button("booking.take", "booking:take:" + std::to_string(next->id)),
               s.button("booking.pass", "booking:pass:" + std::to_string(next->id))};
  enqueue(tx, next->person_id, "notice", std::move(m), now_ms);
  return true;
}

// Cancels `b` (by the person, staff or an expired offer) and passes the seat on.
bool cancel_booking(storage::Store& tx,
                    const content::Snapshot& content,
                    const storage::Booking& b,
                    const std::string& reason,
                    const std::string& by,
                    std::int64_t now_ms) {
  tx.bookings.set_status(b.id, "cancelled", reason, by, now_ms);
  cancel_reminders(tx, content.booking, b);
  return offer_freed_seat(tx, content, b.advisor, b.starts_at, b.ends_at, now_ms);
}

class BookingHandler final : public Handler {
 public:
  explicit BookingHandler(FlowEngine& flows) : flows_(flows) {
    flows_.on_step("booking_topic", topic_step());
    flows_.on_step("booking_slot", slot_step());
    flows_.on_step("phone", phone_step());
    flows_.on_complete("booking", [this](Turn& turn, storage::Store& tx, const nlohmann::json& a) {
      complete_booking(turn, tx, a);
    });
    flows_.on_complete("booking_move",
                       [this](Turn& turn, storage::Store& tx, const nlohmann::json& a) {
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
    if (verb == "new")
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
    flows_.start(turn, tx, "booking");
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
                   const nlohmann::json&) {
      StepAnswer a;
      const auto& topics = turn.content.booking.topics;
      for (const auto& t : topics) {
        if (chosen == t.id) {
          a.value = t.id;
          return a;
        }
      }
      // Typed: the title, or a word of it ("pháp lý", "tai chinh"); at least three letters,
      // so "a" or "ok" does not pick whichever title happens to contain them.
      const std::string folded = chosen.empty() ? text::fold(typed) : std::string{};
      if (folded.size() >= 3) {
        for (const auto& t : topics) {
          const std::string vi = text::fold(t.title.vi);
          const std::string en = text::fold(t.title.en);
          if (vi.find(folded) != std::string::npos || en.find(folded) != std::string::npos ||
              folded.find(vi) != std::string::npos) {
            a.value = t.id;
            return a;
          }
        }
      }
      a.note = turn.ui("booking.pick_topic");
      return a;
    };
    step.display = [](const Turn& turn, const nlohmann::json& v) {
      return topic_title(speaker(turn), v.is_string() ? v.get<std::string>() : std::string{});
    };
    return step;
  }

  static std::vector<Button> time_buttons(const Turn& turn, const std::vector<FreeTime>& times) {
    std::vector<Button> out;
    const Speaker s = speaker(turn);
    for (const auto& t : times)
      out.push_back({time_label(s, t.start_ms), "flow:choice:" + std::to_string(t.start_ms), {}});
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
    const std::int64_t from_day = std::max(content::local_day(turn.now_ms), first_day);
    const std::int64_t last = last_bookable_day(setup, turn.now_ms);
    const auto taken = tx.bookings.taken(local_ms(from_day, 0), local_ms(last + 1, 0));
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
                   const nlohmann::json& answers) {
      return read_slot(turn, tx, chosen, typed, answers);
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
                              const nlohmann::json& answers) {
    const auto& setup = turn.content.booking;
    const std::string topic = answers.value("topic", std::string{});
    const Speaker s = speaker(turn);
    const std::int64_t today = content::local_day(turn.now_ms);
    const std::int64_t last = last_bookable_day(setup, turn.now_ms);
    StepAnswer a;
    auto taken_between = [&](std::int64_t d0, std::int64_t d1) {
      return tx.bookings.taken(local_ms(d0, 0), local_ms(d1 + 1, 0));
    };
    auto offer_next = [&](std::string note, std::int64_t after_ms = 0, std::int64_t from_day = 0) {
      a.note = std::move(note);
      auto times = next_times(turn, tx, topic, after_ms, from_day);
      if (times.empty() && after_ms == 0 && from_day == 0)
        a.note += "\n" + turn.ui("booking.no_times", {{"contact", office_contact(s)}});
      a.offer = time_buttons(turn, times);
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
      if (advisors_free_at(turn, tx, topic, start).empty())
        return offer_next(turn.ui("booking.just_taken"));
      a.value = std::to_string(start);
      return a;
    }
    const auto when = parse_when(typed, today);
    if (!when)
      return offer_next(turn.ui("booking.unreadable_time"));
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
      return a;
    }
    if (!times.empty() && !when->has_time()) {
      a.note = turn.ui("booking.times_found");
      a.offer = time_buttons(turn, times);
      return a;
    }
    // Nothing free as asked: widen to the whole day(s), then offer the waitlist of a full day.
    auto same_days = free_times(setup, topic, d0, d1, 0, 24 * 60, turn.now_ms, taken, kTimesShown);
    if (!same_days.empty()) {
      a.note = turn.ui("booking.not_that_time");
      a.offer = time_buttons(turn, same_days);
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
      a.offer.insert(a.offer.begin(),
                     Button{turn.ui("booking.join_waitlist",
                                    {{"day", std::to_string(content::civil_from_day(d0).d) + "/" +
                                                 std::to_string(content::civil_from_day(d0).m)}}),
                            "flow:choice:wait:" + std::to_string(d0),
                            {}});
      return a;
    }
    return offer_next(turn.ui("booking.no_session_then"), 0, d0);
  }

  static CustomStep phone_step() {
    CustomStep step;
    step.read = [](Turn& turn, storage::Store&, std::string_view, std::string_view typed,
                   const nlohmann::json&) {
      StepAnswer a;
      if (auto p = parse_vn_phone(typed))
        a.value = p->e164;
      else
        a.note = turn.ui("booking.bad_phone");
      return a;
    };
    step.display = [](const Turn&, const nlohmann::json& v) {
      const auto p = parse_vn_phone(v.is_string() ? v.get<std::string>() : std::string{});
      return p ? p->display : std::string("—");
    };
    return step;
  }

  // ---- completing --------------------------------------------------------------------------

  void complete_booking(Turn& turn, storage::Store& tx, const nlohmann::json& a) {
    const auto& setup = turn.content.booking;
    const std::string topic = a.value("topic", std::string{});
    const std::string slot = a.value("slot", std::string{});
    const Speaker s = speaker(turn);
    if (static_cast<int>(tx.bookings.upcoming_for(turn.person.id, turn.now_ms).size()) >=
        setup.max_active) {
      turn.outcome = "limit";
      turn.say(turn.ui("booking.limit", {{"max", std::to_string(setup.max_active)}}),
               {turn.button("booking.mine", "booking:mine")});
      return;
    }
    nlohmann::json details = {{"name", a.value("name", std::string{})},
                              {"phone", a.value("phone", std::string{})},
                              {"company", a.value("company", std::string{})},
                              {"stage", a.value("stage", std::string{})},
                              {"description", a.value("description", std::string{})},
                              {"mode", a.value("mode", std::string("in_person"))}};
    if (slot.starts_with("wait:")) {
      const std::int64_t day = std::atoll(slot.c_str() + 5);
      if (!tx.bookings.is_waiting(turn.person.id, topic, day))
        tx.bookings.add_waiting(turn.person.id, topic, day, details.dump(), turn.now_ms);
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
    b.mode = details["mode"];
    b.name = details["name"];
    b.phone = details["phone"];
    b.company = details["company"];
    b.stage = details["stage"];
    b.description = details["description"];
    b.created_at = turn.now_ms;
    if (!place_in_session(turn, tx, b)) {
      nlohmann::json back = a;
      back.erase("slot");
      turn.outcome = "slot_taken";
      flows_.reopen(turn, tx, "booking", std::move(back), "slot", turn.ui("booking.just_taken"));
      return;
    }
    schedule_reminders(tx, setup, b, turn.now_ms);
    turn.outcome = "booked";
    say_booked(turn, b, "booking.booked");
  }

  // Finds an advisor with a free seat at b.starts_at for b.topic and inserts the booking.
  // The advisors with a free seat for `topic` at `start_ms`, if that time is bookable now.
  static std::vector<std::string> advisors_free_at(const Turn& turn,
                                                   storage::Store& tx,
                                                   const std::string& topic,
                                                   std::int64_t start_ms) {
    const std::int64_t day = content::local_day(start_ms);
    for (auto& t : free_times(turn.content.booking, topic, day, day, 0, 24 * 60, turn.now_ms,
                              tx.bookings.taken(local_ms(day, 0), local_ms(day + 1, 0)), 100))
      if (t.start_ms == start_ms)
        return std::move(t.advisors);
    return {};
  }

  // Inserts the booking with the first advisor who has a free seat at b.starts_at.
  static bool place_in_session(Turn& turn, storage::Store& tx, storage::Booking& b) {
    for (const auto& advisor : advisors_free_at(turn, tx, b.topic, b.starts_at)) {
      b.advisor = advisor;
      b.ref = new_ref(tx);
      b.ics_key = random_code("0123456789abcdef", 24);
      if (tx.bookings.insert(b, turn.content.booking.advisor(advisor)->seats))
        return true;
    }
    return false;
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

  void complete_move(Turn& turn, storage::Store& tx, const nlohmann::json& a) {
    const auto& setup = turn.content.booking;
    auto b = tx.bookings.by_ref(a.value("ref", std::string{}));
    if (!b || b->person_id != turn.person.id || b->status != "booked") {
      turn.outcome = "not_found";
      turn.say(turn.ui("booking.not_found"), {turn.button("booking.mine", "booking:mine")});
      return;
    }
    const std::int64_t start = std::atoll(a.value("slot", std::string{}).c_str());
    bool moved = false;
    for (const auto& advisor : advisors_free_at(turn, tx, b->topic, start)) {
      moved = tx.bookings.move(b->id, advisor, start, start + setup.slot_minutes * kMinuteMs,
                               setup.advisor(advisor)->seats, turn.now_ms);
      if (moved)
        break;
    }
    if (!moved) {
      turn.outcome = "slot_taken";
      flows_.reopen(turn, tx, "booking_move", {{"ref", b->ref}, {"topic", b->topic}}, "slot",
                    turn.ui("booking.just_taken"));
      return;
    }
    const storage::Booking old = *b;
    auto now_b = tx.bookings.get(b->id);
    schedule_reminders(tx, setup, *now_b, turn.now_ms);
    offer_freed_seat(tx, turn.content, old.advisor, old.starts_at, old.ends_at, turn.now_ms);
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
    cancel_booking(tx, turn.content, *b, {}, "person", turn.now_ms);
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
    tx.jobs.cancel("booking.offer:" + std::to_string(w->id));
    if (verb == "take" && w->status == "offered" && w->booking_id) {
      auto b = tx.bookings.get(*w->booking_id);
      if (b && b->status == "held" && b->hold_until.value_or(0) > turn.now_ms) {
        tx.bookings.set_status(b->id, "booked", {}, {}, turn.now_ms);
        tx.bookings.set_wait_status(w->id, "booked", b->id, turn.now_ms);
        b->status = "booked";
        schedule_reminders(tx, turn.content.booking, *b, turn.now_ms);
        turn.outcome = "offer_taken";
        say_booked(turn, *b, "booking.booked");
        return;
      }
      turn.outcome = "offer_expired";
      turn.say(turn.ui("booking.offer_gone"), {turn.button("booking.mine", "booking:mine")});
      return;
    }
    // pass (an offer declined) or unwait (leaves the list). Leave the list first, so a held seat
    // freed here goes to the next person, not back to this one.
    tx.bookings.set_wait_status(w->id, verb == "pass" ? "passed" : "cancelled", std::nullopt,
                                turn.now_ms);
    if (w->status == "offered" && w->booking_id)
      if (auto b = tx.bookings.get(*w->booking_id); b && b->status == "held")
        cancel_booking(tx, turn.content, *b, "declined", "person", turn.now_ms);
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

// ---- outside a turn ----------------------------------------------------------------------

std::string local_timestamp(std::int64_t unix_ms) {
  const content::CivilDate c = content::civil_from_day(content::local_day(unix_ms));
  return std::to_string(c.y) + "-" + two(c.m) + "-" + two(c.d) + " " + hhmm(unix_ms);
}

bool run_booking_reminder(storage::Store& tx,
                          const content::Snapshot& content,
                          std::int64_t booking_id,
                          int minutes,
                          std::int64_t now_ms) {
  auto b = tx.bookings.get(booking_id);
  if (!b || b->status != "booked" || !b->person_id || b->starts_at <= now_ms)
    return false;
  const Speaker s = speaker_for(tx, content, *b->person_id);
  OutboundMessage m;
  Vars vars = booking_vars(s, *b);
  vars["in"] = minutes >= 24 * 60
                   ? s.ui("booking.in_days", {{"n", std::to_string(minutes / 1440)}})
                   : s.ui("booking.in_hours", {{"n", std::to_string((minutes + 59) / 60)}});
  m.text = s.ui("booking.reminder", vars);
  m.buttons = {s.button("booking.mine", "booking:mine")};
  enqueue(tx, *b->person_id, "reminder", std::move(m), now_ms);
  return true;
}

bool run_offer_expiry(storage::Store& tx,
                      const content::Snapshot& content,
                      std::int64_t wait_id,
                      std::int64_t now_ms) {
  auto w = tx.bookings.waiting_entry(wait_id);
  if (!w || w->status != "offered" || !w->booking_id)
    return false;
  auto b = tx.bookings.get(*w->booking_id);
  if (!b || b->status != "held")
    return false;
  tx.bookings.set_wait_status(w->id, "passed", std::nullopt, now_ms);
  const Speaker s = speaker_for(tx, content, w->person_id);
  OutboundMessage m;
  m.text = s.ui("booking.offer_expired", booking_vars(s, *b));
  m.buttons = {s.button("booking.new", "booking:new")};
  enqueue(tx, w->person_id, "notice", std::move(m), now_ms);
  cancel_booking(tx, content, *b, "offer expired", "offer_expired", now_ms);
  return true;
}

namespace {
StaffResult find_for_staff(storage::Store& tx, const std::string& ref) {
  StaffResult r;
  auto b = tx.bookings.by_ref(ref);
  if (!b) {
    r.error = "no booking with reference " + ref;
    return r;
  }
  r.booking = *b;
  r.ok = true;
  return r;
}
}  // namespace

StaffResult staff_cancel(storage::Store& tx,
                         const content::Snapshot& content,
                         const std::string& ref,
                         const std::string& reason,
                         std::int64_t now_ms) {
  StaffResult r = find_for_staff(tx, ref);
  if (!r.ok)
    return r;
  if (text::trim(reason).empty())
    return {false, "a reason is required: the person is told why", r.booking};
  if (r.booking.status != "booked" && r.booking.status != "held")
    return {false, "booking " + ref + " is " + r.booking.status + ", not booked", r.booking};
  if (r.booking.person_id) {
    const Speaker s = speaker_for(tx, content, *r.booking.person_id);
    Vars vars = booking_vars(s, r.booking);
    vars["reason"] = std::string(text::trim(reason));
    OutboundMessage m;
    m.text = s.ui("booking.staff_cancelled", vars);
    m.buttons = {s.button("booking.new", "booking:new")};
    enqueue(tx, *r.booking.person_id, "staff", std::move(m), now_ms);
  }
  cancel_booking(tx, content, r.booking, std::string(text::trim(reason)), "staff", now_ms);
  r.booking.status = "cancelled";
  return r;
}

StaffResult staff_confirm(storage::Store& tx,
                          const content::Snapshot& content,
                          const std::string& ref,
                          std::int64_t now_ms) {
  StaffResult r = find_for_staff(tx, ref);
  if (!r.ok)
    return r;
  if (r.booking.status != "booked")
    return {false, "booking " + ref + " is " + r.booking.status + ", not booked", r.booking};
  tx.bookings.confirm(r.booking.id, now_ms);
  if (r.booking.person_id && !r.booking.confirmed_at) {
    const Speaker s = speaker_for(tx, content, *r.booking.person_id);
    OutboundMessage m;
    m.text = s.ui("booking.staff_confirmed", booking_vars(s, r.booking));
    m.buttons = {s.button("booking.mine", "booking:mine")};
    enqueue(tx, *r.booking.person_id, "staff", std::move(m), now_ms);
  }
  r.booking.confirmed_at = now_ms;
  return r;
}

StaffResult staff_mark(storage::Store& tx,
                       const std::string& ref,
                       const std::string& status,
                       std::int64_t now_ms) {
  StaffResult r = find_for_staff(tx, ref);
  if (!r.ok)
    return r;
  if (status != "attended" && status != "no_show")
    return {false, "attendance must be attended or no_show, not '" + status + "'", r.booking};
  if (r.booking.status == "cancelled" || r.booking.status == "held")
    return {false, "booking " + ref + " is " + r.booking.status, r.booking};
  if (r.booking.starts_at > now_ms)
    return {false,
            "the session of " + ref + " has not started yet (" +
                local_timestamp(r.booking.starts_at) + ")",
            r.booking};
  tx.bookings.set_status(r.booking.id, status, {}, {}, now_ms);
  r.booking.status = status;
  return r;
}

namespace {
std::string csv_field(std::string_view v) {
  // Formula injection: a spreadsheet must not run what a person typed.
  std::string out = "\"";
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@'))
    out += '\'';
  for (char c : v) {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + "\"";
}
}  // namespace

std::string bookings_csv(const std::vector<storage::Booking>& bookings,
                         const content::Snapshot& content) {
  std::string out =
      "ref,starts_at,ends_at,topic,advisor,mode,status,name,phone,company,stage,description,"
      "reschedules,confirmed,cancel_reason,cancelled_by,booked_at\r\n";
  for (const auto& b : bookings) {
    const content::BookingTopic* t = content.booking.topic(b.topic);
    const content::Advisor* a = content.booking.advisor(b.advisor);
    const std::vector<std::string> fields = {b.ref,
                                             local_timestamp(b.starts_at),
                                             local_timestamp(b.ends_at),
                                             t ? t->title.vi : b.topic,
                                             a ? a->name.vi : b.advisor,
                                             b.mode,
                                             b.status,
                                             b.name,
                                             b.phone,
                                             b.company,
                                             b.stage,
                                             b.description,
                                             std::to_string(b.reschedules),
                                             b.confirmed_at ? local_timestamp(*b.confirmed_at) : "",
                                             b.cancel_reason,
                                             b.cancelled_by,
                                             local_timestamp(b.created_at)};
    for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
    out += "\r\n";
  }
  return out;
}

std::string booking_ics(const storage::Booking& b, const content::Snapshot& content) {
  auto utc = [](std::int64_t ms) {
    const std::int64_t day = ms >= 0 ? ms / 86'400'000 : (ms - 86'399'999) / 86'400'000;
    const content::CivilDate c = content::civil_from_day(day);
    const std::int64_t sec = ms / 1000 - day * 86'400;
    return std::to_string(c.y) + two(c.m) + two(c.d) + "T" + two(static_cast<int>(sec / 3600)) +
           two(static_cast<int>(sec / 60 % 60)) + two(static_cast<int>(sec % 60)) + "Z";
  };
  // RFC 5545: escape \ ; , and newlines in text values; lines end with CRLF.
  auto esc = [](std::string_view v) {
    std::string out;
    for (char c : v) {
      if (c == '\\' || c == ';' || c == ',')
        out += '\\';
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out += c;
    }
    return out;
  };
  // RFC 5545 §3.1: content lines longer than 75 octets are folded (CRLF + space), never
  // inside a UTF-8 sequence.
  auto line = [](std::string& out, const std::string& l) {
    std::size_t start = 0;
    std::size_t limit = 75;
    while (l.size() - start > limit) {
      std::size_t cut = start + limit;
      while (cut > start && (static_cast<unsigned char>(l[cut]) & 0xC0) == 0x80) --cut;
      out += l.substr(start, cut - start) + "\r\n ";
      start = cut;
      limit = 74;
    }
    out += l.substr(start) + "\r\n";
  };
  const Speaker s{content, std::string(content::kVi)};
  const std::string summary = s.ui("booking.ics_summary", {{"topic", topic_title(s, b.topic)}});
  std::string out = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//outreach-bot//booking//VI\r\n";
  out += "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\n";
  line(out, "UID:" + b.ref + "@outreach-bot");
  line(out, "DTSTAMP:" + utc(b.updated_at));
  line(out, "DTSTART:" + utc(b.starts_at));
  line(out, "DTEND:" + utc(b.ends_at));
  line(out, "SUMMARY:" + esc(summary));
  line(out, "LOCATION:" + esc(place_of(s, b.mode)));
  line(out, "DESCRIPTION:" + esc(s.ui("booking.ics_description",
                                      {{"ref", b.ref}, {"contact", office_contact(s)}})));
  line(out, std::string("STATUS:") + (b.status == "cancelled" ? "CANCELLED" : "CONFIRMED"));
  out += "END:VEVENT\r\nEND:VCALENDAR\r\n";
  return out;
}

}  // namespace outreach::handlers
