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
#include <openssl/rand.h>

#include "bot/console/page.hpp"
#include "bot/console/xlsx.hpp"
#include "bot/core/local_time.hpp"
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

std::string random_nonce() {
  unsigned char bytes[12];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    return std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

// The answer at the door in words, and whether the person may come in.
std::pair<bool, std::string> answer_text(const Page& p, const handlers::CheckinAnswer& a) {
  const std::string at = a.checked_in_at ? local_time::hhmm(*a.checked_in_at) : "";
  if (a.result == "ok")
    return {true, p.tr("Mời vào: ", "Welcome: ") + a.name};
  if (a.result == "already")
    return {false, p.tr("Vé này đã điểm danh lúc ", "Already checked in at ") + at + ": " + a.name};
  if (a.result == "cancelled")
    return {false, p.tr("Vé đã hủy: ", "Cancelled ticket: ") + a.name};
  if (a.result == "wrong_event")
    return {false, p.tr("Vé của sự kiện khác: ", "A ticket for another event: ") + a.name};
  if (a.result == "not_open")
    return {false, p.tr("Chưa đến giờ điểm danh, hoặc sự kiện đã kết thúc.",
                        "Check-in is not open (too early, or the event is over).")};
  return {false, p.tr("Không tìm thấy vé này.", "No such ticket.")};
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
  co_return page.html(200, event_title(page, e), b, &c.s);
}

asio::awaitable<Response> checkin_page(Ctx& c, const content::Event& e) {
  Page& page = c.page;
  std::string result_html;
  if (c.post()) {
    const std::string code = c.posted("code").substr(0, 64);
    std::string nonce = c.posted("nonce").substr(0, 64);
    if (nonce.empty())
      nonce = random_nonce();
    const content::Snapshot& snap = *c.d.content.snapshot();
    const std::string device = c.s.staff.email;
    const auto a = co_await c.d.writer.run([&](storage::Store& st) {
      SQLite::Transaction t(st.db, SQLite::TransactionBehavior::IMMEDIATE);
      auto answer = handlers::check_in(st, snap, e.id, code, nonce, device, c.now);
      t.commit();
      return answer;
    });
    const auto [ok, text] = answer_text(page, a);
    const auto accept = c.req[http::field::accept];
    if (std::string_view(accept.data(), accept.size()).find("application/json") !=
        std::string_view::npos) {
      nlohmann::json j = handlers::to_json(a);
      j["ok"] = ok;
      j["message"] = text;
      co_return server::json_response(c.req, 200, j.dump());
    }
    result_html = "<p id=\"result\" class=\"scan " + std::string(ok ? "scan-ok" : "scan-bad") +
                  "\" role=\"status\">" + esc(text) + "</p>";
  } else {
    result_html = "<p id=\"result\" class=\"scan\" role=\"status\" aria-live=\"assertive\"></p>";
  }
  const std::string action = "/console/events/" + esc(e.id) + "/checkin";
  std::string b =
      "<p>" + esc(local_time::timestamp(e.starts_at)) + " · " +
      esc(e.online ? std::string("Online") : e.place.vi) + "</p>" + result_html +
      "<form method=\"post\" action=\"" + action + "\" id=\"checkin\" class=\"checkin\" " +
      "data-offline=\"" +
      esc(page.tr("Mất kết nối: thử lại, hoặc ghi tay mã vé.",
                  "No connection: try again, or write the code down.")) +
      "\">" + Page::csrf_field(c.s.csrf) + "<input type=\"hidden\" name=\"nonce\" value=\"" +
      random_nonce() + "\"><label for=\"code\">" + page.tr("Mã vé", "Ticket code") +
      "</label><input id=\"code\" name=\"code\" autocomplete=\"off\" autocapitalize=\"none\" "
      "spellcheck=\"false\" maxlength=\"64\" required><button type=\"submit\">" +
      page.tr("Điểm danh", "Check in") + "</button></form><p><button type=\"button\" id=\"scan\" " +
      "data-denied=\"" +
      esc(page.tr("Không mở được camera: hãy gõ mã vé.",
                  "The camera cannot be opened: type the code.")) +
      "\" hidden>" + page.tr("Quét mã QR bằng camera", "Scan the QR code with the camera") +
      "</button></p><video id=\"camera\" playsinline muted hidden></video>"
      "<script src=\"/console/static/checkin.js\"></script>";
  co_return page.html(200, page.tr("Điểm danh: ", "Check-in: ") + event_title(page, e), b, &c.s);
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
  if (c.post() || (!verb.empty() && verb != "registrations.csv" && verb != "registrations.xlsx"))
    co_return c.not_found();
  c.info.route = "console_event";
  co_return co_await registrations_page(c, *e, verb);
}

}  // namespace outreach::console
