#pragma once
// The channel boundary. Each platform (web chat, terminal, Zalo OA, Messenger) supplies:
//   - an inbound side: verify the request (signature, token, shape) over the raw bytes before
//     anything is trusted, then parse it into channel-neutral InboundEvents;
//   - a ChannelClient: deliver one OutboundMessage to one person, rendered for the platform
//     (limits, buttons or numbered text), reporting what happened as a SendResult.
// Thread-safety: implementations must be safe to call from any io thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "bot/core/message.hpp"
#include "bot/core/token_health.hpp"

namespace outreach::channels {

// One outbox row ready to go out.
struct Delivery {
  std::int64_t outbox_id = 0;
  MessageKind kind = MessageKind::kReply;
  OutboundMessage message;
  std::string account;
  std::string user_id;
  std::string language;
  std::int64_t last_interaction_at = 0;
  int attempt = 1;
  int parts_sent = 0;  // parts of this message delivered by earlier attempts (skip them)
};

struct SendResult {
  enum class Kind {
    kSent,    // the platform accepted it
    kRetry,   // try again later (5xx, timeout, rate limit)
    kGiveUp,  // refused for good
    kSkip,    // not sendable now by the platform's rules (outside the send window)
  };
  Kind kind = Kind::kSent;
  std::string error;                         // why, for the outbox row and the dead-letter list
  std::chrono::milliseconds retry_after{0};  // the platform's hint, if any
  int parts_sent = 0;                        // progress through a long message (kept on retry)
  std::string platform_message_id;           // the platform's id of the (last) message sent
  std::string window;                        // "free" / "paid" where the platform bills by window

  static SendResult sent() { return {}; }

  static SendResult retry(std::string why, std::chrono::milliseconds after = {}) {
    SendResult r;
    r.kind = Kind::kRetry;
    r.error = std::move(why);
    r.retry_after = after;
    return r;
  }

  static SendResult give_up(std::string why) {
    SendResult r;
    r.kind = Kind::kGiveUp;
    r.error = std::move(why);
    return r;
  }

  static SendResult skip(std::string why) {
    SendResult r;
    r.kind = Kind::kSkip;
    r.error = std::move(why);
    return r;
  }
};

std::string_view to_string(SendResult::Kind k);

class ChannelClient {
 public:
  virtual ~ChannelClient() = default;
  virtual ChannelKind channel() const = 0;
  // Never throws; every failure is a SendResult.
  virtual boost::asio::awaitable<SendResult> send(const Delivery& delivery) = 0;

  // Called once the outcome of send() is committed to the outbox (the web chat wakes the
  // visitor's poll here, so the poll finds the row marked sent).
  virtual void on_recorded(const Delivery& /*delivery*/, const SendResult& /*result*/) {}
};

// Storage for an account's OAuth tokens, implemented by the app over the database.
// Thread-safety: implementations are safe to call from any executor.
struct StoredTokens {
  std::string access_token;
  std::int64_t access_expires_at = 0;
  std::string refresh_token;
  TokenHealth state = TokenHealth::kOk;
};

class TokenStore {
 public:
  virtual ~TokenStore() = default;
  virtual boost::asio::awaitable<std::optional<StoredTokens>> load(std::string account) = 0;
  // Durably notes that a refresh with the stored refresh token is starting.
  virtual boost::asio::awaitable<void> begin_refresh(std::string account) = 0;
  // Durably stores the new pair (synchronous, before the new access token is used).
  virtual boost::asio::awaitable<void> commit(std::string account, StoredTokens tokens) = 0;
  virtual boost::asio::awaitable<void> mark_lost(std::string account, std::string error) = 0;
};

// Renders a message as plain text with its choices numbered ("1. …") for channels without
// buttons; the numbering matches router::numbered_choices (items, then postback buttons).
std::string render_numbered(const OutboundMessage& m, std::string_view hint);

}  // namespace outreach::channels
