#include "handlers/when.hpp"

#include <regex>
#include <string>
#include <vector>

#include "bot/core/local_time.hpp"
#include "bot/text/unicode.hpp"

namespace outreach::handlers {
namespace {

using local_time::weekday_of;

// A match, copied out before the text it came from is blanked.
struct Match {
  std::string whole;
  std::vector<std::string> groups;  // "" when a group did not take part
  std::vector<bool> matched;

  int number(std::size_t i) const { return matched[i] ? std::stoi(groups[i]) : -1; }

  const std::string& str(std::size_t i) const { return groups[i]; }
};

// Finds the first match of `re` in `s`, blanks it with spaces (so later patterns do not read
// it again) and returns it.
std::optional<Match> take(std::string& s, const std::regex& re) {
  std::smatch m;
  if (!std::regex_search(s, m, re))
    return std::nullopt;
  Match out;
  out.whole = m.str(0);
  for (std::size_t i = 0; i < m.size(); ++i) {
    out.groups.push_back(m[i].matched ? m[i].str() : std::string{});
    out.matched.push_back(m[i].matched);
  }
  const auto pos = static_cast<std::size_t>(m.position(0));
  const auto len = static_cast<std::size_t>(m.length(0));
  s.replace(pos, len, std::string(len, ' '));
  return out;
}

// "hai" → 2 … "bay" → 7 (thứ hai = Monday), English names → weekday (0 = Sunday).
int vi_weekday_word(const std::string& w) {
  static const std::pair<const char*, int> kWords[] = {{"hai", 1}, {"ba", 2},  {"tu", 3},
                                                       {"nam", 4}, {"sau", 5}, {"bay", 6}};
  for (const auto& [word, wd] : kWords)
    if (w == word)
      return wd;
  return -1;
}

int en_weekday(const std::string& w) {
  static const char* kNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  for (int i = 0; i < 7; ++i)
    if (w.starts_with(kNames[i]))
      return i;
  return -1;
}

std::int64_t monday_of(std::int64_t day) {
  return day - (weekday_of(day) + 6) % 7;
}

}  // namespace

std::optional<When> parse_when(std::string_view raw, std::int64_t today) {
  // A day and a time fit in a short phrase; a long message is something else, and std::regex
  // (recursive in libstdc++) should not walk a chat message of thousands of characters.
  if (raw.size() > kMaxWhenText)
    return std::nullopt;
  // Folded: lower case, no diacritics, đ → d; padded so \b-free patterns can use spaces.
  std::string s = " " + text::fold(raw) + " ";
  for (char& c : s)
    if (c == ',' || c == ';' || c == '!' || c == '?')
      c = ' ';
  When w;
  bool any = false;

  // Week words first: they change what a weekday means.
  static const std::regex kNextWeek(R"( (tuan sau|tuan toi|sang tuan|next week) )");
  static const std::regex kThisWeek(R"( (tuan nay|this week) )");
  int week = 0;  // 0: the nearest such day, 1: next week, 2: this week
  if (take(s, kNextWeek))
    week = 1;
  else if (take(s, kThisWeek))
    week = 2;

  // Dates: 15/12, 15-12-2026, "ngày 15 tháng 12", "15 thg 12", "ngày 15".
  static const std::regex kNumeric(R"( (?:ngay |on )?(\d{1,2})[/-](\d{1,2})(?:[/-](\d{2,4}))? )");
  static const std::regex kWords(
      R"( (?:ngay )?(\d{1,2}) (?:thang|thg|th) (\d{1,2})(?: nam (\d{4}))? )");
  static const std::regex kDayOnly(R"( ngay (\d{1,2}) )");
  const local_time::Date now = local_time::date_of(today);
  auto set_date = [&](int d, int mo, int y) {
    if (y >= 0 && y < 100)
      y += 2000;
    const bool year_given = y > 0;
    if (!year_given)
      y = now.year;
    auto day = local_time::day_from(y, mo, d);
    if (day && !year_given && *day < today)
      day = local_time::day_from(y + 1, mo, d);  // "15/1" in December means next January
    if (!day)
      return false;
    w.first_day = w.last_day = *day;
    w.past = *day < today;
    return true;
  };
  if (auto d = take(s, kNumeric)) {
    any = set_date(d->number(1), d->number(2), d->number(3)) || any;
  } else if (auto d2 = take(s, kWords)) {
    any = set_date(d2->number(1), d2->number(2), d2->number(3)) || any;
  } else if (auto d3 = take(s, kDayOnly)) {
    int mo = now.month;
    int y = now.year;
    if (d3->number(1) < now.day && ++mo > 12) {
      mo = 1;
      ++y;
    }
    any = set_date(d3->number(1), mo, y) || any;
  }

  // Relative days.
  static const std::regex kToday(R"( (hom nay|bua nay|nay|today) )");
  static const std::regex kTomorrow(R"( (ngay mai|mai|tomorrow) )");
  static const std::regex kAfter(R"( (ngay mot|ngay kia|day after tomorrow) )");
  if (!w.has_day()) {
    int plus = -1;
    if (take(s, kAfter))
      plus = 2;
    else if (take(s, kTomorrow))
      plus = 1;
    else if (take(s, kToday))
      plus = 0;
    if (plus >= 0) {
      w.first_day = w.last_day = today + plus;
      any = true;
    }
  }

  // Weekdays: "thứ 5", "t5", "thứ năm", "chủ nhật", "cn", "monday".
  static const std::regex kThuNumber(R"( (?:thu|t) ?([2-7]) )");
  static const std::regex kThuWord(R"( thu (hai|ba|tu|nam|sau|bay) )");
  static const std::regex kSunday(R"( (chu nhat|cn) )");
  static const std::regex kEnglish(
      R"( (?:next |this )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday) )");
  if (!w.has_day()) {
    int wd = -1;
    if (auto a = take(s, kThuNumber))
      wd = a->number(1) - 1;
    else if (auto b = take(s, kThuWord))
      wd = vi_weekday_word(b->str(1));
    else if (take(s, kSunday))
      wd = 0;
    else if (auto e = take(s, kEnglish)) {
      wd = en_weekday(e->str(1));
      if (e->whole.starts_with(" next "))
        week = 1;
    }
    if (wd >= 0) {
      const std::int64_t offset = (wd + 6) % 7;  // days after Monday
      std::int64_t day = 0;
      if (week == 1)
        day = monday_of(today) + 7 + offset;
      else if (week == 2)
        day = monday_of(today) + offset;
      else
        day = today + (wd - weekday_of(today) + 7) % 7;  // the nearest, today included
      w.first_day = w.last_day = day;
      w.past = day < today;
      any = true;
    } else if (week == 1) {
      w.first_day = monday_of(today) + 7;
      w.last_day = w.first_day + 6;
      any = true;
    } else if (week == 2) {
      w.first_day = today;
      w.last_day = monday_of(today) + 6;
      any = true;
    }
  }

  // Parts of the day.
  static const std::regex kMorning(R"( (buoi sang|sang|morning) )");
  static const std::regex kNoon(R"( (buoi trua|trua|noon|lunchtime) )");
  static const std::regex kAfternoon(R"( (buoi chieu|chieu|afternoon|pm) )");
  static const std::regex kEvening(R"( (buoi toi|toi nay|evening|tonight) )");
  int part = 0;  // 1 morning, 2 noon, 3 afternoon, 4 evening
  // Times: 9h, 9h30, 9 giờ 30, 9:30, 9g, 2pm, 9 rưỡi.
  static const std::regex kTime(
      R"( (?:luc |vao |at |khoang )?(\d{1,2}) ?(?:(?:h|g|gio)? ?ruoi|(?:h|g|gio|:) ?(\d{2})?|(am|pm)) )");
  static const std::regex kTimeAt(R"( (?:luc|vao luc|at) (\d{1,2}) )");
  int hour = -1;
  int minute = 0;
  if (auto at = take(s, kTimeAt)) {
    hour = at->number(1);
  } else if (auto t = take(s, kTime)) {
    hour = t->number(1);
    minute = t->matched[2] ? t->number(2) : 0;
    if (t->whole.find("ruoi") != std::string::npos)
      minute = 30;
    if (t->matched[3])
      part = t->str(3) == "pm" ? 3 : 1;
  }
  if (part == 0) {
    if (take(s, kMorning))
      part = 1;
    else if (take(s, kNoon))
      part = 2;
    else if (take(s, kAfternoon))
      part = 3;
    else if (take(s, kEvening))
      part = 4;
  }
  if (hour >= 0 && hour <= 23 && minute >= 0 && minute < 60) {
    if ((part == 3 || part == 4) && hour < 12)
      hour += 12;
    else if (part == 0 && hour >= 1 && hour <= 6)
      hour += 12;  // "lúc 2h": offices are not open at 2 in the morning
    w.minute = hour * 60 + minute;
    any = true;
  } else if (part != 0) {
    static constexpr int kFrom[] = {0, 0, 11 * 60, 12 * 60, 18 * 60};
    static constexpr int kTo[] = {24 * 60, 12 * 60, 13 * 60 + 30, 18 * 60, 24 * 60};
    w.from_minute = kFrom[part];
    w.to_minute = kTo[part];
    any = true;
  }
  if (!any)
    return std::nullopt;
  return w;
}

}  // namespace outreach::handlers
