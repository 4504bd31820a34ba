// Days and times as people type them: the table tests/fixtures/when-phrasings.tsv (264 rows,
// written by someone who never saw the parser, against a fixed clock) read by parse_when.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bot/core/local_time.hpp"
#include "handlers/when.hpp"

namespace outreach::handlers {
namespace {

struct Row {
  int line = 0;
  std::string text, first, last, time, part, note;
};

std::vector<Row> rows() {
  std::ifstream in(std::string(OUTREACH_SOURCE_DIR) + "/tests/fixtures/when-phrasings.tsv");
  std::vector<Row> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (n == 1 || line.empty())
      continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    cols.resize(6);
    out.push_back({n, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5]});
  }
  return out;
}

// A part of the day covers its typical hour and not the typical hour of the others.
bool covers(const When& w, int hour) {
  return w.from_minute <= hour * 60 && hour * 60 < w.to_minute;
}

std::string check(const Row& r, std::int64_t today) {
  const auto w = parse_when(r.text, today);
  if (r.first == "none")
    return !w || (!w->has_day() && !w->has_time() && w->from_minute == 0 && w->to_minute == 24 * 60)
               ? ""
               : "read a day or time in it";
  if (!w)
    return "read nothing";
  std::string why;
  auto add = [&](const std::string& s) {
    why += (why.empty() ? "" : "; ") + s;
  };
  const std::string first = w->has_day() ? local_time::iso_date(w->first_day) : "";
  const std::string last = w->has_day() ? local_time::iso_date(w->last_day) : "";
  if (first != r.first || last != r.last)
    add("days " + first + ".." + last + ", meant " + r.first + ".." + r.last);
  if (!r.time.empty()) {
    const int want = std::stoi(r.time.substr(0, 2)) * 60 + std::stoi(r.time.substr(3, 2));
    if (w->minute != want)
      add("time " + std::to_string(w->minute) + " min, meant " + r.time);
  } else if (w->has_time()) {
    add("read a time " + std::to_string(w->minute) + " min");
  }
  const std::pair<const char*, int> parts[] = {
      {"morning", 9}, {"noon", 12}, {"afternoon", 15}, {"evening", 19}};
  for (const auto& [name, hour] : parts) {
    const bool meant = r.part == name;
    if (!r.part.empty() && covers(*w, hour) != meant)
      add(std::string(meant ? "part misses " : "part includes ") + name);
  }
  if (r.part.empty() && r.time.empty() && (w->from_minute != 0 || w->to_minute != 24 * 60))
    add("read a part of the day");
  return why;
}

TEST(WhenTable, ReadsEveryPhrasingOfTheTable) {
  const auto table = rows();
  ASSERT_GE(table.size(), 100u);
  const std::int64_t today = *local_time::parse_date("2026-12-03");
  int wrong = 0;
  for (const auto& r : table) {
    const std::string why = check(r, today);
    if (!why.empty()) {
      ++wrong;
      ADD_FAILURE() << "when-phrasings.tsv:" << r.line << " \"" << r.text << "\" (" << r.note
                    << "): " << why;
    }
  }
  EXPECT_EQ(wrong, 0) << "of " << table.size();
}

// Hours said in words, and "tôi" typed without marks beside a time (found by the held-out
// booking conversations, after the table above was written).
TEST(WhenWords, HoursInWordsAndAnUnmarkedToiThatIsAPronoun) {
  const std::int64_t today = *local_time::parse_date("2026-12-03");

  struct Case {
    const char* text;
    const char* day;
    int minute;
  };

  const Case cases[] = {
      {"thứ hai tuần sau, ba giờ rưỡi chiều", "2026-12-07", 15 * 60 + 30},
      {"mười một giờ sáng mai", "2026-12-04", 11 * 60},
      {"thu 6 muoi gio", "2026-12-04", 10 * 60},
      {"cho toi 9h thu 6 nay", "2026-12-04", 9 * 60},
      {"9h toi thu 6", "2026-12-04", 21 * 60},
      {"Saturday the 12th at 9 am", "2026-12-12", 9 * 60},
      {"the 2nd at 10am", "2027-01-02", 10 * 60},
      {"chiều thứ hai ngày hai mươi tám tháng mười hai lúc hai giờ rưỡi", "2026-12-28",
       14 * 60 + 30},
      {"ngày mười lăm lúc chín giờ", "2026-12-15", 9 * 60},
      {"ngày hai mươi mốt tháng mười hai mười giờ", "2026-12-21", 10 * 60},
      // The "th" of an English ordinal before a comma is not "tháng" (it read 26 October).
      {"Saturday the 26th, 10 am", "2026-12-26", 10 * 60},
      {"26 th 12 lúc 9h", "2026-12-26", 9 * 60},
      // A dot between hour and minutes before am/pm is a clock, not a day and month.
      {"Tuesday 15/12 at 2.30pm", "2026-12-15", 14 * 60 + 30},
      {"tomorrow 10.45 am", "2026-12-04", 10 * 60 + 45},
      {"18.12 lúc 9h", "2026-12-18", 9 * 60},
      // Minutes in words after "giờ" (voice typing).
      {"thứ hai ngày hai mươi mốt tháng mười hai lúc hai giờ ba mươi chiều", "2026-12-21",
       14 * 60 + 30},
      {"mai chín giờ mười lăm phút", "2026-12-04", 9 * 60 + 15},
      // English weekdays short.
      {"next Wed 10am", "2026-12-09", 10 * 60},
      {"sat 9am", "2026-12-05", 9 * 60},
      // "mùng 1" is the first of the month (the next one when it has gone by).
      {"2h chiều thứ 6 mùng 1 tết tây", "2027-01-01", 14 * 60},
      {"Wednesday next week, 9 in the morning", "2026-12-09", 9 * 60},
      {"friday at 3 in the afternoon", "2026-12-04", 15 * 60},
      {"monday 10 o'clock", "2026-12-07", 10 * 60},
      {"thu 3 tuan sau 9h sang", "2026-12-08", 9 * 60},
  };
  for (const auto& c : cases) {
    const auto w = parse_when(c.text, today);
    ASSERT_TRUE(w) << c.text;
    EXPECT_EQ(local_time::iso_date(w->first_day), c.day) << c.text;
    EXPECT_EQ(w->minute, c.minute) << c.text;
  }
  const auto after_work = parse_when("thứ 6 sau giờ làm", today);
  ASSERT_TRUE(after_work);
  EXPECT_FALSE(after_work->has_time());
}

}  // namespace
}  // namespace outreach::handlers
