#include "tools/mock_platform/webhooks.hpp"

#include "bot/channels/zalo/zalo_webhook.hpp"
#include "bot/net/crypto.hpp"

namespace outreach::mock {
using Json = nlohmann::json;

SignedRequest zalo_signed(Json event,
                          const std::string& app_id,
                          const std::string& oa_secret,
                          std::int64_t timestamp_ms) {
  if (!event.contains("app_id"))
    event["app_id"] = app_id;
  if (!event.contains("timestamp"))
    event["timestamp"] = std::to_string(timestamp_ms);
  const std::string ts = event["timestamp"].is_string() ? event["timestamp"].get<std::string>()
                                                        : event["timestamp"].dump();
  SignedRequest r;
  r.body = event.dump();
  r.headers = {
      {"Content-Type", "application/json"},
      {"X-ZEvent-Signature", channels::zalo::Webhook::sign(app_id, r.body, ts, oa_secret)}};
  return r;
}

Json zalo_user_text(const std::string& oa_id,
                    const std::string& user_id,
                    const std::string& text,
                    const std::string& msg_id) {
  return {{"event_name", "user_send_text"},
          {"sender", {{"id", user_id}}},
          {"recipient", {{"id", oa_id}}},
          {"message", {{"text", text}, {"msg_id", msg_id}}},
          {"user_id_by_app", "app-" + user_id}};
}

Json messenger_text(const std::string& page_id,
                    const std::string& psid,
                    const std::string& text,
                    const std::string& mid,
                    std::int64_t timestamp_ms) {
  return {{"sender", {{"id", psid}}},
          {"recipient", {{"id", page_id}}},
          {"timestamp", timestamp_ms},
          {"message", {{"mid", mid}, {"text", text}}}};
}

Json messenger_batch(const std::string& page_id,
                     std::vector<Json> messaging,
                     std::int64_t timestamp_ms) {
  return {{"object", "page"},
          {"entry",
           Json::array(
               {{{"id", page_id}, {"time", timestamp_ms}, {"messaging", std::move(messaging)}}})}};
}

SignedRequest messenger_signed(const Json& body, const std::string& app_secret) {
  SignedRequest r;
  r.body = body.dump();
  r.headers = {{"Content-Type", "application/json"},
               {"X-Hub-Signature-256", "sha256=" + net::hmac_sha256_hex(app_secret, r.body)},
               {"X-Hub-Signature", "sha1=" + net::hmac_sha1_hex(app_secret, r.body)}};
  return r;
}

}  // namespace outreach::mock
