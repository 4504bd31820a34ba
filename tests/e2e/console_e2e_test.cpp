// The staff console over HTTP: accounts made as the CLI makes them (Argon2id hashes, the audit
// row), signing in and out, the CSRF token and Origin every POST needs, throttled failures with
// one generic message, roles refused outside their pages, and a booking cancelled from the
// console with its audit row.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>

#include "bot/console/accounts.hpp"
#include "bot/core/clock.hpp"
#include "bot/core/local_time.hpp"
#include "storage/store.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_app.hpp"
#include "tests/support/web_visitor.hpp"

namespace outreach {
namespace {
using testing::http_request;
using testing::HttpResult;
using testing::TestApp;

constexpr const char* kPassword = "Correct-Staple-Lamp-71";

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string url_encode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// A browser for the console: keeps its cookies, sends its Origin, finds the forms' tokens.
class Browser {
 public:
  explicit Browser(std::uint16_t port) : port_(port) {}

  HttpResult get(const std::string& target) { return send("GET", target, ""); }

  HttpResult post(const std::string& target,
                  const std::map<std::string, std::string>& fields,
                  bool with_origin = true) {
    std::string body;
    for (const auto& [k, v] : fields) body += (body.empty() ? "" : "&") + k + "=" + url_encode(v);
    return send("POST", target, body, with_origin);
  }

  // The CSRF token of the last page's forms.
  std::string token() const {
    const std::string mark = "name=\"csrf\" value=\"";
    const auto at = last_.find(mark);
    if (at == std::string::npos)
      return "";
    const auto from = at + mark.size();
    return last_.substr(from, last_.find('"', from) - from);
  }

  HttpResult login(const std::string& email, const std::string& password) {
    get("/console/login");
    return post("/console/login", {{"csrf", token()}, {"email", email}, {"password", password}});
  }

  bool has_cookie(const std::string& name) const { return cookies_.contains(name); }

 private:
  HttpResult send(const std::string& method,
                  const std::string& target,
                  const std::string& body,
                  bool with_origin = true) {
    std::map<std::string, std::string> headers;
    std::string jar;
    for (const auto& [k, v] : cookies_) jar += (jar.empty() ? "" : "; ") + k + "=" + v;
    if (!jar.empty())
      headers["Cookie"] = jar;
    if (method == "POST") {
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      if (with_origin)
        headers["Origin"] = "http://127.0.0.1:" + std::to_string(port_);
    }
    headers["Host"] = "127.0.0.1:" + std::to_string(port_);
    HttpResult r = http_request(port_, method, target, body, headers);
    if (auto it = r.headers.find("set-cookie"); it != r.headers.end()) {
      std::stringstream lines(it->second);
      for (std::string line; std::getline(lines, line);) {
        const auto eq = line.find('=');
        const auto semi = line.find(';');
        const std::string name = line.substr(0, eq);
        const std::string value = line.substr(eq + 1, semi - eq - 1);
        if (value.empty() || has(line, "Max-Age=0"))
          cookies_.erase(name);
        else
          cookies_[name] = value;
      }
    }
    if (r.status == 200 || r.status >= 400)
      last_ = r.body;
    return r;
  }

  std::uint16_t port_;
  std::map<std::string, std::string> cookies_;
  std::string last_;
};

// An account, as `outreach-bot staff add` makes it.
void add_account(TestApp& app, const std::string& email, console::Role role) {
  auto db = app.open_db();
  storage::Store store(db);
  SQLite::Transaction t(db);
  ASSERT_TRUE(
      console::add_staff(store, email, role, console::hash_password(kPassword), {"cli", "", 1})
          .has_value());
  t.commit();
}

class ConsoleE2E : public ::testing::Test {
 protected:
  void add(const std::string& email, console::Role role) { add_account(app, email, role); }

  // A clock that stands still: a throttled account stays throttled however slow the build.
  FakeClock clock{1'796'266'800'000};
  TestApp app{{}, &clock};
};

TEST_F(ConsoleE2E, SignInSeeTheRolesPagesAndSignOut) {
  add("admin@ward.gov.vn", console::Role::kAdmin);
  Browser b(app.port());
  EXPECT_EQ(b.get("/console/").status, 303);  // to the login page
  const HttpResult in = b.login("Admin@Ward.gov.vn", kPassword);
  ASSERT_EQ(in.status, 303) << in.body;
  ASSERT_TRUE(b.has_cookie("ob_session"));
  EXPECT_TRUE(has(in.headers.at("set-cookie"), "HttpOnly"));
  EXPECT_TRUE(has(in.headers.at("set-cookie"), "SameSite=Strict"));
  const HttpResult home = b.get("/console/");
  ASSERT_EQ(home.status, 200);
  EXPECT_TRUE(has(home.body, "admin@ward.gov.vn"));
  EXPECT_TRUE(has(home.body, "/console/audit"));
  const HttpResult log = b.get("/console/audit");
  EXPECT_EQ(log.status, 200);
  EXPECT_TRUE(has(log.body, "<td>login</td>")) << log.body;
  EXPECT_EQ(b.post("/console/logout", {{"csrf", b.token()}}).status, 303);
  EXPECT_FALSE(b.has_cookie("ob_session"));
  EXPECT_EQ(b.get("/console/audit").status, 303);  // signed out: back to the login page
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'logout'"), 1);
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM staff_sessions"), 0);
}

TEST_F(ConsoleE2E, APostWithoutTheTokenOrFromAnotherOriginIsRefused) {
  add("admin@ward.gov.vn", console::Role::kAdmin);
  Browser b(app.port());
  ASSERT_EQ(b.login("admin@ward.gov.vn", kPassword).status, 303);
  b.get("/console/staff");
  const std::string token = b.token();
  ASSERT_FALSE(token.empty());
  const std::map<std::string, std::string> account = {
      {"email", "advisor@ward.gov.vn"}, {"role", "advisor"}, {"password", "Another-Long-Pass-93"}};
  EXPECT_EQ(b.post("/console/staff", account).status, 403);  // no token
  auto with_token = account;
  with_token["csrf"] = token;
  EXPECT_EQ(b.post("/console/staff", with_token, /*with_origin=*/false).status, 403);
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM staff"), 1);  // nothing added
  EXPECT_EQ(b.post("/console/staff", with_token).status, 303);
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM staff WHERE email = 'advisor@ward.gov.vn' AND "
                      "password_hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%'"),
            1);
  // An admin resets another account's password: its sessions end, the new password works.
  Browser advisor(app.port());
  ASSERT_EQ(advisor.login("advisor@ward.gov.vn", "Another-Long-Pass-93").status, 303);
  b.get("/console/staff");
  EXPECT_EQ(b.post("/console/staff/advisor@ward.gov.vn/reset",
                   {{"csrf", b.token()}, {"password", "Third-Long-Pass-2026"}})
                .status,
            303);
  EXPECT_EQ(advisor.get("/console/").status, 303);  // signed out by the reset
  EXPECT_EQ(advisor.login("advisor@ward.gov.vn", "Third-Long-Pass-2026").status, 303);
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'staff_reset' AND actor = "
                      "'admin@ward.gov.vn'"),
            1);
  // A common password is refused with its reason.
  b.get("/console/staff");
  const HttpResult weak = b.post("/console/staff", {{"csrf", b.token()},
                                                    {"email", "e2@ward.gov.vn"},
                                                    {"role", "editor"},
                                                    {"password", "password2024!"}});
  EXPECT_EQ(weak.status, 400);
  EXPECT_TRUE(has(weak.body, "phổ biến")) << weak.body;
}

TEST_F(ConsoleE2E, WrongPasswordsAreThrottledWithOneGenericMessage) {
  add("advisor@ward.gov.vn", console::Role::kAdvisor);
  Browser b(app.port());
  std::string first_message;
  for (int i = 0; i < 3; ++i) {
    const HttpResult r = b.login("advisor@ward.gov.vn", "not-the-password-" + std::to_string(i));
    EXPECT_EQ(r.status, 401);
    if (i == 0)
      first_message = r.body.substr(r.body.find("role=\"alert\""), 120);
  }
  // The third failure in a row blocks the account for a moment: even the right password is
  // refused now, with the same words as for an unknown account.
  const HttpResult blocked = b.login("advisor@ward.gov.vn", kPassword);
  EXPECT_EQ(blocked.status, 401);
  const HttpResult unknown = b.login("nobody@ward.gov.vn", kPassword);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(unknown.body.substr(unknown.body.find("role=\"alert\""), 120), first_message);
  EXPECT_FALSE(b.has_cookie("ob_session"));
  EXPECT_GE(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'login_failed' AND detail = "
                      "'throttled'"),
            1);
}

TEST_F(ConsoleE2E, ACheckinAccountIsRefusedTheBookingsAndAccountPages) {
  add("door@ward.gov.vn", console::Role::kCheckin);
  Browser b(app.port());
  ASSERT_EQ(b.login("door@ward.gov.vn", kPassword).status, 303);
  EXPECT_EQ(b.get("/console/").status, 200);
  EXPECT_EQ(b.get("/console/bookings").status, 403);
  EXPECT_EQ(b.get("/console/bookings.csv").status, 403);
  EXPECT_EQ(b.get("/console/staff").status, 403);
  EXPECT_EQ(b.get("/console/audit").status, 403);
  EXPECT_EQ(b.get("/console/inbox").status, 403);
  EXPECT_EQ(b.get("/console/inbox/wait").status, 403);
  b.get("/console/");
  EXPECT_EQ(
      b.post("/console/bookings/TV-AAAAAA/cancel", {{"csrf", b.token()}, {"reason", "x"}}).status,
      403);
}

// Before the door opens the volunteer is told when it will (12 hours before the start): the
// shipped trademark class starts 2026-12-16 08:00; the clock stands at 2026-12-03.
TEST_F(ConsoleE2E, ADoorNotOpenYetSaysWhenItOpens) {
  add("door@ward.gov.vn", console::Role::kCheckin);
  Browser b(app.port());
  ASSERT_EQ(b.login("door@ward.gov.vn", kPassword).status, 303);
  const std::string path = "/console/events/tap-huan-nhan-hieu-2026-12/checkin";
  ASSERT_EQ(b.get(path).status, 200);
  const HttpResult r = b.post(path, {{"csrf", b.token()}, {"code", "ABCD-EFGH-JK"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(has(r.body, "Chưa đến giờ điểm danh: mở từ 2026-12-15 20:00")) << r.body;
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM event_checkins WHERE result = 'not_open'"), 1);
}

// Behind the reverse proxy on this machine (deploy/nginx.conf) the address is the one nginx
// appended to X-Forwarded-For: throttling and the audit log see each person, not 127.0.0.1.
TEST_F(ConsoleE2E, BehindTheLocalProxyTheForwardedAddressCounts) {
  add("advisor@ward.gov.vn", console::Role::kAdvisor);
  const auto login = [&](const std::string& forwarded) {
    const HttpResult page = http_request(app.port(), "GET", "/console/login");
    const std::string set = page.headers.at("set-cookie");
    const std::string token = set.substr(9, set.find(';') - 9);  // "ob_login=…"
    const std::string host = "127.0.0.1:" + std::to_string(app.port());
    return http_request(app.port(), "POST", "/console/login",
                        "csrf=" + token + "&email=advisor%40ward.gov.vn&password=wrong",
                        {{"Content-Type", "application/x-www-form-urlencoded"},
                         {"Cookie", "ob_login=" + token},
                         {"Origin", "http://" + host},
                         {"Host", host},
                         {"X-Forwarded-For", forwarded}});
  };
  EXPECT_EQ(login("198.51.100.9, 203.0.113.7").status, 401);  // a client's claim, then nginx's
  EXPECT_EQ(login("not an address").status, 401);
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'login_failed' AND "
                      "address = '203.0.113.7'"),
            1);
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM login_failures WHERE key = 'address:203.0.113.7'"), 1);
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'login_failed' AND "
                      "address = '127.0.0.1'"),
            1);  // an unreadable header: the peer
}

TEST_F(ConsoleE2E, TheAuditLogIsAppendOnly) {
  add("admin@ward.gov.vn", console::Role::kAdmin);
  auto db = app.open_db();
  EXPECT_THROW(db.exec("DELETE FROM audit_log"), SQLite::Exception);
  EXPECT_THROW(db.exec("UPDATE audit_log SET actor = 'someone else'"), SQLite::Exception);
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'staff_add'"), 1);
}

// booking.yaml names the console accounts that are an advisor (advisors[].staff): their
// bookings page shows that advisor's sessions by default, and everyone's on request.
TEST(ConsoleAdvisors, AnAdvisorSeesTheirOwnSessionsByDefault) {
  testing::TempDir content;
  std::filesystem::copy(OUTREACH_SOURCE_DIR "/content", content.path(),
                        std::filesystem::copy_options::recursive);
  const auto booking = content.path() / "booking.yaml";
  std::string text;
  {
    std::ifstream in(booking);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string anchor = "  - id: legal-ip\n";
  ASSERT_NE(text.find(anchor), std::string::npos);
  text.replace(text.find(anchor), anchor.size(), anchor + "    staff: [Advisor@Ward.gov.vn]\n");
  std::ofstream(booking) << text;
  FakeClock clock{1'796'266'800'000};
  TestApp app([&](app::Config& c) { c.content_dir = content.path().string(); }, &clock);
  {
    auto db = app.open_db();
    storage::Store store(db);
    ASSERT_TRUE(console::add_staff(store, "advisor@ward.gov.vn", console::Role::kAdvisor,
                                   console::hash_password(kPassword), {"cli", "", 1})
                    .has_value());
  }
  Browser b(app.port());
  ASSERT_EQ(b.login("advisor@ward.gov.vn", kPassword).status, 303);
  const HttpResult own = b.get("/console/bookings");
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_TRUE(has(own.body, "value=\"legal-ip\" selected")) << own.body;
  const HttpResult all = b.get("/console/bookings?advisor=all");
  EXPECT_FALSE(has(all.body, "\" selected")) << all.body;
}

// An admin gives an account another role: its sessions end, its pages change; the last admin
// keeps the role.
TEST_F(ConsoleE2E, AnAdminChangesARoleAndTheSessionsOfThatAccountEnd) {
  add("admin@ward.gov.vn", console::Role::kAdmin);
  add("advisor@ward.gov.vn", console::Role::kAdvisor);
  Browser other(app.port());
  ASSERT_EQ(other.login("advisor@ward.gov.vn", kPassword).status, 303);
  ASSERT_EQ(other.get("/console/inbox").status, 200);
  Browser admin(app.port());
  ASSERT_EQ(admin.login("admin@ward.gov.vn", kPassword).status, 303);
  const HttpResult page = admin.get("/console/staff");
  EXPECT_TRUE(has(page.body, "<option value=\"advisor\" selected>")) << page.body;
  ASSERT_EQ(admin
                .post("/console/staff/advisor@ward.gov.vn/role",
                      {{"csrf", admin.token()}, {"role", "editor"}})
                .status,
            303);
  EXPECT_EQ(other.get("/console/inbox").status, 303) << "the old session ended";
  ASSERT_EQ(other.login("advisor@ward.gov.vn", kPassword).status, 303);
  EXPECT_EQ(other.get("/console/inbox").status, 403);
  EXPECT_EQ(other.get("/console/questions").status, 200);
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'staff_role' AND object = "
                      "'advisor@ward.gov.vn' AND detail = 'advisor → editor'"),
            1);
  admin.get("/console/staff");
  const HttpResult last = admin.post("/console/staff/admin@ward.gov.vn/role",
                                     {{"csrf", admin.token()}, {"role", "checkin"}});
  EXPECT_EQ(last.status, 400);
  EXPECT_TRUE(has(last.body, "quản trị viên cuối cùng")) << last.body;
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM staff WHERE role = 'admin'"), 1);
}

// The bookings page shows who waits for a full day, in line order, with how to reach them.
TEST_F(ConsoleE2E, TheBookingsPageShowsTheWaitlist) {
  add("advisor@ward.gov.vn", console::Role::kAdvisor);
  const std::int64_t day = local_time::day_of(clock.now_ms()) + 1;
  {
    auto db = app.open_db();
    storage::Store store(db);
    const auto person = store.people.touch("web", "", "waiting-visitor-0001", "", "vi", 1);
    store.bookings.add_waiting(person.id, "legal-ip", day,
                               R"({"name":"Lê Thị Hồng","phone":"0909123456"})", 2);
  }
  Browser b(app.port());
  ASSERT_EQ(b.login("advisor@ward.gov.vn", kPassword).status, 303);
  const HttpResult page = b.get("/console/bookings?day=" + local_time::iso_date(day));
  ASSERT_EQ(page.status, 200);
  const std::string body = page.body.substr(page.body.find("Danh sách chờ"));
  EXPECT_TRUE(has(body, "Lê Thị Hồng")) << body;
  EXPECT_TRUE(has(body, "0909123456")) << body;
  EXPECT_TRUE(has(body, "đang chờ")) << body;
  const HttpResult before = b.get("/console/bookings?day=" + local_time::iso_date(day - 1));
  EXPECT_TRUE(has(before.body, "Không ai đang chờ chỗ")) << before.body;
}

// The texts of the messages a web visitor gets within a moment, joined.
std::string texts_of(testing::WebVisitor& v, std::size_t at_least) {
  std::string out;
  for (const auto& m : v.receive(at_least, std::chrono::seconds(10)))
    out += testing::text_of(m) + "\n";
  return out;
}

// A web chat visitor, greeted, asks `text`: how it was read, then the answer.
std::string first_question(testing::WebVisitor& w, const std::string& text) {
  EXPECT_EQ(w.start().status, 202);
  w.receive(1);
  EXPECT_EQ(w.text(text).status, 202);
  return texts_of(w, 2);
}

// The audit-log rows that say the editor did `action` to `object`, with `detail`.
auto edits(TestApp& app,
           const std::string& action,
           const std::string& object,
           const std::string& detail) {
  return app.count("SELECT COUNT(*) FROM audit_log WHERE action = '" + action +
                   "' AND actor = 'editor@ward.gov.vn' AND object = '" + object +
                   "' AND detail = '" + detail + "'");
}

// The whole handoff, over HTTP: a web chat visitor asks for a person, the conversation is in the
// inbox with what they wrote, the bot stays quiet, an advisor replies from the console and the
// visitor gets it, resolving gives the visitor back to the bot; every step is in the audit log.
TEST_F(ConsoleE2E, TheHandoffRoundTrip) {
  add("advisor@ward.gov.vn", console::Role::kAdvisor);
  testing::WebVisitor v(app.port(), "handoff-visitor-000001");
  ASSERT_EQ(v.start().status, 202);
  v.receive(1);
  ASSERT_EQ(v.text("cho tôi nói chuyện với người thật").status, 202);
  const std::string opened = texts_of(v, 1);
  EXPECT_TRUE(has(opened, "đã chuyển cuộc trò chuyện cho cán bộ")) << opened;
  EXPECT_TRUE(has(opened, "thường trả lời trong khoảng 30 phút")) << opened;  // Thu 10:00
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM handoffs WHERE status = 'open' AND reason = 'asked'"),
            1);
  // While it is open the bot says nothing; what the visitor writes is kept for staff.
  ASSERT_EQ(v.text("mình cần hỏi về hỗ trợ vay vốn khởi nghiệp").status, 202);
  // Once the turn has put it in the thread, nothing more comes to the visitor.
  for (int i = 0; i < 200 && app.count("SELECT COUNT(*) FROM handoff_messages WHERE author = "
                                       "'person'") < 2;
       ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM handoff_messages WHERE author = 'person'"), 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(v.peek().empty());

  Browser b(app.port());
  ASSERT_EQ(b.login("advisor@ward.gov.vn", kPassword).status, 303);
  const HttpResult inbox = b.get("/console/inbox");
  ASSERT_EQ(inbox.status, 200);
  EXPECT_TRUE(has(inbox.body, "hỗ trợ vay vốn khởi nghiệp")) << inbox.body;
  EXPECT_TRUE(has(inbox.body, "Đang chờ"));
  EXPECT_TRUE(has(inbox.body, "data-open=\"1\""));
  const HttpResult wait = b.get("/console/inbox/wait?since=old");  // changed: answers at once
  ASSERT_EQ(wait.status, 200);
  EXPECT_EQ(nlohmann::json::parse(wait.body).value("open", -1), 1);
  const auto id = std::to_string(app.count("SELECT id FROM handoffs"));
  ASSERT_EQ(b.get("/console/inbox/" + id).status, 200);
  EXPECT_EQ(b.post("/console/inbox/" + id + "/reply", {{"text", "Chào bạn"}}).status, 403);
  const HttpResult sent =
      b.post("/console/inbox/" + id + "/reply",
             {{"csrf", b.token()},
              {"text", "Chào bạn, mình là cán bộ Phòng Kinh tế, bạn cần vay bao nhiêu?"}});
  ASSERT_EQ(sent.status, 303) << sent.body;
  const std::string reply = texts_of(v, 1);
  EXPECT_TRUE(has(reply, "bạn cần vay bao nhiêu?")) << reply;
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM handoffs WHERE status = 'pending' AND assignee = "
                      "'advisor@ward.gov.vn'"),
            1);
  b.get("/console/inbox/" + id);
  ASSERT_EQ(b.post("/console/inbox/" + id + "/resolve", {{"csrf", b.token()}}).status, 303);
  EXPECT_TRUE(has(texts_of(v, 1), "trợ lý tự động tiếp tục hỗ trợ bạn"));
  ASSERT_EQ(v.text("đăng ký nhãn hiệu").status, 202);  // the bot answers again
  EXPECT_TRUE(has(texts_of(v, 1), "nhãn hiệu"));
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('handoff_reply', "
                      "'handoff_resolve') AND actor = 'advisor@ward.gov.vn' AND object = '" +
                      id + "'"),
            2);
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%vay%'"), 0);
}

// Not understood twice in a row: a person takes over; "quay lại trợ lý" gives the bot back.
TEST_F(ConsoleE2E, NotUnderstoodTwiceOpensAHandoffAndTheVisitorCanComeBack) {
  testing::WebVisitor v(app.port(), "handoff-visitor-000002");
  ASSERT_EQ(v.start().status, 202);
  v.receive(1);
  ASSERT_EQ(v.text("xyzzy plugh qwrtp").status, 202);
  EXPECT_TRUE(has(texts_of(v, 1), "chưa hiểu"));
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM handoffs"), 0);
  ASSERT_EQ(v.text("blorp snarf vrrm").status, 202);
  EXPECT_TRUE(has(texts_of(v, 1), "đã chuyển câu hỏi cho cán bộ"));
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM handoffs WHERE status = 'open' AND reason = "
                      "'not_understood'"),
            1);
  ASSERT_EQ(v.text("menu").status, 202);  // the menu, and still waiting for staff
  const std::string menu = texts_of(v, 2);
  EXPECT_TRUE(has(menu, "đang chờ cán bộ trả lời")) << menu;
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM handoffs WHERE status = 'open'"), 1);
  ASSERT_EQ(v.text("quay lại trợ lý").status, 202);
  EXPECT_TRUE(has(texts_of(v, 1), "trò chuyện lại với trợ lý tự động"));
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM handoffs WHERE status = 'resolved'"), 1);
}

// The words people use to stop waiting end the handoff too, typed loosely.
TEST_F(ConsoleE2E, TheWordsThatLeaveAFormAlsoEndAHandoff) {
  int n = 0;
  for (const char* typed : {"quay lai", "thôi khỏi", "huỷ"}) {
    testing::WebVisitor v(app.port(), "handoff-leaver-00000" + std::to_string(++n));
    ASSERT_EQ(v.start().status, 202);
    v.receive(1);
    ASSERT_EQ(v.text("gap can bo").status, 202);
    EXPECT_TRUE(has(texts_of(v, 1), "đã chuyển cuộc trò chuyện")) << typed;
    ASSERT_EQ(v.text(typed).status, 202);
    EXPECT_TRUE(has(texts_of(v, 1), "trò chuyện lại với trợ lý tự động")) << typed;
  }
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM handoffs WHERE status = 'resolved'"), 3);
}

}  // namespace
}  // namespace outreach

namespace outreach {
namespace {

// A question the shipped content does not answer.
constexpr const char* kAsked = "Xưởng của tôi muốn mượn máy in 3D của phường thì hỏi ai?";

// Unanswered questions that teach the bot: a visitor's miss, sent to staff with the visitor's
// agreement, attached by an editor in the console to the right explainer: the next time the
// same question is answered with it. The content is a copy: attaching writes learned.yaml.
class ConsoleQuestionsE2E : public ::testing::Test {
 protected:
  FakeClock clock{1'796'266'800'000};
  testing::TempDir content_dir;
  TestApp app{[this](app::Config& c) { c.content_dir = testing::copy_content(content_dir); },
              &clock};
};

TEST_F(ConsoleQuestionsE2E, AnAttachedQuestionIsAnsweredNextTime) {
  add_account(app, "editor@ward.gov.vn", console::Role::kEditor);
  add_account(app, "advisor@ward.gov.vn", console::Role::kAdvisor);
  testing::WebVisitor v(app.port(), "questions-visitor-000001");
  ASSERT_EQ(v.start().status, 202);
  v.receive(1);
  ASSERT_EQ(v.text(kAsked).status, 202);
  const auto missed = v.receive(1);
  ASSERT_EQ(missed.size(), 1u);
  EXPECT_TRUE(has(testing::text_of(missed[0]), "cán bộ chỉ thấy câu hỏi"));
  const auto buttons = testing::buttons_of(missed[0]);
  ASSERT_FALSE(buttons.empty());
  EXPECT_EQ(buttons.front(), "Gửi cho cán bộ");
  // Nothing of the text is kept until the visitor says so.
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM questions WHERE text IS NOT NULL"), 0);
  ASSERT_EQ(v.press("question:share").status, 202);
  EXPECT_TRUE(has(texts_of(v, 1), "câu hỏi đã được gửi"));
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM questions WHERE text IS NOT NULL"), 1);
  // Pressing it again after another message sends nothing more.
  ASSERT_EQ(v.text("menu").status, 202);
  v.receive(1);
  ASSERT_EQ(v.press("question:share").status, 202);
  EXPECT_TRUE(has(texts_of(v, 1), "không còn để gửi"));

  Browser advisor(app.port());
  ASSERT_EQ(advisor.login("advisor@ward.gov.vn", kPassword).status, 303);
  EXPECT_EQ(advisor.get("/console/questions").status, 403);

  Browser b(app.port());
  ASSERT_EQ(b.login("editor@ward.gov.vn", kPassword).status, 303);
  const HttpResult list = b.get("/console/questions");
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(has(list.body, "máy in 3D của phường")) << list.body;
  const auto id = std::to_string(app.count("SELECT id FROM questions WHERE text IS NOT NULL"));
  const std::string attach = "/console/questions/" + id + "/attach";
  EXPECT_EQ(b.post(attach, {{"question", kAsked}, {"answer", "explainer:smart-city"}}).status, 403);
  // A personal detail is refused: the question would become public content.
  const HttpResult personal =
      b.post(attach, {{"csrf", b.token()},
                      {"question", std::string(kAsked) + " Gọi 0909 123 456"},
                      {"answer", "explainer:smart-city"}});
  EXPECT_EQ(personal.status, 400);
  EXPECT_TRUE(has(personal.body, "thông tin cá nhân")) << personal.body;
  EXPECT_FALSE(std::filesystem::exists(app.config().content_dir + "/learned.yaml"));
  b.get("/console/questions");
  const HttpResult done = b.post(
      attach, {{"csrf", b.token()}, {"question", kAsked}, {"answer", "explainer:smart-city"}});
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_TRUE(has(b.get("/console/questions").body, "Không có câu hỏi nào đang chờ"));
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM questions WHERE text IS NOT NULL"), 0)
      << "handled: the text is content now, no longer kept with who asked";
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM questions WHERE handled = 'explainer:smart-city' AND "
                      "handled_by = 'editor@ward.gov.vn'"),
            1);
  std::ifstream learned(app.config().content_dir + "/learned.yaml");
  const std::string file{std::istreambuf_iterator<char>(learned), {}};
  EXPECT_TRUE(has(file, "answer: explainer:smart-city")) << file;
  EXPECT_EQ(edits(app, "question_attach", id, "explainer:smart-city"), 1);

  // The same question, typed another way, is now answered with that explainer.
  testing::WebVisitor w(app.port(), "questions-visitor-000002");
  const std::string answered =
      first_question(w, "xuong cua toi muon muon may in 3d cua phuong thi hoi ai");
  EXPECT_TRUE(has(answered, "muốn mượn máy in")) << answered;
  EXPECT_TRUE(has(answered, "Chính quyền số, đô thị thông minh")) << answered;

  // Set aside: listed no more, nothing written to the content.
  ASSERT_EQ(w.text("blorp snarf vrrm").status, 202);
  w.receive(1);
  ASSERT_EQ(w.press("question:share").status, 202);
  w.receive(1);
  const auto other = std::to_string(app.count("SELECT id FROM questions WHERE text IS NOT NULL"));
  b.get("/console/questions");
  ASSERT_EQ(b.post("/console/questions/" + other + "/dismiss", {{"csrf", b.token()}}).status, 303);
  EXPECT_TRUE(has(b.get("/console/questions").body, "Không có câu hỏi nào đang chờ"));
  std::ifstream again(app.config().content_dir + "/learned.yaml");
  EXPECT_FALSE(has(std::string{std::istreambuf_iterator<char>(again), {}}, "blorp"));
  EXPECT_EQ(b.post("/console/questions/" + other + "/dismiss", {{"csrf", b.token()}}).status, 409);
}

// Teaching a phrase from a question: staff say what an everyday phrase means in the content's
// terms; it goes into lexicon.yaml and helps every question that uses it, while the question
// itself stays listed to be attached or set aside.
TEST_F(ConsoleQuestionsE2E, APhraseTaughtFromAQuestionHelpsOtherQuestions) {
  add_account(app, "editor@ward.gov.vn", console::Role::kEditor);
  testing::WebVisitor v(app.port(), "questions-visitor-000003");
  ASSERT_EQ(v.start().status, 202);
  v.receive(1);
  ASSERT_EQ(v.text("mình cần mã sản phẩm in trên hũ mắm").status, 202);
  EXPECT_EQ(testing::buttons_of(v.receive(1).at(0)).front(), "Gửi cho cán bộ");
  ASSERT_EQ(v.press("question:share").status, 202);
  v.receive(1);
  const auto id = std::to_string(app.count("SELECT id FROM questions WHERE text IS NOT NULL"));
  const std::string teach = "/console/questions/" + id + "/teach";

  Browser b(app.port());
  ASSERT_EQ(b.login("editor@ward.gov.vn", kPassword).status, 303);
  const HttpResult list = b.get("/console/questions");
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(has(list.body, "action=\"" + teach + "\"")) << list.body;
  EXPECT_TRUE(has(list.body, "<option value=\"mã số mã vạch\">")) << "the terms are suggested";
  const std::string lexicon = app.config().content_dir + "/lexicon.yaml";
  const auto file = [&] {
    std::ifstream in(lexicon);
    return std::string{std::istreambuf_iterator<char>(in), {}};
  };
  const std::string shipped = file();
  // Refused, each with its reason, the file untouched: a term the content does not use, a
  // phrase the lexicon already has, a personal detail.
  const HttpResult unknown =
      b.post(teach, {{"csrf", b.token()}, {"phrase", "mã sản phẩm"}, {"term", "hũ mắm"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_TRUE(has(unknown.body, "không có trong tiêu đề hay từ khoá")) << unknown.body;
  b.get("/console/questions");
  const HttpResult listed =
      b.post(teach, {{"csrf", b.token()}, {"phrase", "LOGO"}, {"term", "mã số mã vạch"}});
  EXPECT_EQ(listed.status, 400);
  EXPECT_TRUE(has(listed.body, "đã có trong từ điển, nghĩa là &#39;nhãn hiệu&#39;") ||
              has(listed.body, "đã có trong từ điển, nghĩa là 'nhãn hiệu'"))
      << listed.body;
  b.get("/console/questions");
  EXPECT_EQ(
      b.post(teach, {{"csrf", b.token()}, {"phrase", "mã 0909123456"}, {"term", "mã số mã vạch"}})
          .status,
      400);
  // A phrase said apart needs words on both sides of its "…"; a term with the most phrases it
  // may have takes no more (the shipped "tiết kiệm điện" has 40): both refused in the staff's
  // language, the file untouched.
  b.get("/console/questions");
  const HttpResult half =
      b.post(teach, {{"csrf", b.token()}, {"phrase", "… giảm"}, {"term", "giảm tiền điện"}});
  EXPECT_EQ(half.status, 400);
  EXPECT_TRUE(has(half.body, "cần có chữ ở cả hai bên một dấu")) << half.body;
  b.get("/console/questions");
  const HttpResult full = b.post(
      teach, {{"csrf", b.token()}, {"phrase", "tốn điện quá trời"}, {"term", "tiết kiệm điện"}});
  EXPECT_EQ(full.status, 400);
  EXPECT_TRUE(has(full.body, "đã có đủ 40 cách nói")) << full.body;
  EXPECT_EQ(file(), shipped);
  // The phrase the editor means to teach, from a fresh form each time.
  const auto teach_barcode = [&] {
    b.get("/console/questions");
    return b.post(teach,
                  {{"csrf", b.token()}, {"phrase", "mã sản phẩm"}, {"term", "mã số mã vạch"}});
  };
  // A lexicon.yaml broken by hand: refused, said in the staff's language first, then the
  // checker's own words with the file; the file is left as the person left it.
  std::ofstream(lexicon) << "- not a map\n";
  const HttpResult broken = teach_barcode();
  EXPECT_EQ(broken.status, 400);
  EXPECT_TRUE(has(broken.body, "Chưa lưu gì: tệp content/lexicon.yaml vẫn như cũ")) << broken.body;
  EXPECT_TRUE(has(broken.body, "lexicon.yaml")) << broken.body;
  EXPECT_TRUE(has(broken.body, "Trình kiểm tra nội dung báo")) << broken.body;
  EXPECT_EQ(file(), "- not a map\n");
  std::ofstream(lexicon) << shipped;
  // A disk that refuses the write (here the temporary file's name is taken by a folder, which
  // stops root too): the server's fault, named as such and not as the content's, the file kept.
  const std::string blocker = lexicon + ".tmp";
  ASSERT_TRUE(std::filesystem::create_directory(blocker));
  const HttpResult disk = teach_barcode();
  EXPECT_EQ(disk.status, 500);
  EXPECT_TRUE(has(disk.body, "không ghi được tệp content/lexicon.yaml")) << disk.body;
  EXPECT_TRUE(has(disk.body, "người quản trị máy chủ")) << disk.body;
  EXPECT_FALSE(has(disk.body, "Trình kiểm tra nội dung")) << disk.body;
  EXPECT_EQ(file(), shipped);
  std::filesystem::remove(blocker);

  const HttpResult taught = teach_barcode();
  ASSERT_EQ(taught.status, 303) << taught.body;
  EXPECT_TRUE(has(file(), "\"mã sản phẩm\"")) << file();
  const std::string back = taught.headers.at("location");
  EXPECT_EQ(back, "/console/questions?done=taught#q" + id) << "back to the same question";
  const HttpResult after = b.get(back.substr(0, back.find('#')));
  EXPECT_TRUE(has(after.body, "Đã thêm vào từ điển")) << after.body;
  EXPECT_TRUE(has(after.body, "hũ mắm")) << "the question stays listed";
  EXPECT_EQ(edits(app, "lexicon_add", id, "mã số mã vạch"), 1);

  // Another question with the phrase, from someone else, without diacritics: answered.
  testing::WebVisitor w(app.port(), "questions-visitor-000004");
  const std::string answered = first_question(w, "xin ma san pham cho chai nuoc mam o dau");
  EXPECT_TRUE(has(answered, "(mã số mã vạch)")) << answered;
  EXPECT_TRUE(has(answered, "Mã số mã vạch")) << answered;
}

}  // namespace
}  // namespace outreach
