#pragma once
// MockPlatform: a real HTTP server on loopback that plays Zalo OA and the Facebook Graph API
// for the calls outreach-bot makes, records every call, and can be told to fail. Used by the
// tests (in process) and runnable on its own for demos (outreach-mock-platform).
//
// Zalo (facts: ../shared/platforms/zalo-oa.md):
//   POST /v3.0/oa/message/cs       header access_token; always HTTP 200, errors as error != 0
//   POST /v3.0/oa/message/template ZBS template by user id: {user_id | recipient.user_id,
//                                  template_id, template_data}; the OA's templates and their
//                                  parameter names must match (-201 otherwise), each send takes
//                                  one from the OA's quota (-211 at 0), answered with
//                                  data {message_id, user_id, sent_time, quota {quota_type,
//                                  remain}}
//   POST /v4/oa/access_token       form body, header secret_key; refresh tokens are single-use:
//                                  each refresh issues a new pair and invalidates the old one
//                                  (access and refresh), a reused one gets error -14014
// Messenger (facts: ../shared/platforms/messenger.md):
//   POST …/me/messages?access_token=…          {"recipient_id","message_id"} or HTTP 400;
//   messaging_type UTILITY with message.template {name, language.code, components} must name
//   one of the page's utility templates with its number of parameters (100 otherwise)
//   {"error":{…}} POST …/me/messenger_profile?access_token=… {"result":"success"}
// Control (JSON, for demos and out-of-process tests):
//   GET  /_mock/calls[?platform=zalo|messenger]   the recorded calls
//   POST /_mock/fault {"platform","kind","times","delay_ms"}   queue failures (kinds below)
//   POST /_mock/reset                              forget calls and faults
//
// Faults apply to the next `times` calls of that platform's send API (refresh_* to the Zalo
// token endpoint): http500, slow (answers after delay_ms), rate_limit (-32 / 613), expired_token
// (-216 / 190), outside_window (-230 / 10+2018278), template_refused (Zalo -201 when the message
// carries a template), unavailable (551; Zalo -213 not a follower), out_of_quota (Zalo -211),
// night (Zalo -234), refresh_refused, refresh_http500. Template calls are recorded with api
// "template".
// Thread-safety: all public member functions are safe from any thread.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace outreach::mock {

enum class Platform { kZalo, kMessenger };

struct Call {
  Platform platform = Platform::kZalo;
  std::string api;         // send | refresh | profile
  std::string account;     // OA id / page id (empty when the token was not recognised)
  std::string user_id;     // recipient
  std::string text;        // message.text
  nlohmann::json body;     // the parsed request body (form fields as an object for refresh)
  std::string outcome;     // "ok" or the error given ("-216", "190", "http500" …)
  std::string message_id;  // what the mock answered, for ok sends
  std::int64_t at_ms = 0;  // steady milliseconds since the mock started
};

struct ZaloOa {
  std::string oa_id;
  std::string app_id;
  std::string app_secret;
  std::string access_token;
  std::string refresh_token;
  std::map<std::string, std::vector<std::string>> templates{};  // ZBS template id → parameters
  int template_quota = 1000;                                    // template messages left today
};

struct Page {
  std::string page_id;
  std::string page_token;
  std::map<std::string, int> utility_templates{};  // approved name → number of parameters
};

struct Fault {
  std::string kind;
  int times = 1;
  std::chrono::milliseconds delay{0};
};

// Holds a refresh call at a point until release_refresh() (crash tests kill the bot meanwhile).
enum class Hold { kNone, kBeforeRotation, kAfterRotation };

class MockPlatform {
 public:
  MockPlatform();
  ~MockPlatform();
  MockPlatform(const MockPlatform&) = delete;
  MockPlatform& operator=(const MockPlatform&) = delete;

  // Listens on address:port (0 picks a free port) with its own io thread; returns the port.
  // Throws std::runtime_error naming the address when it cannot bind.
  std::uint16_t start(const std::string& address = "127.0.0.1", std::uint16_t port = 0);
  void stop();
  bool running() const;
  std::string base_url() const;  // http://127.0.0.1:PORT

  void add_zalo_oa(ZaloOa oa);
  void add_page(Page page);
  // The OA's current tokens (after rotations).
  std::optional<ZaloOa> zalo_oa(const std::string& oa_id) const;
  // Makes the OA's current access token invalid (as if it expired); the refresh token stays.
  void expire_access_token(const std::string& oa_id);

  void fail(Platform platform, Fault fault);
  void hold_refresh(Hold where);
  // Lets held refresh calls go on; with `process` false a call held before the rotation is
  // answered 503 without rotating (as if it never reached the platform).
  void release_refresh(bool process = true);
  // True while a refresh call is being held.
  bool refresh_held() const;

  std::vector<Call> calls() const;
  std::vector<Call> calls(Platform platform, const std::string& api = "send") const;
  // Waits until `pred(calls())` is true or the timeout passes; returns whether it became true.
  bool wait_for(const std::function<bool(const std::vector<Call>&)>& pred,
                std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  void reset();

  // Called with every recorded call (the demo prints the bot's replies).
  void on_call(std::function<void(const Call&)> observer);

  // With recording off (the benchmark), calls are only counted.
  void set_recording(bool on);
  std::uint64_t call_count() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

std::string_view to_string(Platform p);

}  // namespace outreach::mock
