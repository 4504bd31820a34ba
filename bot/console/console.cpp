#include "bot/console/console.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>

#include <SQLiteCpp/Transaction.h>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

#include "bot/core/local_time.hpp"
#include "bot/core/log.hpp"
#include "bot/core/text.hpp"
#include "bot/net/crypto.hpp"
#include "bot/net/url.hpp"
#include "handlers/booking.hpp"
#include "storage/async.hpp"

namespace outreach::console {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using server::Request;
using server::RequestInfo;
using server::Response;

constexpr std::string_view kSessionCookie = "ob_session";
constexpr std::string_view kLoginCookie = "ob_login";  // the login form's CSRF pair
constexpr std::string_view kLangCookie = "ob_lang";
constexpr std::int64_t kLockMs = 15 * 60 * 1000;

// One account: two failures free, then waits, locked at the tenth. One address (a ward office
// behind one NAT, all its staff): looser, so one person's typos do not lock out the others.
struct ThrottlePolicy {
  int free_failures;
  int lock_after;
};

constexpr ThrottlePolicy kPerAccount{2, 10};
constexpr ThrottlePolicy kPerAddress{10, 50};
constexpr std::size_t kMaxForm = 16 * 1024;

// A hash to verify against when the account does not exist, so the answer takes as long.
const std::string& dummy_hash() {
  static const std::string h = hash_password("no account has this password");
  return h;
}

std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string header(const Request& req, http::field f) {
  const auto v = req[f];
  return std::string(v.data(), v.size());
}

std::string cookie(const Request& req, std::string_view name) {
  const std::string all = header(req, http::field::cookie);
  std::size_t at = 0;
  while (at < all.size()) {
    std::size_t end = all.find(';', at);
    if (end == std::string::npos)
      end = all.size();
    std::string_view part(all.data() + at, end - at);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=')
      return std::string(part.substr(name.size() + 1));
    at = end + 1;
  }
  return {};
}

bool local_host(std::string_view host) {
  const std::string_view h = host.substr(
      0, host.rfind(':') == std::string_view::npos || host.starts_with("[")
             ? host.find(']') == std::string_view::npos ? host.size() : host.find(']') + 1
             : host.rfind(':'));
  return h == "localhost" || h == "127.0.0.1" || h == "[::1]";
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

struct Session {
  storage::StaffRow staff;
  std::string id_hash;
  std::string csrf;
  Role role = Role::kCheckin;
};

class Page {
 public:
  Page(const ConsoleDeps& d, const Request& req, Response res = {})
      : d_(d), req_(req), res_(std::move(res)) {
    en_ = cookie(req, kLangCookie) == "en";
    secure_ = d.options.secure_cookie == "always" ||
              (d.options.secure_cookie == "auto" && !local_host(header(req, http::field::host)));
  }

  bool en() const { return en_; }

  std::string tr(std::string_view vi, std::string_view en) const {
    return std::string(en_ ? en : vi);
  }

  void set_cookie(std::string_view name, std::string_view value, std::int64_t max_age_s) {
    std::string c =
        std::string(name) + "=" + std::string(value) +
        "; Path=/console; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_s);
    if (secure_)
      c += "; Secure";
    cookies_.push_back(std::move(c));
  }

  Response html(unsigned status,
                const std::string& title,
                const std::string& body,
                const Session* s = nullptr) const {
    std::string nav;
    if (s) {
      nav += "<nav aria-label=\"" + tr("Trang", "Pages") + "\"><a href=\"/console/\">" +
             tr("Trang chính", "Home") + "</a>";
      if (s->role == Role::kAdmin || s->role == Role::kAdvisor)
        nav += "<a href=\"/console/inbox\">" + tr("Hộp thư", "Inbox") +
               "</a><a href=\"/console/bookings\">" + tr("Lịch tư vấn", "Bookings") + "</a>";
      if (s->role == Role::kAdmin)
        nav += "<a href=\"/console/staff\">" + tr("Tài khoản", "Accounts") +
               "</a><a href=\"/console/audit\">" + tr("Nhật ký", "Audit log") + "</a>";
      nav += "</nav><form method=\"post\" action=\"/console/logout\" class=\"inline\">" +
             csrf_field(s->csrf) + "<span class=\"who\">" + esc(s->staff.email) + " (" +
             std::string(to_string(s->role)) + ")</span> <button type=\"submit\">" +
             tr("Đăng xuất", "Sign out") + "</button></form>";
    }
    const std::string lang_link = en_ ? "<a href=\"/console/lang?to=vi\" lang=\"vi\">Tiếng Việt</a>"
                                      : "<a href=\"/console/lang?to=en\" lang=\"en\">English</a>";
    std::string page =
        "<!doctype html>\n<html lang=\"" + std::string(en_ ? "en" : "vi") +
        "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
        "content=\"width=device-width, initial-scale=1\"><title>" +
        esc(title) +
        " · outreach-bot</title><link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" "
        "href=\"/console/static/console.css\"></head><body><header><strong>outreach-bot" +
        "</strong>" + nav + lang_link + "</header><main><h1>" + esc(title) + "</h1>" + body +
        "</main></body></html>\n";
    Response res = server::make_response(req_, status, std::move(page), "text/html; charset=utf-8");
    finish(res);
    return res;
  }

  Response redirect(std::string_view to) const {
    Response res = server::make_response(req_, 303, "", "text/plain; charset=utf-8");
    res.set(http::field::location, to);
    finish(res);
    return res;
  }

  static std::string csrf_field(const std::string& token) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(token) + "\">";
  }

 private:
  void finish(Response& res) const {
    for (const auto& c : cookies_) res.insert(http::field::set_cookie, c);
    res.set(http::field::cache_control, "no-store");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("X-Frame-Options", "DENY");
    res.set("Referrer-Policy", "same-origin");
    res.set("Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  }

  const ConsoleDeps& d_;
  const Request& req_;
  Response res_;
  bool en_ = false;
  bool secure_ = true;
  std::vector<std::string> cookies_;
};

// The form fields of a POST body (application/x-www-form-urlencoded).
std::optional<net::QueryParams> form_of(const Request& req) {
  if (req.body().size() > kMaxForm)
    return std::nullopt;
  auto q = net::parse_query(req.body(), 32);
  if (!q)
    return std::nullopt;
  return *q;
}

std::string field(const net::QueryParams& q, std::string_view name) {
  const auto it = q.find(name);
  return it == q.end() ? std::string{} : it->second;
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

std::string role_name(const Page& p, Role r) {
  switch (r) {
    case Role::kAdmin:
      return p.tr("Quản trị", "Administrator");
    case Role::kEditor:
      return p.tr("Biên tập", "Editor");
    case Role::kAdvisor:
      return p.tr("Tư vấn viên", "Advisor");
    case Role::kCheckin:
      return p.tr("Điểm danh", "Check-in");
  }
  return {};
}

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
constexpr std::size_t kMaxReply = 2000;

// How long the platform still lets staff answer: Zalo OA 7 days after the person's last
// message; Messenger 7 days with the HUMAN_AGENT tag; the web chat while the visitor's page is
// open (or when they come back).
std::string window_left(const Page& p, const storage::HandoffRow& h, std::int64_t now) {
  if (h.channel == "web" || h.channel == "cli")
    return p.tr("khi khách còn mở trang chat (hoặc quay lại)",
                "while the visitor's page is open (or when they come back)");
  const std::int64_t left = h.last_person_at + 7 * kDayMs - now;
  if (left <= 0)
    return p.tr("đã hết hạn trả lời trên nền tảng", "the platform no longer allows an answer");
  const std::int64_t hours = left / (3600 * 1000);
  return hours >= 48 ? std::to_string(hours / 24) + p.tr(" ngày", " days")
                     : std::to_string(hours) + p.tr(" giờ", " hours");
}

std::string status_name(const Page& p, const std::string& status) {
  if (status == "open")
    return p.tr("Đang chờ", "Open");
  if (status == "pending")
    return p.tr("Đang xử lý", "Pending");
  if (status == "snoozed")
    return p.tr("Tạm hoãn", "Snoozed");
  return p.tr("Đã xong", "Resolved");
}

std::string author_name(const Page& p, const storage::HandoffMessage& m) {
  if (m.author == "person")
    return p.tr("Người dân", "Person");
  if (m.author == "staff")
    return m.staff;
  if (m.author == "platform")
    return p.tr("Cán bộ (trên Zalo/Facebook)", "Staff (on Zalo/Facebook)");
  return p.tr("Trợ lý tự động", "Assistant");
}

std::string who_label(const Page& p, const storage::HandoffRow& h) {
  std::string out = h.display_name.empty()
                        ? p.tr("Khách", "Visitor") + " #" + std::to_string(h.person_id)
                        : h.display_name;
  return out + " · " + h.channel;
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
  auto forbidden = [&] {
    return page.html(403, page.tr("Không được phép", "Forbidden"),
                     "<p>" +
                         page.tr("Tài khoản của bạn không dùng được trang này.",
                                 "Your account's role cannot use this page.") +
                         "</p>",
                     &s);
  };
  auto audit = [&](std::string action, std::string object, std::string detail) {
    return d_.writer.run([&, action, object, detail](storage::Store& st) {
      st.staff.audit(now, s.staff.email, action, object, address, detail);
    });
  };

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
    if (s.role == Role::kAdmin || s.role == Role::kAdvisor)
      b += "<li><a href=\"/console/inbox\">" +
           page.tr("Hộp thư: người dân cần gặp cán bộ", "Inbox: people who asked for staff") +
           "</a></li><li><a href=\"/console/bookings\">" +
           page.tr("Lịch tư vấn của Văn phòng Tư vấn khởi nghiệp",
                   "The Startup Advisory Office's sessions") +
           "</a></li>";
    if (s.role == Role::kAdmin)
      b += "<li><a href=\"/console/staff\">" + page.tr("Tài khoản cán bộ", "Staff accounts") +
           "</a></li><li><a href=\"/console/audit\">" + page.tr("Nhật ký thao tác", "Audit log") +
           "</a></li>";
    b += "</ul>";
    if (s.role == Role::kEditor || s.role == Role::kCheckin)
      b += "<p>" +
           page.tr("Các trang của vai trò này (thông báo, sự kiện, điểm danh) đang được xây dựng.",
                   "This role's pages (broadcasts, events, check-in) are being built.") +
           "</p>";
    co_return page.html(200, page.tr("Bảng điều khiển", "Console"), b, &s);
  }

  // ---- bookings: advisor, admin ----
  if (path == "/console/bookings" || path == "/console/bookings.csv" ||
      path.starts_with("/console/bookings/")) {
    info.route = "console_bookings";
    if (s.role != Role::kAdmin && s.role != Role::kAdvisor)
      co_return forbidden();
    auto snapshot = d_.content.snapshot();
    if (!snapshot)
      co_return page.html(
          503, page.tr("Chưa sẵn sàng", "Not ready"),
          "<p>" + page.tr("Nội dung chưa được nạp.", "Content is not loaded.") + "</p>", &s);
    if (post) {
      const std::string rest = path.substr(std::string_view("/console/bookings/").size());
      const auto slash = rest.find('/');
      handlers::StaffAction action;
      action.ref = rest.substr(0, slash);
      const std::string verb = slash == std::string::npos ? "" : rest.substr(slash + 1);
      using Kind = handlers::StaffAction::Kind;
      if (verb == "confirm") {
        action.kind = Kind::kConfirm;
      } else if (verb == "cancel") {
        action.kind = Kind::kCancel;
        action.reason = field(*form, "reason");
      } else if (verb == "attended" || verb == "no_show") {
        action.kind = Kind::kAttendance;
        action.attendance = verb;
      } else {
        co_return page.html(404, page.tr("Không tìm thấy", "Not found"), "", &s);
      }
      action.actor = s.staff.email;
      action.address = address;
      auto done = co_await d_.writer.run(
          [&](storage::Store& st) { return handlers::staff_action(st, *snapshot, action, now); });
      if (!done)
        co_return page.html(done.error().code == Errc::kNotFound ? 404 : 409,
                            page.tr("Không làm được", "Not done"),
                            "<p class=\"problem\" role=\"alert\">" + esc(done.error().message) +
                                "</p><p><a href=\"/console/bookings\">" +
                                page.tr("Quay lại lịch", "Back to the bookings") + "</a></p>",
                            &s);
      if (d_.outbox_written)
        d_.outbox_written();
      co_return page.redirect(
          "/console/bookings?day=" + local_time::iso_date(local_time::day_of(done->starts_at)) +
          "&done=" + verb);
    }
    const std::string day = field(q, "day");
    const int span = std::clamp(std::atoi(field(q, "days").c_str()), 1, 31);
    std::string to;
    if (const auto first = local_time::parse_date(day))
      to = local_time::iso_date(*first + span - 1);
    const auto days = handlers::booking_days(day, to, now);
    if (!days)
      co_return page.html(400, page.tr("Ngày không hợp lệ", "Not a date"),
                          "<p class=\"problem\">" + esc(days.error().message) + "</p>", &s);
    // An advisor sees their own sessions by default (booking.yaml: advisors[].staff), and
    // everyone's with advisor=all; a named advisor shows that one.
    std::string advisor = field(q, "advisor");
    if (advisor.empty() && s.role == Role::kAdvisor)
      for (const auto& a : snapshot->booking.advisors)
        if (std::find(a.staff.begin(), a.staff.end(), s.staff.email) != a.staff.end())
          advisor = a.id;
    if (advisor == "all")
      advisor.clear();
    auto rows = co_await d_.writer.run(
        [&](storage::Store& st) { return handlers::bookings_on(st, *days, advisor); });
    if (path.ends_with(".csv")) {
      Response res =
          server::make_response(req, 200, "\xEF\xBB\xBF" + handlers::bookings_csv(rows, *snapshot),
                                "text/csv; charset=utf-8");
      res.set(http::field::content_disposition, "attachment; filename=\"bookings.csv\"");
      res.set(http::field::cache_control, "no-store");
      co_await audit("booking_export", local_time::iso_date(days->first_day), "");
      co_return res;
    }
    const std::string first = local_time::iso_date(days->first_day);
    std::string b =
        "<form method=\"get\" action=\"/console/bookings\" class=\"filters\"><label "
        "for=\"day\">" +
        page.tr("Từ ngày", "From") +
        "</label><input id=\"day\" name=\"day\" type=\"date\" value=\"" + first +
        "\"><label for=\"days\">" + page.tr("Số ngày", "Days") +
        "</label><input id=\"days\" name=\"days\" type=\"number\" min=\"1\" "
        "max=\"31\" value=\"" +
        std::to_string(span) + "\"><label for=\"advisor\">" + page.tr("Chuyên viên", "Advisor") +
        "</label><select id=\"advisor\" name=\"advisor\"><option value=\"all\">" +
        page.tr("Tất cả", "All") + "</option>";
    for (const auto& a : snapshot->booking.advisors)
      b += "<option value=\"" + esc(a.id) + "\"" + (a.id == advisor ? " selected" : "") + ">" +
           esc(a.name.in(page.en() ? content::kEn : content::kVi)) + "</option>";
    b += "</select><button type=\"submit\">" + page.tr("Xem", "Show") +
         "</button> <a href=\"/console/bookings.csv?day=" + first +
         "&amp;days=" + std::to_string(span) +
         "&amp;advisor=" + esc(advisor.empty() ? "all" : advisor) + "\">CSV</a></form>";
    if (rows.empty())
      b += "<p>" +
           page.tr("Không có lịch hẹn nào trong những ngày này.", "No bookings on these days.") +
           "</p>";
    else
      b += "<div class=\"table\"><table><thead><tr><th>" + page.tr("Mã", "Ref") + "</th><th>" +
           page.tr("Thời gian", "Time") + "</th><th>" + page.tr("Chuyên viên", "Advisor") +
           "</th><th>" + page.tr("Người đặt", "Person") + "</th><th>" +
           page.tr("Trạng thái", "Status") + "</th><th>" + page.tr("Thao tác", "Actions") +
           "</th></tr></thead><tbody>";
    for (const auto& r : rows) {
      const std::string act = "/console/bookings/" + esc(r.ref) + "/";
      auto button = [&](const std::string& verb, const std::string& label) {
        return "<form method=\"post\" action=\"" + act + verb + "\" class=\"inline\">" +
               Page::csrf_field(s.csrf) + "<button type=\"submit\">" + label + "</button></form>";
      };
      std::string actions;
      if (r.status == "booked" && !r.confirmed_at)
        actions += button("confirm", page.tr("Xác nhận", "Confirm"));
      if (r.status == "booked" || r.status == "held")
        actions += "<form method=\"post\" action=\"" + act + "cancel\" class=\"inline\">" +
                   Page::csrf_field(s.csrf) + "<label class=\"sr\" for=\"reason-" + esc(r.ref) +
                   "\">" + page.tr("Lý do hủy", "Reason") + "</label><input id=\"reason-" +
                   esc(r.ref) + "\" name=\"reason\" required maxlength=\"500\" placeholder=\"" +
                   page.tr("Lý do hủy", "Reason") + "\"><button type=\"submit\">" +
                   page.tr("Hủy", "Cancel") + "</button></form>";
      if ((r.status == "booked" || r.status == "attended" || r.status == "no_show") &&
          r.starts_at <= now)
        actions += button("attended", page.tr("Có mặt", "Attended")) +
                   button("no_show", page.tr("Vắng", "No show"));
      b += "<tr><td>" + esc(r.ref) + "</td><td>" + esc(local_time::timestamp(r.starts_at)) +
           "</td><td>" + esc(r.advisor) + "</td><td>" + esc(r.name) + "<br>" + esc(r.phone) +
           "</td><td>" + esc(r.status) + (r.confirmed_at ? " ✓" : "") + "</td><td>" + actions +
           "</td></tr>";
    }
    if (!rows.empty())
      b += "</tbody></table></div>";
    co_return page.html(200, page.tr("Lịch tư vấn", "Bookings"), b, &s);
  }

  // ---- accounts and audit: admin ----
  if (path == "/console/staff" || path.starts_with("/console/staff/")) {
    info.route = "console_staff";
    if (s.role != Role::kAdmin)
      co_return forbidden();
    std::string problem;
    if (post && path == "/console/staff") {
      const std::string email = field(*form, "email");
      const auto role = role_from_string(field(*form, "role"));
      const std::string password = field(*form, "password");
      const auto normal = normalize_email(email);
      if (!normal || !role) {
        problem = page.tr("Email hoặc vai trò không hợp lệ.", "Not a valid email or role.");
      } else if (auto why = password_problem(password, *normal, d_.common)) {
        problem = *why;
      } else {
        const std::string hash = co_await storage::async_completion<std::string>(
            [&](std::function<void(std::string)> complete) {
              asio::post(d_.hashing, [password, complete] { complete(hash_password(password)); });
            });
        auto added = co_await d_.writer.run([&](storage::Store& st) {
          SQLite::Transaction t(st.db);
          auto r = add_staff(st, *normal, *role, hash, {s.staff.email, address, now});
          if (r)
            t.commit();
          return r;
        });
        if (!added)
          problem = added.error().message;
        else
          co_return page.redirect("/console/staff");
      }
    } else if (post) {
      const std::string rest = path.substr(std::string_view("/console/staff/").size());
      const auto slash = rest.rfind('/');
      const std::string email = rest.substr(0, slash);
      const std::string verb = slash == std::string::npos ? "" : rest.substr(slash + 1);
      if (verb != "disable" && verb != "enable" && verb != "reset")
        co_return page.html(404, page.tr("Không tìm thấy", "Not found"), "", &s);
      // reset: a new password the admin gives the person; the account's sessions end.
      std::string hash;
      const std::string password = field(*form, "password");
      if (verb == "reset") {
        if (auto why = password_problem(password, email, d_.common)) {
          problem = *why;
        } else {
          hash = co_await storage::async_completion<std::string>(
              [&](std::function<void(std::string)> complete) {
                asio::post(d_.hashing, [password, complete] { complete(hash_password(password)); });
              });
        }
      }
      auto changed = co_await d_.writer.run([&](storage::Store& st) {
        if (!problem.empty())
          return Result<storage::StaffRow, Problem>(Problem{Errc::kInvalidInput, problem});
        SQLite::Transaction t(st.db);
        const AccountChange by{s.staff.email, address, now};
        auto r = verb == "reset" ? reset_password(st, email, hash, by)
                                 : disable_staff(st, email, verb == "disable", by);
        if (r)
          t.commit();
        return r;
      });
      if (!changed)
        problem = changed.error().message;
      else
        co_return page.redirect("/console/staff");
    }
    const auto rows = co_await d_.writer.run([](storage::Store& st) { return st.staff.list(); });
    std::string b;
    if (!problem.empty())
      b += "<p class=\"problem\" role=\"alert\">" + esc(problem) + "</p>";
    b += "<div class=\"table\"><table><thead><tr><th>Email</th><th>" + page.tr("Vai trò", "Role") +
         "</th><th>" + page.tr("Trạng thái", "State") + "</th><th></th></tr></thead><tbody>";
    for (const auto& r : rows) {
      const std::string verb = r.disabled ? "enable" : "disable";
      b += "<tr><td>" + esc(r.email) + "</td><td>" + esc(r.role) + "</td><td>" +
           (r.disabled ? page.tr("đã khóa", "disabled") : page.tr("đang dùng", "active")) +
           "</td><td><form method=\"post\" action=\"/console/staff/" + esc(r.email) + "/" + verb +
           "\" class=\"inline\">" + Page::csrf_field(s.csrf) + "<button type=\"submit\">" +
           (r.disabled ? page.tr("Mở khóa", "Enable") : page.tr("Khóa", "Disable")) +
           "</button></form><form method=\"post\" action=\"/console/staff/" + esc(r.email) +
           "/reset\" class=\"inline\">" + Page::csrf_field(s.csrf) +
           "<label class=\"sr\" for=\"reset-" + esc(r.email) + "\">" +
           page.tr("Mật khẩu mới", "New password") + "</label><input id=\"reset-" + esc(r.email) +
           "\" name=\"password\" type=\"password\" minlength=\"12\" " +
           "autocomplete=\"new-password\" required placeholder=\"" +
           page.tr("Mật khẩu mới", "New password") + "\"><button type=\"submit\">" +
           page.tr("Đặt lại", "Reset") + "</button></form></td></tr>";
    }
    b += "</tbody></table></div><h2>" + page.tr("Thêm tài khoản", "Add an account") +
         "</h2><form method=\"post\" action=\"/console/staff\" class=\"card\">" +
         Page::csrf_field(s.csrf) +
         "<label for=\"new-email\">Email</label><input id=\"new-email\" name=\"email\" "
         "type=\"email\" required><label for=\"new-role\">" +
         page.tr("Vai trò", "Role") + "</label><select id=\"new-role\" name=\"role\">";
    for (Role r : {Role::kAdvisor, Role::kEditor, Role::kCheckin, Role::kAdmin})
      b +=
          "<option value=\"" + std::string(to_string(r)) + "\">" + role_name(page, r) + "</option>";
    b += "</select><label for=\"new-password\">" +
         page.tr("Mật khẩu (ít nhất 12 ký tự)", "Password (12 characters or more)") +
         "</label><input id=\"new-password\" name=\"password\" type=\"password\" minlength=\"12\" "
         "autocomplete=\"new-password\" required><button type=\"submit\">" +
         page.tr("Thêm", "Add") + "</button></form>";
    co_return page.html(problem.empty() ? 200 : 400, page.tr("Tài khoản cán bộ", "Staff accounts"),
                        b, &s);
  }

  // ---- the handoff inbox: advisor, admin ----
  if (path == "/console/inbox" || path.starts_with("/console/inbox/")) {
    info.route = "console_inbox";
    if (s.role != Role::kAdmin && s.role != Role::kAdvisor)
      co_return forbidden();
    if (path == "/console/inbox/wait") {
      // Long poll: answers when the inbox changed from `since`, or after 25 s.
      const std::string since = field(q, "since");
      auto executor = co_await asio::this_coro::executor;
      asio::steady_timer timer(executor);
      std::pair<std::string, int> v;
      for (int i = 0; i < 25; ++i) {
        v = co_await d_.writer.run([&](storage::Store& st) {
          st.handoffs.wake_snoozed(d_.clock.now_ms());
          return st.handoffs.version();
        });
        if (v.first != since)
          break;
        timer.expires_after(std::chrono::seconds(1));
        co_await timer.async_wait(asio::use_awaitable);
      }
      Response res = server::make_response(
          req, 200, nlohmann::json{{"version", v.first}, {"open", v.second}}.dump(),
          "application/json");
      res.set(http::field::cache_control, "no-store");
      co_return res;
    }
    if (post) {
      const std::string rest = path.substr(std::string_view("/console/inbox/").size());
      const auto slash = rest.find('/');
      const std::int64_t id = std::atoll(rest.substr(0, slash).c_str());
      const std::string verb = slash == std::string::npos ? "" : rest.substr(slash + 1);
      const std::string reply(text::trim(field(*form, "text")));
      if (verb == "reply" && (reply.empty() || reply.size() > kMaxReply))
        co_return page.html(400, page.tr("Không gửi được", "Not sent"),
                            "<p class=\"problem\" role=\"alert\">" +
                                page.tr("Tin trả lời trống hoặc dài quá 2.000 ký tự.",
                                        "The reply is empty or longer than 2,000 characters.") +
                                "</p><p><a href=\"/console/inbox/" + std::to_string(id) + "\">" +
                                page.tr("Quay lại", "Back") + "</a></p>",
                            &s);
      auto snapshot = d_.content.snapshot();
      const bool done = co_await d_.writer.run([&](storage::Store& st) {
        SQLite::Transaction t(st.db);
        const auto h = st.handoffs.find(id);
        if (!h || h->status == "resolved")
          return false;
        bool ok = true;
        if (verb == "reply") {
          OutboundMessage m;
          m.text = reply;
          st.outbox.enqueue(h->person_id, MessageKind::kStaff, m, now);
          st.handoffs.add_message(id, "staff", s.staff.email, reply, now);
          if (h->status != "pending" || h->assignee != s.staff.email)
            st.handoffs.take(id, s.staff.email, now);
        } else if (verb == "take") {
          ok = st.handoffs.take(id, s.staff.email, now);
        } else if (verb == "snooze") {
          const int hours = std::clamp(std::atoi(field(*form, "hours").c_str()), 1, 72);
          ok = st.handoffs.snooze(id, now + hours * 3600LL * 1000, now);
        } else if (verb == "reopen") {
          ok = st.handoffs.reopen(id, now);
        } else if (verb == "resolve") {
          ok = st.handoffs.resolve(id, now);
          if (ok && snapshot) {  // the person is told the bot answers again
            OutboundMessage m;
            m.text = snapshot->ui(h->language, "handoff.resolved");
            st.outbox.enqueue(h->person_id, MessageKind::kStaff, m, now);
            st.handoffs.add_message(id, "bot", "", m.text, now);
          }
        } else {
          return false;
        }
        if (!ok)
          return false;
        // Who did what to which conversation; never the text (it is in the thread).
        st.staff.audit(now, s.staff.email, "handoff_" + verb, std::to_string(id), address, "");
        t.commit();
        return true;
      });
      if (!done)
        co_return page.html(409, page.tr("Không làm được", "Not done"),
                            "<p class=\"problem\" role=\"alert\">" +
                                page.tr("Cuộc trò chuyện không còn hoặc đã xong.",
                                        "The conversation is gone or already resolved.") +
                                "</p><p><a href=\"/console/inbox\">" +
                                page.tr("Về hộp thư", "Back to the inbox") + "</a></p>",
                            &s);
      if (d_.outbox_written && (verb == "reply" || verb == "resolve"))
        d_.outbox_written();
      co_return page.redirect(verb == "resolve" ? "/console/inbox"
                                                : "/console/inbox/" + std::to_string(id));
    }
    if (path != "/console/inbox") {  // one conversation
      const std::int64_t id =
          std::atoll(path.substr(std::string_view("/console/inbox/").size()).c_str());

      struct Thread {
        std::optional<storage::HandoffRow> h;
        std::vector<storage::HandoffMessage> messages;
        std::pair<std::string, int> version;
      };

      const Thread t = co_await d_.writer.run([&](storage::Store& st) {
        Thread out;
        out.h = st.handoffs.find(id);
        if (out.h)
          out.messages = st.handoffs.messages(id);
        out.version = st.handoffs.version();
        return out;
      });
      if (!t.h)
        co_return page.html(404, page.tr("Không tìm thấy", "Not found"),
                            "<p><a href=\"/console/inbox\">" +
                                page.tr("Về hộp thư", "Back to the inbox") + "</a></p>",
                            &s);
      const storage::HandoffRow& h = *t.h;
      std::string b =
          "<p class=\"meta\">" + esc(who_label(page, h)) + " · " +
          esc(status_name(page, h.status)) + (h.assignee.empty() ? "" : " · " + esc(h.assignee)) +
          " · " + page.tr("Còn trả lời được: ", "Can answer: ") + esc(window_left(page, h, now)) +
          "</p><ol class=\"thread\" id=\"thread\" data-version=\"" + esc(t.version.first) +
          "\" data-open=\"" + std::to_string(t.version.second) + "\">";
      for (const auto& m : t.messages)
        b += "<li class=\"msg " + esc(m.author) + "\"><span class=\"from\">" +
             esc(author_name(page, m)) + " · " + esc(local_time::timestamp(m.at)) + "</span><p>" +
             esc(m.text) + "</p></li>";
      b += "</ol>";
      const std::string act = "/console/inbox/" + std::to_string(id) + "/";
      auto button = [&](const std::string& verb, const std::string& label,
                        const std::string& extra = "") {
        return "<form method=\"post\" action=\"" + act + verb + "\" class=\"inline\">" +
               Page::csrf_field(s.csrf) + extra + "<button type=\"submit\">" + label +
               "</button></form>";
      };
      if (h.status != "resolved") {
        b += "<form method=\"post\" action=\"" + act + "reply\" class=\"card\">" +
             Page::csrf_field(s.csrf) + "<label for=\"reply\">" + page.tr("Trả lời", "Reply") +
             "</label><textarea id=\"reply\" name=\"text\" rows=\"3\" maxlength=\"2000\" "
             "required></textarea><button type=\"submit\">" +
             page.tr("Gửi", "Send") + "</button></form><p class=\"actions\">";
        if (h.status != "pending" || h.assignee != s.staff.email)
          b += button("take", page.tr("Nhận xử lý", "Take it"));
        if (h.status != "snoozed")
          b += button("snooze", page.tr("Tạm hoãn 4 giờ", "Snooze 4 hours"),
                      "<input type=\"hidden\" name=\"hours\" value=\"4\">");
        else
          b += button("reopen", page.tr("Mở lại", "Reopen"));
        b += button("resolve", page.tr("Xong, trả lại cho trợ lý", "Resolve, back to the bot")) +
             "</p>";
      }
      b += "<p><a href=\"/console/inbox\">" + page.tr("Về hộp thư", "Back to the inbox") +
           "</a></p><script src=\"/console/static/inbox.js\" defer></script>";
      co_return page.html(200, page.tr("Cuộc trò chuyện", "Conversation"), b, &s);
    }
    std::string status = field(q, "status");
    if (status != "open" && status != "pending" && status != "snoozed" && status != "resolved")
      status = "active";
    const std::vector<std::string> statuses =
        status == "active" ? std::vector<std::string>{"open", "pending", "snoozed"}
                           : std::vector<std::string>{status};

    struct Listing {
      std::vector<storage::HandoffRow> rows;
      std::vector<std::vector<storage::HandoffMessage>> last;
      std::pair<std::string, int> version;
    };

    const Listing l = co_await d_.writer.run([&](storage::Store& st) {
      Listing out;
      st.handoffs.wake_snoozed(now);
      out.rows = st.handoffs.list(statuses);
      for (const auto& r : out.rows) out.last.push_back(st.handoffs.messages(r.id, 2));
      out.version = st.handoffs.version();
      return out;
    });
    std::string b = "<nav class=\"filters\" aria-label=\"" + page.tr("Lọc", "Filter") + "\">";
    for (const auto& [key, vi, en] :
         {std::tuple{"active", "Chưa xong", "Active"}, std::tuple{"open", "Đang chờ", "Open"},
          std::tuple{"pending", "Đang xử lý", "Pending"},
          std::tuple{"snoozed", "Tạm hoãn", "Snoozed"},
          std::tuple{"resolved", "Đã xong", "Resolved"}})
      b += std::string("<a href=\"/console/inbox?status=") + key + "\"" +
           (status == key ? " aria-current=\"page\"" : "") + ">" + page.tr(vi, en) + "</a> ";
    b += "</nav><div id=\"inbox\" data-version=\"" + esc(l.version.first) + "\" data-open=\"" +
         std::to_string(l.version.second) + "\">";
    if (l.rows.empty())
      b += "<p>" + page.tr("Không có cuộc trò chuyện nào.", "No conversations.") + "</p>";
    else
      b += "<ul class=\"inbox\">";
    for (std::size_t i = 0; i < l.rows.size(); ++i) {
      const auto& r = l.rows[i];
      b += "<li><a href=\"/console/inbox/" + std::to_string(r.id) + "\"><strong>" +
           esc(who_label(page, r)) + "</strong> · " + esc(status_name(page, r.status)) +
           (r.assignee.empty() ? "" : " · " + esc(r.assignee)) + "</a><span class=\"meta\">" +
           page.tr("Còn trả lời được: ", "Can answer: ") + esc(window_left(page, r, now)) +
           "</span>";
      for (const auto& m : l.last[i])
        b += "<p class=\"msg " + esc(m.author) + "\">" + esc(author_name(page, m)) + ": " +
             esc(m.text.substr(0, 300)) + "</p>";
      b += "</li>";
    }
    if (!l.rows.empty())
      b += "</ul>";
    b += "</div><script src=\"/console/static/inbox.js\" defer></script>";
    co_return page.html(200, page.tr("Hộp thư hỗ trợ", "Inbox"), b, &s);
  }

  if (path == "/console/audit") {
    info.route = "console_audit";
    if (s.role != Role::kAdmin)
      co_return forbidden();
    storage::AuditFilter f;
    f.actor = field(q, "actor");
    f.action = field(q, "action");
    const std::string since = field(q, "since");
    const auto since_day = local_time::parse_date(since);
    f.since = since_day ? local_time::unix_ms(*since_day) : now - 7LL * 24 * 3600 * 1000;
    const auto rows =
        co_await d_.writer.run([&](storage::Store& st) { return st.staff.audit_log(f); });
    std::string b =
        "<form method=\"get\" action=\"/console/audit\" class=\"filters\"><label "
        "for=\"since\">" +
        page.tr("Từ ngày", "Since") +
        "</label><input id=\"since\" name=\"since\" type=\"date\" value=\"" +
        esc(local_time::iso_date(local_time::day_of(f.since))) + "\"><label for=\"actor\">" +
        page.tr("Ai", "Who") + "</label><input id=\"actor\" name=\"actor\" value=\"" +
        esc(f.actor) + "\"><label for=\"action\">" + page.tr("Thao tác", "Action") +
        "</label><input id=\"action\" name=\"action\" value=\"" + esc(f.action) +
        "\"><button type=\"submit\">" + page.tr("Lọc", "Filter") + "</button></form>";
    b += "<div class=\"table\"><table><thead><tr><th>" + page.tr("Lúc", "When") + "</th><th>" +
         page.tr("Ai", "Who") + "</th><th>" + page.tr("Thao tác", "Action") + "</th><th>" +
         page.tr("Đối tượng", "Object") + "</th><th>" + page.tr("Từ", "From") + "</th><th>" +
         page.tr("Ghi chú", "Detail") + "</th></tr></thead><tbody>";
    for (const auto& r : rows)
      b += "<tr><td>" + esc(local_time::timestamp(r.at)) + "</td><td>" + esc(r.actor) +
           "</td><td>" + esc(r.action) + "</td><td>" + esc(r.object) + "</td><td>" +
           esc(r.address) + "</td><td>" + esc(r.detail) + "</td></tr>";
    b += "</tbody></table></div>";
    co_return page.html(200, page.tr("Nhật ký thao tác", "Audit log"), b, &s);
  }

  co_return page.html(404, page.tr("Không tìm thấy", "Not found"),
                      "<p><a href=\"/console/\">" + page.tr("Trang chính", "Home") + "</a></p>",
                      &s);
}

}  // namespace outreach::console
