// Events over HTTP against the real App with the shipped example events: a web chat visitor
// registers, the ticket page and its QR code (decoded by zbarimg, Debian's zbar-tools), the
// calendar file, and check-in at the door through the admin API and the CLI's rules; then 200
// visitors at once for 50 seats, a cancellation and the waiting line's offers. The App runs on a
// fake clock set to Saturday 28/11/2026 09:00 (Asia/Ho_Chi_Minh).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include <SQLiteCpp/Statement.h>
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
using testing::TempDir;
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

// The first message (waiting up to `limit`) whose text holds one of `needles`; null if none came.
nlohmann::json wait_for_text(WebVisitor& v,
                             const std::vector<std::string>& needles,
                             std::chrono::seconds limit = 30s) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    for (const auto& m : v.receive(1, 2s))
      for (const auto& n : needles)
        if (text_of(m).find(n) != std::string::npos)
          return m;
  }
  return nullptr;
}

std::string payload_starting(const nlohmann::json& m, const std::string& prefix) {
  for (const auto& p : testing::payloads_of(m))
    if (p.rfind(prefix, 0) == 0)
      return p;
  return "";
}

// 200 web chat visitors fill in the form for a class of 50 seats at the same time, each on its
// own connection: exactly 50 tickets, the other 150 in the waiting line. Then over HTTP: one
// holder finds the ticket under "Vé của tôi" and cancels; the first in line is offered the seat,
// lets the offer run out, and it passes to the second, who takes it.
TEST(EventsE2E, TwoHundredAtOnceForFiftySeatsThenACancelMovesTheLine) {
  TempDir dir;
  const std::string content = testing::copy_content(dir);
  for (const auto& entry : std::filesystem::directory_iterator(content + "/events"))
    if (entry.path().extension() == ".yaml")
      std::filesystem::remove(entry.path());
  std::ofstream(content + "/events/lop-dong.yaml")
      << "id: lop-dong\n"
         "title: { vi: Lớp đông người }\n"
         "starts: 2026-12-10 08:00\n"
         "ends: 2026-12-10 11:00\n"
         "place: { vi: Hội trường phường An Nhơn }\n"
         "organiser: economic-office\n"
         "topics: [ip]\n"
         "capacity: 50\n"
         "waitlist: true\n"
         "offer_hours: 2\n"
         "questions:\n"
         "  - id: role\n"
         "    kind: choice\n"
         "    text: { vi: \"Bạn là ai?\" }\n"
         "    choices:\n"
         "      - { value: household, label: { vi: Hộ kinh doanh }, also: [hkd] }\n"
         "      - { value: company, label: { vi: Doanh nghiệp } }\n";
  FakeClock clock(testing::kTestNow);
  TestApp t(
      [&](app::Config& c) {
        c.content_dir = content;
        c.webchat.poll_timeout = 2s;
      },
      &clock);

  constexpr int kPeople = 200;
  std::vector<std::unique_ptr<WebVisitor>> people;
  for (int i = 0; i < kPeople; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "visitor-crowd-%06d", i);
    people.push_back(std::make_unique<WebVisitor>(t.port(), id));
  }
  std::vector<std::string> outcome(kPeople);
  std::vector<std::thread> threads;
  for (int i = 0; i < kPeople; ++i)
    threads.emplace_back([&, i] {
      WebVisitor& v = *people[i];
      v.start();
      v.receive(1, 30s);
      v.press("events:register:lop-dong");
      v.receive(1, 30s);
      static const char* family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng",
                                     "Huỳnh",  "Phan", "Vũ", "Võ",   "Đặng"};
      static const char* given[] = {"An",   "Bình", "Chi", "Dũng", "Giang", "Hà",   "Khoa",
                                    "Lan",  "Minh", "Nam", "Oanh", "Phúc",  "Quân", "Sơn",
                                    "Thảo", "Uyên", "Vy",  "Xuân", "Yến",   "Tâm"};
      v.text(std::string(family[i % 10]) + " Thị " + given[i / 10]);
      v.receive(1, 30s);
      v.text("0901 234 " + std::to_string(100 + i));
      v.receive(1, 30s);
      v.text("hkd");
      v.receive(1, 30s);
      v.press("flow:confirm");
      const auto last = wait_for_text(v, {"/t/", "danh sách chờ"});
      const std::string text = last.is_null() ? "" : text_of(last);
      outcome[i] = text.find("/t/") != std::string::npos ? text.substr(text.find("/t/") + 3, 20)
                   : text.empty()                        ? "nothing"
                                                         : "waiting";
    });
  for (auto& th : threads) th.join();
  std::set<std::string> codes;
  int waiting = 0;
  int first_holder = -1;
  for (int i = 0; i < kPeople; ++i) {
    EXPECT_NE(outcome[i], "nothing") << people[i]->id();
    if (outcome[i] == "waiting") {
      ++waiting;
    } else if (outcome[i] != "nothing") {
      codes.insert(handlers::normalize_code(outcome[i]));
      if (first_holder < 0)
        first_holder = i;
    }
  }
  EXPECT_EQ(codes.size(), 50u);
  EXPECT_EQ(waiting, 150);
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM event_registrations WHERE status = 'registered'"), 50);
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM event_registrations WHERE status = 'waiting'"), 150);
  EXPECT_EQ(t.count("SELECT COUNT(DISTINCT seat) FROM event_registrations"), 50);
  EXPECT_EQ(t.count("SELECT MAX(seat) FROM event_registrations"), 50);
  ASSERT_GE(first_holder, 0);

  // The first two in line, by the order they joined it.
  auto in_line = [&](int k) {
    auto db = t.open_db();
    SQLite::Statement q(db,
                        "SELECT p.platform_user_id FROM event_registrations r JOIN people p ON "
                        "p.id = r.person_id WHERE r.status = 'waiting' ORDER BY r.id LIMIT 1 "
                        "OFFSET :k");
    q.bind(":k", k);
    return q.executeStep() ? q.getColumn(0).getString() : std::string();
  };
  auto visitor = [&](const std::string& id) -> WebVisitor& {
    for (auto& p : people)
      if (p->id() == id)
        return *p;
    ADD_FAILURE() << "no visitor " << id;
    return *people[0];
  };
  WebVisitor& first = visitor(in_line(0));
  WebVisitor& second = visitor(in_line(1));

  // "Vé của tôi" → the ticket → cancel, confirmed.
  WebVisitor& holder = *people[first_holder];
  clock.advance(1min);
  holder.text("vé của tôi");
  const auto mine = wait_for_text(holder, {"Các sự kiện bạn đã đăng ký"});
  const std::string show = payload_starting(mine, "events:ticket:");
  ASSERT_FALSE(show.empty()) << mine.dump();
  holder.press(show);
  const auto ticket = wait_for_text(holder, {"Mã vé"});
  const std::string cancel = payload_starting(ticket, "events:cancel:");
  ASSERT_FALSE(cancel.empty()) << ticket.dump();
  holder.press(cancel);
  const auto sure = wait_for_text(holder, {"chắc chắn"});
  const std::string yes = payload_starting(sure, "events:cancel_yes:");
  ASSERT_FALSE(yes.empty()) << sure.dump();
  holder.press(yes);
  EXPECT_FALSE(wait_for_text(holder, {"Mình đã hủy đăng ký"}).is_null());

  // The first in line is offered the seat (held for 2 hours), and lets it run out.
  const auto offer = wait_for_text(first, {"Có một chỗ vừa trống"});
  ASSERT_FALSE(offer.is_null());
  const std::string stale = payload_starting(offer, "events:take:");
  ASSERT_FALSE(stale.empty()) << offer.dump();
  clock.advance(2h + 1min);
  EXPECT_FALSE(wait_for_text(first, {"Thời gian giữ chỗ cho bạn"}).is_null());
  const auto next = wait_for_text(second, {"Có một chỗ vừa trống"});
  ASSERT_FALSE(next.is_null());
  second.press(payload_starting(next, "events:take:"));
  EXPECT_FALSE(wait_for_text(second, {"/t/"}).is_null());
  first.press(stale);
  EXPECT_FALSE(wait_for_text(first, {"không còn hiệu lực"}).is_null());
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM event_registrations WHERE status = 'registered'"), 50);
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM event_registrations WHERE status = 'passed'"), 1);
  EXPECT_EQ(t.count("SELECT COUNT(*) FROM event_registrations WHERE status = 'cancelled'"), 1);
  EXPECT_EQ(t.count("SELECT MAX(seat) FROM event_registrations"), 50);
}

}  // namespace
}  // namespace outreach
