#pragma once
// The Zalo OA webhook (POST /webhooks/zalo): checks X-ZEvent-Signature — "mac=" + hex SHA-256 of
// app_id + raw body + timestamp + the OA secret key (not an HMAC; the timestamp and app id come
// from the body, so the body is parsed without trusting it first) — in constant time, refuses
// events stamped too far from now (replays), routes by OA id to a configured account, and turns
// every event into channel-neutral InboundEvents. Unknown events are kept and ignored; the bot's
// own echoes (oa_send_* without sender.admin_id) are dropped; an oa_send_* with admin_id means a
// staff member answered from Zalo's chat tool. Facts and samples: ../shared/platforms/zalo-oa.md.
// Thread-safety: immutable after construction; handle() is safe from any thread.

#include <array>
#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "bot/core/clock.hpp"
#include "bot/core/errc.hpp"
#include "bot/core/message.hpp"

namespace outreach::channels::zalo {

struct Account {
  std::string id;  // ours, e.g. "go-vap"
  std::string oa_id;
  std::string app_id;
  std::string name;
  std::string oa_secret;   // verifies webhooks
  std::string app_secret;  // refreshes tokens
};

// Payloads of buttons arrive as the text of a user_send_text ("oa.query.hide"): this prefix
// tells them from typed text.
inline constexpr std::string_view kPayloadPrefix = "#ob:";

class Webhook {
 public:
  // `skew`: how far from now an event's timestamp may be. `retry_window`: how old it may be
  // when Zalo says it is re-sending (the `num_retry` header). Zalo re-sends the identical body
  // after 30 s, 5 min, 15 min, 30 min and 1 h when it could not deliver, so a retry carries the
  // original timestamp; refusing it as stale would lose every event of an outage longer than
  // the skew. A replayed request gains nothing: the inbox keys it by the same id and time.
  Webhook(std::vector<Account> accounts,
          std::chrono::milliseconds skew,
          const Clock& clock,
          std::chrono::milliseconds retry_window = std::chrono::hours(2));

  // Errors: kBadSignature (missing or wrong), kStaleTimestamp, kUnknownAccount (no configured OA
  // for the app / OA ids), kMalformedPayload (not a JSON object). `num_retry_header`: the value
  // of Zalo's num_retry header, empty on a first delivery.
  [[nodiscard]] Result<std::vector<InboundEvent>> handle(
      std::string_view signature_header,
      std::string_view body,
      std::string_view timestamp_header = {},
      std::string_view num_retry_header = {}) const;

  const Account* by_oa(std::string_view oa_id) const;

  const std::vector<Account>& accounts() const { return accounts_; }

  // The X-ZEvent-Signature value for a body (what Zalo sends; used by tests and the mock).
  static std::string sign(std::string_view app_id,
                          std::string_view body,
                          std::string_view timestamp,
                          std::string_view oa_secret);

 private:
  std::vector<Account> accounts_;
  std::chrono::milliseconds skew_;
  std::chrono::milliseconds retry_window_;
  const Clock& clock_;
  mutable std::array<std::atomic<bool>, 4> variant_logged_{};
};

}  // namespace outreach::channels::zalo
