#pragma once
// ZaloClient: sends consultation messages (POST /v3.0/oa/message/cs, header access_token) and
// ZBS template messages by user id (POST /v3.0/oa/message/template: a message that carries a
// PlatformTemplate, for people beyond the 7-day window; billed, no window, the OA's remaining
// quota read from each answer and sending paused for an hour when it reaches 0), and keeps each
// OA's tokens fresh.
//
// Sending: text is split at sentence ends into parts of at most 2,000 characters; buttons go
// through the "buttons" template (oa.query.hide carries our payload, oa.open.url a link), and a
// message with lists or more buttons than the template takes — or an OA whose templates were
// refused — gets numbered text instead ("1. …", type the number). Progress through the parts is
// kept, so a retry never repeats a part. Errors come back as HTTP 200 with error != 0; every
// documented code maps to retry, give up, refresh the token, or outside the window.
// Window: nothing is sent more than 7 days after the person's last interaction (recorded as
// skipped); within 48 hours a message is free, after that billed ("free" / "paid" on the row).
//
// Tokens: the access token lives 25 h; a refresh token works once and rotates. One refresh per
// OA at a time (others wait for it); the stored row goes 'refreshing' before the call and gets
// the new pair before the new access token is used (TokenStore). A refused refresh marks the
// OA's tokens lost — messages stay queued and an error is logged for staff to re-authorise.
// Thread-safety: send() and the token functions may run concurrently from any executor.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "bot/channels/channel.hpp"
#include "bot/channels/rate_limiter.hpp"
#include "bot/channels/zalo/zalo_webhook.hpp"
#include "bot/core/clock.hpp"
#include "bot/core/metrics.hpp"
#include "bot/net/http_client.hpp"

namespace outreach::channels::zalo {

// The client's settings an operator chooses (the config's `zalo:` section is one).
struct ClientSettings {
  std::string api_base_url = "https://openapi.zalo.me";
  std::string oauth_base_url = "https://oauth.zaloapp.com";
  int rate_per_minute = 4000;                                // API calls per minute per app
  std::chrono::milliseconds refresh_ahead{2 * 3600 * 1000};  // before the access token expires
  // Where a ZBS template's body names the person: "user_id" ({"user_id": …}) or "recipient"
  // ({"recipient": {"user_id": …}}); sources differ (../shared/platforms/broadcast-rules.md).
  std::string template_recipient = "user_id";
  bool operator==(const ClientSettings&) const = default;
};

struct ClientOptions : ClientSettings {
  std::chrono::milliseconds timeout{10'000};
  // The "type a number to choose" line in the person's language (content).
  std::function<std::string(const std::string& language)> number_hint;
};

// One Zalo API request body per part of a message.
std::vector<nlohmann::json> render(const OutboundMessage& m,
                                   const std::string& user_id,
                                   bool templates,
                                   const std::string& hint);

class Client final : public ChannelClient {
 public:
  Client(net::HttpClient& http,
         TokenStore& tokens,
         std::vector<Account> accounts,
         ClientOptions options,
         const Clock& clock,
         Metrics& metrics);

  ChannelKind channel() const override { return ChannelKind::kZalo; }

  boost::asio::awaitable<SendResult> send(const Delivery& delivery) override;

  // A usable access token of `account`, refreshing first when it expires within refresh_ahead —
  // or when `rejected` is the token the platform just refused. Error: kTokenExpired (no tokens,
  // or lost), kUnavailable (the refresh call failed; try later).
  boost::asio::awaitable<Result<std::string>> access_token(const Account& account,
                                                           std::string rejected = {},
                                                           std::string* why = nullptr);

  // Refreshes every OA whose access token expires within refresh_ahead (a periodic task).
  boost::asio::awaitable<void> keep_fresh();

  std::uint64_t refreshes() const { return refreshes_.load(); }

 private:
  // One API call's answer: the platform's code and data, or (failure) why no answer came.
  struct Answer {
    std::optional<SendResult> failure;
    int code = 0;
    std::string described;  // "Zalo error -213: …"
    nlohmann::json data;
    std::string token;  // the access token used
  };

  // One POST to the API, paced by the app's limiter (as bulk: a broadcast), with the OA's token
  // (refreshed first when `rejected` is the token Zalo just refused).
  boost::asio::awaitable<Answer> post(const Account& account,
                                      std::string_view path,
                                      const nlohmann::json& body,
                                      std::string rejected,
                                      bool bulk);
  SendResult account_problem(const Account& account, const Answer& a);
  // A ZBS template by user id: no window; billed; the OA's quota read from each answer.
  boost::asio::awaitable<SendResult> send_template(const Account& account, const Delivery& d);

  struct TokenState {
    std::mutex mu;
    std::optional<StoredTokens> cache;  // guarded by mu
    bool loaded = false;                // guarded by mu
    bool refreshing = false;            // guarded by mu
    std::int64_t next_try_ms = 0;       // after a failed refresh call, not before (guarded by mu)
    std::vector<std::shared_ptr<boost::asio::steady_timer>> waiters;  // guarded by mu
  };

  boost::asio::awaitable<Result<StoredTokens>> refresh(const Account& account,
                                                       StoredTokens current,
                                                       std::string* why);
  const Account* account_for(std::string_view oa_id) const;
  TokenState& state_of(const std::string& id);

  net::HttpClient& http_;
  TokenStore& store_;
  std::vector<Account> accounts_;
  ClientOptions options_;
  const Clock& clock_;
  Metrics& metrics_;
  std::map<std::string, std::unique_ptr<TokenState>> tokens_;     // fixed after construction
  std::map<std::string, std::unique_ptr<RateLimiter>> limiters_;  // per app id, fixed
  std::map<std::string, std::unique_ptr<std::atomic<bool>>> templates_ok_;  // per OA, fixed keys
  // Per OA: no template is sent before this time (ms) once its quota is used up.
  std::map<std::string, std::unique_ptr<std::atomic<std::int64_t>>> template_blocked_until_;
  std::atomic<std::uint64_t> refreshes_{0};
};

}  // namespace outreach::channels::zalo
