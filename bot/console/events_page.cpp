// Events in the console (issue 20):
//   GET  /console/events                        the events, with seats, registrations, the waiting
//                                               line and check-ins (check-in accounts: the
//                                               check-in links only)
//   GET  /console/events/<id>                   registrations, the line and check-ins (refreshes
//                                               itself every 15 s); CSV
//   GET  /console/events/<id>/registrations.csv | registrations.xlsx
//   GET  /console/events/<id>/checkin           the door page for phones: a typed code, or the
//                                               camera (web/console/checkin.js)
//   POST /console/events/<id>/checkin           code, nonce → the answer (JSON for the script,
//                                               the page again without it)
// Reading: admin, editor; the door: admin, editor, checkin.
#include <SQLiteCpp/Transaction.h>
#include <nlohmann/json.hpp>

#include "bot/console/accounts.hpp"
#include "bot/console/page.hpp"
#include "bot/console/xlsx.hpp"
#include "bot/core/local_time.hpp"
#include "bot/net/crypto.hpp"
#include "handlers/events.hpp"
#include "storage/db_executor.hpp"

namespace outreach::console {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using server::Response;

namespace {

bool may_check_in(Role r) {
  return r == Role::kAdmin || r == Role::kEditor || r == Role::kCheckin;
}

// The answer at the door in words, and whether the person may come in. An unknown code is
// shown back as typed, with the letters no ticket code has: a volunteer reading a printed code
// aloud sees what went wrong.
std::pair<bool, std::string> answer_text(const Page& p,
                                         const handlers::CheckinAnswer& a,
                                         std::string_view typed,
                                         const content::Event& e,
                                         std::int64_t now_ms) {
  const std::string at = a.checked_in_at ? local_time::hhmm(*a.checked_in_at) : "";
  if (a.result == "ok")
    return {true, p.tr("Mời vào: ", "Welcome: ") + a.name};
  if (a.result == "already")
    return {false, p.tr("Vé này đã điểm danh lúc ", "Already checked in at ") + at + ": " + a.name};
  if (a.result == "cancelled")
    return {false, p.tr("Vé đã hủy: ", "Cancelled ticket: ") + a.name};
  if (a.result == "wrong_event")
    return {false, p.tr("Vé của sự kiện khác: ", "A ticket for another event: ") + a.name};
  if (a.result == "not_open") {  // the volunteer is told when the door opens, or that it closed
    if (!e.published())
      return {false, p.tr("Sự kiện chưa được đăng nên chưa điểm danh được.",
                          "The event is not published, so check-in is closed.")};
    if (now_ms > e.ends_at)
      return {false, p.tr("Sự kiện đã kết thúc lúc ", "The event ended at ") +
                         local_time::timestamp(e.ends_at) +
                         p.tr(": hết giờ điểm danh.", ": check-in is closed.")};
    return {false,
            p.tr("Chưa đến giờ điểm danh: mở từ ", "Check-in is not open yet: it opens at ") +
                local_time::timestamp(handlers::checkin_opens_at(e)) +
                p.tr(" (12 giờ trước khi bắt đầu).", " (12 hours before the start).")};
  }
  const std::string shown = "«" + std::string(typed) + "»";
  return {false, p.tr("Không tìm thấy vé " + shown +
                          ". Mã vé không có chữ I, L, O và số 0, 1: kiểm tra lại từng ký tự.",
                      "No ticket " + shown +
                          ". Ticket codes have no I, L, O, 0 or 1: check each character.")};
}

std::string status_label(const Page& p, const std::string& status) {
  if (status == "registered")
    return p.tr("Đã đăng ký", "Registered");
  if (status == "waiting")
    return p.tr("Đang chờ", "Waiting");
  if (status == "offered")
    return p.tr("Được mời giữ chỗ", "Offered a seat");
  if (status == "passed")
    return p.tr("Đã nhường chỗ", "Passed");
  return p.tr("Đã hủy", "Cancelled");
}

std::string event_title(const Page& p, const content::Event& e) {
  return e.title.in(p.en() ? content::kEn : content::kVi);
}

asio::awaitable<Response> list_page(Ctx& c, const content::Snapshot& snap) {
  Page& page = c.page;
  const bool reader = may_edit_content(c.s.role);
  auto counts = co_await c.d.writer.run([&](storage::Store& st) {
    std::map<std::string, storage::EventCounts, std::less<>> out;
    for (const auto& [id, e] : snap.events) out[id] = st.events.counts(id);
    return out;
  });
  std::string b;
  if (snap.events.empty())
    b += "<p>" +
         page.tr("Chưa có sự kiện nào trong content/events.",
                 "There are no events in content/events.") +
         "</p>";
  else
    b += "<div class=\"table\"><table><thead><tr><th>" + page.tr("Sự kiện", "Event") + "</th><th>" +
         page.tr("Bắt đầu", "Starts") + "</th><th>" + page.tr("Chỗ", "Seats") + "</th><th>" +
         page.tr("Đã đăng ký", "Registered") + "</th><th>" + page.tr("Đang chờ", "Waiting") +
         "</th><th>" + page.tr("Đã điểm danh", "Checked in") + "</th><th></th></tr></thead><tbody>";
  for (const auto& [id, e] : snap.events) {
    const auto& n = counts[id];
    const std::string href = "/console/events/" + esc(id);
    b += "<tr><td>" +
         (reader ? "<a href=\"" + href + "\">" + esc(event_title(page, e)) + "</a>"
                 : esc(event_title(page, e))) +
         (e.status != "published" ? " (" + esc(e.status) + ")" : "") + "</td><td>" +
         esc(local_time::timestamp(e.starts_at)) + "</td><td>" + std::to_string(e.capacity) +
         "</td><td>" + std::to_string(n.registered + n.offered) + "</td><td>" +
         std::to_string(n.waiting) + "</td><td>" + std::to_string(n.checked_in) +
         "</td><td><a href=\"" + href + "/checkin\">" + page.tr("Điểm danh", "Check-in") +
         "</a></td></tr>";
  }
  if (!snap.events.empty())
    b += "</tbody></table></div>";
  co_return page.html(200, page.tr("Sự kiện", "Events"), b, &c.s);
}

asio::awaitable<Response> registrations_page(Ctx& c,
                                             const content::Event& e,
                                             const std::string& file) {
  Page& page = c.page;
  const content::Snapshot& snap = *c.d.content.snapshot();
  const bool csv = file == "registrations.csv";
  if (file == "registrations.xlsx") {
    auto rows = co_await c.d.writer.run(
        [&](storage::Store& st) { return handlers::registrations_table(st, e); });
    auto book = xlsx_of(rows, page.tr("Đăng ký", "Registrations"));
    if (!book)
      co_return page.html(500, page.tr("Không tạo được tệp", "The file could not be made"), "",
                          &c.s);
    Response res =
        server::make_response(c.req, 200, std::move(*book),
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    res.set(http::field::content_disposition,
            "attachment; filename=\"" + e.id + "-registrations.xlsx\"");
    res.set(http::field::cache_control, "no-store");
    co_await c.audit("event_export", e.id, "xlsx");
    co_return res;
  }
  if (csv) {
    auto text = co_await c.d.writer.run(
        [&](storage::Store& st) { return handlers::registrations_csv(st, snap, e); });
    Response res = server::make_response(c.req, 200, std::move(text), "text/csv; charset=utf-8");
    res.set(http::field::content_disposition,
            "attachment; filename=\"" + e.id + "-registrations.csv\"");
    res.set(http::field::cache_control, "no-store");
    co_await c.audit("event_export", e.id, "");
    co_return res;
  }
  auto [rows, n] = co_await c.d.writer.run([&](storage::Store& st) {
    return std::pair{st.events.of_event(e.id), st.events.counts(e.id)};
  });
  std::string b = "<meta http-equiv=\"refresh\" content=\"15\"><p>" +
                  esc(local_time::timestamp(e.starts_at)) + " · " + page.tr("Chỗ: ", "Seats: ") +
                  std::to_string(e.capacity) + " · " + page.tr("Đã đăng ký: ", "Registered: ") +
                  std::to_string(n.registered + n.offered) + " · " +
                  page.tr("Đang chờ: ", "Waiting: ") + std::to_string(n.waiting) + " · " +
                  page.tr("Đã điểm danh: ", "Checked in: ") + std::to_string(n.checked_in) +
                  "</p><p><a href=\"/console/events/" + esc(e.id) +
                  "/registrations.csv\">CSV</a> · <a href=\"/console/events/" + esc(e.id) +
                  "/registrations.xlsx\">XLSX</a> · <a href=\"/console/events/" + esc(e.id) +
                  "/checkin\">" + page.tr("Trang điểm danh", "Check-in page") + "</a></p>";
  if (rows.empty()) {
    b += "<p>" + page.tr("Chưa có ai đăng ký.", "Nobody has registered yet.") + "</p>";
  } else {
    b += "<div class=\"table\"><table id=\"registrations\"><thead><tr><th>" +
         page.tr("Mã vé", "Ticket") + "</th><th>" + page.tr("Họ tên", "Name") + "</th><th>" +
         page.tr("Điện thoại", "Phone") + "</th><th>" + page.tr("Trạng thái", "Status") +
         "</th><th>" + page.tr("Đăng ký lúc", "Registered at") + "</th><th>" +
         page.tr("Điểm danh", "Checked in") + "</th></tr></thead><tbody>";
    for (const auto& r : rows)
      b += "<tr><td><code>" + esc(handlers::display_code(r.code).substr(0, 4)) +
           "…</code></td><td>" + esc(r.name) + "</td><td>" + esc(r.phone) + "</td><td>" +
           esc(status_label(page, r.status)) + "</td><td>" +
           esc(local_time::timestamp(r.created_at)) + "</td><td>" +
           (r.checked_in_at ? esc(local_time::hhmm(*r.checked_in_at)) : "") + "</td></tr>";
    b += "</tbody></table></div>";
  }
  b += "<h2>" +
       page.tr("Đường dẫn điểm danh cho tình nguyện viên", "Check-in links for volunteers") +
       "</h2>";
  auto links =
      co_await c.d.writer.run([&](storage::Store& st) { return st.events.links_of(e.id); });
  if (!links.empty()) {
    b += "<ul>";
    for (const auto& l : links) {
      b += "<li>" + esc(l.created_by) + ", " + esc(local_time::timestamp(l.created_at)) + " — ";
      if (l.revoked_at)
        b += page.tr("đã thu hồi", "revoked");
      else
        b += "<form method=\"post\" class=\"inline\" action=\"/console/events/" + esc(e.id) +
             "/links/" + std::to_string(l.id) + "/revoke\">" + Page::csrf_field(c.s.csrf) +
             "<button type=\"submit\">" + page.tr("Thu hồi", "Revoke") + "</button></form>";
      b += "</li>";
    }
    b += "</ul>";
  }
  b += "<form method=\"post\" action=\"/console/events/" + esc(e.id) + "/links\">" +
       Page::csrf_field(c.s.csrf) + "<button type=\"submit\">" +
       page.tr("Tạo đường dẫn mới", "Make a new link") + "</button></form>";
  co_return page.html(200, event_title(page, e), b, &c.s);
}

// The door page, for a signed-in account or a volunteer's link: a POST is one scan (`device`
// names who scanned), answered as JSON for the script or as the page again; `hidden` are the
// form's own fields (the CSRF token for an account).
asio::awaitable<Response> door(const ConsoleDeps& d,
                               const server::Request& req,
                               Page& page,
                               const content::Event& e,
                               const std::optional<net::QueryParams>& form,
                               const std::string& action,
                               const std::string& hidden,
                               const std::string& device,
                               const Session* s,
                               std::int64_t now) {
  std::string result_html;
  if (form) {
    const std::string code = field(*form, "code").substr(0, 64);
    std::string nonce = field(*form, "nonce").substr(0, 64);
    if (nonce.empty())
      nonce = random_token(12);
    const auto snap = d.content.snapshot();
    const auto a = co_await d.writer.run([&](storage::Store& st) {
      SQLite::Transaction t(st.db, SQLite::TransactionBehavior::IMMEDIATE);
      auto answer = handlers::check_in(st, *snap, e.id, code, nonce, device, now);
      t.commit();
      return answer;
    });
    const auto [ok, text] = answer_text(page, a, code, e, now);
    const auto accept = req[http::field::accept];
    if (std::string_view(accept.data(), accept.size()).find("application/json") !=
        std::string_view::npos) {
      nlohmann::json j = handlers::to_json(a);
      j["ok"] = ok;
      j["message"] = text;  // echoes what was typed, cut at 64 bytes: maybe mid-character
      co_return server::json_response(
          req, 200, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    result_html = "<p id=\"result\" class=\"scan " + std::string(ok ? "scan-ok" : "scan-bad") +
                  "\" role=\"status\">" + esc(text) + "</p>";
  } else {
    result_html = "<p id=\"result\" class=\"scan\" role=\"status\" aria-live=\"assertive\"></p>";
  }
  std::string b =
      "<p>" + esc(local_time::timestamp(e.starts_at)) + " · " +
      esc(e.online ? std::string("Online") : e.place.vi) + "</p>" + result_html +
      "<form method=\"post\" action=\"" + esc(action) + "\" id=\"checkin\" class=\"checkin\" " +
      "data-offline=\"" +
      esc(page.tr("Mất kết nối: thử lại, hoặc ghi tay mã vé.",
                  "No connection: try again, or write the code down.")) +
      "\">" + hidden + "<input type=\"hidden\" name=\"nonce\" value=\"" + random_token(12) +
      "\"><label for=\"code\">" + page.tr("Mã vé", "Ticket code") +
      "</label><input id=\"code\" name=\"code\" autocomplete=\"off\" autocapitalize=\"none\" "
      "spellcheck=\"false\" maxlength=\"64\" required><button type=\"submit\">" +
      page.tr("Điểm danh", "Check in") + "</button></form><p><button type=\"button\" id=\"scan\" " +
      "data-denied=\"" +
      esc(page.tr("Không mở được camera: hãy gõ mã vé.",
                  "The camera cannot be opened: type the code.")) +
      "\" hidden>" + page.tr("Quét mã QR bằng camera", "Scan the QR code with the camera") +
      "</button></p><video id=\"camera\" playsinline muted hidden></video>"
      "<script src=\"/console/static/checkin.js\"></script>";
  co_return page.html(200, page.tr("Điểm danh: ", "Check-in: ") + event_title(page, e), b, s);
}

asio::awaitable<Response> checkin_page(Ctx& c, const content::Event& e) {
  std::optional<net::QueryParams> form;
  if (c.post())
    form = *c.form;
  // Named, not temporaries: GCC 12 may end a temporary of a co_await expression too early.
  const std::string action = "/console/events/" + e.id + "/checkin";
  const std::string hidden = Page::csrf_field(c.s.csrf);
  co_return co_await door(c.d, c.req, c.page, e, form, action, hidden, c.s.staff.email, &c.s,
                          c.now);
}

// A volunteer's check-in links of an event: made by admin or editor, shown once, valid until
// 12 hours after the end unless revoked; only the token's SHA-256 is stored.
asio::awaitable<Response> links_action(Ctx& c, const content::Event& e, const std::string& verb) {
  Page& page = c.page;
  if (!c.post())
    co_return c.not_found();
  if (verb == "links") {
    const std::string token = random_token(24);
    const std::int64_t expires = e.ends_at + 12 * 3'600'000LL;
    co_await c.d.writer.run([&](storage::Store& st) {
      st.events.add_link(e.id, net::sha256_hex(token), c.s.staff.email, c.now, expires);
    });
    co_await c.audit("checkin_link_created", e.id, "");
    const std::string href = "/console/door/" + token;
    co_return page.html(
        201, page.tr("Đường dẫn điểm danh", "Check-in link"),
        "<p>" +
            page.tr("Gửi đường dẫn này cho tình nguyện viên ở cửa (chỉ hiện một lần; hết hạn "
                    "12 giờ sau khi sự kiện kết thúc):",
                    "Send this link to the volunteers at the door (shown once; it expires 12 "
                    "hours after the event ends):") +
            "</p><p><a id=\"door-link\" href=\"" + href + "\">" + esc(href) +
            "</a></p><p><a href=\"/console/events/" + esc(e.id) + "\">" +
            page.tr("Quay lại sự kiện", "Back to the event") + "</a></p>",
        &c.s);
  }
  const std::string id = verb.substr(std::string_view("links/").size());
  const auto slash = id.find('/');
  if (slash == std::string::npos || id.substr(slash + 1) != "revoke")
    co_return c.not_found();
  const std::int64_t link = std::atoll(id.substr(0, slash).c_str());
  const bool done = co_await c.d.writer.run(
      [&](storage::Store& st) { return st.events.revoke_link(link, e.id, c.now); });
  if (!done)
    co_return c.not_found();
  co_await c.audit("checkin_link_revoked", e.id, std::to_string(link));
  co_return page.redirect("/console/events/" + e.id);
}

}  // namespace

asio::awaitable<Response> events_page(Ctx& c) {
  c.info.route = "console_events";
  if (!may_check_in(c.s.role))
    co_return c.forbidden();
  auto snap = c.d.content.snapshot();
  if (!snap)
    co_return c.not_found();
  if (c.path == "/console/events") {
    if (c.post())
      co_return c.not_found();
    co_return co_await list_page(c, *snap);
  }
  const std::string rest = c.path.substr(std::string_view("/console/events/").size());
  const auto slash = rest.find('/');
  const content::Event* e = snap->event(rest.substr(0, slash));
  if (e == nullptr)
    co_return c.not_found();
  const std::string verb = slash == std::string::npos ? "" : rest.substr(slash + 1);
  if (verb == "checkin") {
    c.info.route = "console_event_checkin";
    co_return co_await checkin_page(c, *e);
  }
  if (!may_edit_content(c.s.role))
    co_return c.forbidden();
  if (verb == "links" || verb.starts_with("links/")) {
    c.info.route = "console_event_links";
    co_return co_await links_action(c, *e, verb);
  }
  if (c.post() || (!verb.empty() && verb != "registrations.csv" && verb != "registrations.xlsx"))
    co_return c.not_found();
  c.info.route = "console_event";
  co_return co_await registrations_page(c, *e, verb);
}

}  // namespace outreach::console

namespace outreach::console {

asio::awaitable<Response> door_by_link(const ConsoleDeps& d,
                                       const server::Request& req,
                                       server::RequestInfo& info,
                                       Page& page,
                                       std::string_view token,
                                       bool origin_ok,
                                       std::int64_t now) {
  info.route = "console_door";
  std::optional<storage::CheckinLink> link;
  if (token.size() == 48) {
    const std::string hash = net::sha256_hex(token);
    link =
        co_await d.writer.run([&hash](storage::Store& st) { return st.events.link_by_hash(hash); });
  }
  auto snap = d.content.snapshot();
  const content::Event* e = link && snap ? snap->event(link->event_id) : nullptr;
  if (!link || e == nullptr || link->revoked_at || now >= link->expires_at)
    co_return page.html(404, page.tr("Đường dẫn không còn dùng được", "This link no longer works"),
                        "<p>" +
                            page.tr("Hãy xin ban tổ chức một đường dẫn mới.",
                                    "Ask the organisers for a new link.") +
                            "</p>");
  std::optional<net::QueryParams> form;
  if (req.method() == http::verb::post) {
    form = form_of(req);
    if (!form || !origin_ok)
      co_return page.html(403, page.tr("Không được phép", "Forbidden"), "");
  }
  // Named, not temporaries: GCC 12 may end a temporary of a co_await expression too early.
  const std::string action = "/console/door/" + std::string(token);
  const std::string hidden;
  const std::string device = "link:" + std::to_string(link->id);
  co_return co_await door(d, req, page, *e, form, action, hidden, device, nullptr, now);
}

}  // namespace outreach::console
