#include "bot/app/event_routes.hpp"

#include <SQLiteCpp/Transaction.h>
#include <boost/asio/use_awaitable.hpp>

#include "bot/app/qr.hpp"
#include "bot/console/page.hpp"
#include "bot/console/xlsx.hpp"
#include "bot/core/local_time.hpp"
#include "bot/core/log.hpp"
#include "handlers/events.hpp"

namespace outreach::app {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using server::Request;
using server::RequestInfo;
using server::Response;

Response not_found(const Request& req, std::string_view what) {
  return server::json_error(req, 404, "not_found", std::string(what));
}

Response only(const Request& req, std::string_view allow) {
  Response res = server::json_error(req, 405, "method_not_allowed",
                                    "use " + std::string(allow) + " on this path");
  res.set(http::field::allow, std::string(allow));
  return res;
}

nlohmann::json registration_json(const storage::Registration& r) {
  return {
      {"code", r.code},
      {"status", r.status},
      {"seat", r.seat ? nlohmann::json(*r.seat) : nlohmann::json(nullptr)},
      {"name", r.name},
      {"phone", r.phone},
      {"answers", nlohmann::json::parse(r.answers, nullptr, false)},
      {"registered_at", local_time::timestamp(r.created_at)},
      {"checked_in_at", r.checked_in_at ? nlohmann::json(local_time::timestamp(*r.checked_in_at))
                                        : nlohmann::json(nullptr)}};
}

std::string ticket_page(const content::Event& e, const storage::Registration& r) {
  using console::esc;
  const bool valid = r.status == "registered" && e.published();
  const std::string status = valid                     ? "Vé hợp lệ · Valid ticket"
                             : e.status == "cancelled" ? "Sự kiện đã hủy · Event cancelled"
                                                       : "Vé không còn hiệu lực · No longer valid";
  std::string html =
      "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta name=\"robots\" content=\"noindex\"><title>Vé: " +
      esc(e.title.vi) +
      "</title><style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:1rem auto;"
      "padding:0 1rem;color:#1a1a1a}h1{font-size:1.3rem}.qr{width:100%;max-width:20rem;"
      "display:block;margin:1rem auto}.ok{color:#0a6b2d}.bad{color:#b00020}.code{font:1.2rem "
      "monospace;text-align:center;letter-spacing:.05em}dt{font-weight:600}</style></head><body>";
  html += "<h1>" + esc(e.title.vi) + "</h1>";
  if (!e.title.en.empty())
    html += "<p lang=\"en\">" + esc(e.title.en) + "</p>";
  html += "<p class=\"" + std::string(valid ? "ok" : "bad") + "\" id=\"status\">" + esc(status) +
          "</p>";
  if (valid)
    html += "<div class=\"qr\" id=\"qr\">" + qr_svg(r.code).value_or("") + "</div>";
  html += "<p class=\"code\" id=\"code\">" + esc(handlers::display_code(r.code)) + "</p><dl>";
  html += "<dt>Người tham dự · Attendee</dt><dd>" + esc(r.name) + "</dd>";
  html += "<dt>Thời gian · When</dt><dd>" +
          esc(local_time::iso_date(local_time::day_of(e.starts_at))) + " " +
          esc(local_time::hhmm(e.starts_at)) + "–" + esc(local_time::hhmm(e.ends_at)) + "</dd>";
  html += "<dt>Địa điểm · Where</dt><dd>" +
          esc(e.online ? std::string("Trực tuyến · Online") : e.place.vi) + "</dd></dl>";
  if (valid)
    html += "<p><a href=\"/t/" + esc(r.code) +
            ".ics\">Thêm vào lịch · Add to calendar</a></p><p>Đưa mã QR này cho ban tổ chức quét "
            "khi đến. · Show this QR code at the door.</p>";
  html += "</body></html>";
  return html;
}

}  // namespace

nlohmann::json event_summary_json(const content::Event& e, const storage::EventCounts& c) {
  return {{"id", e.id},
          {"title", e.title.vi},
          {"status", e.status},
          {"example", e.example},
          {"starts", local_time::timestamp(e.starts_at)},
          {"ends", local_time::timestamp(e.ends_at)},
          {"capacity", e.capacity},
          {"registered", c.registered},
          {"offered", c.offered},
          {"waiting", c.waiting},
          {"cancelled", c.cancelled},
          {"checked_in", c.checked_in}};
}

asio::awaitable<Response> ticket_route(RouteDeps& d,
                                       const Request& req,
                                       RequestInfo& info,
                                       std::string_view path) {
  info.route = "ticket";
  if (req.method() != http::verb::get && req.method() != http::verb::head)
    co_return only(req, "GET");
  std::string_view rest = path.substr(3);  // after "/t/"
  std::string kind = "page";
  for (const std::string_view ext : {".png", ".ics"})
    if (rest.ends_with(ext)) {
      kind = std::string(ext.substr(1));
      rest.remove_suffix(ext.size());
    }
  const std::string code = handlers::normalize_code(rest);
  auto snapshot = d.content.snapshot();
  if (code.size() != handlers::kTicketCodeLength || !snapshot)
    co_return not_found(req, "no such ticket");
  auto r = co_await d.reader.run([&code](storage::Store& s) { return s.events.by_code(code); });
  const content::Event* e = r ? snapshot->event(r->event_id) : nullptr;
  if (!r || e == nullptr)
    co_return not_found(req, "no such ticket");
  Response res;
  if (kind == "png") {
    auto png = qr_png(r->code);
    if (!png || r->status != "registered")
      co_return not_found(req, "no such ticket");
    res = server::make_response(req, 200, std::move(*png), "image/png");
  } else if (kind == "ics") {
    res = server::make_response(req, 200, handlers::event_ics(*e, r->code),
                                "text/calendar; charset=utf-8");
    res.set(http::field::content_disposition, "attachment; filename=\"" + e->id + ".ics\"");
  } else {
    res = server::make_response(req, 200, ticket_page(*e, *r), "text/html; charset=utf-8");
  }
  res.set(http::field::cache_control, "no-store");
  res.set("X-Robots-Tag", "noindex");
  co_return res;
}

asio::awaitable<Response> admin_events(RouteDeps& d,
                                       const Request& req,
                                       RequestInfo& info,
                                       std::string_view path,
                                       const content::Snapshot& snapshot,
                                       std::int64_t now) {
  const bool get = req.method() == http::verb::get;
  if (path == "/admin/events") {
    info.route = "admin_events";
    if (!get)
      co_return only(req, "GET");
    auto out = co_await d.writer->run([&snapshot](storage::Store& s) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& [id, e] : snapshot.events)
        list.push_back(event_summary_json(e, s.events.counts(id)));
      return list;
    });
    co_return server::json_response(req, 200, nlohmann::json{{"events", out}}.dump());
  }
  std::string_view rest = path.substr(std::string_view("/admin/events/").size());
  const auto slash = rest.find('/');
  const std::string id(rest.substr(0, slash));
  const std::string verb(slash == std::string_view::npos ? "" : rest.substr(slash + 1));
  const content::Event* e = snapshot.event(id);
  if (e == nullptr)
    co_return not_found(req, "no such event: " + id);
  if (verb == "registrations.xlsx") {
    info.route = "admin_event_xlsx";
    if (!get)
      co_return only(req, "GET");
    auto rows = co_await d.writer->run(
        [&](storage::Store& s) { return handlers::registrations_table(s, *e); });
    auto book = console::xlsx_of(rows, "Đăng ký");
    if (!book)
      co_return server::json_error(req, 500, "internal", "the spreadsheet could not be written");
    Response res =
        server::make_response(req, 200, std::move(*book),
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    res.set(http::field::content_disposition,
            "attachment; filename=\"" + e->id + "-registrations.xlsx\"");
    co_return res;
  }
  if (verb.empty() || verb == "registrations.csv") {
    info.route = verb.empty() ? "admin_event" : "admin_event_csv";
    if (!get)
      co_return only(req, "GET");
    if (!verb.empty()) {
      auto csv = co_await d.writer->run(
          [&](storage::Store& s) { return handlers::registrations_csv(s, snapshot, *e); });
      Response res = server::make_response(req, 200, std::move(csv), "text/csv; charset=utf-8");
      res.set(http::field::content_disposition,
              "attachment; filename=\"" + e->id + "-registrations.csv\"");
      co_return res;
    }
    auto out = co_await d.writer->run([&](storage::Store& s) {
      nlohmann::json j = event_summary_json(*e, s.events.counts(e->id));
      nlohmann::json rows = nlohmann::json::array();
      for (const auto& r : s.events.of_event(e->id)) rows.push_back(registration_json(r));
      j["registrations"] = std::move(rows);
      return j;
    });
    co_return server::json_response(req, 200, out.dump());
  }
  if (verb != "checkin")
    co_return not_found(
        req, "no such path: /admin/events/ID, /registrations.csv, /registrations.xlsx, /checkin");
  info.route = "admin_event_checkin";
  if (req.method() != http::verb::post)
    co_return only(req, "POST");
  const auto body = nlohmann::json::parse(req.body(), nullptr, false);
  if (!body.is_object() || !body.contains("code") || !body["code"].is_string() ||
      !body.contains("nonce") || !body["nonce"].is_string())
    co_return server::json_error(req, 400, "malformed",
                                 "the body must be {\"code\": \"…\", \"nonce\": \"…\"}");
  const std::string code = body["code"].get<std::string>();
  const std::string nonce = body["nonce"].get<std::string>();
  if (code.empty() || code.size() > 64 || nonce.empty() || nonce.size() > 64)
    co_return server::json_error(req, 400, "invalid",
                                 "code and nonce must be 1–64 characters each");
  const std::string device = body.value("device", std::string("admin-api")).substr(0, 100);
  auto answer = co_await d.writer->run([&](storage::Store& s) {
    SQLite::Transaction t(s.db, SQLite::TransactionBehavior::IMMEDIATE);
    auto a = handlers::check_in(s, snapshot, e->id, code, nonce, device, now);
    t.commit();
    return a;
  });
  log::info("events", "checkin", {{"event", e->id}, {"result", answer.result}});
  co_return server::json_response(req, 200, handlers::to_json(answer).dump());
}

}  // namespace outreach::app
