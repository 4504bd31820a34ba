// Booking with the Startup Advisory Office: reading typed dates and phone numbers, the office
// calendar, the seat guarantee in the schema, and whole conversations through the real turn
// pipeline on real SQLite with the shipped content (content/booking.yaml) and a fake clock.
// The test clock starts on Saturday 28/11/2026 09:00 (Asia/Ho_Chi_Minh).
#include "handlers/booking.hpp"

#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "bot/core/local_time.hpp"
#include "content/store.hpp"
#include "handlers/booking_slots.hpp"
#include "handlers/phone.hpp"
#include "handlers/when.hpp"
#include "tests/support/turn_harness.hpp"

namespace outreach {
namespace {

using handlers::parse_when;
using testing::kTestNow;
using testing::TurnHarness;

const std::int64_t kToday = local_time::day_of(kTestNow);  // Saturday 28/11/2026

std::int64_t day_of(int y, int m, int d) {
  return *local_time::day_from(y, m, d);
}

// ---- typed dates ---------------------------------------------------------------------------

TEST(When, ReadsDaysAndTimesAsPeopleTypeThem) {
  struct Case {
    const char* text;
    std::int64_t day;  // 0: none
    int minute;        // -1: none
  };

  const Case cases[] = {
      {"thứ 5 tuần sau", day_of(2026, 12, 3), -1},
      {"thu 5 tuan sau", day_of(2026, 12, 3), -1},
      {"t5 tuần sau 9h", day_of(2026, 12, 3), 9 * 60},
      {"15/12 lúc 9h", day_of(2026, 12, 15), 9 * 60},
      {"15-12-2026 9:30", day_of(2026, 12, 15), 9 * 60 + 30},
      {"ngày 15 tháng 12 lúc 14h", day_of(2026, 12, 15), 14 * 60},
      {"mai 9 giờ 30", kToday + 1, 9 * 60 + 30},
      {"ngày mốt 2h chiều", kToday + 2, 14 * 60},
      {"thứ hai", day_of(2026, 11, 30), -1},
      {"chủ nhật", day_of(2026, 11, 29), -1},
      {"hôm nay", kToday, -1},
      {"15/1", day_of(2027, 1, 15), -1},  // January has passed this year: next year
      {"9h rưỡi thứ 4", day_of(2026, 12, 2), 9 * 60 + 30},
      {"lúc 2h thứ 3", day_of(2026, 12, 1), 14 * 60},  // offices are not open at 2 a.m.
      {"next monday 2pm", day_of(2026, 11, 30), 14 * 60},
      {"tomorrow at 10am", kToday + 1, 10 * 60},
  };
  for (const Case& c : cases) {
    const auto w = parse_when(c.text, kToday);
    ASSERT_TRUE(w.has_value()) << c.text;
    EXPECT_EQ(w->first_day, c.day) << c.text;
    EXPECT_EQ(w->minute, c.minute) << c.text;
  }
}

TEST(When, PartsOfTheDayAndWeeksBecomeRanges) {
  auto w = parse_when("sáng mai", kToday);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->first_day, kToday + 1);
  EXPECT_EQ(w->minute, -1);
  EXPECT_EQ(w->to_minute, 12 * 60);
  w = parse_when("chieu thu 2", kToday);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->first_day, day_of(2026, 11, 30));
  EXPECT_EQ(w->from_minute, 13 * 60);
  EXPECT_EQ(w->to_minute, 18 * 60);
  w = parse_when("tuần sau", kToday);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->first_day, day_of(2026, 11, 30));
  EXPECT_EQ(w->last_day, day_of(2026, 12, 6));
}

TEST(When, NothingToReadOrImpossibleDatesGiveNothing) {
  EXPECT_FALSE(parse_when("tôi muốn hỏi về thuế", kToday));
  // A long message is not read as a date, even if one is in it.
  EXPECT_FALSE(parse_when(std::string(handlers::kMaxWhenText, ' ') + "15/12 lúc 9h", kToday));
  EXPECT_FALSE(parse_when("31/2", kToday));
  EXPECT_FALSE(parse_when("", kToday));
  const auto past = parse_when("1/1/2020", kToday);
  ASSERT_TRUE(past);
  EXPECT_TRUE(past->past);
}

// ---- phone numbers -------------------------------------------------------------------------

TEST(Phone, AcceptsVietnameseNumbersInTheFormsPeopleWriteThem) {
  for (const char* typed : {"0912345678", "0912 345 678", "0912.345.678", "+84 912 345 678",
                            "84912345678", "+84 (0) 912-345-678"}) {
    const auto p = handlers::parse_vn_phone(typed);
    ASSERT_TRUE(p) << typed;
    EXPECT_EQ(p->e164, "+84912345678") << typed;
    EXPECT_EQ(p->display, "0912 345 678") << typed;
    EXPECT_TRUE(p->mobile);
  }
  const auto fixed = handlers::parse_vn_phone("(028) 3894 1234");
  ASSERT_TRUE(fixed);
  EXPECT_EQ(fixed->e164, "+842838941234");
  EXPECT_FALSE(fixed->mobile);
}

TEST(Phone, ANumberSaidDigitByDigitIsRead) {
  const auto p = handlers::find_vn_phone("không chín bảy bốn hai hai một tám sáu năm");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->display, "0974 221 865");
  const auto q = handlers::find_vn_phone("số em là không ba năm hai một tám tám chín chín không ạ");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->display, "0352 188 990");
  EXPECT_EQ(handlers::find_vn_phone("oh nine one two three four five six seven eight")->display,
            "0912 345 678");
  EXPECT_EQ(handlers::digit_count("không chín bảy bốn hai hai"), 6u);
  // A few number words are not a phone number said aloud.
  EXPECT_EQ(handlers::spoken_digits("ba tôi năm nay sáu mươi"), "ba tôi năm nay sáu mươi");
  EXPECT_FALSE(handlers::find_vn_phone("không chín bảy bốn hai"));
}

TEST(Phone, RefusesWhatIsNotAVietnamesePhoneNumber) {
  for (const char* typed : {"", "12345", "091234567", "09123456789", "0112345678",
                            "+1 415 555 0100", "0912abc678", "không có"})
    EXPECT_FALSE(handlers::parse_vn_phone(typed)) << typed;
}

// ---- the calendar ----------------------------------------------------------------------------

TEST(Calendar, SessionsFollowOpeningHoursSlotLengthAndHolidays) {
  TurnHarness h;
  const auto& setup = h.content().snapshot()->booking;
  const auto monday = handlers::sessions_on(setup, "legal", day_of(2026, 11, 30), {});
  std::vector<int> starts;
  for (const auto& s : monday) starts.push_back(local_time::minute_of(s.start_ms));
  // 08:00-11:30 and 13:30-16:30, 45-minute sessions every hour.
  EXPECT_EQ(starts, (std::vector<int>{480, 540, 600, 810, 870, 930}));
  EXPECT_TRUE(handlers::sessions_on(setup, "legal", day_of(2027, 1, 1), {}).empty());   // New Year
  EXPECT_TRUE(handlers::sessions_on(setup, "legal", day_of(2026, 12, 1), {}).empty());  // Tuesday
  const auto clinic = handlers::sessions_on(setup, "digital", day_of(2026, 12, 4), {});
  ASSERT_FALSE(clinic.empty());
  EXPECT_EQ(clinic.back().seats, 6);
}

TEST(Calendar, FreeTimesRespectNoticeHorizonAndSeatsTaken) {
  TurnHarness h;
  const auto& setup = h.content().snapshot()->booking;
  const std::int64_t first = local_time::unix_ms(day_of(2026, 11, 30), 8 * 60);
  // Sunday 20:00: the Monday 08:00 session is 12 hours away — just bookable; at 20:01 it is not.
  const std::int64_t sunday_8pm = local_time::unix_ms(day_of(2026, 11, 29), 20 * 60);
  EXPECT_TRUE(handlers::bookable(setup, first, sunday_8pm));
  EXPECT_FALSE(handlers::bookable(setup, first, sunday_8pm + 60'000));
  EXPECT_FALSE(handlers::bookable(
      setup, local_time::unix_ms(kToday + setup.max_days_ahead + 1, 600), kTestNow));
  storage::SeatCounts taken{{{"legal-ip", first}, 1}};
  const auto times =
      handlers::free_times(setup, "legal", kToday, kToday + 7, 0, 24 * 60, kTestNow, taken, 3);
  ASSERT_EQ(times.size(), 3u);
  EXPECT_EQ(local_time::minute_of(times[0].start_ms), 9 * 60);  // 08:00 is taken
}

// ---- the schema's guarantee ------------------------------------------------------------------

TEST(BookingStore, TheSchemaRefusesTheSameSeatTwice) {
  TurnHarness h;
  auto& s = h.store();
  h.follow("a");
  storage::Booking b;
  b.ref = "TV-AAAAAA";
  b.ics_key = "k";
  b.person_id = h.person("a").id;
  b.topic = "legal";
  b.advisor = "legal-ip";
  b.starts_at = local_time::unix_ms(day_of(2026, 11, 30), 480);
  b.ends_at = b.starts_at + 45 * 60'000;
  b.created_at = kTestNow;
  ASSERT_TRUE(s.bookings.insert(b, 1));
  storage::Booking again = b;
  again.ref = "TV-BBBBBB";
  EXPECT_FALSE(s.bookings.insert(again, 1));  // the repository sees the seat taken
  // …and the index refuses it even when code above skips the check.
  SQLite::Statement raw(h.db(),
                        "INSERT INTO bookings (ref, ics_key, topic, advisor, starts_at, ends_at, "
                        "seat, status, name, phone, company, stage, description, created_at, "
                        "updated_at) SELECT 'TV-CCCCCC', 'k', topic, advisor, starts_at, ends_at, "
                        "seat, 'booked', '', '', '', '', '', 0, 0 FROM bookings WHERE ref = "
                        "'TV-AAAAAA'");
  EXPECT_THROW(raw.exec(), SQLite::Exception);
  // A cancelled booking frees its seat.
  s.bookings.set_status(b.id, "cancelled", "", "person", kTestNow);
  EXPECT_TRUE(s.bookings.insert(again, 1));
}

// ---- conversations -------------------------------------------------------------------------

std::vector<std::string> payloads(const OutboundMessage& m) {
  std::vector<std::string> out;
  for (const auto& b : m.buttons) out.push_back(b.payload);
  return out;
}

bool has_payload(const OutboundMessage& m, const std::string& p) {
  const auto all = payloads(m);
  return std::find(all.begin(), all.end(), p) != all.end();
}

std::string slot_payload(int y, int mo, int d, int minute) {
  return "flow:choice:" + std::to_string(local_time::unix_ms(day_of(y, mo, d), minute));
}

// Runs the booking form for `user` up to the summary, picking `slot` (a payload or typed text).
std::vector<OutboundMessage> fill_form(TurnHarness& h,
                                       const std::string& user,
                                       const std::string& topic,
                                       const std::string& slot) {
  h.press("booking:new", user);
  h.press("flow:choice:" + topic, user);
  if (slot.starts_with("flow:"))
    h.press(slot, user);
  else
    h.say(slot, user);
  h.press("flow:choice:in_person", user);
  h.say("Nguyễn Thị Lan", user);
  h.say("0912 345 678", user);
  h.say("Tiệm bánh Lan", user);
  h.press("flow:choice:household", user);
  return h.say("Muốn mở rộng thành công ty và đăng ký nhãn hiệu cho tiệm", user);
}

std::vector<storage::Booking> bookings_of(TurnHarness& h, const std::string& user) {
  return h.store().bookings.upcoming_for(h.person(user).id, h.clock().now_ms());
}

std::vector<std::string> outbox_texts(TurnHarness& h, const std::string& user, const char* kind) {
  SQLite::Statement q(h.db(),
                      "SELECT body FROM outbox WHERE person_id = ? AND kind = ? ORDER BY id");
  q.bind(1, static_cast<int64_t>(h.person(user).id));
  q.bind(2, kind);
  std::vector<std::string> out;
  while (q.executeStep()) out.push_back(outbound_from_json(q.getColumn(0).getString())->text);
  return out;
}

TEST(BookingChat, AWholeBookingWithATypedDateEndsWithARefAndACalendarLink) {
  TurnHarness h;
  h.follow("a");
  auto r = fill_form(h, "a", "legal", "thứ 2 tuần sau lúc 9h");
  ASSERT_FALSE(r.empty());
  EXPECT_NE(r.back().text.find("Nguyễn Thị Lan"), std::string::npos);
  EXPECT_NE(r.back().text.find("0912 345 678"), std::string::npos);  // shown as typed nationally
  EXPECT_NE(r.back().text.find("thứ Hai, 30/11/2026, 09:00"), std::string::npos) << r.back().text;
  r = h.say("xác nhận", "a");
  ASSERT_EQ(h.last().outcome, "booked");
  const auto mine = bookings_of(h, "a");
  ASSERT_EQ(mine.size(), 1u);
  const auto& b = mine[0];
  EXPECT_EQ(b.starts_at, local_time::unix_ms(day_of(2026, 11, 30), 9 * 60));
  EXPECT_EQ(b.phone, "+84912345678");
  EXPECT_EQ(b.advisor, "legal-ip");
  EXPECT_NE(r.back().text.find(b.ref), std::string::npos);
  bool link = false;
  for (const auto& btn : r.back().buttons)
    link = link || btn.url == "http://127.0.0.1:8080/booking/" + b.ref + ".ics?k=" + b.ics_key;
  EXPECT_TRUE(link);
  // Reminders 24 h and 2 h before, as jobs.
  SQLite::Statement jobs(h.db(),
                         "SELECT run_at FROM jobs WHERE kind = 'booking.remind' AND status = "
                         "'pending' ORDER BY run_at");
  std::vector<std::int64_t> at;
  while (jobs.executeStep()) at.push_back(jobs.getColumn(0).getInt64());
  EXPECT_EQ(at,
            (std::vector<std::int64_t>{b.starts_at - 24 * 3'600'000, b.starts_at - 2 * 3'600'000}));
}

TEST(BookingChat, TheRaceForTheLastSeatGivesOneBookingAndAnotherTimeToTheOther) {
  TurnHarness h;
  h.follow("a");
  h.follow("b");
  const std::string slot = slot_payload(2026, 11, 30, 8 * 60);
  fill_form(h, "a", "legal", slot);
  fill_form(h, "b", "legal", slot);  // both saw 08:00 free and reached the summary
  h.press("flow:confirm", "a");
  EXPECT_EQ(h.last().outcome, "booked");
  const auto r = h.press("flow:confirm", "b");
  EXPECT_EQ(h.last().outcome, "slot_taken");
  ASSERT_FALSE(r.empty());
  EXPECT_NE(r.back().text.find(h.ui("booking.just_taken")), std::string::npos);
  EXPECT_FALSE(has_payload(r.back(), slot));  // 08:00 is no longer offered
  EXPECT_TRUE(bookings_of(h, "b").empty());
  // b picks the next time offered and is booked with what was already typed.
  h.press(r.back().buttons.front().payload, "b");
  h.press("flow:confirm", "b");
  EXPECT_EQ(h.last().outcome, "booked");
  EXPECT_EQ(bookings_of(h, "b").front().name, "Nguyễn Thị Lan");
}

TEST(BookingChat, CancelAndRescheduleFollowTheRules) {
  TurnHarness h;
  h.follow("a");
  fill_form(h, "a", "legal", slot_payload(2026, 11, 30, 9 * 60));
  h.press("flow:confirm", "a");
  const std::string ref = bookings_of(h, "a").front().ref;
  // Move twice (the limit), then the third move is refused.
  for (int minute : {10 * 60, 13 * 60 + 30}) {
    h.press("booking:move:" + ref, "a");
    h.press(slot_payload(2026, 11, 30, minute), "a");
    h.press("flow:confirm", "a");
    EXPECT_EQ(h.last().outcome, "moved");
    EXPECT_EQ(bookings_of(h, "a").front().starts_at,
              local_time::unix_ms(day_of(2026, 11, 30), minute));
  }
  h.press("booking:move:" + ref, "a");
  EXPECT_EQ(h.last().outcome, "move_limit");
  // Closer than the late-cancel cut-off (4 h): staff only.
  h.clock().set(local_time::unix_ms(day_of(2026, 11, 30), 10 * 60));
  h.press("booking:cancel:" + ref, "a");
  EXPECT_EQ(h.last().outcome, "too_late");
  h.clock().set(kTestNow);
  h.press("booking:cancel:" + ref, "a");
  EXPECT_EQ(h.last().outcome, "confirm_cancel");
  h.press("booking:cancel_yes:" + ref, "a");
  EXPECT_EQ(h.last().outcome, "cancelled");
  EXPECT_TRUE(bookings_of(h, "a").empty());
  // Someone else's booking cannot be touched.
  h.follow("b");
  fill_form(h, "b", "legal", slot_payload(2026, 11, 30, 9 * 60));
  h.press("flow:confirm", "b");
  h.press("booking:cancel_yes:" + bookings_of(h, "b").front().ref, "a");
  EXPECT_EQ(h.last().outcome, "not_found");
  EXPECT_EQ(bookings_of(h, "b").size(), 1u);
}

// Books every legal session on Monday 30/11 for people x0..x5.
void fill_monday(TurnHarness& h) {
  const int starts[] = {480, 540, 600, 810, 870, 930};
  for (int i = 0; i < 6; ++i) {
    const std::string u = "x" + std::to_string(i);
    h.follow(u);
    fill_form(h, u, "legal", slot_payload(2026, 11, 30, starts[i]));
    h.press("flow:confirm", u);
    ASSERT_EQ(h.last().outcome, "booked") << u;
  }
}

TEST(BookingChat, TheTopicCanBeTypedButNotGuessedFromALetter) {
  TurnHarness h;
  h.follow("a");
  h.press("booking:new", "a");
  h.say("a", "a");
  EXPECT_EQ(h.last().outcome, "invalid_answer");
  h.say("tai chinh", "a");
  EXPECT_EQ(h.last().outcome, "ok");
  EXPECT_EQ(h.store().conversations.load(h.person("a").id).data.value("topic", ""), "finance");
}

TEST(BookingChat, DecliningAnOfferPassesTheSeatOnAndLeavesTheList) {
  TurnHarness h;
  const std::int64_t monday = day_of(2026, 11, 30);
  fill_monday(h);
  for (const std::string u : {"b", "c"}) {
    h.follow(u);
    fill_form(h, u, "legal", "flow:choice:wait:" + std::to_string(monday));
    h.press("flow:confirm", u);
    ASSERT_EQ(h.last().outcome, "waitlisted") << u;
  }
  h.press("booking:cancel_yes:" + bookings_of(h, "x0").front().ref, "x0");
  const auto offered = h.store().bookings.waiting_for(h.person("b").id);
  ASSERT_EQ(offered.size(), 1u);
  ASSERT_EQ(offered[0].status, "offered");
  h.press("booking:pass:" + std::to_string(offered[0].id), "b");
  EXPECT_EQ(h.last().outcome, "offer_passed");
  EXPECT_TRUE(h.store().bookings.waiting_for(h.person("b").id).empty());
  const auto next = h.store().bookings.waiting_for(h.person("c").id);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].status, "offered");  // the seat went on to c, not back to b
}

TEST(BookingChat, ThereIsACapOnActiveBookings) {
  TurnHarness h;
  h.follow("a");
  for (int minute : {8 * 60, 9 * 60}) {
    fill_form(h, "a", "legal", slot_payload(2026, 11, 30, minute));
    h.press("flow:confirm", "a");
    ASSERT_EQ(h.last().outcome, "booked");
  }
  h.press("booking:new", "a");
  EXPECT_EQ(h.last().outcome, "limit");
}

TEST(BookingChat, AFullDayOffersTheWaitlistAndAFreedSeatGoesToTheFirstInLine) {
  TurnHarness h;
  const std::int64_t monday = day_of(2026, 11, 30);
  fill_monday(h);
  // b and c ask for that Monday: full, so they may wait.
  for (const std::string u : {"b", "c"}) {
    h.follow(u);
    h.press("booking:new", u);
    h.press("flow:choice:legal", u);
    const auto r = h.say("thứ 2 tuần sau", u);
    ASSERT_TRUE(has_payload(r.back(), "flow:choice:wait:" + std::to_string(monday))) << u;
    h.press("flow:choice:wait:" + std::to_string(monday), u);
    h.press("flow:choice:online", u);
    h.say("Trần Văn " + u, u);
    h.say("0987654321", u);
    h.say("Dự án " + u, u);
    h.press("flow:choice:idea", u);
    h.say("Cần hỏi về hợp đồng góp vốn giữa các thành viên", u);
    h.press("flow:confirm", u);
    EXPECT_EQ(h.last().outcome, "waitlisted") << u;
  }
  // x2 cancels the 10:00 session: b (first in line) is offered it, held for 120 minutes.
  const std::string ref = bookings_of(h, "x2").front().ref;
  h.press("booking:cancel_yes:" + ref, "x2");
  const auto offers = outbox_texts(h, "b", "notice");
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_NE(offers[0].find("10:00"), std::string::npos);
  EXPECT_TRUE(outbox_texts(h, "c", "notice").empty());
  // b lets the time run out: c is offered it next.
  h.clock().advance(std::chrono::minutes(121));
  const auto wait_b = h.store().bookings.waiting_for(h.person("b").id);
  ASSERT_EQ(wait_b.size(), 1u);
  EXPECT_TRUE(handlers::run_offer_expiry(h.store(), *h.content().snapshot(), wait_b[0].id,
                                         h.clock().now_ms()));
  EXPECT_EQ(outbox_texts(h, "b", "notice").size(), 2u);  // the offer, then "it has gone"
  const auto wait_c = h.store().bookings.waiting_for(h.person("c").id);
  ASSERT_EQ(wait_c.size(), 1u);
  EXPECT_EQ(wait_c[0].status, "offered");
  h.press("booking:take:" + std::to_string(wait_c[0].id), "c");
  EXPECT_EQ(h.last().outcome, "offer_taken");
  const auto mine = bookings_of(h, "c");
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].starts_at, local_time::unix_ms(monday, 600));
  EXPECT_EQ(mine[0].mode, "online");
  EXPECT_EQ(mine[0].status, "booked");
}

// Person "a" books the legal session of Monday 30/11/2026 09:00 in the chat.
storage::Booking book_monday_nine(TurnHarness& h) {
  h.follow("a");
  fill_form(h, "a", "legal", slot_payload(2026, 11, 30, 9 * 60));
  h.press("flow:confirm", "a");
  return bookings_of(h, "a").front();
}

TEST(BookingChat, RemindersGoOutOnlyForBookingsThatStillStand) {
  TurnHarness h;
  const auto b = book_monday_nine(h);
  const auto& snap = *h.content().snapshot();
  EXPECT_TRUE(
      handlers::run_booking_reminder(h.store(), snap, b.id, 1440, b.starts_at - 86'400'000));
  const auto reminders = outbox_texts(h, "a", "reminder");
  ASSERT_EQ(reminders.size(), 1u);
  EXPECT_NE(reminders[0].find(b.ref), std::string::npos);
  EXPECT_NE(reminders[0].find("1 ngày"), std::string::npos);
  h.press("booking:cancel_yes:" + b.ref, "a");
  EXPECT_FALSE(handlers::run_booking_reminder(h.store(), snap, b.id, 120, b.starts_at - 7'200'000));
  EXPECT_EQ(outbox_texts(h, "a", "reminder").size(), 1u);
}

handlers::StaffAction staff(handlers::StaffAction::Kind kind,
                            std::string ref,
                            std::string reason = {},
                            std::string attendance = {}) {
  return {kind, std::move(ref), std::move(reason), std::move(attendance), "test", ""};
}

using Kind = handlers::StaffAction::Kind;

TEST(BookingStaff, CancelTellsThePersonWhyAndAttendanceWaitsForTheSession) {
  TurnHarness h;
  const auto b = book_monday_nine(h);
  const auto& snap = *h.content().snapshot();
  auto r = handlers::staff_action(h.store(), snap, staff(Kind::kAttendance, b.ref, {}, "attended"),
                                  kTestNow);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("has not started"), std::string::npos);
  EXPECT_FALSE(
      handlers::staff_action(h.store(), snap, staff(Kind::kCancel, b.ref, "  "), kTestNow));
  EXPECT_FALSE(
      handlers::staff_action(h.store(), snap, staff(Kind::kCancel, "TV-NOPE", "x"), kTestNow));
  EXPECT_TRUE(handlers::staff_action(h.store(), snap, staff(Kind::kConfirm, b.ref), kTestNow));
  r = handlers::staff_action(h.store(), snap,
                             staff(Kind::kCancel, b.ref, "Chuyên viên bận đột xuất"), kTestNow);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const auto told = outbox_texts(h, "a", "staff");
  ASSERT_EQ(told.size(), 2u);  // confirmed, then cancelled with the reason
  EXPECT_NE(told[1].find("Chuyên viên bận đột xuất"), std::string::npos);
  EXPECT_TRUE(bookings_of(h, "a").empty());
  // Both actions are in the audit log, with who, what, which booking and the reason; the
  // refused ones are not.
  storage::AuditFilter all;
  const auto log = h.store().staff.audit_log(all);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].action, "booking_cancel");
  EXPECT_EQ(log[0].actor, "test");
  EXPECT_EQ(log[0].object, b.ref);
  EXPECT_EQ(log[0].detail, "Chuyên viên bận đột xuất");
  EXPECT_EQ(log[1].action, "booking_confirm");
}

TEST(BookingStaff, AnActionAnswersWithTheBookingAsStoredAfterIt) {
  TurnHarness h;
  const auto b = book_monday_nine(h);
  const auto& snap = *h.content().snapshot();
  const auto confirmed =
      handlers::staff_action(h.store(), snap, staff(Kind::kConfirm, b.ref), kTestNow + 1);
  ASSERT_TRUE(confirmed.has_value()) << confirmed.error().message;
  EXPECT_EQ(confirmed->confirmed_at, kTestNow + 1);
  EXPECT_EQ(confirmed->updated_at, kTestNow + 1);
  const auto cancelled = handlers::staff_action(
      h.store(), snap, staff(Kind::kCancel, b.ref, "  Chuyên viên nghỉ ốm \n"), kTestNow + 2);
  ASSERT_TRUE(cancelled.has_value()) << cancelled.error().message;
  EXPECT_EQ(cancelled->status, "cancelled");
  EXPECT_EQ(cancelled->cancel_reason, "Chuyên viên nghỉ ốm");
  EXPECT_EQ(cancelled->cancelled_by, "staff");
  EXPECT_EQ(cancelled->updated_at, kTestNow + 2);
  const auto stored = h.store().bookings.by_ref(b.ref);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(cancelled->cancel_reason, stored->cancel_reason);
  EXPECT_EQ(cancelled->confirmed_at, stored->confirmed_at);
  EXPECT_EQ(cancelled->seat, stored->seat);
}

TEST(BookingStaff, WhereAStatusMayGoAndRefusalsChangeNothing) {
  TurnHarness h;
  const auto b = book_monday_nine(h);
  const auto& snap = *h.content().snapshot();
  auto act = [&](const handlers::StaffAction& a, std::int64_t now) {
    return handlers::staff_action(h.store(), snap, a, now);
  };
  auto refused = [&](const handlers::StaffAction& a, std::int64_t now) {
    const auto r = act(a, now);
    // A refusal rolls back: no transaction is left open on the connection.
    EXPECT_NE(sqlite3_get_autocommit(h.db().getHandle()), 0);
    return r ? Errc::kOk : r.error().code;
  };
  const std::int64_t started = b.starts_at + 60'000;
  EXPECT_EQ(refused(staff(Kind::kAttendance, b.ref, {}, "maybe"), started), Errc::kInvalidInput);
  EXPECT_EQ(refused(staff(Kind::kCancel, b.ref, std::string(501, 'x')), kTestNow), Errc::kTooLarge);
  EXPECT_EQ(refused(staff(Kind::kConfirm, "TV-NOPE"), kTestNow), Errc::kNotFound);
  EXPECT_EQ(refused(staff(Kind::kAttendance, b.ref, {}, "attended"), b.starts_at - 1),
            Errc::kConflict);  // not started yet
  EXPECT_EQ(h.store().bookings.by_ref(b.ref)->status, "booked");
  EXPECT_TRUE(outbox_texts(h, "a", "staff").empty());

  auto marked = act(staff(Kind::kAttendance, b.ref, {}, "attended"), started);
  ASSERT_TRUE(marked.has_value()) << marked.error().message;
  EXPECT_EQ(marked->status, "attended");
  marked = act(staff(Kind::kAttendance, b.ref, {}, "no_show"), started);  // corrected
  ASSERT_TRUE(marked.has_value()) << marked.error().message;
  EXPECT_EQ(marked->status, "no_show");
  EXPECT_EQ(refused(staff(Kind::kConfirm, b.ref), started), Errc::kConflict);
  EXPECT_EQ(refused(staff(Kind::kCancel, b.ref, "late"), started), Errc::kConflict);
  EXPECT_EQ(h.store().bookings.by_ref(b.ref)->status, "no_show");
  EXPECT_TRUE(outbox_texts(h, "a", "staff").empty());  // attendance is not told
}

TEST(BookingStaff, ListingsAndExportsCoverTheSameDays) {
  const std::int64_t today = local_time::day_of(kTestNow);
  auto days = [](std::string_view from, std::string_view to) {
    const auto r = handlers::booking_days(from, to, kTestNow);
    return r ? std::pair(r->first_day, r->last_day) : std::pair(std::int64_t{-1}, std::int64_t{-1});
  };
  EXPECT_EQ(days("", ""), std::pair(today, today));
  EXPECT_EQ(days("2026-11-30", ""), std::pair(day_of(2026, 11, 30), day_of(2026, 11, 30)));
  EXPECT_EQ(days("", "2026-12-05"), std::pair(today, day_of(2026, 12, 5)));
  EXPECT_EQ(days("2026-01-01", "2027-01-02"), std::pair(day_of(2026, 1, 1), day_of(2027, 1, 2)));
  EXPECT_EQ(days("2024-01-01", "2025-01-02").first, -1);  // 367 days: past a (leap) year
  EXPECT_EQ(days("", "2026-11-27").first, -1);            // before today
  EXPECT_EQ(days("30-11-2026", "").first, -1);
  EXPECT_EQ(days("2026-02-29", "").first, -1);
  const auto refused = handlers::booking_days("2026-12-02", "2026-12-01", kTestNow);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, Errc::kInvalidInput);
  EXPECT_NE(refused.error().message.find("YYYY-MM-DD"), std::string::npos);
}

TEST(BookingChat, DeletingMyDataDeletesMyBookingsAndFreesTheSeat) {
  TurnHarness h;
  h.follow("a");
  fill_form(h, "a", "legal", slot_payload(2026, 11, 30, 9 * 60));
  h.press("flow:confirm", "a");
  ASSERT_EQ(bookings_of(h, "a").size(), 1u);
  h.store().people.forget(h.person("a"));
  EXPECT_TRUE(bookings_of(h, "a").empty());
  SQLite::Statement left(h.db(), "SELECT COUNT(*) FROM bookings");
  left.executeStep();
  EXPECT_EQ(left.getColumn(0).getInt(), 0);
}

TEST(BookingFiles, CalendarAndCsvCarryTheBookingSafely) {
  TurnHarness h;
  h.follow("a");
  fill_form(h, "a", "legal", slot_payload(2026, 11, 30, 9 * 60));
  h.press("flow:confirm", "a");
  auto b = bookings_of(h, "a").front();
  const auto& snap = *h.content().snapshot();
  const std::string ics = handlers::booking_ics(b, snap);
  EXPECT_NE(ics.find("DTSTART:20261130T020000Z\r\n"), std::string::npos) << ics;  // 09:00 +07
  EXPECT_NE(ics.find("DTEND:20261130T024500Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("UID:" + b.ref + "@outreach-bot"), std::string::npos);
  for (std::size_t start = 0, end; (end = ics.find("\r\n", start)) != std::string::npos;
       start = end + 2)
    EXPECT_LE(end - start, 75u) << "RFC 5545 lines are at most 75 octets";
  b.description = "=HYPERLINK(\"http://x\")";
  const std::string csv = handlers::bookings_csv({b}, snap);
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://x\"\")\""), std::string::npos) << csv;
  EXPECT_NE(csv.find("\"2026-11-30 09:00\""), std::string::npos);
}

}  // namespace
}  // namespace outreach
