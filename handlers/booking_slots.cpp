#include "handlers/booking_slots.hpp"

#include <algorithm>

#include "bot/core/local_time.hpp"
#include "content/store.hpp"

namespace outreach::handlers {
namespace {
constexpr std::int64_t kMinuteMs = 60'000;
}  // namespace

std::vector<Session> sessions_on(const content::BookingSetup& setup,
                                 std::string_view topic,
                                 std::int64_t day,
                                 const storage::SeatCounts& taken) {
  std::vector<Session> out;
  if (setup.holidays.contains(day))
    return out;
  const int weekday = local_time::weekday_of(day);
  const int step = setup.slot_minutes + setup.buffer_minutes;
  for (const content::Advisor& a : setup.advisors) {
    if (std::find(a.topics.begin(), a.topics.end(), topic) == a.topics.end())
      continue;
    for (const auto& [from, to] : a.hours[weekday]) {
      for (int m = from; m + setup.slot_minutes <= to; m += step) {
        Session s;
        s.start_ms = local_time::unix_ms(day, m);
        s.end_ms = s.start_ms + setup.slot_minutes * kMinuteMs;
        s.advisor = a.id;
        s.seats = a.seats;
        if (auto it = taken.find({a.id, s.start_ms}); it != taken.end())
          s.taken = it->second;
        out.push_back(std::move(s));
      }
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Session& x, const Session& y) { return x.start_ms < y.start_ms; });
  return out;
}

std::int64_t last_bookable_day(const content::BookingSetup& setup, std::int64_t now_ms) {
  return local_time::day_of(now_ms) + setup.max_days_ahead;
}

bool bookable(const content::BookingSetup& setup, std::int64_t start_ms, std::int64_t now_ms) {
  return start_ms >= now_ms + setup.min_notice_hours * 60 * kMinuteMs &&
         local_time::day_of(start_ms) <= last_bookable_day(setup, now_ms);
}

std::vector<FreeTime> free_times(const content::BookingSetup& setup,
                                 std::string_view topic,
                                 std::int64_t first_day,
                                 std::int64_t last_day,
                                 int from_minute,
                                 int to_minute,
                                 std::int64_t now_ms,
                                 const storage::SeatCounts& taken,
                                 std::size_t limit) {
  std::vector<FreeTime> out;
  last_day = std::min(last_day, last_bookable_day(setup, now_ms));
  for (std::int64_t day = std::max(first_day, local_time::day_of(now_ms));
       day <= last_day && out.size() < limit; ++day) {
    for (const Session& s : sessions_on(setup, topic, day, taken)) {
      const int minute = local_time::minute_of(s.start_ms);
      if (s.full() || minute < from_minute || minute >= to_minute ||
          !bookable(setup, s.start_ms, now_ms))
        continue;
      if (!out.empty() && out.back().start_ms == s.start_ms) {
        out.back().advisors.push_back(s.advisor);
        continue;
      }
      if (out.size() >= limit)
        break;
      out.push_back({s.start_ms, s.end_ms, {s.advisor}});
    }
  }
  return out;
}

}  // namespace outreach::handlers
