// Local time (Asia/Ho_Chi_Minh, UTC+7): days and minutes of UTC times, the calendar of day
// numbers, and the text forms. Expected values were worked out independently (Python's
// datetime), not with the code under test.
#include "bot/core/local_time.hpp"

#include <gtest/gtest.h>

namespace outreach {
namespace {

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kMinute = 60'000;

// 2026-11-27 17:00:00 UTC: midnight that starts Saturday 28/11/2026 in Vietnam.
constexpr std::int64_t kMidnight28Nov = 1'795'798'800'000;

bool same_date(const local_time::Date& d, int y, int m, int day, int weekday) {
  return d.year == y && d.month == m && d.day == day && d.weekday == weekday;
}

TEST(LocalTime, LocalMidnightIsFivePmUtc) {
  EXPECT_EQ(local_time::day_of(kMidnight28Nov), 20'785);
  EXPECT_EQ(local_time::minute_of(kMidnight28Nov), 0);
  EXPECT_EQ(local_time::day_of(kMidnight28Nov - 1), 20'784);
  EXPECT_EQ(local_time::minute_of(kMidnight28Nov - 1), 24 * 60 - 1);
  EXPECT_EQ(local_time::unix_ms(20'785), kMidnight28Nov);
  EXPECT_EQ(local_time::unix_ms(20'785, 9 * 60), kMidnight28Nov + 9 * kHour);
  EXPECT_EQ(local_time::unix_ms(20'784, 24 * 60), kMidnight28Nov);  // minute 1440: next midnight
  EXPECT_EQ(local_time::timestamp(kMidnight28Nov - 1), "2026-11-27 23:59");
  EXPECT_EQ(local_time::timestamp(kMidnight28Nov + 9 * kHour + 5 * kMinute), "2026-11-28 09:05");
}

TEST(LocalTime, MonthAndYearBoundaries) {
  const std::int64_t december = 1'796'058'000'000;  // 2026-11-30 17:00 UTC
  EXPECT_EQ(local_time::timestamp(december - 1), "2026-11-30 23:59");
  EXPECT_EQ(local_time::timestamp(december), "2026-12-01 00:00");
  const std::int64_t new_year = 1'798'736'400'000;  // 2026-12-31 17:00 UTC
  EXPECT_TRUE(same_date(local_time::date_of(local_time::day_of(new_year - 1)), 2026, 12, 31, 4));
  EXPECT_TRUE(same_date(local_time::date_of(local_time::day_of(new_year)), 2027, 1, 1, 5));
  EXPECT_EQ(local_time::day_of(new_year), 20'819);
  EXPECT_EQ(local_time::iso_date(20'819), "2027-01-01");
  EXPECT_EQ(local_time::utc_basic(new_year), "20261231T170000Z");  // UTC is still the old year
}

TEST(LocalTime, LeapDays) {
  EXPECT_EQ(local_time::day_from(2028, 2, 29), 21'243);
  EXPECT_TRUE(same_date(local_time::date_of(21'243), 2028, 2, 29, 2));
  EXPECT_TRUE(same_date(local_time::date_of(21'244), 2028, 3, 1, 3));
  const std::int64_t leap_day = 1'835'370'000'000;  // 2028-02-28 17:00 UTC
  EXPECT_EQ(local_time::timestamp(leap_day), "2028-02-29 00:00");
  EXPECT_EQ(local_time::parse_date("2000-02-29"), 11'016);  // divisible by 400
  EXPECT_FALSE(local_time::day_from(2026, 2, 29));
  EXPECT_FALSE(local_time::day_from(2100, 2, 29));  // divisible by 100
  EXPECT_FALSE(local_time::parse_date("2026-02-29"));
}

TEST(LocalTime, TimesBefore1970RoundTowardsThePast) {
  EXPECT_EQ(local_time::day_of(0), 0);  // 07:00 on 1 January 1970 in Vietnam
  EXPECT_EQ(local_time::minute_of(0), 7 * 60);
  EXPECT_EQ(local_time::day_of(-1), 0);
  EXPECT_EQ(local_time::minute_of(-1), 6 * 60 + 59);
  EXPECT_EQ(local_time::day_of(-7 * kHour), 0);
  EXPECT_EQ(local_time::day_of(-7 * kHour - 1), -1);
  EXPECT_EQ(local_time::minute_of(-7 * kHour - 1), 24 * 60 - 1);
  EXPECT_EQ(local_time::unix_ms(-1, 24 * 60 - 1), -7 * kHour - kMinute);
  EXPECT_TRUE(same_date(local_time::date_of(-1), 1969, 12, 31, 3));
  EXPECT_EQ(local_time::timestamp(-7 * kHour - 1), "1969-12-31 23:59");
  EXPECT_EQ(local_time::utc_basic(-1), "19691231T235959Z");
  EXPECT_EQ(local_time::utc_basic(0), "19700101T000000Z");
  EXPECT_EQ(local_time::day_from(1900, 1, 1), -25'567);
}

TEST(LocalTime, WeekdaysOfKnownDates) {
  EXPECT_EQ(local_time::weekday_of(0), 4);  // 1970-01-01, a Thursday
  EXPECT_EQ(local_time::weekday_of(-1), 3);
  EXPECT_EQ(local_time::weekday_of(*local_time::day_from(2000, 1, 1)), 6);
  EXPECT_EQ(local_time::weekday_of(*local_time::day_from(2026, 11, 28)), 6);
  EXPECT_EQ(local_time::weekday_of(*local_time::day_from(2026, 11, 29)), 0);  // Sunday is 0
  EXPECT_EQ(local_time::weekday_of(*local_time::day_from(2200, 12, 31)), 3);
  EXPECT_EQ(local_time::weekday_of(*local_time::day_from(1900, 1, 1)), 1);
}

TEST(LocalTime, EveryMinuteOfADayRoundTrips) {
  for (int minute = 0; minute < 24 * 60; ++minute) {
    const std::int64_t t = local_time::unix_ms(20'785, minute) + 59'999;
    ASSERT_EQ(local_time::day_of(t), 20'785) << minute;
    ASSERT_EQ(local_time::minute_of(t), minute) << minute;
  }
}

TEST(LocalTime, DatesPeopleCannotMean) {
  EXPECT_EQ(local_time::parse_date("1970-01-01"), 0);
  EXPECT_EQ(local_time::parse_date("2026-11-28"), 20'785);
  EXPECT_FALSE(local_time::parse_date("2026-13-01"));
  EXPECT_FALSE(local_time::parse_date("2026-04-31"));
  EXPECT_FALSE(local_time::parse_date("2026-00-10"));
  EXPECT_FALSE(local_time::parse_date("1899-12-31"));
  EXPECT_FALSE(local_time::parse_date("2201-01-01"));
  EXPECT_FALSE(local_time::parse_date("2026-1-01"));
  EXPECT_FALSE(local_time::parse_date("2026-+1-01"));
  EXPECT_FALSE(local_time::parse_date("28/11/2026"));
  // Month and day are checked before chrono keeps only their lowest byte (257 would be 1).
  EXPECT_FALSE(local_time::day_from(2026, 257, 1));
  EXPECT_FALSE(local_time::day_from(2026, 1, 257));
  EXPECT_FALSE(local_time::day_from(2026, -1, 1));
}

TEST(LocalTime, OfficeHoursAreReadAndTellWhenTheOfficeIsOpen) {
  const auto h = local_time::parse_office_hours("mon-fri 07:30-11:30 13:30-17:00");
  ASSERT_TRUE(h);
  const std::int64_t thursday = *local_time::parse_date("2026-12-03");
  EXPECT_TRUE(local_time::open_at(*h, local_time::unix_ms(thursday, 10 * 60)));
  EXPECT_FALSE(local_time::open_at(*h, local_time::unix_ms(thursday, 12 * 60)));      // lunch
  EXPECT_FALSE(local_time::open_at(*h, local_time::unix_ms(thursday + 2, 10 * 60)));  // Saturday
  // Friday evening: next Monday 07:30.
  EXPECT_EQ(local_time::next_opening(*h, local_time::unix_ms(thursday + 1, 18 * 60)),
            local_time::unix_ms(thursday + 4, 7 * 60 + 30));
  const auto weekend = local_time::parse_office_hours("sat,sun 08:00-12:00");
  ASSERT_TRUE(weekend);
  EXPECT_TRUE(local_time::open_at(*weekend, local_time::unix_ms(thursday + 3, 9 * 60)));
  for (const char* bad : {"", "mon-fri", "monday 08:00-12:00", "mon 8:00-12:00", "mon 12:00-08:00",
                          "mon 08:00-25:00"})
    EXPECT_FALSE(local_time::parse_office_hours(bad)) << bad;
}

}  // namespace
}  // namespace outreach
