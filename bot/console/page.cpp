#include "bot/console/page.hpp"

#include <boost/asio/use_awaitable.hpp>

#include "storage/db_executor.hpp"

namespace outreach::console {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using server::Request;
using server::Response;

namespace {

constexpr std::size_t kMaxForm = 16 * 1024;

}  // namespace

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

bool may_use_inbox(Role r) {
  return r == Role::kAdmin || r == Role::kAdvisor;
}

bool may_edit_content(Role r) {
  return r == Role::kAdmin || r == Role::kEditor;
}

Page::Page(const ConsoleDeps& d, const Request& req) : req_(req) {
  en_ = cookie(req, kLangCookie) == "en";
  secure_ = d.options.secure_cookie == "always" ||
            (d.options.secure_cookie == "auto" && !local_host(header(req, http::field::host)));
}

void Page::set_cookie(std::string_view name, std::string_view value, std::int64_t max_age_s) {
  std::string c =
      std::string(name) + "=" + std::string(value) +
      "; Path=/console; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_s);
  if (secure_)
    c += "; Secure";
  cookies_.push_back(std::move(c));
}

Response Page::html(unsigned status,
                    const std::string& title,
                    const std::string& body,
                    const Session* s) const {
  std::string nav;
  if (s) {
    nav += "<nav aria-label=\"" + tr("Trang", "Pages") + "\"><a href=\"/console/\">" +
           tr("Trang chính", "Home") + "</a>";
    if (may_use_inbox(s->role))
      nav += "<a href=\"/console/inbox\">" + tr("Hộp thư", "Inbox") +
             "</a><a href=\"/console/bookings\">" + tr("Lịch tư vấn", "Bookings") + "</a>";
    if (may_edit_content(s->role))
      nav += "<a href=\"/console/questions\">" + tr("Câu hỏi", "Questions") +
             "</a><a href=\"/console/broadcasts\">" + tr("Thông báo", "Announcements") + "</a>";
    if (s->role != Role::kAdvisor)
      nav += "<a href=\"/console/events\">" + tr("Sự kiện", "Events") + "</a>";
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

Response Page::redirect(std::string_view to) const {
  Response res = server::make_response(req_, 303, "", "text/plain; charset=utf-8");
  res.set(http::field::location, to);
  finish(res);
  return res;
}

std::string Page::csrf_field(const std::string& token) {
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(token) + "\">";
}

void Page::finish(Response& res) const {
  for (const auto& c : cookies_) res.insert(http::field::set_cookie, c);
  res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "same-origin");
  res.set("Content-Security-Policy",
          "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
          "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
}

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

Response Ctx::forbidden() const {
  return page.html(403, page.tr("Không được phép", "Forbidden"),
                   "<p>" +
                       page.tr("Tài khoản của bạn không dùng được trang này.",
                               "Your account's role cannot use this page.") +
                       "</p>",
                   &s);
}

Response Ctx::not_found() const {
  return page.html(404, page.tr("Không tìm thấy", "Not found"),
                   "<p><a href=\"/console/\">" + page.tr("Trang chính", "Home") + "</a></p>", &s);
}

Response Ctx::problem(unsigned status,
                      const std::string& title,
                      const std::string& message,
                      const std::string& back_href,
                      const std::string& back_label) const {
  return page.html(status, title,
                   "<p class=\"problem\" role=\"alert\">" + esc(message) + "</p><p><a href=\"" +
                       esc(back_href) + "\">" + esc(back_label) + "</a></p>",
                   &s);
}

asio::awaitable<void> Ctx::audit(std::string action, std::string object, std::string detail) const {
  co_await d.writer.run([&](storage::Store& st) {
    st.staff.audit(now, s.staff.email, action, object, address, detail);
  });
}

}  // namespace outreach::console
