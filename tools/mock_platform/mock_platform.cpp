#include "tools/mock_platform/mock_platform.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>

#include "bot/core/metrics.hpp"
#include "bot/core/text.hpp"
#include "bot/net/url.hpp"
#include "bot/server/http_server.hpp"

namespace outreach::mock {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using Json = nlohmann::json;
using server::Request;
using server::Response;
using namespace std::chrono_literals;

namespace {

// A query's parameters as a JSON object; empty when the query is malformed.
Json parse_form(std::string_view query) {
  Json out = Json::object();
  if (auto q = net::parse_query(query))
    for (const auto& [name, value] : *q) out[name] = value;
  return out;
}

std::string header(const Request& req, std::string_view name) {
  auto it = req.find(name);
  return it == req.end() ? std::string{} : std::string(it->value());
}

Response zalo_answer(const Request& req,
                     int code,
                     std::string_view message,
                     Json data = Json::object()) {
  return server::json_response(
      req, 200, Json{{"data", std::move(data)}, {"error", code}, {"message", message}}.dump());
}

Response graph_error(const Request& req, int code, int subcode, std::string_view message) {
  Json err = {{"message", message},
              {"type", "OAuthException"},
              {"code", code},
              {"fbtrace_id", "MockTrace"}};
  if (subcode != 0)
    err["error_subcode"] = subcode;
  return server::json_response(req, 400, Json{{"error", err}}.dump());
}

Json call_json(const Call& c) {
  return {{"platform", to_string(c.platform)},
          {"api", c.api},
          {"account", c.account},
          {"user_id", c.user_id},
          {"text", c.text},
          {"body", c.body},
          {"outcome", c.outcome},
          {"message_id", c.message_id},
          {"at_ms", c.at_ms}};
}

}  // namespace

std::string_view to_string(Platform p) {
  return p == Platform::kZalo ? "zalo" : "messenger";
}

struct MockPlatform::Impl {
  asio::io_context ioc{1};
  Metrics metrics;
  std::unique_ptr<server::HttpServer> server;
  std::thread thread;
  std::uint16_t port = 0;
  std::atomic<bool> ran_out{false};
  const std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  mutable std::mutex mu;
  mutable std::condition_variable changed;
  std::vector<ZaloOa> oas;                       // guarded by mu
  std::vector<Page> pages;                       // guarded by mu
  std::map<Platform, std::deque<Fault>> faults;  // guarded by mu
  std::vector<Call> calls;                       // guarded by mu
  std::function<void(const Call&)> observer;     // guarded by mu
  Hold hold = Hold::kNone;                       // guarded by mu
  bool drop_held = false;                        // guarded by mu
  bool held = false;                             // guarded by mu
  int rotation = 0;                              // guarded by mu
  int next_id = 0;                               // guarded by mu
  bool recording = true;                         // guarded by mu
  std::atomic<std::uint64_t> count{0};

  // The next fault for `platform` whose kind passes `accept`, consumed.
  std::optional<Fault> take_fault(Platform platform,
                                  const std::function<bool(const std::string&)>& accept) {
    std::lock_guard lock(mu);
    auto& q = faults[platform];
    if (q.empty() || !accept(q.front().kind))
      return std::nullopt;
    Fault f = q.front();
    if (--q.front().times <= 0)
      q.pop_front();
    return f;
  }

  void record(Call c) {
    c.at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - started)
                  .count();
    count.fetch_add(1);
    std::function<void(const Call&)> obs;
    {
      std::lock_guard lock(mu);
      if (!recording)
        return;
      calls.push_back(c);
      obs = observer;
    }
    changed.notify_all();
    if (obs)
      obs(c);
  }

  Response finish(Call& call, std::string outcome, Response res) {
    call.outcome = std::move(outcome);
    record(call);
    return res;
  }

  static Response mock_failure(const Request& req) {
    return server::json_response(req, 500, R"({"error":"mock failure"})");
  }

  std::string new_id(std::string_view prefix) {
    std::lock_guard lock(mu);
    return std::string(prefix) + std::to_string(++next_id);
  }

  static asio::awaitable<void> sleep(std::chrono::milliseconds d) {
    asio::steady_timer t(co_await asio::this_coro::executor, d);
    co_await t.async_wait(asio::use_awaitable);
  }

  // Waits while refresh calls are held at `where`; false when the held call is to be dropped
  // (answered 503 without being processed).
  asio::awaitable<bool> wait_while_held(Hold where) {
    bool was_held = false;
    bool proceed = true;
    for (;;) {
      {
        std::lock_guard lock(mu);
        if (hold != where) {
          held = false;
          proceed = !(was_held && drop_held);
          break;
        }
        held = was_held = true;
      }
      changed.notify_all();
      co_await sleep(10ms);
    }
    changed.notify_all();
    co_return proceed;
  }

  // A Zalo API call as it is recorded: its parsed body and the OA whose access token it carries.
  Call zalo_call(const Request& req, std::string api) {
    Call call;
    call.platform = Platform::kZalo;
    call.api = std::move(api);
    call.body = Json::parse(req.body(), nullptr, false);
    const std::string token = header(req, "access_token");
    std::lock_guard lock(mu);
    for (const auto& oa : oas)
      if (!token.empty() && oa.access_token == token)
        call.account = oa.oa_id;
    return call;
  }

  // The answers both Zalo send APIs give for a bad token and the shared faults (outcome, answer).
  static std::optional<std::pair<std::string, Response>> zalo_refusal(
      const Request& req, const Call& call, const std::optional<Fault>& fault) {
    const auto is = [&](std::string_view kind) {
      return fault && fault->kind == kind;
    };
    if (is("http500"))
      return std::pair{std::string("http500"), mock_failure(req)};
    if (call.account.empty() || is("expired_token"))
      return std::pair{std::string("-216"), zalo_answer(req, -216, "Access token is invalid")};
    if (is("rate_limit"))
      return std::pair{std::string("-32"),
                       zalo_answer(req, -32, "Your application reached limit call api")};
    if (is("unavailable"))
      return std::pair{std::string("-213"), zalo_answer(req, -213, "User has not followed OA")};
    return std::nullopt;
  }

  asio::awaitable<Response> zalo_send(Request& req) {
    Call call = zalo_call(req, "send");
    const bool json_ok = call.body.is_object();
    if (json_ok) {
      call.user_id = call.body.value("/recipient/user_id"_json_pointer, std::string{});
      call.text = call.body.value("/message/text"_json_pointer, std::string{});
    }
    const bool has_template = json_ok && call.body.contains("/message/attachment"_json_pointer);
    auto fault = take_fault(Platform::kZalo, [&](const std::string& k) {
      return !k.starts_with("refresh_") && (k != "template_refused" || has_template);
    });
    if (fault && fault->kind == "slow")
      co_await sleep(fault->delay);
    auto answer = [&](std::string outcome, Response res) {
      return finish(call, std::move(outcome), std::move(res));
    };
    if (auto refused = zalo_refusal(req, call, fault))
      co_return answer(std::move(refused->first), std::move(refused->second));
    if (fault && fault->kind == "outside_window")
      co_return answer(
          "-230", zalo_answer(req, -230, "User has not interacted with the OA in the past 7 days"));
    if (fault && fault->kind == "template_refused")
      co_return answer("-201", zalo_answer(req, -201, "attachment is invalid!"));
    if (!json_ok || call.user_id.empty())
      co_return answer("-201", zalo_answer(req, -201, "recipient is invalid!"));
    if (text::code_points(call.text) > 2000)
      co_return answer("-201", zalo_answer(req, -201, "text is invalid!"));
    // The media template: one image by url or by attachment_id, never both; urls are https.
    if (call.body.value("/message/attachment/payload/template_type"_json_pointer, std::string{}) ==
        "media") {
      const Json elements =
          call.body.value("/message/attachment/payload/elements"_json_pointer, Json::array());
      const Json first = elements.is_array() && elements.size() == 1 ? elements[0] : Json();
      const std::string url = first.is_object() ? first.value("url", std::string{}) : "";
      if (!first.is_object() || first.value("media_type", std::string{}) != "image" ||
          url.empty() == !first.contains("attachment_id") ||
          (!url.empty() && !url.starts_with("https://")))
        co_return answer("-201", zalo_answer(req, -201, "attachment is invalid!"));
      call.api = "image";
      call.text = url;
    }
    call.message_id = new_id("zmsg-");
    const Json data = {{"message_id", call.message_id}, {"user_id", call.user_id}};
    co_return answer("ok", zalo_answer(req, 0, "Success", data));
  }

  asio::awaitable<Response> zalo_template(Request& req) {
    Call call = zalo_call(req, "template");
    const bool json_ok = call.body.is_object();
    if (json_ok) {
      call.user_id = call.body.value("user_id", std::string{});
      if (call.user_id.empty())
        call.user_id = call.body.value("/recipient/user_id"_json_pointer, std::string{});
      call.text = call.body.value("template_id", std::string{});
    }
    auto fault = take_fault(Platform::kZalo, [](const std::string& k) {
      return !k.starts_with("refresh_") && k != "template_refused";
    });
    if (fault && fault->kind == "slow")
      co_await sleep(fault->delay);
    auto answer = [&](std::string outcome, Response res) {
      return finish(call, std::move(outcome), std::move(res));
    };
    if (auto refused = zalo_refusal(req, call, fault))
      co_return answer(std::move(refused->first), std::move(refused->second));
    int remain = 0;
    std::optional<std::vector<std::string>> params;
    {
      std::lock_guard lock(mu);
      for (const auto& oa : oas) {
        if (oa.oa_id != call.account)
          continue;
        if (auto it = oa.templates.find(call.text); it != oa.templates.end())
          params = it->second;
        remain = oa.template_quota;
      }
    }
    if (fault && fault->kind == "night")
      co_return answer("-234", zalo_answer(req, -234,
                                           "This message cannot be sent at night (10:00PM - "
                                           "6:00AM)"));
    if (remain <= 0 || (fault && fault->kind == "out_of_quota"))
      co_return answer("-211", zalo_answer(req, -211, "Out of quota"));
    if (!json_ok || call.user_id.empty())
      co_return answer("-201", zalo_answer(req, -201, "user_id is invalid!"));
    if (!params)
      co_return answer("-201", zalo_answer(req, -201, "template_id is invalid!"));
    const Json data = call.body.value("template_data", Json::object());
    std::vector<std::string> given;
    if (data.is_object())
      for (const auto& [k, v] : data.items())
        if (v.is_string() && !v.get<std::string>().empty())
          given.push_back(k);
    std::vector<std::string> wanted = *params;
    std::sort(wanted.begin(), wanted.end());
    if (given != wanted)  // items() iterates a JSON object's keys in sorted order
      co_return answer("-201", zalo_answer(req, -201, "template_data is invalid!"));
    {
      std::lock_guard lock(mu);
      for (auto& oa : oas)
        if (oa.oa_id == call.account)
          remain = --oa.template_quota;
    }
    call.message_id = new_id("ztpl-");
    const Json out = {{"message_id", call.message_id},
                      {"user_id", call.user_id},
                      {"sent_time", std::to_string(call.at_ms)},
                      {"quota", {{"quota_type", "daily"}, {"remain", remain}}}};
    co_return answer("ok", zalo_answer(req, 0, "Success", out));
  }

  asio::awaitable<Response> zalo_refresh(Request& req) {
    Call call;
    call.platform = Platform::kZalo;
    call.api = "refresh";
    call.body = parse_form(req.body());
    const std::string app_id = call.body.value("app_id", std::string{});
    const std::string given = call.body.value("refresh_token", std::string{});
    const std::string secret = header(req, "secret_key");
    auto fault =
        take_fault(Platform::kZalo, [](const std::string& k) { return k.starts_with("refresh_"); });
    auto refused = [&](std::string why) {
      call.outcome = "-14014";
      record(call);
      return server::json_response(req, 200,
                                   Json{{"error", -14014},
                                        {"error_name", "Invalid refresh token"},
                                        {"error_reason", std::move(why)},
                                        {"ref_doc", ""}}
                                       .dump());
    };
    if (fault && fault->kind == "refresh_http500") {
      co_return finish(call, "http500", mock_failure(req));
    }
    if (fault && fault->kind == "refresh_refused")
      co_return refused("told to refuse");
    if (!co_await wait_while_held(Hold::kBeforeRotation)) {
      call.outcome = "dropped";
      record(call);
      co_return server::json_response(req, 503, R"({"error":"dropped before processing"})");
    }
    ZaloOa fresh;
    {
      std::lock_guard lock(mu);
      for (auto& oa : oas) {
        if (oa.app_id != app_id || given.empty() || oa.refresh_token != given ||
            oa.app_secret != secret)
          continue;
        ++rotation;  // single-use: the old pair stops working now
        oa.access_token = "za-" + oa.oa_id + "-" + std::to_string(rotation);
        oa.refresh_token = "zr-" + oa.oa_id + "-" + std::to_string(rotation);
        fresh = oa;
      }
    }
    if (fresh.oa_id.empty())
      co_return refused("unknown, used or revoked refresh token, or wrong secret_key");
    call.account = fresh.oa_id;
    (void)co_await wait_while_held(Hold::kAfterRotation);  // rotated already: always answers
    call.outcome = "ok";
    record(call);
    co_return server::json_response(req, 200,
                                    Json{{"access_token", fresh.access_token},
                                         {"refresh_token", fresh.refresh_token},
                                         {"expires_in", "90000"}}
                                        .dump());
  }

  asio::awaitable<Response> graph(Request& req, std::string_view path, std::string_view query) {
    Call call;
    call.platform = Platform::kMessenger;
    call.api = path.ends_with("/me/messenger_profile") ? "profile" : "send";
    call.body = Json::parse(req.body(), nullptr, false);
    const bool json_ok = call.body.is_object();
    if (json_ok) {
      call.user_id = call.body.value("/recipient/id"_json_pointer, std::string{});
      call.text = call.body.value("/message/text"_json_pointer, std::string{});
    }
    const Json q = parse_form(query);
    const std::string token = q.value("access_token", std::string{});
    const bool utility = json_ok && call.body.value("messaging_type", std::string{}) == "UTILITY";
    std::optional<int> utility_params;  // the named template's parameters, if the page has it
    if (utility) {
      call.api = "template";
      call.text = call.body.value("/message/template/name"_json_pointer, std::string{});
    }
    {
      std::lock_guard lock(mu);
      for (const auto& p : pages) {
        if (token.empty() || p.page_token != token)
          continue;
        call.account = p.page_id;
        if (auto it = p.utility_templates.find(call.text);
            utility && it != p.utility_templates.end())
          utility_params = it->second;
      }
    }
    auto fault = call.api != "profile"
                     ? take_fault(Platform::kMessenger, [](const std::string&) { return true; })
                     : std::nullopt;
    if (fault && fault->kind == "slow")
      co_await sleep(fault->delay);
    auto answer = [&](std::string outcome, Response res) {
      return finish(call, std::move(outcome), std::move(res));
    };
    if (fault && fault->kind == "http500")
      co_return answer("http500", mock_failure(req));
    if (call.account.empty() || (fault && fault->kind == "expired_token"))
      co_return answer("190", graph_error(req, 190, 0, "Invalid OAuth access token."));
    if (fault && fault->kind == "rate_limit")
      co_return answer("613",
                       graph_error(req, 613, 0, "Calls to this api have exceeded the rate limit."));
    if (fault && fault->kind == "outside_window")
      co_return answer(
          "10/2018278",
          graph_error(req, 10, 2018278, "This message is sent outside of allowed window."));
    if (fault && fault->kind == "unavailable")
      co_return answer("551",
                       graph_error(req, 551, 1545041, "This person isn't available right now."));
    if (!json_ok)
      co_return answer("100", graph_error(req, 100, 0, "Invalid parameter"));
    if (call.api == "profile")
      co_return answer("ok", server::json_response(req, 200, R"({"result":"success"})"));
    const Json& msg = call.body.value("message", Json::object());
    if (utility) {
      const Json params =
          call.body.value("/message/template/components/0/parameters"_json_pointer, Json::array());
      if (!utility_params || call.user_id.empty() || !params.is_array() ||
          static_cast<int>(params.size()) != *utility_params ||
          call.body.value("/message/template/language/code"_json_pointer, std::string{}).empty())
        co_return answer("100", graph_error(req, 100, 2018320, "Invalid template or parameters."));
      call.message_id = new_id("m_util");
      co_return answer(
          "ok", server::json_response(
                    req, 200,
                    Json{{"recipient_id", call.user_id}, {"message_id", call.message_id}}.dump()));
    }
    const std::string type = call.body.value("messaging_type", std::string{});
    const bool type_ok = type == "RESPONSE" || type == "UPDATE" ||
                         (type == "MESSAGE_TAG" && call.body.contains("tag"));
    if (call.user_id.empty() || !type_ok || !msg.is_object())
      co_return answer("100", graph_error(req, 100, 0, "Invalid parameter"));
    // A message is text or one attachment; an image is fetched by URL (https) by the platform.
    if (msg.contains("attachment")) {
      const std::string url = msg.value("/attachment/payload/url"_json_pointer, std::string{});
      if (msg.contains("text") ||
          msg.value("/attachment/type"_json_pointer, std::string{}) != "image" ||
          !url.starts_with("https://"))
        co_return answer("100", graph_error(req, 100, 0, "Invalid parameter"));
      call.api = "image";
      call.text = url;
    } else if (call.text.empty()) {
      co_return answer("100", graph_error(req, 100, 0, "Invalid parameter"));
    }
    if (text::code_points(call.text) > 2000 ||
        (msg.contains("quick_replies") &&
         (!msg["quick_replies"].is_array() || msg["quick_replies"].size() > 13)))
      co_return answer("100", graph_error(req, 100, 0, "Invalid parameter"));
    call.message_id = new_id("m_mock");
    co_return answer(
        "ok", server::json_response(
                  req, 200,
                  Json{{"recipient_id", call.user_id}, {"message_id", call.message_id}}.dump()));
  }

  Response control(Request& req, std::string_view path, std::string_view query) {
    if (path == "/_mock/calls") {
      const std::string want = parse_form(query).value("platform", std::string{});
      Json out = Json::array();
      std::lock_guard lock(mu);
      for (const auto& c : calls)
        if (want.empty() || to_string(c.platform) == want)
          out.push_back(call_json(c));
      return server::json_response(req, 200, out.dump());
    }
    if (req.method() != http::verb::post)
      return server::json_error(req, 405, "method", "POST");
    if (path == "/_mock/reset") {
      std::lock_guard lock(mu);
      calls.clear();
      faults.clear();
      return server::json_response(req, 200, R"({"ok":true})");
    }
    if (path == "/_mock/fault") {
      const Json j = Json::parse(req.body(), nullptr, false);
      if (!j.is_object())
        return server::json_error(req, 400, "malformed", "send a JSON object");
      Fault f;
      f.kind = j.value("kind", std::string{});
      f.times = j.value("times", 1);
      f.delay = std::chrono::milliseconds(j.value("delay_ms", 3000));
      const std::string p = j.value("platform", std::string{});
      if (f.kind.empty() || (p != "zalo" && p != "messenger"))
        return server::json_error(req, 400, "invalid", "give platform (zalo|messenger) and kind");
      std::lock_guard lock(mu);
      faults[p == "zalo" ? Platform::kZalo : Platform::kMessenger].push_back(f);
      return server::json_response(req, 200, R"({"ok":true})");
    }
    return server::json_error(req, 404, "not_found", "no such control path");
  }

  asio::awaitable<Response> route(Request& req, server::RequestInfo& info) {
    const std::string_view target(req.target().data(), req.target().size());
    const auto qpos = target.find('?');
    const std::string_view path = target.substr(0, qpos);
    const std::string_view query =
        qpos == std::string_view::npos ? std::string_view{} : target.substr(qpos + 1);
    info.route = std::string(path);
    if (path.starts_with("/_mock/"))
      co_return control(req, path, query);
    if (req.method() != http::verb::post)
      co_return server::json_error(req, 405, "method", "POST");
    if (path == "/v3.0/oa/message/cs")
      co_return co_await zalo_send(req);
    if (path == "/v3.0/oa/message/template")
      co_return co_await zalo_template(req);
    if (path == "/v4/oa/access_token")
      co_return co_await zalo_refresh(req);
    if (path.ends_with("/me/messages") || path.ends_with("/me/messenger_profile"))
      co_return co_await graph(req, path, query);
    co_return server::json_error(req, 404, "not_found", "the mock does not serve this path");
  }
};

MockPlatform::MockPlatform() : impl_(std::make_unique<Impl>()) {}

MockPlatform::~MockPlatform() {
  stop();
}

std::uint16_t MockPlatform::start(const std::string& address, std::uint16_t port) {
  Impl& m = *impl_;
  server::ServerOptions o;
  o.body_limit = 1024 * 1024;
  m.server = std::make_unique<server::HttpServer>(
      m.ioc, o, [&m](Request& req, server::RequestInfo& info) { return m.route(req, info); },
      m.metrics);
  std::string error;
  auto bound = m.server->listen(address, port, error);
  if (!bound)
    throw std::runtime_error("mock platform: " + error);
  m.port = *bound;
  m.server->start();
  m.ran_out = false;
  m.thread = std::thread([&m] {
    m.ioc.run();
    m.ran_out = true;
  });
  return m.port;
}

void MockPlatform::stop() {
  Impl& m = *impl_;
  if (!m.thread.joinable())
    return;
  release_refresh();
  // Gracefully: once no connection is left the io thread runs out of work and returns, so no
  // handler of this server is left queued when the next start() runs the context again.
  m.server->stop_accepting();
  m.server->close_idle();
  for (int i = 0; i < 600 && !m.ran_out.load(); ++i) std::this_thread::sleep_for(5ms);
  if (!m.ran_out.load())
    m.ioc.stop();  // a client holds a request open: cut it
  m.thread.join();
  m.server.reset();
  m.ioc.restart();
}

bool MockPlatform::running() const {
  return impl_->thread.joinable();
}

std::string MockPlatform::base_url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

void MockPlatform::add_zalo_oa(ZaloOa oa) {
  std::lock_guard lock(impl_->mu);
  impl_->oas.push_back(std::move(oa));
}

void MockPlatform::add_page(Page page) {
  std::lock_guard lock(impl_->mu);
  impl_->pages.push_back(std::move(page));
}

std::optional<ZaloOa> MockPlatform::zalo_oa(const std::string& oa_id) const {
  std::lock_guard lock(impl_->mu);
  for (const auto& oa : impl_->oas)
    if (oa.oa_id == oa_id)
      return oa;
  return std::nullopt;
}

void MockPlatform::expire_access_token(const std::string& oa_id) {
  std::lock_guard lock(impl_->mu);
  for (auto& oa : impl_->oas)
    if (oa.oa_id == oa_id)
      oa.access_token = "expired-" + oa.access_token;
}

void MockPlatform::fail(Platform platform, Fault fault) {
  std::lock_guard lock(impl_->mu);
  impl_->faults[platform].push_back(std::move(fault));
}

void MockPlatform::hold_refresh(Hold where) {
  std::lock_guard lock(impl_->mu);
  impl_->hold = where;
  impl_->drop_held = false;
}

void MockPlatform::release_refresh(bool process) {
  std::lock_guard lock(impl_->mu);
  impl_->hold = Hold::kNone;
  impl_->drop_held = !process;
}

bool MockPlatform::refresh_held() const {
  std::lock_guard lock(impl_->mu);
  return impl_->held;
}

std::vector<Call> MockPlatform::calls() const {
  std::lock_guard lock(impl_->mu);
  return impl_->calls;
}

std::vector<Call> MockPlatform::calls(Platform platform, const std::string& api) const {
  std::vector<Call> out;
  std::lock_guard lock(impl_->mu);
  for (const auto& c : impl_->calls)
    if (c.platform == platform && c.api == api)
      out.push_back(c);
  return out;
}

bool MockPlatform::wait_for(const std::function<bool(const std::vector<Call>&)>& pred,
                            std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mu);
  return impl_->changed.wait_for(lock, timeout, [&] { return pred(impl_->calls); });
}

void MockPlatform::reset() {
  std::lock_guard lock(impl_->mu);
  impl_->calls.clear();
  impl_->faults.clear();
}

void MockPlatform::on_call(std::function<void(const Call&)> observer) {
  std::lock_guard lock(impl_->mu);
  impl_->observer = std::move(observer);
}

void MockPlatform::set_recording(bool on) {
  std::lock_guard lock(impl_->mu);
  impl_->recording = on;
}

std::uint64_t MockPlatform::call_count() const {
  return impl_->count.load();
}

}  // namespace outreach::mock
