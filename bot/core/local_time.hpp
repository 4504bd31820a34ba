#pragma once
// Local time: the one place that knows how a UTC instant becomes a day and a time on the wall
// clock of the office, and back. Everything else stores UTC unix milliseconds and asks here.
//
// The zone is Asia/Ho_Chi_Minh, which is UTC+7 all year: Vietnam has had no daylight saving
// time since 1975. GCC 12's libstdc++ has C++20's calendar types (year_month_day, sys_days,
// weekday) but no time-zone database (no tzdb, no zoned_time), so the zone is a fixed offset
// here; the calendar arithmetic itself is std::chrono's.
//
// Days are "local day numbers": days since 1970-01-01, counted on the local calendar (day 0 is
// 1970-01-01 in Vietnam, which began at 1969-12-31 17:00 UTC). Times before 1970 give negative
// numbers and are rounded towards the past, never towards zero.
// Thread-safety: pure functions.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace outreach::local_time {

// Asia/Ho_Chi_Minh: UTC+7, no daylight saving.
inline constexpr std::chrono::hours kUtcOffset{7};

// A local day as people read it.
struct Date {
  int year = 1970;
  int month = 1;    // 1–12
  int day = 1;      // 1–31
  int weekday = 4;  // 0 = Sunday … 6 = Saturday
};

// The local day of a UTC time.
std::int64_t day_of(std::int64_t unix_ms);

// Minutes after local midnight (0–1439) of a UTC time.
int minute_of(std::int64_t unix_ms);

// The UTC time of minute `minute` after local midnight of local day `day` (minute may run past
// one day: minute 1440 is the next midnight).
std::int64_t unix_ms(std::int64_t day, int minute = 0);

// The calendar date of a day number.
Date date_of(std::int64_t day);

// 0 = Sunday … 6 = Saturday.
int weekday_of(std::int64_t day);

// The day number of a calendar date; nullopt when there is no such date or the year is outside
// 1900–2200 (what people mean in a chat or a content file).
std::optional<std::int64_t> day_from(int year, int month, int day);

// The day number of "YYYY-MM-DD"; nullopt when malformed or impossible.
std::optional<std::int64_t> parse_date(std::string_view ymd);

// "2026-12-03" of a day number.
std::string iso_date(std::int64_t day);

// "09:05" local time of a UTC time.
std::string hhmm(std::int64_t unix_ms);

// "2026-12-03 09:05" local time of a UTC time.
std::string timestamp(std::int64_t unix_ms);

// "20261203T020500Z": a UTC time in the basic format of iCalendar (RFC 5545 §3.3.5, form #2).
std::string utc_basic(std::int64_t unix_ms);

// Opening hours as staff write them in the configuration: "mon-fri 07:30-11:30 13:30-17:00"
// (days: mon … sun, a range or a comma list, then one or more HH:MM-HH:MM, local time).
struct OfficeHours {
  std::array<bool, 7> days{};              // 0 = Sunday, as weekday_of
  std::vector<std::pair<int, int>> spans;  // [from, to) in minutes of the day
};

// nullopt when the text does not read as above.
std::optional<OfficeHours> parse_office_hours(std::string_view text);

// Whether the office is open at this instant.
bool open_at(const OfficeHours& hours, std::int64_t unix_ms);

// The next instant the office opens after `unix_ms` (within two weeks; 0 when never).
std::int64_t next_opening(const OfficeHours& hours, std::int64_t unix_ms);

}  // namespace outreach::local_time
