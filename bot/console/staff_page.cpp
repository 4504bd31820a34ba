#include <SQLiteCpp/Transaction.h>
#include <boost/asio/post.hpp>

#include "bot/console/page.hpp"
#include "bot/core/local_time.hpp"
#include "storage/async.hpp"
#include "storage/db_executor.hpp"

namespace outreach::console {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using server::Response;

// Accounts (admin): add, disable or enable, a new password.
asio::awaitable<Response> staff_page(Ctx& c) {
  Page& page = c.page;
  const Session& s = c.s;
  c.info.route = "console_staff";
  if (s.role != Role::kAdmin)
    co_return c.forbidden();
  std::string problem;
  if (c.post()) {
    // add (POST /console/staff), or disable, enable, reset (POST /console/staff/<email>/<verb>)
    const bool add = c.path == "/console/staff";
    const std::string rest = add ? "" : c.path.substr(std::string_view("/console/staff/").size());
    const auto slash = rest.rfind('/');
    const std::string verb = add ? "add" : slash == std::string::npos ? "" : rest.substr(slash + 1);
    if (verb != "add" && verb != "role" && verb != "disable" && verb != "enable" && verb != "reset")
      co_return c.not_found();
    const auto role = role_from_string(c.posted("role"));
    const std::string email =
        add ? normalize_email(c.posted("email")).value_or("") : rest.substr(0, slash);
    const std::string password = c.posted("password");
    // add and reset: a password the admin gives the person (a reset ends their sessions).
    std::string hash;
    if ((add || verb == "role") && (email.empty() || !role)) {
      problem = page.tr("Email hoặc vai trò không hợp lệ.", "Not a valid email or role.");
    } else if (add || verb == "reset") {
      if (auto why = password_problem(password, email, c.d.common))
        problem = *why;
      else
        hash = co_await storage::async_completion<std::string>(
            [&](std::function<void(std::string)> complete) {
              asio::post(c.d.hashing, [password, complete] { complete(hash_password(password)); });
            });
    }
    if (problem.empty()) {
      auto changed = co_await c.d.writer.run([&](storage::Store& st) {
        SQLite::Transaction t(st.db);
        const AccountChange by{s.staff.email, c.address, c.now};
        auto r = add               ? add_staff(st, email, *role, hash, by)
                 : verb == "role"  ? change_role(st, email, *role, by)
                 : verb == "reset" ? reset_password(st, email, hash, by)
                                   : disable_staff(st, email, verb == "disable", by);
        if (r)
          t.commit();
        return r;
      });
      if (changed)
        co_return page.redirect("/console/staff");
      problem = changed.error().message;
    }
  }
  const auto rows = co_await c.d.writer.run([](storage::Store& st) { return st.staff.list(); });
  std::string b;
  if (!problem.empty())
    b += "<p class=\"problem\" role=\"alert\">" + esc(problem) + "</p>";
  b += "<div class=\"table\"><table><thead><tr><th>Email</th><th>" + page.tr("Vai trò", "Role") +
       "</th><th>" + page.tr("Trạng thái", "State") + "</th><th></th></tr></thead><tbody>";
  for (const auto& r : rows) {
    const std::string verb = r.disabled ? "enable" : "disable";
    // The role as a form: pick another, press "Đổi" (the account's sessions end).
    std::string role_form = "<form method=\"post\" action=\"/console/staff/" + esc(r.email) +
                            "/role\" class=\"inline\">" + Page::csrf_field(s.csrf) +
                            "<label class=\"sr\" for=\"role-" + esc(r.email) + "\">" +
                            page.tr("Vai trò của ", "Role of ") + esc(r.email) +
                            "</label><select id=\"role-" + esc(r.email) + "\" name=\"role\">";
    for (Role x : {Role::kAdvisor, Role::kEditor, Role::kCheckin, Role::kAdmin})
      role_form += "<option value=\"" + std::string(to_string(x)) + "\"" +
                   (to_string(x) == r.role ? " selected" : "") + ">" + role_name(page, x) +
                   "</option>";
    role_form +=
        "</select><button type=\"submit\">" + page.tr("Đổi", "Change") + "</button></form>";
    b += "<tr><td>" + esc(r.email) + "</td><td>" + role_form + "</td><td>" +
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
    b += "<option value=\"" + std::string(to_string(r)) + "\">" + role_name(page, r) + "</option>";
  b += "</select><label for=\"new-password\">" +
       page.tr("Mật khẩu (ít nhất 12 ký tự)", "Password (12 characters or more)") +
       "</label><input id=\"new-password\" name=\"password\" type=\"password\" minlength=\"12\" "
       "autocomplete=\"new-password\" required><button type=\"submit\">" +
       page.tr("Thêm", "Add") + "</button></form>";
  co_return page.html(problem.empty() ? 200 : 400, page.tr("Tài khoản cán bộ", "Staff accounts"), b,
                      &s);
}

// The audit log (admin), filtered by day, who and action.
asio::awaitable<Response> audit_page(Ctx& c) {
  Page& page = c.page;
  const Session& s = c.s;
  c.info.route = "console_audit";
  if (s.role != Role::kAdmin)
    co_return c.forbidden();
  storage::AuditFilter f;
  f.actor = field(c.q, "actor");
  f.action = field(c.q, "action");
  const std::string since = field(c.q, "since");
  const auto since_day = local_time::parse_date(since);
  f.since = since_day ? local_time::unix_ms(*since_day) : c.now - 7LL * 24 * 3600 * 1000;
  const auto rows =
      co_await c.d.writer.run([&](storage::Store& st) { return st.staff.audit_log(f); });
  std::string b =
      "<form method=\"get\" action=\"/console/audit\" class=\"filters\"><label "
      "for=\"since\">" +
      page.tr("Từ ngày", "Since") +
      "</label><input id=\"since\" name=\"since\" type=\"date\" value=\"" +
      esc(local_time::iso_date(local_time::day_of(f.since))) + "\"><label for=\"actor\">" +
      page.tr("Ai", "Who") + "</label><input id=\"actor\" name=\"actor\" value=\"" + esc(f.actor) +
      "\"><label for=\"action\">" + page.tr("Thao tác", "Action") +
      "</label><input id=\"action\" name=\"action\" value=\"" + esc(f.action) +
      "\"><button type=\"submit\">" + page.tr("Lọc", "Filter") + "</button></form>";
  b += "<div class=\"table\"><table><thead><tr><th>" + page.tr("Lúc", "When") + "</th><th>" +
       page.tr("Ai", "Who") + "</th><th>" + page.tr("Thao tác", "Action") + "</th><th>" +
       page.tr("Đối tượng", "Object") + "</th><th>" + page.tr("Từ", "From") + "</th><th>" +
       page.tr("Ghi chú", "Detail") + "</th></tr></thead><tbody>";
  for (const auto& r : rows)
    b += "<tr><td>" + esc(local_time::timestamp(r.at)) + "</td><td>" + esc(r.actor) + "</td><td>" +
         esc(r.action) + "</td><td>" + esc(r.object) + "</td><td>" + esc(r.address) + "</td><td>" +
         esc(r.detail) + "</td></tr>";
  b += "</tbody></table></div>";
  co_return page.html(200, page.tr("Nhật ký thao tác", "Audit log"), b, &s);
}

}  // namespace outreach::console
