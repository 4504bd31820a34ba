#pragma once
// WebVisitor: a web chat visitor driven over HTTP, as the page does — POST /chat/send, then
// long-poll GET /chat/poll with a cursor. Used by the e2e tests.
// Thread-safety: one visitor per thread.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/http_client.hpp"

namespace outreach::testing {

class WebVisitor {
 public:
  WebVisitor(std::uint16_t port, std::string visitor) : port_(port), visitor_(std::move(visitor)) {}

  const std::string& id() const { return visitor_; }

  // Each call uses a new message id unless `id` is given (the same id = a retry).
  HttpResult start(const std::string& lang = "vi");
  HttpResult text(const std::string& text, const std::string& id = {});
  HttpResult press(const std::string& payload, const std::string& id = {});

  // Polls until at least `count` new messages arrived or `timeout` passed; advances the cursor.
  std::vector<nlohmann::json> receive(std::size_t count = 1,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // One poll that does not wait: the messages after the cursor right now (the cursor moves
  // past them, as with receive).
  std::vector<nlohmann::json> peek();

  std::int64_t cursor() const { return cursor_; }

 private:
  HttpResult send(nlohmann::json body, const std::string& id);

  std::uint16_t port_;
  std::string visitor_;
  std::int64_t cursor_ = 0;
  int counter_ = 0;
};

// The text of a message and the titles of its buttons, for readable assertions.
std::string text_of(const nlohmann::json& m);
std::vector<std::string> buttons_of(const nlohmann::json& m);
std::vector<std::string> payloads_of(const nlohmann::json& m);

}  // namespace outreach::testing
