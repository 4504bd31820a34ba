// Events over HTTP against the real App with the shipped example events: a web chat visitor
// registers, the ticket page and its QR code (decoded by zbarimg, Debian's zbar-tools), the
// calendar file, and check-in at the door through the admin API and the CLI's rules. The App
// runs on a fake clock set to Saturday 28/11/2026 09:00 (Asia/Ho_Chi_Minh).
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "bot/core/local_time.hpp"
#include "handlers/events.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_app.hpp"
#include "tests/support/turn_harness.hpp"
#include "tests/support/web_visitor.hpp"

namespace outreach {
namespace {
using namespace std::chrono_literals;
using testing::TestApp;
using testing::text_of;
using testing::WebVisitor;

constexpr const char* kAdminToken = "admin-e2e-token-0123456789";
constexpr const char* kEvent = "tap-huan-nhan-hieu-2026-12";

std::string run_output(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr)
    return out;
  char buf[256];
  while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
  pclose(p);
  return out;
}

TEST(EventsE2E, RegisterInTheWebChatThenTheTicketPageQrAndCheckInAtTheDoor) {
  FakeClock clock(testing::kTestNow);
  setenv("OUTREACH_ADMIN_TOKEN", kAdminToken, 1);
  TestApp t([](app::Config& c) { c.webchat.poll_timeout = 5s; }, &clock);
  unsetenv("OUTREACH_ADMIN_TOKEN");
  const std::map<std::string, std::string> auth = {
      {"Authorization", std::string("Bearer ") + kAdminToken}};

  WebVisitor v(t.port(), "visitor-events-000001");
  ASSERT_EQ(v.start().status, 202);
  v.receive(1, 20s);
  auto step = [&](bool press, const std::string& what) {
    clock.advance(3s);
    EXPECT_EQ(press ? v.press(what).status : v.text(what).status, 202) << what;
    const auto r = v.receive(1, 20s);
    return r.empty() ? nlohmann::json() : r.back();
  };
  const auto listed = step(false, "có sự kiện nào sắp tới không");
  EXPECT_NE(listed.dump().find("events:show:" + std::string(kEvent)), std::string::npos)
      << listed.dump();
  const auto details = step(true, std::string("events:show:") + kEvent);
  EXPECT_NE(text_of(details).find("Sự kiện ví dụ"), std::string::npos) << text_of(details);
  step(true, std::string("events:register:") + kEvent);
  step(false, "Võ Thị Hoa");
  step(false, "0912 345 678");
  step(false, "mình là hộ kinh doanh");
  const auto summary = step(true, "flow:skip");
  EXPECT_NE(text_of(summary).find("Hộ kinh doanh"), std::string::npos) << text_of(summary);
  const auto ticket = step(true, "flow:confirm");
  const std::string text = text_of(ticket);
  const auto at = text.find("/t/");
  ASSERT_NE(at, std::string::npos) << text;
  const std::string code = handlers::normalize_code(text.substr(at + 3, 20));
  ASSERT_EQ(code.size(), 20u) << text;
  EXPECT_NE(ticket.value("image_url", std::string()).find("/t/" + code + ".png"),
            std::string::npos);

  // The ticket page: the event, the attendee and the QR code as SVG; unknown codes are 404.
  auto page = testing::http_request(t.port(), "GET", "/t/" + code);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.headers["cache-control"], "no-store");
  EXPECT_NE(page.body.find("Võ Thị Hoa"), std::string::npos);
  EXPECT_NE(page.body.find("<svg"), std::string::npos);
  EXPECT_NE(page.body.find("Vé hợp lệ"), std::string::npos);
  EXPECT_EQ(testing::http_request(t.port(), "GET", "/t/abcdefghjkmnpqrstuvw").status, 404);
  EXPECT_EQ(testing::http_request(t.port(), "GET", "/t/..%2f..%2fetc").status, 404);
  auto ics = testing::http_request(t.port(), "GET", "/t/" + code + ".ics");
  EXPECT_EQ(ics.status, 200);
  EXPECT_NE(ics.body.find("DTSTART:20261216T010000Z"), std::string::npos) << ics.body;

  // The QR image decodes to the code.
  auto png = testing::http_request(t.port(), "GET", "/t/" + code + ".png");
  ASSERT_EQ(png.status, 200);
  EXPECT_EQ(png.headers["content-type"], "image/png");
  const std::string file = t.dir().file("ticket.png");
  std::ofstream(file, std::ios::binary) << png.body;
  EXPECT_EQ(run_output("zbarimg --raw -q " + file), code + "\n");

  // At the door (16/12 07:40): ok, then "already" with the time of the first scan; a retry
  // with the same nonce counts once.
  clock.set(local_time::unix_ms(*local_time::day_from(2026, 12, 16), 7 * 60 + 40));
  const std::string path = std::string("/admin/events/") + kEvent + "/checkin";
  auto scan = [&](const std::string& c, const std::string& nonce) {
    auto r = testing::http_request(t.port(), "POST", path,
                                   nlohmann::json{{"code", c}, {"nonce", nonce}}.dump(), auth);
    EXPECT_EQ(r.status, 200) << r.body;
    return nlohmann::json::parse(r.body, nullptr, false);
  };
  EXPECT_EQ(testing::http_request(t.port(), "POST", path, R"({"code":"x","nonce":"y"})").status,
            401);
  const auto ok = scan(code, "scan-1");
  EXPECT_EQ(ok["result"], "ok");
  EXPECT_EQ(ok["name"], "Võ Thị Hoa");
  EXPECT_EQ(ok["checked_in_at"], "2026-12-16 07:40");
  EXPECT_EQ(scan(code, "scan-1")["result"], "ok");
  clock.advance(2min);
  const auto again = scan(code, "scan-2");
  EXPECT_EQ(again["result"], "already");
  EXPECT_EQ(again["checked_in_at"], "2026-12-16 07:40");
  EXPECT_EQ(scan("nothing-like-it", "scan-3")["result"], "unknown");
  EXPECT_EQ(testing::http_request(t.port(), "POST", path, R"({"code":1})", auth).status, 400);
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM event_checkins"), 3);

  // Staff's view and export.
  auto list = testing::http_request(t.port(), "GET", "/admin/events", {}, auth);
  ASSERT_EQ(list.status, 200);
  bool seen = false;
  const auto listed_events = nlohmann::json::parse(list.body);
  for (const auto& e : listed_events["events"])
    if (e["id"] == kEvent) {
      seen = true;
      EXPECT_EQ(e["registered"], 1);
      EXPECT_EQ(e["checked_in"], 1);
    }
  EXPECT_TRUE(seen) << list.body;
  auto csv = testing::http_request(
      t.port(), "GET", std::string("/admin/events/") + kEvent + "/registrations.csv", {}, auth);
  EXPECT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("Võ Thị Hoa"), std::string::npos);
  EXPECT_NE(csv.body.find("2026-12-16 07:40"), std::string::npos) << csv.body;
  // The same as a spreadsheet: a zip whose shared strings hold the name, the phone as text.
  auto xlsx = testing::http_request(
      t.port(), "GET", std::string("/admin/events/") + kEvent + "/registrations.xlsx", {}, auth);
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
  const std::string book = t.dir().file("registrations.xlsx");
  std::ofstream(book, std::ios::binary) << xlsx.body;
  const std::string strings = run_output("unzip -p " + book + " xl/sharedStrings.xml");
  EXPECT_NE(strings.find("Võ Thị Hoa"), std::string::npos) << strings;
  EXPECT_NE(strings.find("+84912345678"), std::string::npos) << strings;
}

}  // namespace
}  // namespace outreach
