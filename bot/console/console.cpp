#include "bot/console/console.hpp"

#include <algorithm>
#include <cctype>

#include <SQLiteCpp/Transaction.h>
#include <boost/asio/post.hpp>

#include "bot/console/page.hpp"
#include "bot/core/log.hpp"
#include "bot/core/text.hpp"
#include "bot/net/crypto.hpp"
#include "storage/async.hpp"
#include "storage/db_executor.hpp"

namespace outreach::console {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using server::Request;
using server::RequestInfo;
using server::Response;

constexpr std::string_view kSessionCookie = "ob_session";
constexpr std::string_view kLoginCookie = "ob_login";  // the login form's CSRF pair
constexpr std::int64_t kLockMs = 15 * 60 * 1000;

// One account: two failures free, then waits, locked at the tenth. One address (a ward office
// behind one NAT, all its staff): looser, so one person's typos do not lock out the others.
struct ThrottlePolicy {
  int free_failures;
  int lock_after;
};

constexpr ThrottlePolicy kPerAccount{2, 10};
constexpr ThrottlePolicy kPerAddress{10, 50};

// A hash to verify against when the account does not exist, so the answer takes as long.
const std::string& dummy_hash() {
  static const std::string h = hash_password("no account has this password");
  return h;
}

// Who is asking: the peer, or behind the reverse proxy on this machine (deploy/nginx.conf, the
// bot listening on loopback) the address nginx appended last to X-Forwarded-For. Without this
// every staff member would be 127.0.0.1: one person's typos would throttle the whole office and
// the audit log would not say from where.
std::string client_address(const Request& req, const std::string& peer) {
  const bool loopback = peer == "127.0.0.1" || peer == "::1" || peer.starts_with("::ffff:127.");
  const auto field_value = req["X-Forwarded-For"];
  const std::string forwarded(field_value.data(), field_value.size());
  if (!loopback || forwarded.empty())
    return peer;
  std::string last =
      forwarded.substr(forwarded.rfind(',') == std::string::npos ? 0 : forwarded.rfind(',') + 1);
  last = std::string(text::trim(last));
  const bool plausible =
      !last.empty() && last.size() <= 45 && std::all_of(last.begin(), last.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':';
      });
  return plausible ? last : peer;
}

// The Origin of a state-changing request is this server's own.
bool same_origin(const Request& req) {
  const std::string origin = header(req, http::field::origin);
  const std::string host = header(req, http::field::host);
  return !host.empty() && (origin == "http://" + host || origin == "https://" + host);
}

std::int64_t delay_after(int failures, const ThrottlePolicy& p) {
  if (failures >= p.lock_after)
    return kLockMs;
  if (failures <= p.free_failures)
    return 0;
  return std::min<std::int64_t>(60'000, 1000LL << std::min(failures - p.free_failures - 1, 6));
}

std::string login_body(const Page& p,
                       const std::string& token,
                       const std::string& email,
                       const std::string& problem) {
  std::string b;
  if (!problem.empty())
    b += "<p class=\"problem\" role=\"alert\">" + esc(problem) + "</p>";
  b += "<form method=\"post\" action=\"/console/login\" class=\"card\">" + Page::csrf_field(token) +
       "<label for=\"email\">Email</label><input id=\"email\" name=\"email\" type=\"email\" "
       "autocomplete=\"username\" required value=\"" +
       esc(email) + "\"><label for=\"password\">" + p.tr("Mật khẩu", "Password") +
       "</label><input id=\"password\" name=\"password\" type=\"password\" "
       "autocomplete=\"current-password\" required><button type=\"submit\">" +
       p.tr("Đăng nhập", "Sign in") + "</button></form>";
  return b;
}

}  // namespace

Console::Console(ConsoleDeps deps) : d_(std::move(deps)) {
  (void)dummy_hash();  // computed once at start, not on the first unknown email
}

asio::awaitable<Response> Console::handle(Request& req, RequestInfo& info) {
  const std::string_view target(req.target().data(), req.target().size());
  const auto qpos = target.find('?');
  const std::string path(target.substr(0, qpos));
  const std::string_view query =
      qpos == std::string_view::npos ? std::string_view{} : target.substr(qpos + 1);
  const bool get = req.method() == http::verb::get || req.method() == http::verb::head;
  const bool post = req.method() == http::verb::post;
  const std::int64_t now = d_.clock.now_ms();
  Page page(d_, req);
  const std::string address = client_address(req, info.remote);
  info.route = "console";
  if (!d_.options.enabled)
    co_return server::json_error(req, 404, "not_found", "the console is off (console.enabled)");
  if (!get && !post)
    co_return server::json_error(req, 405, "method_not_allowed", "use GET or POST");
  auto parsed_query = net::parse_query(query);
  if (!parsed_query)
    co_return server::json_error(req, 400, "malformed", "the query string is malformed");
  const net::QueryParams& q = *parsed_query;

  // A volunteer's check-in link: the token in the path is the only key (no account).
  if (path.starts_with("/console/door/")) {
    const std::string token = path.substr(std::string_view("/console/door/").size());
    const bool origin_ok = same_origin(req);
    co_return co_await door_by_link(d_, req, info, page, token, origin_ok, now);
  }

  if (path == "/console/lang") {
    page.set_cookie(kLangCookie, field(q, "to") == "en" ? "en" : "vi", 365LL * 24 * 3600);
    co_return page.redirect("/console/");
  }

  // ---- signing in ----
  if (path == "/console/login") {
    info.route = "console_login";
    if (get) {
      const std::string token = random_token(32);
      page.set_cookie(kLoginCookie, token, 3600);
      co_return page.html(200, page.tr("Đăng nhập", "Sign in"), login_body(page, token, "", ""));
    }
    const auto form = form_of(req);
    const std::string pair = cookie(req, kLoginCookie);
    if (!form || !same_origin(req) || pair.empty() ||
        !net::constant_time_equal(pair, field(*form, "csrf")))
      co_return page.html(403, page.tr("Không được phép", "Forbidden"),
                          "<p>" +
                              page.tr("Yêu cầu không hợp lệ: hãy mở lại trang đăng nhập.",
                                      "The request is not valid: open the sign-in page again.") +
                              " <a href=\"/console/login\">" + page.tr("Đăng nhập", "Sign in") +
                              "</a></p>");
    const std::string email = normalize_email(field(*form, "email")).value_or("");
    const std::string password = field(*form, "password").substr(0, 256);
    const std::string account_key = "account:" + email;
    const std::string address_key = "address:" + address;

    struct Before {
      std::optional<storage::StaffRow> staff;
      bool blocked = false;
    };

    const Before before = co_await d_.writer.run([&](storage::Store& s) {
      Before b;
      b.staff = email.empty() ? std::nullopt : s.staff.find(email);
      b.blocked = s.staff.failures(account_key).blocked_until > now ||
                  s.staff.failures(address_key).blocked_until > now;
      return b;
    });
    bool ok = false;
    if (!before.blocked) {
      const std::string hash =
          before.staff && !before.staff->disabled ? before.staff->password_hash : dummy_hash();
      ok = co_await storage::async_completion<bool>([&](std::function<void(bool)> complete) {
        asio::post(d_.hashing,
                   [&password, hash, complete] { complete(verify_password(password, hash)); });
      });
      ok = ok && before.staff && !before.staff->disabled;
    }
    if (!ok) {
      co_await d_.writer.run([&](storage::Store& s) {
        SQLite::Transaction t(s.db);
        const std::pair<const std::string&, const ThrottlePolicy&> keys[] = {
            {account_key, kPerAccount}, {address_key, kPerAddress}};
        for (const auto& [key, policy] : keys) {
          const int n = s.staff.failures(key).failures + 1;
          s.staff.record_failure(key, n, now + delay_after(n, policy), now);
        }
        s.staff.audit(now, email.empty() ? "?" : email, "login_failed", email, address,
                      before.blocked ? "throttled" : "");
        t.commit();
      });
      log::warn("console", "login_failed", {{"throttled", before.blocked}});
      const std::string token = random_token(32);
      page.set_cookie(kLoginCookie, token, 3600);
      co_return page.html(401, page.tr("Đăng nhập", "Sign in"),
                          login_body(page, token, email,
                                     page.tr("Email hoặc mật khẩu không đúng, hoặc cần đợi một "
                                             "lúc trước khi thử lại.",
                                             "Wrong email or password, or too many attempts: "
                                             "wait a moment and try again.")));
    }
    // A new session id at every login (nothing from before the login carries over).
    const std::string id = random_token(32);
    const std::string csrf = random_token(32);
    co_await d_.writer.run([&](storage::Store& s) {
      SQLite::Transaction t(s.db);
      s.staff.open_session(net::sha256_hex(id), before.staff->id, csrf, address, now);
      s.staff.clear_failures(account_key);
      s.staff.clear_failures(address_key);
      s.staff.audit(now, email, "login", email, address, "");
      t.commit();
    });
    page.set_cookie(kLoginCookie, "", 0);
    page.set_cookie(kSessionCookie, id, d_.options.absolute_timeout.count() / 1000);
    co_return page.redirect("/console/");
  }

  // ---- everything else needs a session ----
  const std::string sid = cookie(req, kSessionCookie);
  std::optional<Session> session;
  if (!sid.empty()) {
    const std::string id_hash = net::sha256_hex(sid);
    const auto idle = d_.options.idle_timeout.count();
    const auto absolute = d_.options.absolute_timeout.count();
    session = co_await d_.writer.run([&](storage::Store& s) -> std::optional<Session> {
      auto row = s.staff.session(id_hash);
      if (!row)
        return std::nullopt;
      if (row->staff.disabled || row->last_seen_at + idle < now ||
          row->created_at + absolute < now) {
        s.staff.close_session(id_hash);
        return std::nullopt;
      }
      s.staff.touch_session(id_hash, now);
      return Session{row->staff, id_hash, row->csrf,
                     role_from_string(row->staff.role).value_or(Role::kCheckin)};
    });
  }
  if (!session) {
    if (get)
      co_return page.redirect("/console/login");
    co_return page.html(403, page.tr("Không được phép", "Forbidden"),
                        "<p>" + page.tr("Phiên làm việc đã hết hạn.", "The session has ended.") +
                            " <a href=\"/console/login\">" + page.tr("Đăng nhập", "Sign in") +
                            "</a></p>");
  }
  const Session& s = *session;
  std::optional<net::QueryParams> form;
  if (post) {
    form = form_of(req);
    if (!form || !same_origin(req) || !net::constant_time_equal(field(*form, "csrf"), s.csrf)) {
      log::warn("console", "csrf_refused", {{"route", path}});
      co_return page.html(403, page.tr("Không được phép", "Forbidden"),
                          "<p>" +
                              page.tr("Yêu cầu thiếu mã bảo vệ hoặc đến từ trang khác.",
                                      "The request has no valid token or comes from another "
                                      "site.") +
                              "</p>",
                          &s);
    }
  }
  if (path == "/console/logout") {
    info.route = "console_logout";
    if (!post)
      co_return server::json_error(req, 405, "method_not_allowed", "use POST");
    co_await d_.writer.run([&](storage::Store& st) {
      st.staff.close_session(s.id_hash);
      st.staff.audit(now, s.staff.email, "logout", s.staff.email, address, "");
    });
    page.set_cookie(kSessionCookie, "", 0);
    co_return page.redirect("/console/login");
  }

  if (path == "/console/" || path == "/console") {
    info.route = "console_home";
    std::string b = "<p>" + page.tr("Xin chào", "Hello") + " " + esc(s.staff.email) + " — " +
                    role_name(page, s.role) + ".</p><ul class=\"cards\">";
    if (may_use_inbox(s.role))
      b += "<li><a href=\"/console/inbox\">" +
           page.tr("Hộp thư: người dân cần gặp cán bộ", "Inbox: people who asked for staff") +
           "</a></li><li><a href=\"/console/bookings\">" +
           page.tr("Lịch tư vấn của Văn phòng Tư vấn khởi nghiệp",
                   "The Startup Advisory Office's sessions") +
           "</a></li>";
    if (may_edit_content(s.role))
      b += "<li><a href=\"/console/questions\">" +
           page.tr("Câu hỏi trợ lý chưa trả lời được: gắn với câu trả lời đúng",
                   "Questions the bot could not answer: attach them to the right answer") +
           "</a></li><li><a href=\"/console/broadcasts\">" +
           page.tr("Thông báo đến người đăng ký nhận tin", "Announcements to subscribers") +
           "</a></li>";
    if (s.role == Role::kAdmin)
      b += "<li><a href=\"/console/staff\">" + page.tr("Tài khoản cán bộ", "Staff accounts") +
           "</a></li><li><a href=\"/console/audit\">" + page.tr("Nhật ký thao tác", "Audit log") +
           "</a></li>";
    if (s.role != Role::kAdvisor)
      b += "<li><a href=\"/console/events\">" +
           page.tr("Sự kiện: đăng ký và điểm danh", "Events: registrations and check-in") +
           "</a></li>";
    b += "</ul>";
    co_return page.html(200, page.tr("Bảng điều khiển", "Console"), b, &s);
  }

  Ctx c{d_, req, info, page, s, path, q, form ? &*form : nullptr, now, address};
  if (path == "/console/bookings" || path == "/console/bookings.csv" ||
      path.starts_with("/console/bookings/"))
    co_return co_await bookings_page(c);
  if (path == "/console/staff" || path.starts_with("/console/staff/"))
    co_return co_await staff_page(c);
  if (path == "/console/inbox" || path.starts_with("/console/inbox/"))
    co_return co_await inbox_page(c);
  if (path == "/console/questions" || path.starts_with("/console/questions/"))
    co_return co_await questions_page(c);
  if (path == "/console/broadcasts" || path.starts_with("/console/broadcasts/"))
    co_return co_await broadcasts_page(c);
  if (path == "/console/events" || path.starts_with("/console/events/"))
    co_return co_await events_page(c);
  if (path == "/console/audit")
    co_return co_await audit_page(c);
  co_return c.not_found();
}

}  // namespace outreach::console
