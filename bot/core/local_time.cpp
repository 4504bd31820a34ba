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

std::optional<OfficeHours> parse_office_hours(std::string_view text) {
  static constexpr std::string_view kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  auto day_index = [](std::string_view d) {
    for (int i = 0; i < 7; ++i)
      if (kDays[i] == d)
        return i;
    return -1;
  };
  auto minute = [](std::string_view hm) {
    if (hm.size() != 5 || hm[2] != ':')
      return -1;
    for (const std::size_t i : {0u, 1u, 3u, 4u})
      if (hm[i] < '0' || hm[i] > '9')
        return -1;
    const int h = (hm[0] - '0') * 10 + (hm[1] - '0');
    const int m = (hm[3] - '0') * 10 + (hm[4] - '0');
    return h <= 24 && m <= 59 && h * 60 + m <= 24 * 60 ? h * 60 + m : -1;
  };
  std::vector<std::string_view> parts;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(text.find(' ', at), text.size());
    if (end > at)
      parts.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  if (parts.size() < 2)
    return std::nullopt;
  OfficeHours h;
  for (std::size_t at = 0; at <= parts[0].size();) {
    const std::size_t end = std::min(parts[0].find(',', at), parts[0].size());
    const std::string_view item = parts[0].substr(at, end - at);
    const std::size_t dash = item.find('-');
    const int first = day_index(item.substr(0, dash));
    const int last = dash == std::string_view::npos ? first : day_index(item.substr(dash + 1));
    if (first < 0 || last < 0)
      return std::nullopt;
    for (int d = first;; d = (d + 1) % 7) {
      h.days[static_cast<std::size_t>(d)] = true;
      if (d == last)
        break;
    }
    at = end + 1;
  }
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::size_t dash = parts[i].find('-');
    if (dash == std::string_view::npos)
      return std::nullopt;
    const int from = minute(parts[i].substr(0, dash));
    const int to = minute(parts[i].substr(dash + 1));
    if (from < 0 || to <= from)
      return std::nullopt;
    h.spans.emplace_back(from, to);
  }
  return h;
}

bool open_at(const OfficeHours& hours, std::int64_t unix_ms) {
  const std::int64_t day = day_of(unix_ms);
  if (!hours.days[static_cast<std::size_t>(weekday_of(day))])
    return false;
  const int m = minute_of(unix_ms);
  for (const auto& [from, to] : hours.spans)
    if (m >= from && m < to)
      return true;
  return false;
}

std::int64_t next_opening(const OfficeHours& hours, std::int64_t from_ms) {
  const std::int64_t first = day_of(from_ms);
  for (std::int64_t day = first; day < first + 15; ++day) {
    if (!hours.days[static_cast<std::size_t>(weekday_of(day))])
      continue;
    for (const auto& span : hours.spans) {
      const std::int64_t at = unix_ms(day, span.first);
      if (at > from_ms)
        return at;
    }
  }
  return 0;
}

}  // namespace outreach::local_time
