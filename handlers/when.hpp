#pragma once
// When: a day and time typed the way people write them in a chat, in Vietnamese or English,
// with or without diacritics — "thứ 5 tuần sau", "15/12 lúc 9h", "sáng mai", "chieu thu 2",
// "9h30 ngày mốt", "next monday 2pm". Everything is local time in Asia/Ho_Chi_Minh (UTC+7 all
// year: Vietnam has no daylight saving time), days counted from 1970-01-01.
// Thread-safety: pure functions.

#include <cstdint>
#include <optional>
#include <string_view>

namespace outreach::handlers {

struct When {
  // The days meant, inclusive (one day, or a week for "tuần sau"); both 0 when none was named.
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
