#include "bot/app/http_routes.hpp"

#include <algorithm>
#include <charconv>
#include <span>

#include <SQLiteCpp/Transaction.h>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>

#include "bot/app/event_routes.hpp"
#include "bot/core/embedded.hpp"
#include "bot/core/local_time.hpp"
#include "bot/core/log.hpp"
#include "bot/net/crypto.hpp"
#include "bot/net/url.hpp"
#include "handlers/booking.hpp"

namespace outreach::app {

std::span<const EmbeddedFile> web_assets();  // generated from web/ by cmake/embed.cmake
std::span<const EmbeddedFile> npm_assets();  // libraries from npm (third_party/npm): jsQR

namespace {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using server::Request;
using server::RequestInfo;
using server::Response;

constexpr int kPollBatch = 20;

// The answer to a query that is not a valid query string (outreach::net::parse_query), whichever
// route reads it.
Response malformed_query(const Request& req) {
  return server::json_error(req, 400, "malformed",
                            "the query string is malformed (a bad %-escape or an unescaped "
                            "character)");
}

// A parameter's value, empty when absent.
std::string param(const outreach::net::QueryParams& q, std::string_view name) {
  auto it = q.find(name);
  return it == q.end() ? std::string{} : it->second;
}

std::string_view content_type_for(std::string_view name) {
  if (name.ends_with(".html"))
    return "text/html; charset=utf-8";
  if (name.ends_with(".js"))
    return "text/javascript; charset=utf-8";
  if (name.ends_with(".css"))
    return "text/css; charset=utf-8";
  if (name.ends_with(".svg"))
    return "image/svg+xml";
  if (name.ends_with(".png"))
    return "image/png";
  if (name.ends_with(".json"))
    return "application/json";
  return "application/octet-stream";
}

Response asset(const Request& req, std::string_view name) {
  std::vector<EmbeddedFile> files(web_assets().begin(), web_assets().end());
  files.insert(files.end(), npm_assets().begin(), npm_assets().end());
  for (const EmbeddedFile& f : files) {
    if (f.name != name)
      continue;
    Response res = server::make_response(req, 200, std::string(f.data), content_type_for(name));
    res.set(http::field::cache_control, "no-cache");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    res.set("Content-Security-Policy",
            "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; "
            "connect-src 'self'; base-uri 'none'; form-action 'none'");
    if (req.method() == http::verb::head)
      res.body().clear();
    return res;
  }
  return server::json_error(req, 404, "not_found", "no such file");
}

Response method_not_allowed(const Request& req, std::string_view allow) {
  Response res = server::json_error(req, 405, "method_not_allowed", "use " + std::string(allow));
  res.set(http::field::allow, allow);
  return res;
}

asio::awaitable<Response> chat_send(RouteDeps& d, Request& req, RequestInfo& info) {
  info.route = "chat_send";
  const std::int64_t now = d.clock.now_ms();
  auto event = d.webchat.parse_send(req.body(), now);
  if (!event) {
    const auto ec = event.error();
    if (ec == Errc::kTooLarge)
      co_return server::json_error(req, 413, "too_long", "the message is too long");
    if (ec == Errc::kMalformedPayload)
      co_return server::json_error(req, 400, "malformed", "the body must be a JSON object");
    co_return server::json_error(
        req, 400, "invalid",
        "visitor (16–64 letters, digits, - or _), id, and text or payload are required");
  }
  if (!d.webchat.allow(event->user_id, now)) {
    Response res =
        server::json_error(req, 429, "rate_limited", "too many messages; wait a few seconds");
    res.set(http::field::retry_after, "5");
    co_return res;
  }
  std::vector<InboundEvent> events;
  events.push_back(std::move(*event));
  auto stored = co_await d.inbox.append(std::move(events));
  if (!stored) {
    Response res = server::json_error(req, 503, "unavailable",
                                      "could not store the message; please try again");
    res.set(http::field::retry_after, "2");
    co_return res;
  }
  co_return server::json_response(
      req, 202,
      nlohmann::json{{"accepted", true}, {"duplicate", stored->front().duplicate}}.dump());
}

asio::awaitable<Response> chat_poll(RouteDeps& d,
                                    Request& req,
                                    RequestInfo& info,
                                    std::string_view query) {
  info.route = "chat_poll";
  const auto q = outreach::net::parse_query(query);
  if (!q)
    co_return malformed_query(req);
  const auto visitor_it = q->find("visitor");
  if (visitor_it == q->end() || !channels::web::WebChat::valid_visitor(visitor_it->second))
    co_return server::json_error(req, 400, "invalid", "visitor is missing or invalid");
  const std::string visitor = visitor_it->second;
  std::int64_t after = 0;
  if (auto it = q->find("after"); it != q->end()) {
    auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), after);
    if (ec != std::errc{} || p != it->second.data() + it->second.size() || after < 0)
      co_return server::json_error(req, 400, "invalid",
                                   "after must be a message id (a whole number ≥ 0)");
  }
  const bool wait = !(q->contains("wait") && q->at("wait") == "0");
  auto ticket = d.webchat.register_poll(visitor);
  const auto deadline = std::chrono::steady_clock::now() + d.poll_timeout;
  std::vector<storage::DeliveredMessage> found;
  std::string language;  // the conversation's, read with its messages
  try {
    for (;;) {
      found = co_await d.reader.run([&visitor, after, &language](storage::Store& s) {
        std::vector<storage::DeliveredMessage> out;
        if (auto p = s.people.find("web", "web", visitor)) {
          out = s.outbox.delivered_after(p->id, after, kPollBatch);
          language = p->language;
        }
        return out;
      });
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (!found.empty() || !wait || left.count() <= 0 || d.readiness().shutting_down)
        break;
      co_await d.webchat.wait(ticket, left);
    }
  } catch (...) {
    d.webchat.unregister_poll(ticket);
    throw;
  }
  d.webchat.unregister_poll(ticket);
  nlohmann::json messages = nlohmann::json::array();
  std::int64_t cursor = after;
  for (const auto& m : found) {
    auto body = outbound_from_json(m.body);
    if (body)
      messages.push_back(channels::web::render_for_page(m.id, *body));
    cursor = std::max(cursor, m.id);
  }
  // The page's labels follow the language the bot answers in: someone whose browser is set to
  // English who writes Vietnamese gets Vietnamese replies and a Vietnamese page.
  nlohmann::json out{{"messages", messages}, {"cursor", cursor}};
  if (!found.empty() && (language == "vi" || language == "en"))
    out["lang"] = language;
  co_return server::json_response(req, 200, out.dump());
}

Response chat_ui(RouteDeps& d, const Request& req, std::string_view query) {
  const auto q = outreach::net::parse_query(query);
  if (!q)
    return malformed_query(req);
  const std::string lang = param(*q, "lang") == "en" ? "en" : "vi";
  auto snap = d.content.snapshot();
  if (!snap)
    return server::json_error(req, 503, "not_ready", "content is not loaded");
  nlohmann::json strings = nlohmann::json::object();
  for (const auto& [key, v] : (lang == "en" ? snap->ui_en : snap->ui_vi))
    if (key.starts_with("web."))
      strings[key.substr(4)] = v;
  nlohmann::json menu = nlohmann::json::array();
  for (const auto& item : snap->main_menu)
    menu.push_back({{"title", snap->ui(lang, item.label)}, {"payload", item.payload}});
  return server::json_response(
      req, 200, nlohmann::json{{"lang", lang}, {"strings", strings}, {"menu", menu}}.dump());
}

std::string_view header(const Request& req, std::string_view name) {
  auto it = req.find(name);
  return it == req.end() ? std::string_view{}
                         : std::string_view(it->value().data(), it->value().size());
}

// Stores verified platform events; the answer the platform gets.
// What a webhook counts on every accepted request, resolved once per channel.
struct Accepted {
  Metrics::Counter requests;  // outreach_webhook_total{outcome="accepted"}
  Metrics::Counter events;    // outreach_webhook_events_total

  Accepted(Metrics& m, const std::string& channel)
      : requests(
            m.counter("outreach_webhook_total", {{"channel", channel}, {"outcome", "accepted"}})),
        events(m.counter("outreach_webhook_events_total", {{"channel", channel}})) {}
};

struct WebhookCounters {
  Accepted zalo;
  Accepted messenger;
};

asio::awaitable<Response> accept_events(RouteDeps& d,
                                        const Request& req,
                                        std::string_view channel,
                                        const Accepted& counters,
                                        Result<std::vector<InboundEvent>> events) {
  if (!events) {
    const auto ec = events.error();
    const char* outcome = ec == Errc::kMalformedPayload ? "malformed"
                          : ec == Errc::kStaleTimestamp ? "stale"
                          : ec == Errc::kUnknownAccount ? "unknown_account"
                                                        : "bad_signature";
    d.metrics.inc("outreach_webhook_total",
                  {{"channel", std::string(channel)}, {"outcome", outcome}});
    if (ec == Errc::kMalformedPayload)
      co_return server::json_error(req, 400, "malformed", "the body is not a JSON object");
    log::warn("webhook", "refused", {{"channel", channel}, {"reason", ec.message()}});
    co_return server::json_error(req, 401, "unauthorized", ec.message());
  }
  const std::size_t n = events->size();
  if (n > 0) {
    auto stored = co_await d.inbox.append(std::move(*events));
    if (!stored) {
      d.metrics.inc("outreach_webhook_total",
                    {{"channel", std::string(channel)}, {"outcome", "store_failed"}});
      Response res =
          server::json_error(req, 503, "unavailable", "could not store the events; retry");
      res.set(http::field::retry_after, "2");
      co_return res;
    }
  }
  counters.requests.inc();
  counters.events.inc(static_cast<double>(n));
  co_return server::json_response(req, 200, "{\"ok\":true}");
}

// GET /booking/<ref>.ics?k=<key>: the booking as a calendar file. The key is the booking's
// secret, so the link works for the person it was sent to and nobody who guesses a ref.
asio::awaitable<Response> booking_calendar(RouteDeps& d,
                                           const Request& req,
                                           RequestInfo& info,
                                           std::string_view path,
                                           std::string_view query) {
  info.route = "booking_ics";
  std::string_view ref = path.substr(9);
  if (!ref.ends_with(".ics") || ref.size() > 40)
    co_return server::json_error(req, 404, "not_found", "no such booking");
  ref.remove_suffix(4);
  const auto q = outreach::net::parse_query(query);
  if (!q)
    co_return malformed_query(req);
  const std::string key = param(*q, "k");
  auto snapshot = d.content.snapshot();
  // Captured by reference: a lambda owning state, passed into a coroutine, trips GCC 12.
  const std::string wanted(ref);
  auto booking =
      co_await d.reader.run([&wanted](storage::Store& s) { return s.bookings.by_ref(wanted); });
  if (!booking || !snapshot || key.empty() ||
      !outreach::net::constant_time_equal(key, booking->ics_key))
    co_return server::json_error(req, 404, "not_found", "no such booking");
  Response res = server::make_response(req, 200, handlers::booking_ics(*booking, *snapshot),
                                       "text/calendar; charset=utf-8");
  res.set(http::field::content_disposition, "attachment; filename=\"" + booking->ref + ".ics\"");
  res.set(http::field::cache_control, "no-store");
  co_return res;
}

nlohmann::json booking_json(const storage::Booking& b) {
  return {{"ref", b.ref},
          {"starts_at", local_time::timestamp(b.starts_at)},
          {"ends_at", local_time::timestamp(b.ends_at)},
          {"topic", b.topic},
          {"advisor", b.advisor},
          {"seat", b.seat},
          {"mode", b.mode},
          {"status", b.status},
          {"name", b.name},
          {"phone", b.phone},
          {"company", b.company},
          {"stage", b.stage},
          {"description", b.description},
          {"reschedules", b.reschedules},
          {"confirmed", b.confirmed_at.has_value()},
          {"cancel_reason", b.cancel_reason},
          {"cancelled_by", b.cancelled_by}};
}

// A staff action's refusal as an HTTP error.
Response problem_response(Request& req, const Problem& p) {
  const auto [status, code] = p.code == Errc::kNotFound       ? std::pair(404, "not_found")
                              : p.code == Errc::kInvalidInput ? std::pair(400, "invalid")
                              : p.code == Errc::kTooLarge     ? std::pair(413, "too_long")
                                                              : std::pair(409, "conflict");
  return server::json_error(req, status, code, p.message);
}

// The admin API's broadcasts (issue 19), behind the same bearer token:
//   POST /admin/broadcasts                 the announcement as JSON → 201 {"id"}; 400 {"problems"}
//   GET  /admin/broadcasts                 the latest 50, newest first
//   GET  /admin/broadcasts/ID              status and report counts
//   GET  /admin/broadcasts/ID/plan         plans a draft (or plans again) and returns the plan;
//                                          the stored plan once sending has started
//   POST /admin/broadcasts/ID/plan         the same
//   GET  /admin/broadcasts/ID/report.csv   the report as CSV
//   POST /admin/broadcasts/ID/send | pause | resume | cancel
asio::awaitable<Response> admin_broadcasts(RouteDeps& d,
                                           Request& req,
                                           RequestInfo& info,
                                           std::string_view path,
                                           const content::Snapshot& snapshot,
                                           std::int64_t now) {
  const bool get = req.method() == http::verb::get;
  const bool post = req.method() == http::verb::post;
  const handlers::BroadcastActor by{"admin-api", info.remote};
  if (path == "/admin/broadcasts") {
    info.route = "admin_broadcasts";
    if (get) {
      auto list = co_await d.writer->run([](storage::Store& s) { return s.broadcasts.list(50); });
      nlohmann::json out = nlohmann::json::array();
      for (const auto& b : list)
        out.push_back(
            {{"id", b.id}, {"title", b.title}, {"status", b.status}, {"created_by", b.created_by}});
      co_return server::json_response(req, 200, nlohmann::json{{"broadcasts", out}}.dump());
    }
    if (!post)
      co_return method_not_allowed(req, "GET, POST");
    const auto doc = nlohmann::json::parse(req.body(), nullptr, false);
    if (doc.is_discarded())
      co_return server::json_error(req, 400, "malformed", "the body must be JSON");
    auto created = co_await d.writer->run([&](storage::Store& s) {
      SQLite::Transaction tx(s.db, SQLite::TransactionBehavior::IMMEDIATE);
      auto r = handlers::create_broadcast(s, snapshot, d.broadcast, doc, by, now);
      if (r)
        tx.commit();
      return r;
    });
    if (!created)
      co_return server::json_response(
          req, 400, nlohmann::json{{"error", "invalid"}, {"problems", created.error()}}.dump());
    log::info("admin", "broadcast_created", {{"id", *created}});
    co_return server::json_response(req, 201, nlohmann::json{{"id", *created}}.dump());
  }
  std::string_view rest = path.substr(std::string_view("/admin/broadcasts/").size());
  const auto slash = rest.find('/');
  const std::string_view id_text = rest.substr(0, slash);
  const std::string verb(slash == std::string_view::npos ? "" : rest.substr(slash + 1));
  std::int64_t id = 0;
  if (id_text.empty() || std::from_chars(id_text.data(), id_text.data() + id_text.size(), id).ptr !=
                             id_text.data() + id_text.size())
    co_return server::json_error(req, 404, "not_found", "no such broadcast");
  info.route = "admin_broadcast" + (verb.empty() ? std::string() : "_" + verb);
  if (verb.empty() || verb == "report.csv") {
    if (!get)
      co_return method_not_allowed(req, "GET");
    auto report = co_await d.writer->run(
        [&](storage::Store& s) { return handlers::broadcast_report(s, id); });
    if (!report)
      co_return server::json_error(req, 404, "not_found", "no broadcast " + std::to_string(id));
    if (verb.empty())
      co_return server::json_response(req, 200, handlers::to_json(*report).dump());
    Response res = server::make_response(req, 200, handlers::broadcast_report_csv(*report),
                                         "text/csv; charset=utf-8");
    res.set(http::field::content_disposition,
            "attachment; filename=\"broadcast-" + std::to_string(id) + ".csv\"");
    co_return res;
  }
  if (verb == "plan") {
    if (!get && !post)
      co_return method_not_allowed(req, "GET, POST");
    using Out = Result<nlohmann::json, Problem>;
    auto plan = co_await d.writer->run([&](storage::Store& s) -> Out {
      const auto b = s.broadcasts.get(id);
      if (b && b->status != "draft" && b->status != "planned")
        return Out(boost::system::in_place_value,
                   nlohmann::json::parse(b->plan.empty() ? "{}" : b->plan, nullptr, false));
      SQLite::Transaction tx(s.db, SQLite::TransactionBehavior::IMMEDIATE);
      auto r = handlers::plan_broadcast(s, d.broadcast, id, by, now);
      if (!r)
        return Out(boost::system::in_place_error, r.error());
      tx.commit();
      return Out(boost::system::in_place_value, handlers::to_json(*r));
    });
    if (!plan)
      co_return problem_response(req, plan.error());
    co_return server::json_response(req, 200, plan->dump());
  }
  if (verb != "send" && verb != "pause" && verb != "resume" && verb != "cancel")
    co_return server::json_error(req, 404, "not_found",
                                 "no such action: plan, send, pause, resume, cancel, report.csv");
  if (!post)
    co_return method_not_allowed(req, "POST");
  auto done = co_await d.writer->run([&](storage::Store& s) {
    SQLite::Transaction tx(s.db, SQLite::TransactionBehavior::IMMEDIATE);
    auto r = handlers::broadcast_action(s, id, verb, by, now);
    if (r)
      tx.commit();
    return r;
  });
  if (!done)
    co_return problem_response(req, done.error());
  log::info("admin", "broadcast_changed", {{"id", id}, {"action", verb}});
  if (d.jobs_written)
    d.jobs_written();
  if (d.outbox_written)
    d.outbox_written();
  co_return server::json_response(req, 200,
                                  nlohmann::json{{"id", id}, {"status", done->status}}.dump());
}

// Staff's admin API. Authorization: Bearer $OUTREACH_ADMIN_TOKEN (compared in constant time).
//   GET  /admin/bookings?from=YYYY-MM-DD&to=YYYY-MM-DD&advisor=ID   JSON (default: today)
//   GET  /admin/bookings.csv?from=…&to=…&advisor=…                 CSV for the report
//   POST /admin/bookings/<ref>/confirm                              the person is told
//   POST /admin/bookings/<ref>/cancel      {"reason": "…"}          the person is told why
//   POST /admin/bookings/<ref>/attendance  {"status": "attended" | "no_show"}
asio::awaitable<Response> admin(
    RouteDeps& d, Request& req, RequestInfo& info, std::string_view path, std::string_view query) {
  info.route = "admin";
  if (d.admin_token.empty() || d.writer == nullptr)
    co_return server::json_error(req, 404, "not_found",
                                 "the admin API is off: set OUTREACH_ADMIN_TOKEN to turn it on");
  const auto auth = req[http::field::authorization];
  const std::string_view given(auth.data(), auth.size());
  if (!given.starts_with("Bearer ") ||
      !outreach::net::constant_time_equal(given.substr(7), d.admin_token)) {
    log::warn("admin", "refused", {{"reason", "bad or missing bearer token"}});
    Response res = server::json_error(req, 401, "unauthorized", "a valid bearer token is required");
    res.set(http::field::www_authenticate, "Bearer");
    co_return res;
  }
  auto snapshot = d.content.snapshot();
  if (!snapshot)
    co_return server::json_error(req, 503, "unavailable", "content is not loaded");
  const bool get = req.method() == http::verb::get;
  const std::int64_t now = d.clock.now_ms();
  if (path == "/admin/broadcasts" || path.starts_with("/admin/broadcasts/"))
    co_return co_await admin_broadcasts(d, req, info, path, *snapshot, now);
  if (path == "/admin/events" || path.starts_with("/admin/events/"))
    co_return co_await admin_events(d, req, info, path, *snapshot, now);
  if (path == "/admin/bookings" || path == "/admin/bookings.csv") {
    info.route = "admin_bookings";
    if (!get)
      co_return method_not_allowed(req, "GET");
    const auto q = outreach::net::parse_query(query);
    if (!q)
      co_return malformed_query(req);
    const auto days = handlers::booking_days(param(*q, "from"), param(*q, "to"), now);
    if (!days)
      co_return server::json_error(req, 400, "invalid", days.error().message);
    const std::string advisor = param(*q, "advisor");
    auto rows = co_await d.writer->run(
        [&](storage::Store& s) { return handlers::bookings_on(s, *days, advisor); });
    if (path.ends_with(".csv")) {
      // A byte-order mark so spreadsheet programs read the Vietnamese as UTF-8.
      Response res =
          server::make_response(req, 200, "\xEF\xBB\xBF" + handlers::bookings_csv(rows, *snapshot),
                                "text/csv; charset=utf-8");
      res.set(http::field::content_disposition, "attachment; filename=\"bookings.csv\"");
      co_return res;
    }
    nlohmann::json out = nlohmann::json::array();
    for (const auto& b : rows) out.push_back(booking_json(b));
    co_return server::json_response(req, 200, nlohmann::json{{"bookings", out}}.dump());
  }
  constexpr std::string_view kPrefix = "/admin/bookings/";
  if (path.starts_with(kPrefix)) {
    std::string_view rest = path.substr(kPrefix.size());
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos)
      co_return server::json_error(req, 404, "not_found", "no such path");
    handlers::StaffAction action;
    action.ref = std::string(rest.substr(0, slash));
    const std::string verb(rest.substr(slash + 1));
    using Kind = handlers::StaffAction::Kind;
    if (verb == "confirm")
      action.kind = Kind::kConfirm;
    else if (verb == "cancel")
      action.kind = Kind::kCancel;
    else if (verb == "attendance")
      action.kind = Kind::kAttendance;
    else
      co_return server::json_error(req, 404, "not_found",
                                   "no such action: confirm, cancel, attendance");
    info.route = "admin_booking_" + verb;
    if (req.method() != http::verb::post)
      co_return method_not_allowed(req, "POST");
    auto body =
        nlohmann::json::parse(req.body().empty() ? std::string("{}") : req.body(), nullptr, false);
    if (!body.is_object())
      co_return server::json_error(req, 400, "malformed", "the body must be a JSON object");
    action.reason = body.value("reason", std::string{});
    action.attendance = body.value("status", std::string{});
    action.actor = "admin-api";
    action.address = info.remote;
    auto result = co_await d.writer->run(
        [&](storage::Store& s) { return handlers::staff_action(s, *snapshot, action, now); });
    if (!result)
      co_return problem_response(req, result.error());
    log::info("admin", "booking_changed", {{"action", verb}});
    if (d.outbox_written)
      d.outbox_written();
    co_return server::json_response(req, 200,
                                    nlohmann::json{{"booking", booking_json(*result)}}.dump());
  }
  co_return server::json_error(req, 404, "not_found", "no such path");
}

asio::awaitable<Response> route(std::shared_ptr<RouteDeps> d,
                                std::shared_ptr<const WebhookCounters> counted,
                                Request& req,
                                RequestInfo& info) {
  const std::string_view target(req.target().data(), req.target().size());
  const auto qpos = target.find('?');
  const std::string_view path = target.substr(0, qpos);
  const std::string_view query =
      qpos == std::string_view::npos ? std::string_view{} : target.substr(qpos + 1);
  const bool get = req.method() == http::verb::get || req.method() == http::verb::head;

  if (path == "/healthz") {
    info.route = "healthz";
    co_return get ? server::make_response(req, 200, "ok\n", "text/plain; charset=utf-8")
                  : method_not_allowed(req, "GET");
  }
  if (path == "/readyz") {
    info.route = "readyz";
    if (!get)
      co_return method_not_allowed(req, "GET");
    const Readiness r = d->readiness();
    co_return server::json_response(req, r.ready() ? 200 : 503,
                                    nlohmann::json{{"ready", r.ready()},
                                                   {"database", r.database},
                                                   {"content", r.content},
                                                   {"shutting_down", r.shutting_down}}
                                        .dump());
  }
  if (path == "/metrics") {
    info.route = "metrics";
    if (!get)
      co_return method_not_allowed(req, "GET");
    // Measured when asked: the age of the oldest waiting event is what says replies are late
    // (the depth alone grows and shrinks with every burst).
    try {
      const auto oldest = co_await d->reader.run(
          [](storage::Store& s) { return s.inbox.oldest_pending_received_at(); });
      const std::int64_t waited =
          oldest ? std::max<std::int64_t>(0, d->clock.now_ms() - *oldest) : 0;
      d->metrics.set("outreach_inbox_oldest_wait_seconds", {}, static_cast<double>(waited) / 1000);
    } catch (const std::exception& e) {
      log::warn("http", "metrics_inbox_unreadable", {{"what", std::string_view(e.what())}});
    }
    co_return server::make_response(req, 200, d->metrics.render(),
                                    "text/plain; version=0.0.4; charset=utf-8");
  }
  if (d->webchat_enabled) {
    if (path == "/" || path == "/index.html") {
      info.route = "page";
      co_return get ? asset(req, "chat/index.html") : method_not_allowed(req, "GET");
    }
    if (path.starts_with("/static/")) {
      info.route = "static";
      co_return get ? asset(req, "chat/" + std::string(path.substr(8)))
                    : method_not_allowed(req, "GET");
    }
    if (path == "/chat/send") {
      if (req.method() != http::verb::post) {
        info.route = "chat_send";
        co_return method_not_allowed(req, "POST");
      }
      co_return co_await chat_send(*d, req, info);
    }
    if (path == "/chat/poll") {
      if (!get) {
        info.route = "chat_poll";
        co_return method_not_allowed(req, "GET");
      }
      co_return co_await chat_poll(*d, req, info, query);
    }
    if (path == "/chat/ui") {
      info.route = "chat_ui";
      co_return get ? chat_ui(*d, req, query) : method_not_allowed(req, "GET");
    }
  }
  if (path.starts_with("/t/"))
    co_return co_await ticket_route(*d, req, info, path);
  if (path.starts_with("/booking/")) {
    if (!get)
      co_return method_not_allowed(req, "GET");
    co_return co_await booking_calendar(*d, req, info, path, query);
  }
  if (path == "/console" || path.starts_with("/console/")) {
    if (path.starts_with("/console/static/")) {
      info.route = "console_static";
      co_return get ? asset(req, "console/" + std::string(path.substr(16)))
                    : method_not_allowed(req, "GET");
    }
    if (d->console == nullptr)
      co_return server::json_error(req, 404, "not_found", "the console is off");
    co_return co_await d->console->handle(req, info);
  }
  if (path.starts_with("/admin/"))
    co_return co_await admin(*d, req, info, path, query);
  if (path == "/webhooks/zalo" && d->zalo != nullptr) {
    info.route = "webhook_zalo";
    if (req.method() != http::verb::post)
      co_return method_not_allowed(req, "POST");
    co_return co_await accept_events(
        *d, req, "zalo", counted->zalo,
        d->zalo->handle(header(req, "X-ZEvent-Signature"), req.body(),
                        header(req, "X-ZEvent-Timestamp"), header(req, "num_retry")));
  }
  if (path == "/webhooks/messenger" && d->messenger != nullptr) {
    info.route = "webhook_messenger";
    if (get) {
      const auto q = outreach::net::parse_query(query);
      if (!q)
        co_return malformed_query(req);
      auto challenge = d->messenger->subscribe(param(*q, "hub.mode"), param(*q, "hub.verify_token"),
                                               param(*q, "hub.challenge"));
      if (!challenge)
        co_return server::json_error(req, 403, "forbidden", "verify token does not match");
      co_return server::make_response(req, 200, *challenge, "text/plain");
    }
    if (req.method() != http::verb::post)
      co_return method_not_allowed(req, "GET, POST");
    co_return co_await accept_events(
        *d, req, "messenger", counted->messenger,
        d->messenger->handle(header(req, "X-Hub-Signature-256"), header(req, "X-Hub-Signature"),
                             req.body()));
  }
  info.route = "unmatched";
  co_return server::json_error(req, 404, "not_found", "no such path");
}

}  // namespace

server::Handler make_http_handler(RouteDeps deps) {
  auto d = std::make_shared<RouteDeps>(std::move(deps));
  auto counted = std::make_shared<const WebhookCounters>(
      WebhookCounters{{d->metrics, "zalo"}, {d->metrics, "messenger"}});
  return [d, counted](Request& req, RequestInfo& info) {
    return route(d, counted, req, info);
  };
}

}  // namespace outreach::app
