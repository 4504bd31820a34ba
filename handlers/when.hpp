#pragma once
// When: a day and time typed the way people write them in a chat, in Vietnamese or English,
// with or without diacritics, in teencode or with a slip — "thứ 5 tuần sau", "t6 này", "15/12
// lúc 9h", "sáng mai", "chieu thu 2", "7h tối", "cuối tuần", "9h30 ngày mốt", "next monday
// 2pm", "dec 15", "tmr 9am", "thuws 6" (Telex without its converter), "tuan sua".
// - A weekday alone or with "này" is the nearest such day, today included; with "tuần này" the
//   one of this week (maybe past), with "tuần sau"/"tuần tới"/"next" the one of next week.
// - "tuần này" is today to Sunday, "tuần sau" next Monday to Sunday, "cuối tuần" this week's
//   Saturday and Sunday ("cuối tuần sau": next week's).
// - Parts of the day are ranges: sáng [00:00, 12:00), trưa [11:00, 13:30), chiều [13:00,
//   18:00), tối [18:00, 24:00). An hour with chiều or tối is after noon ("7h tối" is 19:00);
//   an hour from 1 to 6 with no part is too ("lúc 2h": offices are not open at 2 a.m.).
// - A day and month without a year that has gone by this year is next year's ("2/1").
// Everything is local time in Asia/Ho_Chi_Minh (UTC+7 all year: Vietnam has no daylight saving
// time), days counted from 1970-01-01.
// Thread-safety: pure functions.

#include <cstdint>
#include <optional>
#include <string_view>

namespace outreach::handlers {

struct When {
  // The days meant, inclusive (one day, a week for "tuần sau", a weekend for "cuối tuần"); both
  // 0 when none was named.
  std::int64_t first_day = 0;
  std::int64_t last_day = 0;
  // An exact time, minutes after midnight; -1 when none was named.
  int minute = -1;
  // A part of the day ("sáng", "chiều"…): slots starting in [from_minute, to_minute).
  int from_minute = 0;
  int to_minute = 24 * 60;
  bool past = false;  // a date that has already gone by (e.g. a year in the past)

  bool has_day() const { return first_day != 0; }

  bool has_time() const { return minute >= 0; }
};

// Longer texts are not read as a day and time (bytes of UTF-8).
inline constexpr std::size_t kMaxWhenText = 160;

// Reads `text` relative to `today` (local day number); nullopt when it names no day and no time,
// or is longer than kMaxWhenText.
std::optional<When> parse_when(std::string_view text, std::int64_t today);

}  // namespace outreach::handlers
