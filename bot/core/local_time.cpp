#include "bot/core/local_time.hpp"

#include <charconv>

namespace outreach::local_time {
namespace {
namespace chrono = std::chrono;
using Ms = chrono::milliseconds;

// The wall-clock reading in Vietnam of a UTC time.
chrono::local_time<Ms> local(std::int64_t unix_ms) {
  return chrono::local_time<Ms>{Ms{unix_ms} + kUtcOffset};
}

std::string two(std::int64_t v) {
  return (v < 10 ? "0" : "") + std::to_string(v);
}

std::string ymd_text(const Date& d, std::string_view sep) {
  return std::to_string(d.year) + std::string(sep) + two(d.month) + std::string(sep) + two(d.day);
}

}  // namespace

std::int64_t day_of(std::int64_t unix_ms) {
  return chrono::floor<chrono::days>(local(unix_ms)).time_since_epoch().count();
}

int minute_of(std::int64_t unix_ms) {
  const auto t = local(unix_ms);
  return static_cast<int>(
      chrono::floor<chrono::minutes>(t - chrono::floor<chrono::days>(t)).count());
}

std::int64_t unix_ms(std::int64_t day, int minute) {
  const auto t = chrono::local_days{chrono::days{day}} + chrono::minutes{minute};
  return Ms{t.time_since_epoch() - kUtcOffset}.count();
}

Date date_of(std::int64_t day) {
  const chrono::local_days d{chrono::days{day}};
  const chrono::year_month_day ymd{d};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day())),
          static_cast<int>(chrono::weekday{d}.c_encoding())};
}

int weekday_of(std::int64_t day) {
  return static_cast<int>(chrono::weekday{chrono::local_days{chrono::days{day}}}.c_encoding());
}

std::optional<std::int64_t> day_from(int year, int month, int day) {
  // Checked before they become chrono's month and day, which keep only a byte of the number.
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31)
    return std::nullopt;
  const chrono::year_month_day ymd{chrono::year{year}, chrono::month{static_cast<unsigned>(month)},
                                   chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok())
    return std::nullopt;
  return chrono::local_days{ymd}.time_since_epoch().count();
}

std::optional<std::int64_t> parse_date(std::string_view ymd) {
  if (ymd.size() != 10 || ymd[4] != '-' || ymd[7] != '-')
    return std::nullopt;
  auto num = [](std::string_view s, int& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && p == s.data() + s.size();
  };
  int y = 0;
  int m = 0;
  int d = 0;
  if (!num(ymd.substr(0, 4), y) || !num(ymd.substr(5, 2), m) || !num(ymd.substr(8, 2), d))
    return std::nullopt;
  return day_from(y, m, d);
}

std::string iso_date(std::int64_t day) {
  return ymd_text(date_of(day), "-");
}

std::string hhmm(std::int64_t unix_ms) {
  const int m = minute_of(unix_ms);
  return two(m / 60) + ":" + two(m % 60);
}

std::string timestamp(std::int64_t unix_ms) {
  return iso_date(day_of(unix_ms)) + " " + hhmm(unix_ms);
}

std::string utc_basic(std::int64_t unix_ms) {
  const chrono::sys_time<Ms> t{Ms{unix_ms}};
  const chrono::sys_days day = chrono::floor<chrono::days>(t);
  const std::int64_t s = chrono::floor<chrono::seconds>(t - day).count();
  return ymd_text(date_of(day.time_since_epoch().count()), "") + "T" + two(s / 3600) +
         two(s / 60 % 60) + two(s % 60) + "Z";
}

}  // namespace outreach::local_time
