// Booking over HTTP against the real App: many web chat visitors racing for the last seat, the
// calendar link, and staff working through the admin API. The App runs on a fake clock set to
// Saturday 28/11/2026 09:00 (Asia/Ho_Chi_Minh), with the shipped content.
#include <atomic>
#include <barrier>
#include <cstdlib>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "bot/core/local_time.hpp"
#include "tests/support/test_app.hpp"
#include "tests/support/turn_harness.hpp"
#include "tests/support/web_visitor.hpp"

namespace outreach {
namespace {
using namespace std::chrono_literals;
using testing::TestApp;
using testing::text_of;
using testing::WebVisitor;

// Monday 30/11/2026 08:00: a private (one-seat) legal session.
std::string last_seat() {
  return "flow:choice:" +
         std::to_string(local_time::unix_ms(*local_time::day_from(2026, 11, 30), 8 * 60));
}

// Drives one visitor through the booking form up to the summary; false if a step went wrong.
// Each step moves the fake clock by 3 s, as a person typing would (the web chat allows a burst
// of 10 messages, then one every 2 s).
bool fill_form(WebVisitor& v, FakeClock& clock, const std::string& slot) {
  auto step = [&](bool press, const std::string& what) {
    clock.advance(3s);
    const int status = press ? v.press(what).status : v.text(what).status;
    return status == 202 && !v.receive(1, 20s).empty();
  };
  return v.start().status == 202 && !v.receive(1, 20s).empty() && step(true, "booking:new") &&
         step(true, "flow:choice:legal") && step(true, slot) &&
         step(true, "flow:choice:in_person") && step(false, "Lê Minh Tú") &&
         step(false, "0903 123 456") && step(false, "Cơ sở may Minh Tú") &&
         step(true, "flow:choice:household") &&
         step(false, "Muốn chuyển hộ kinh doanh thành công ty và cần hỏi thủ tục");
}

constexpr const char* kAdminToken = "admin-e2e-token-0123456789";

// The App on `clock` with the admin API on (the bearer token is kAdminToken).
std::unique_ptr<TestApp> app_with_admin_api(FakeClock& clock) {
  setenv("OUTREACH_ADMIN_TOKEN", kAdminToken, 1);
  auto t = std::make_unique<TestApp>([](app::Config& c) { c.webchat.poll_timeout = 5s; }, &clock);
  unsetenv("OUTREACH_ADMIN_TOKEN");
  return t;
}

std::map<std::string, std::string> admin_auth() {
  return {{"Authorization", std::string("Bearer ") + kAdminToken}};
}

// Fills the form and confirms; the replies to the confirmation (none if a step went wrong).
std::vector<nlohmann::json> book(WebVisitor& v, FakeClock& clock, const std::string& slot) {
  if (!fill_form(v, clock, slot) || v.press("flow:confirm").status != 202)
    return {};
  return v.receive(1, 20s);
}

TEST(BookingE2E, TwentyVisitorsRacingForTheLastSeatGiveExactlyOneBooking) {
  FakeClock clock(testing::kTestNow);
  TestApp t([](app::Config& c) { c.webchat.poll_timeout = 5s; }, &clock);
  constexpr int kVisitors = 20;
  std::barrier ready(kVisitors);
  std::atomic<int> booked{0};
  std::atomic<int> told_taken{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kVisitors; ++i) {
    threads.emplace_back([&, i] {
      WebVisitor v(t.port(), "visitor-booking-" + std::to_string(100000 + i));
      const bool filled = fill_form(v, clock, last_seat());
      ready.arrive_and_wait();  // everyone at the summary with 08:00 chosen; confirm at once
      if (!filled || v.press("flow:confirm").status != 202)
        return;
      const auto r = v.receive(1, 20s);
      if (r.empty())
        return;
      const std::string text = text_of(r.back());
      if (text.find("Mã lịch hẹn") != std::string::npos)
        ++booked;
      else if (text.find("vừa có người đặt") != std::string::npos)
        ++told_taken;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(booked.load(), 1);
  EXPECT_EQ(told_taken.load(), kVisitors - 1);
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM bookings"), 1);
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM bookings WHERE status = 'booked' AND seat = 1"), 1);
}

TEST(BookingE2E, CalendarLinkAndStaffAdminApi) {
  FakeClock clock(testing::kTestNow);
  const auto app = app_with_admin_api(clock);
  TestApp& t = *app;
  WebVisitor v(t.port(), "visitor-booking-200001");
  const auto done = book(v, clock, last_seat());
  ASSERT_FALSE(done.empty());
  std::string link;
  for (const auto& b : done.back().value("buttons", nlohmann::json::array()))
    if (b.contains("url"))
      link = b["url"].get<std::string>();
  ASSERT_NE(link.find("/booking/TV-"), std::string::npos) << done.back().dump();
  const std::string path = link.substr(link.find("/booking/"));
  auto ics = testing::http_request(t.port(), "GET", path);
  EXPECT_EQ(ics.status, 200);
  EXPECT_EQ(ics.headers["content-type"], "text/calendar; charset=utf-8");
  EXPECT_NE(ics.body.find("DTSTART:20261130T010000Z"), std::string::npos) << ics.body;
  EXPECT_EQ(
      testing::http_request(t.port(), "GET", path.substr(0, path.find("?k=")) + "?k=guess").status,
      404);

  const auto auth = admin_auth();
  EXPECT_EQ(testing::http_request(t.port(), "GET", "/admin/bookings?from=2026-11-30").status, 401);
  EXPECT_EQ(testing::http_request(t.port(), "GET", "/admin/bookings?from=2026-11-30", {},
                                  {{"Authorization", "Bearer wrong"}})
                .status,
            401);
  auto list = testing::http_request(t.port(), "GET", "/admin/bookings?from=2026-11-30", {}, auth);
  ASSERT_EQ(list.status, 200) << list.body;
  const auto rows = nlohmann::json::parse(list.body)["bookings"];
  ASSERT_EQ(rows.size(), 1u);
  const std::string ref = rows[0]["ref"];
  EXPECT_EQ(rows[0]["starts_at"], "2026-11-30 08:00");
  EXPECT_EQ(rows[0]["phone"], "+84903123456");
  auto csv =
      testing::http_request(t.port(), "GET", "/admin/bookings.csv?from=2026-11-30", {}, auth);
  EXPECT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find(ref), std::string::npos);
  EXPECT_EQ(
      testing::http_request(t.port(), "GET", "/admin/bookings?from=30-11-2026", {}, auth).status,
      400);

  const std::string base = "/admin/bookings/" + ref;
  EXPECT_EQ(testing::http_request(t.port(), "POST", base + "/cancel", "{}", auth).status, 400);
  EXPECT_EQ(
      testing::http_request(t.port(), "POST", "/admin/bookings/TV-NOPE/confirm", "{}", auth).status,
      404);
  EXPECT_EQ(testing::http_request(t.port(), "POST", base + "/attendance",
                                  R"({"status":"attended"})", auth)
                .status,
            409);  // the session has not happened yet
  auto cancel = testing::http_request(t.port(), "POST", base + "/cancel",
                                      R"({"reason":"Chuyên viên đi công tác đột xuất"})", auth);
  ASSERT_EQ(cancel.status, 200) << cancel.body;
  const auto told = v.receive(1, 20s);
  ASSERT_FALSE(told.empty());
  EXPECT_NE(text_of(told.back()).find("Chuyên viên đi công tác đột xuất"), std::string::npos);
  EXPECT_EQ(
      t.count(
          "SELECT COUNT(*) FROM bookings WHERE status = 'cancelled' AND cancelled_by = 'staff'"),
      1);
}

// A staff action answers with the booking as the database holds it afterwards: what a listing
// right after shows, the reason and who cancelled included.
TEST(BookingE2E, AdminActionsAnswerWithTheBookingAsStored) {
  FakeClock clock(testing::kTestNow);
  const auto app = app_with_admin_api(clock);
  TestApp& t = *app;
  WebVisitor v(t.port(), "visitor-booking-300001");
  ASSERT_FALSE(book(v, clock, last_seat()).empty());
  const auto auth = admin_auth();
  auto listed = [&] {
    auto list = testing::http_request(t.port(), "GET", "/admin/bookings?from=2026-11-30", {}, auth);
    EXPECT_EQ(list.status, 200) << list.body;
    return nlohmann::json::parse(list.body)["bookings"].at(0);
  };
  const std::string base = "/admin/bookings/" + listed()["ref"].get<std::string>();

  auto confirm = testing::http_request(t.port(), "POST", base + "/confirm", "{}", auth);
  ASSERT_EQ(confirm.status, 200) << confirm.body;
  EXPECT_EQ(nlohmann::json::parse(confirm.body)["booking"], listed());
  EXPECT_EQ(listed()["confirmed"], true);

  EXPECT_EQ(
      testing::http_request(t.port(), "POST", base + "/attendance", R"({"status":"maybe"})", auth)
          .status,
      400);
  auto cancel = testing::http_request(t.port(), "POST", base + "/cancel",
                                      R"({"reason":"Chuyên viên đi công tác đột xuất"})", auth);
  ASSERT_EQ(cancel.status, 200) << cancel.body;
  const auto answered = nlohmann::json::parse(cancel.body)["booking"];
  EXPECT_EQ(answered["status"], "cancelled");
  EXPECT_EQ(answered["cancel_reason"], "Chuyên viên đi công tác đột xuất");
  EXPECT_EQ(answered["cancelled_by"], "staff");
  EXPECT_EQ(answered, listed());

  // The same rules as the command line: a listing spans at most 366 days; a query that is not
  // a valid query string is refused, not guessed at.
  EXPECT_EQ(testing::http_request(t.port(), "GET", "/admin/bookings?from=2026-01-01&to=2027-01-02",
                                  {}, auth)
                .status,
            200);
  EXPECT_EQ(testing::http_request(t.port(), "GET", "/admin/bookings?from=2026-01-01&to=2027-01-03",
                                  {}, auth)
                .status,
            400);
  EXPECT_EQ(testing::http_request(t.port(), "GET", "/admin/bookings?from=%zz", {}, auth).status,
            400);
  EXPECT_EQ(
      testing::http_request(t.port(), "GET", "/admin/bookings?from=2026-11-30%", {}, auth).status,
      400);
}

}  // namespace
}  // namespace outreach
