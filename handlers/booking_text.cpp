// A booking in words: the labels of its day and time, the variables its messages fill in, and
// messages to a person outside a turn (reminders, offers, staff actions).
#include <nlohmann/json.hpp>

#include "bot/core/local_time.hpp"
#include "bot/core/text.hpp"
#include "content/store.hpp"
#include "handlers/booking_internal.hpp"
#include "handlers/handlers.hpp"

namespace outreach::handlers::booking {

std::string Speaker::ui(std::string_view key, const Vars& vars) const {
  const std::string& t = content.ui(lang, key);
  return vars.empty() ? t : text::fill(t, vars);
}

Button Speaker::button(std::string_view key, std::string payload) const {
  return Button{content.ui(lang, key), std::move(payload), {}};
}

Speaker speaker_for(storage::Store& tx, const content::Snapshot& content, std::int64_t person_id) {
  auto p = tx.people.get(person_id);
  return Speaker{content, p ? p->language : std::string(content::kVi)};
}

std::string time_label(const Speaker& s, std::int64_t unix_ms) {
  const local_time::Date c = local_time::date_of(local_time::day_of(unix_ms));
  return s.ui("booking.time_button",
              {{"wd", s.ui("date.short_weekday." + std::to_string(c.weekday))},
               {"d", std::to_string(c.day)},
               {"m", std::to_string(c.month)},
               {"time", local_time::hhmm(unix_ms)}});
}

std::string day_label(const Speaker& s, std::int64_t day) {
  return s.ui("date.day", date_vars(s.content, s.lang, day));
}

std::string long_time(const Speaker& s, std::int64_t unix_ms) {
  return day_label(s, local_time::day_of(unix_ms)) + ", " + local_time::hhmm(unix_ms);
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

}  // namespace outreach::handlers::booking
