#pragma once
// Facebook Messenger: the webhook (GET subscription check; POST verified with
// X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256 of the raw body under the app secret, in
// constant time, before anything is trusted) and the Send API client.
//
// Webhook: every entry[] and every messaging[] event of a batch becomes an InboundEvent — text,
// quick replies and postbacks (payloads), attachments, Get Started and referrals (follow),
// deliveries and reads (receipts), echoes (ours are dropped; a page-inbox reply by a person
// means staff took over), and standby[] events (another app owns the thread: kept, not
// answered). Entries of pages we do not serve are skipped and logged.
//
// Client: POST {api}/me/messages with messaging_type RESPONSE (a reply) or UPDATE inside the
// 24-hour window; a staff message after it may use the HUMAN_AGENT tag up to 7 days; anything
// else is recorded as outside the window; a message carrying a utility template (a broadcast
// beyond 24 h) goes as that template (render_utility). Text is split under 2,000 characters;
// choices become quick replies (at most 13, titles cut to 20 characters; list items as numbered
// lines with number buttons); links are appended as lines. Error codes map to retry (613, 4, 1200,
// 2, …), give up (551, 100), outside the window (10 / 2018278), or keep the queue and alert (190).
// Facts and samples: ../shared/platforms/messenger.md.
// Thread-safety: immutable configuration; handle() and send() are safe from any executor.

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/channels/channel.hpp"
#include "bot/channels/rate_limiter.hpp"
#include "bot/core/clock.hpp"
#include "bot/core/errc.hpp"
#include "bot/core/metrics.hpp"
#include "bot/net/http_client.hpp"

namespace outreach::channels::messenger {

struct Account {
  std::string id;  // ours
  std::string page_id;
  std::string name;
  std::string app_secret;    // verifies webhooks
  std::string page_token;    // Send API
  std::string verify_token;  // the GET subscription check
};

// What we put in message.metadata, so our own echoes can be told from a person's.
inline constexpr std::string_view kMetadata = "outreach-bot";

class Webhook {
 public:
  Webhook(std::vector<Account> accounts, bool accept_sha1);

  // GET /webhooks/messenger: the challenge to echo, or kBadSignature (403).
  [[nodiscard]] Result<std::string> subscribe(std::string_view mode,
                                              std::string_view verify_token,
                                              std::string_view challenge) const;

  // Errors: kBadSignature (missing, malformed or wrong), kMalformedPayload.
  [[nodiscard]] Result<std::vector<InboundEvent>> handle(std::string_view signature_256,
                                                         std::string_view signature_sha1,
                                                         std::string_view body) const;

  const Account* by_page(std::string_view page_id) const;

 private:
  std::vector<Account> accounts_;
  bool accept_sha1_;
};

// The client's settings an operator chooses (the config's `messenger:` section is one).
struct ClientSettings {
  std::string api_base_url = "https://graph.facebook.com/v25.0";
  int rate_per_second = 300;  // Send API calls per second per page
  bool operator==(const ClientSettings&) const = default;
};

struct ClientOptions : ClientSettings {
  std::chrono::milliseconds timeout{10'000};
  std::function<std::string(const std::string& language)> number_hint;
};

// The Send API bodies for one message (the person's id, the messaging type and tag set).
std::vector<nlohmann::json> render(const OutboundMessage& m,
                                   const std::string& psid,
                                   const std::string& messaging_type,
                                   const std::string& tag,
                                   const std::string& hint);

// A utility template's Send API body: messaging_type UTILITY, message.template {name,
// language.code, components[body].parameters[text…]}. Meta's Messenger page did not show the
// payload in our sources (../shared/platforms/broadcast-rules.md): this shape, the one Meta uses
// for utility templates elsewhere, is unverified; the path is off unless the configuration
// turns it on (broadcast.messenger_utility).
nlohmann::json render_utility(const PlatformTemplate& t, const std::string& psid);

class Client final : public ChannelClient {
 public:
  Client(net::HttpClient& http,
         std::vector<Account> accounts,
         ClientOptions options,
         const Clock& clock,
         Metrics& metrics);

  ChannelKind channel() const override { return ChannelKind::kMessenger; }

  boost::asio::awaitable<SendResult> send(const Delivery& delivery) override;

  // Sets the Get Started button, greeting and persistent menu of every page (the CLI).
  // Errors: kUnavailable, kPlatformRejected; `detail` says what Facebook answered.
  boost::asio::awaitable<Result<std::string>> set_profile(const Account& account,
                                                          nlohmann::json profile,
                                                          std::string* detail = nullptr);

  const std::vector<Account>& accounts() const { return accounts_; }

 private:
  const Account* account_for(std::string_view page_id) const;

  net::HttpClient& http_;
  std::vector<Account> accounts_;
  ClientOptions options_;
  const Clock& clock_;
  Metrics& metrics_;
  std::map<std::string, std::unique_ptr<RateLimiter>> limiters_;  // per page, fixed
};

}  // namespace outreach::channels::messenger
