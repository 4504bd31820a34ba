#include "tests/support/web_visitor.hpp"

#include <thread>

namespace outreach::testing {

HttpResult WebVisitor::send(nlohmann::json body, const std::string& id) {
  body["visitor"] = visitor_;
  body["id"] = id.empty() ? "m" + std::to_string(++counter_) + "x" + std::to_string(cursor_) : id;
  return http_request(port_, "POST", "/chat/send", body.dump());
}

HttpResult WebVisitor::start(const std::string& lang) {
  return send({{"type", "start"}, {"lang", lang}}, {});
}

HttpResult WebVisitor::text(const std::string& t, const std::string& id) {
  return send({{"text", t}}, id);
}

HttpResult WebVisitor::press(const std::string& payload, const std::string& id) {
  return send({{"payload", payload}}, id);
}

std::vector<nlohmann::json> WebVisitor::receive(std::size_t count,
                                                std::chrono::milliseconds timeout) {
  std::vector<nlohmann::json> out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (out.size() < count && std::chrono::steady_clock::now() < deadline) {
    auto r = http_request(port_, "GET",
                          "/chat/poll?visitor=" + visitor_ + "&after=" + std::to_string(cursor_),
                          {}, {}, timeout + std::chrono::seconds(30));
    if (r.status != 200) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    const auto j = nlohmann::json::parse(r.body);
    for (const auto& m : j["messages"]) out.push_back(m);
    cursor_ = std::max<std::int64_t>(cursor_, j["cursor"].get<std::int64_t>());
  }
  return out;
}

std::vector<nlohmann::json> WebVisitor::peek() {
  auto r = http_request(
      port_, "GET", "/chat/poll?wait=0&visitor=" + visitor_ + "&after=" + std::to_string(cursor_));
  std::vector<nlohmann::json> out;
  if (r.status != 200)
    return out;
  const auto j =
      nlohmann::json::parse(r.body);  // (a range-for over a temporary's member would dangle)
  for (const auto& m : j["messages"]) out.push_back(m);
  cursor_ = std::max<std::int64_t>(cursor_, j["cursor"].get<std::int64_t>());
  return out;
}

std::string text_of(const nlohmann::json& m) {
  return m.value("text", std::string{});
}

std::vector<std::string> buttons_of(const nlohmann::json& m) {
  std::vector<std::string> out;
  if (m.contains("items"))
    for (const auto& i : m["items"]) out.push_back(i.value("title", ""));
  if (m.contains("buttons"))
    for (const auto& b : m["buttons"]) out.push_back(b.value("title", ""));
  return out;
}

std::vector<std::string> payloads_of(const nlohmann::json& m) {
  std::vector<std::string> out;
  if (m.contains("items"))
    for (const auto& i : m["items"]) out.push_back(i.value("payload", ""));
  if (m.contains("buttons"))
    for (const auto& b : m["buttons"]) out.push_back(b.value("payload", ""));
  return out;
}

}  // namespace outreach::testing
