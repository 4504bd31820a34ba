#include "bot/channels/zalo/zalo_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "bot/core/log.hpp"
#include "bot/core/text.hpp"
#include "bot/net/url.hpp"

namespace outreach::channels::zalo {
namespace asio = boost::asio;
using Json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kMaxText = 2000;
constexpr std::size_t kMaxTemplateText = 640;
constexpr std::size_t kMaxButtons = 5;
constexpr std::int64_t kWindowMs = 7LL * 24 * 3600 * 1000;  // consultation messages only within
constexpr std::int64_t kFreeMs = 48LL * 3600 * 1000;        // free within
constexpr std::int64_t kQuotaWaitMs = 3600LL * 1000;  // template quota used up: try again after

Json text_part(const std::string& user_id, const std::string& text) {
  return {{"recipient", {{"user_id", user_id}}}, {"message", {{"text", text}}}};
}

std::string key_of(const Account& a) {
  return "zalo:" + a.id;
}

enum class Action {
  kRetry,
  kRefresh,
  kOutsideWindow,
  kGiveUp,
  kTemplateRefused,
  kAccountProblem,
  kRateLimited
};

// Zalo's documented error codes (../shared/platforms/zalo-oa.md §3.5).
Action action_for(int code) {
  switch (code) {
    case -32:
      return Action::kRateLimited;
    case -216:
    case -220:
      return Action::kRefresh;
    case -230:
    case -232:
      return Action::kOutsideWindow;
    case -213:  // not following the OA
    case -217:  // blocked the OA
    case -227:  // banned or inactive 45 days
    case -244:  // restricted this message type
    case -100:  // attachment expired
    case -248:  // violates platform standards
      return Action::kGiveUp;
    case -201:
    case -210:
    case -233:
      return Action::kTemplateRefused;
    case -204:
    case -205:
    case -209:
    case -212:
    case -219:
    case -221:
    case -223:
    case -224:
    case -240:
    case -242:
    case -320:
    case -321:
      return Action::kAccountProblem;
    default:
      return Action::kRetry;  // -200, -211, -218, -234, anything new
  }
}

}  // namespace

std::vector<Json> render(const OutboundMessage& m,
                         const std::string& user_id,
                         bool templates,
                         const std::string& hint) {
  std::vector<Json> parts;
  // An image (a ticket's QR code) goes first, as the media template by URL; the platform fetches
  // it, so only a public https address is sent. Without templates the text carries its link.
  if (templates && m.image_url.starts_with("https://")) {
    Json image = {{"recipient", {{"user_id", user_id}}}};
    image["message"]["attachment"] = {
        {"type", "template"},
        {"payload",
         {{"template_type", "media"},
          {"elements", Json::array({{{"media_type", "image"}, {"url", m.image_url}}})}}}};
    parts.push_back(std::move(image));
  }
  std::size_t buttons = 0;
  for (const auto& b : m.buttons) buttons += (!b.payload.empty() || !b.url.empty()) ? 1 : 0;
  const bool with_template = templates && m.items.empty() && buttons >= 1 && buttons <= kMaxButtons;
  if (!with_template) {
    for (auto& t : text::split_for_limit(render_numbered(m, hint), kMaxText))
      parts.push_back(text_part(user_id, t));
    if (parts.empty())
      parts.push_back(text_part(user_id, "…"));
    return parts;
  }
  auto texts = text::split_for_limit(m.text, kMaxText);
  if (texts.empty())
    texts.emplace_back("…");
  if (text::code_points(texts.back()) >
      kMaxTemplateText) {  // the part under the buttons stays short
    const std::string last = texts.back();
    texts.pop_back();
    for (auto& t : text::split_for_limit(last, kMaxTemplateText)) texts.push_back(std::move(t));
  }
  for (std::size_t i = 0; i + 1 < texts.size(); ++i) parts.push_back(text_part(user_id, texts[i]));
  Json list = Json::array();
  for (const auto& b : m.buttons) {
    const std::string title(text::prefix_code_points(b.title, 100));
    if (!b.payload.empty()) {
      list.push_back({{"title", title},
                      {"type", "oa.query.hide"},
                      {"payload", std::string(kPayloadPrefix) + b.payload}});
    } else if (!b.url.empty()) {
      list.push_back({{"title", title}, {"type", "oa.open.url"}, {"payload", {{"url", b.url}}}});
    }
  }
  Json last = text_part(user_id, texts.back());
  last["message"]["attachment"] = {{"type", "template"}, {"payload", {{"buttons", list}}}};
  parts.push_back(std::move(last));
  return parts;
}

Client::Client(net::HttpClient& http,
               TokenStore& tokens,
               std::vector<Account> accounts,
               ClientOptions options,
               const Clock& clock,
               Metrics& metrics)
    : http_(http),
      store_(tokens),
      accounts_(std::move(accounts)),
      options_(std::move(options)),
      clock_(clock),
      metrics_(metrics) {
  for (const auto& a : accounts_) {
    tokens_[a.id] = std::make_unique<TokenState>();
    templates_ok_[a.oa_id] = std::make_unique<std::atomic<bool>>(true);
    template_blocked_until_[a.oa_id] = std::make_unique<std::atomic<std::int64_t>>(0);
    if (!limiters_.contains(a.app_id))
      limiters_[a.app_id] = std::make_unique<RateLimiter>(options_.rate_per_minute, 60'000ms);
  }
}

const Account* Client::account_for(std::string_view oa_id) const {
  for (const auto& a : accounts_)
    if (a.oa_id == oa_id)
      return &a;
  return nullptr;
}

Client::TokenState& Client::state_of(const std::string& id) {
  return *tokens_.at(id);
}

asio::awaitable<Result<std::string>> Client::access_token(const Account& account,
                                                          std::string rejected,
                                                          std::string* why) {
  TokenState& st = state_of(account.id);
  bool looked_again = false;
  for (;;) {
    bool loaded = false;
    {
      std::lock_guard lock(st.mu);
      // Lost tokens are looked up again (one row read): `zalo-tokens` may have stored new ones.
      if (st.loaded && st.cache && st.cache->state == TokenHealth::kLost && !looked_again) {
        st.loaded = false;
        looked_again = true;
      }
      loaded = st.loaded;
    }
    if (!loaded) {
      auto t = co_await store_.load(key_of(account));
      std::lock_guard lock(st.mu);
      if (!st.loaded) {
        st.cache = std::move(t);
        st.loaded = true;
      }
      continue;
    }
    std::shared_ptr<asio::steady_timer> wait;
    StoredTokens current;
    {
      std::lock_guard lock(st.mu);
      if (!st.cache) {
        if (why)
          *why = "no tokens stored for Zalo OA '" + account.id +
                 "' (set its refresh token: see README)";
        co_return make_error_code(Errc::kTokenExpired);
      }
      if (st.cache->state == TokenHealth::kLost) {
        if (why)
          *why = "the tokens of Zalo OA '" + account.id +
                 "' were refused; an OA admin must authorise the app again";
        co_return make_error_code(Errc::kTokenExpired);
      }
      const std::int64_t now = clock_.now_ms();
      const bool has_access = !st.cache->access_token.empty() && st.cache->access_expires_at > now;
      const bool fresh =
          has_access && st.cache->access_expires_at - now > options_.refresh_ahead.count();
      // Someone else already replaced the token the platform refused: use theirs. A refresh
      // that failed on the way is not tried again for a minute while the token still works.
      const bool wait_retry = rejected.empty() && has_access && now < st.next_try_ms;
      if (has_access &&
          (rejected.empty() ? fresh || wait_retry : st.cache->access_token != rejected))
        co_return st.cache->access_token;
      if (st.refreshing) {
        wait = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor, 30s);
        st.waiters.push_back(wait);
      } else {
        st.refreshing = true;
        current = *st.cache;
      }
    }
    if (wait) {  // one refresh per OA: wait for the one in flight, then look again
      co_await wait->async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    auto refreshed = co_await refresh(account, current, why);
    std::vector<std::shared_ptr<asio::steady_timer>> waiters;
    {
      std::lock_guard lock(st.mu);
      st.refreshing = false;
      if (refreshed) {
        st.cache = *refreshed;
        st.next_try_ms = 0;
      } else if (refreshed.error() == Errc::kTokenExpired) {
        st.cache->state = TokenHealth::kLost;
      } else {
        st.next_try_ms = clock_.now_ms() + 60'000;
      }
      waiters.swap(st.waiters);
    }
    for (auto& w : waiters) asio::post(w->get_executor(), [w] { w->cancel(); });
    if (!refreshed) {
      // The refresh call failed on the way (not refused): the current token still works until
      // it expires.
      if (refreshed.error() == Errc::kUnavailable && !current.access_token.empty() &&
          current.access_expires_at > clock_.now_ms() && current.access_token != rejected)
        co_return current.access_token;
      co_return refreshed.error();
    }
    rejected.clear();
  }
}

asio::awaitable<Result<StoredTokens>> Client::refresh(const Account& account,
                                                      StoredTokens current,
                                                      std::string* why) {
  // Durable first: if the process dies during the call, the restart knows a refresh was tried.
  co_await store_.begin_refresh(key_of(account));
  net::HttpCall call;
  call.url = options_.oauth_base_url + "/v4/oa/access_token";
  call.headers = {{"secret_key", account.app_secret},
                  {"Content-Type", "application/x-www-form-urlencoded"}};
  call.body = "refresh_token=" + net::url_encode(current.refresh_token) +
              "&app_id=" + net::url_encode(account.app_id) + "&grant_type=refresh_token";
  call.timeout = options_.timeout;
  std::string detail;
  auto reply = co_await http_.request(std::move(call), &detail);
  if (!reply || reply->status >= 500) {
    if (why)
      *why = "token refresh for Zalo OA '" + account.id +
             "' failed: " + (reply ? "HTTP " + std::to_string(reply->status) : detail);
    log::warn("zalo", "token_refresh_failed",
              {{"account", account.id}, {"error", reply ? std::to_string(reply->status) : detail}});
    co_return make_error_code(Errc::kUnavailable);
  }
  const Json j = Json::parse(reply->body, nullptr, false);
  std::string access;
  std::string refresh_token;
  std::int64_t expires_in = 0;
  if (j.is_object()) {
    access = j.value("access_token", std::string{});
    refresh_token = j.value("refresh_token", std::string{});
    if (auto it = j.find("expires_in"); it != j.end()) {
      if (it->is_string())
        expires_in = std::atoll(it->get<std::string>().c_str());  // Zalo sends "90000"
      if (it->is_number_integer())
        expires_in = it->get<std::int64_t>();
    }
  }
  if (access.empty() || refresh_token.empty()) {
    std::string error = "refused";
    if (j.is_object()) {
      error = j.value("error_name", j.value("error_description", std::string("refused")));
      if (j.contains("error"))
        error += " (" + j["error"].dump() + ")";
    }
    co_await store_.mark_lost(key_of(account), error);
    metrics_.inc("outreach_token_refresh_total", {{"account", account.id}, {"outcome", "refused"}});
    metrics_.inc("outreach_platform_alerts_total", {{"channel", "zalo"}, {"code", "token_lost"}});
    log::error("zalo", "token_lost",
               {{"account", account.id},
                {"error", error},
                {"action", "an OA admin must authorise the app again (README)"}});
    if (why)
      *why = "Zalo refused the refresh token of OA '" + account.id + "': " + error +
             "; an OA admin must authorise the app again";
    co_return make_error_code(Errc::kTokenExpired);
  }
  StoredTokens fresh;
  fresh.access_token = access;
  fresh.refresh_token = refresh_token;
  fresh.access_expires_at = clock_.now_ms() + (expires_in > 0 ? expires_in : 90'000) * 1000;
  fresh.state = TokenHealth::kOk;
  co_await store_.commit(key_of(account), fresh);  // before the new access token is used
  refreshes_.fetch_add(1);
  metrics_.inc("outreach_token_refresh_total", {{"account", account.id}, {"outcome", "rotated"}});
  log::info("zalo", "token_rotated", {{"account", account.id}});
  co_return fresh;
}

asio::awaitable<void> Client::keep_fresh() {
  for (const auto& a : accounts_) {
    std::string why;
    auto t = co_await access_token(a, {}, &why);
    if (!t)
      log::warn("zalo", "token_not_fresh", {{"account", a.id}, {"why", why}});
  }
}

asio::awaitable<Client::Answer> Client::post(const Account& account,
                                             std::string_view path,
                                             const Json& body,
                                             std::string rejected,
                                             bool bulk) {
  Answer a;
  co_await limiters_.at(account.app_id)->acquire(bulk);
  std::string why;
  auto token = co_await access_token(account, std::move(rejected), &why);
  if (!token) {
    a.failure = SendResult::retry(why, 5min);
    co_return a;
  }
  a.token = *token;
  net::HttpCall call;
  call.url = options_.api_base_url + std::string(path);
  call.headers = {{"access_token", *token}, {"Content-Type", "application/json"}};
  call.body = body.dump();
  call.timeout = options_.timeout;
  auto reply = co_await http_.request(std::move(call), &why);
  if (!reply) {
    a.failure = SendResult::retry("Zalo send: " + why);
    co_return a;
  }
  if (reply->status != 200) {
    a.failure = SendResult::retry("Zalo send: HTTP " + std::to_string(reply->status));
    co_return a;
  }
  const Json j = Json::parse(reply->body, nullptr, false);
  if (!j.is_object() || !j.contains("error")) {
    a.failure = SendResult::retry("Zalo send: unreadable answer");
    co_return a;
  }
  a.code = j["error"].is_number_integer() ? j["error"].get<int>() : -1;
  a.described = "Zalo error " + std::to_string(a.code) + ": " + j.value("message", std::string{});
  if (j.contains("data") && j["data"].is_object())
    a.data = j["data"];
  co_return a;
}

SendResult Client::account_problem(const Account& account, const Answer& a) {
  log::error("zalo", "account_problem", {{"account", account.id}, {"error", a.described}});
  metrics_.inc("outreach_platform_alerts_total",
               {{"channel", "zalo"}, {"code", std::to_string(a.code)}});
  return SendResult::retry(a.described, 15min);
}

asio::awaitable<SendResult> Client::send(const Delivery& d) {
  const Account* account = account_for(d.account);
  if (account == nullptr)
    co_return SendResult::give_up("no Zalo OA configured with id " + d.account);
  if (d.message.platform_template)
    co_return co_await send_template(*account, d);
  const std::int64_t now = clock_.now_ms();
  const std::int64_t since = now - d.last_interaction_at;
  if (since > kWindowMs)
    co_return SendResult::skip("outside Zalo's 7-day window for consultation messages");
  SendResult result;
  result.window = since <= kFreeMs ? "free" : "paid";
  result.parts_sent = d.parts_sent;
  std::atomic<bool>& templates = *templates_ok_.at(account->oa_id);
  const std::string hint = options_.number_hint ? options_.number_hint(d.language) : std::string{};
  auto parts = render(d.message, d.user_id, templates.load(), hint);
  bool refreshed = false;
  std::string rejected;
  auto retry = [&](std::string why, std::chrono::milliseconds after = {}) {
    SendResult r = SendResult::retry(std::move(why), after);
    r.parts_sent = result.parts_sent;
    r.window = result.window;
    return r;
  };
  for (std::size_t i = static_cast<std::size_t>(d.parts_sent); i < parts.size();) {
    Answer a = co_await post(*account, "/v3.0/oa/message/cs", parts[i], std::exchange(rejected, {}),
                             d.kind == MessageKind::kBroadcast);
    if (a.failure)
      co_return retry(a.failure->error, a.failure->retry_after);
    if (a.code == 0) {
      result.platform_message_id = a.data.value("message_id", "");
      result.parts_sent = static_cast<int>(++i);
      continue;
    }
    switch (action_for(a.code)) {
      case Action::kRefresh:
        if (refreshed)
          co_return retry(a.described);
        refreshed = true;
        rejected = a.token;  // one refresh, then this part again
        continue;
      case Action::kRateLimited:
        co_return retry(a.described, 60s);
      case Action::kOutsideWindow: {
        SendResult r = SendResult::skip(a.described + " (outside the 7-day window)");
        r.parts_sent = result.parts_sent;
        co_return r;
      }
      case Action::kTemplateRefused:
        if (parts[i]["message"].contains("attachment") && templates.load()) {
          templates.store(false);  // this OA takes no button template: numbered text from now on
          log::warn("zalo", "template_refused", {{"account", account->id}, {"code", a.code}});
          const bool had_image =
              parts.front().contains(Json::json_pointer("/message/attachment/payload/elements"));
          parts = render(d.message, d.user_id, false, hint);
          if (had_image && i > 0) {  // the image went out; the text goes on where it was
            --i;
            result.parts_sent = static_cast<int>(i);
          }
          continue;
        }
        co_return SendResult::give_up(a.described);
      case Action::kGiveUp:
        co_return SendResult::give_up(a.described);
      case Action::kAccountProblem:
        co_return account_problem(*account, a);
      case Action::kRetry:
        co_return retry(a.described);
    }
  }
  metrics_.inc("outreach_zalo_messages_total",
               {{"account", account->id}, {"window", result.window}});
  co_return result;
}

asio::awaitable<SendResult> Client::send_template(const Account& account, const Delivery& d) {
  const PlatformTemplate& t = *d.message.platform_template;
  std::atomic<std::int64_t>& blocked = *template_blocked_until_.at(account.oa_id);
  if (const std::int64_t until = blocked.load(); clock_.now_ms() < until)
    co_return SendResult::retry("Zalo template quota of OA '" + account.id + "' used up",
                                std::chrono::milliseconds(until - clock_.now_ms()));
  Json data = Json::object();
  for (const auto& [k, v] : t.params) data[k] = v;
  Json body = {{"template_id", t.name}, {"template_data", std::move(data)}};
  if (options_.template_recipient == "recipient")
    body["recipient"] = {{"user_id", d.user_id}};
  else
    body["user_id"] = d.user_id;
  std::string rejected;
  for (int attempt = 0;; ++attempt) {
    Answer a = co_await post(account, "/v3.0/oa/message/template", body, rejected, true);
    if (a.failure)
      co_return *a.failure;
    if (a.code == 0) {
      SendResult r;
      r.window = "template";
      r.parts_sent = 1;
      r.platform_message_id = a.data.value("message_id", "");
      if (const auto q = a.data.find("quota"); q != a.data.end() && q->is_object()) {
        const auto remain = q->find("remain");
        if (remain != q->end() && remain->is_number_integer()) {
          const auto left = remain->get<std::int64_t>();
          metrics_.set("outreach_zalo_template_quota_remaining", {{"account", account.id}},
                       static_cast<double>(left));
          if (left <= 0)  // stop before Zalo refuses: wait for the quota to come back
            blocked.store(clock_.now_ms() + kQuotaWaitMs);
        }
      }
      metrics_.inc("outreach_zalo_messages_total",
                   {{"account", account.id}, {"window", "template"}});
      co_return r;
    }
    switch (a.code) {
      case -216:
      case -220:
        if (attempt > 0)
          co_return SendResult::retry(a.described);
        rejected = a.token;
        continue;
      case -32:
        co_return SendResult::retry(a.described, 60s);
      case -211:  // the OA's template quota
        blocked.store(clock_.now_ms() + kQuotaWaitMs);
        log::warn("zalo", "template_quota_used_up", {{"account", account.id}});
        co_return SendResult::retry(a.described, std::chrono::milliseconds(kQuotaWaitMs));
      case -218:  // the person's own receive quota
      case -234:  // not at night
        co_return SendResult::retry(a.described, 1h);
      default:
        break;
    }
    switch (action_for(a.code)) {
      case Action::kAccountProblem:
        co_return account_problem(account, a);
      case Action::kRetry:
        co_return SendResult::retry(a.described);
      default:  // not a follower, blocked, inactive, refused this type, a bad template or data
        co_return SendResult::give_up(a.described);
    }
  }
}

}  // namespace outreach::channels::zalo
