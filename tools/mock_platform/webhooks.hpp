#pragma once
// Builders for signed platform webhooks, as Zalo and Meta send them: used by the tests, the
// benchmark and the mock's demo mode. Shapes follow the published samples
// (../shared/platforms/zalo-oa.md §2, messenger.md §3).
// Thread-safety: pure functions.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace outreach::mock {

struct SignedRequest {
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Zalo: `event` gets app_id and timestamp (string, ms) filled in when missing, then the body is
// signed: X-ZEvent-Signature: mac=sha256(app_id + body + timestamp + oa_secret).
SignedRequest zalo_signed(nlohmann::json event,
                          const std::string& app_id,
                          const std::string& oa_secret,
                          std::int64_t timestamp_ms);

// {"event_name":"user_send_text","sender":{"id":user},"recipient":{"id":oa},"message":{text,msg_id}}
nlohmann::json zalo_user_text(const std::string& oa_id,
                              const std::string& user_id,
                              const std::string& text,
                              const std::string& msg_id);

// Messenger: one messaging[] item of a text message (with message.mid) from `psid` to `page_id`.
nlohmann::json messenger_text(const std::string& page_id,
                              const std::string& psid,
                              const std::string& text,
                              const std::string& mid,
                              std::int64_t timestamp_ms);

// {"object":"page","entry":[{"id":page_id,"time":…,"messaging":[…]}]}
nlohmann::json messenger_batch(const std::string& page_id,
                               std::vector<nlohmann::json> messaging,
                               std::int64_t timestamp_ms);

// Signed with X-Hub-Signature-256 (and the legacy sha1 X-Hub-Signature, as Meta sends both).
SignedRequest messenger_signed(const nlohmann::json& body, const std::string& app_secret);

}  // namespace outreach::mock
