#include "bot/channels/web/webchat.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "bot/core/text.hpp"
#include "bot/text/unicode.hpp"

namespace outreach::channels::web {
namespace asio = boost::asio;

namespace {

bool id_chars(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

std::string str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

}  // namespace

WebChat::WebChat(WebChatOptions options) : options_(options) {}

bool WebChat::valid_visitor(std::string_view id) {
  return id.size() >= 16 && id.size() <= 64 && id_chars(id);
}

Result<InboundEvent> WebChat::parse_send(std::string_view body, std::int64_t now_ms) const {
  const auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Errc::kMalformedPayload;
  InboundEvent e;
  e.channel = ChannelKind::kWeb;
  e.account = "web";
  e.user_id = str(j, "visitor");
  if (!valid_visitor(e.user_id))
    return Errc::kInvalidInput;
  const std::string id = str(j, "id");
  if (id.empty() || id.size() > 64 || !id_chars(id))
    return Errc::kInvalidInput;
  // Message ids come from browsers, so they are unique only per visitor.
  e.event_id = e.user_id + "/" + id;
  e.timestamp_ms = now_ms;
  if (const std::string lang = str(j, "lang"); lang == "vi" || lang == "en")
    e.language = lang;
  const std::string type = str(j, "type");
  const std::string payload = str(j, "payload");
  const std::string raw_text = str(j, "text");
  if (type == "start") {
    e.kind = EventKind::kFollow;
    return e;
  }
  if (!type.empty() && type != "message")
    return Errc::kInvalidInput;
  if (!payload.empty()) {
    if (payload.size() > options_.max_payload || !text::valid_utf8(payload))
      return Errc::kInvalidInput;
    e.kind = EventKind::kPostback;
    e.payload = payload;
    // The button's title, shown back in the transcript; bounded like text.
    e.text = text::nfc(text::clean_input(raw_text, 200));
    return e;
  }
  if (!text::valid_utf8(raw_text))
    return Errc::kInvalidInput;
  if (text::code_points(raw_text) > options_.max_text)
    return Errc::kTooLarge;
  e.kind = EventKind::kMessage;
  e.text = text::nfc(text::clean_input(raw_text, options_.max_text));
  if (e.text.empty())
    return Errc::kInvalidInput;
  return e;
}

bool WebChat::allow(std::string_view visitor, std::int64_t now_ms) {
  const double rate = options_.messages_per_minute / 60'000.0;  // tokens per ms
  // A burst of two thirds of a minute: a whole booking form (11 messages) tapped quickly.
  const double burst = std::max(5, options_.messages_per_minute * 2 / 3);
  std::lock_guard lock(rate_mu_);
  if (buckets_.size() > 100'000) {  // bound the memory: forget idle visitors
    for (auto it = buckets_.begin(); it != buckets_.end();)
      it = now_ms - it->second.at_ms > 120'000 ? buckets_.erase(it) : std::next(it);
  }
  auto it = buckets_.find(visitor);
  if (it == buckets_.end())
    it = buckets_.emplace(std::string(visitor), Bucket{burst, now_ms}).first;
  Bucket& b = it->second;
  b.tokens = std::min(burst, b.tokens + static_cast<double>(now_ms - b.at_ms) * rate);
  b.at_ms = now_ms;
  if (b.tokens < 1.0)
    return false;
  b.tokens -= 1.0;
  return true;
}

WebChat::PollTicket WebChat::register_poll(const std::string& visitor) {
  std::lock_guard lock(mu_);
  Entry& e = entries_[visitor];
  ++e.registrations;
  return {visitor, e.version};
}

void WebChat::unregister_poll(const PollTicket& ticket) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(ticket.visitor);
  if (it == entries_.end())
    return;
  if (--it->second.registrations <= 0 && it->second.timers.empty())
    entries_.erase(it);
}

asio::awaitable<void> WebChat::wait(PollTicket& ticket, std::chrono::milliseconds timeout) {
  auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor, timeout);
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(ticket.visitor);
    if (shutting_down_ || it == entries_.end() || it->second.version != ticket.version) {
      if (it != entries_.end())
        ticket.version = it->second.version;
      co_return;
    }
    it->second.timers.push_back(timer);
  }
  co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(ticket.visitor); it != entries_.end()) {
    auto& timers = it->second.timers;
    timers.erase(std::remove(timers.begin(), timers.end(), timer), timers.end());
    ticket.version = it->second.version;
  }
}

void WebChat::notify(std::string_view visitor) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(visitor);
  if (it == entries_.end())
    return;
  it->second.version = ++seq_;
  for (auto& t : it->second.timers) asio::post(t->get_executor(), [t] { t->cancel(); });
}

void WebChat::shutdown() {
  std::lock_guard lock(mu_);
  shutting_down_ = true;
  for (auto& [visitor, e] : entries_) {
    e.version = ++seq_;
    for (auto& t : e.timers) asio::post(t->get_executor(), [t] { t->cancel(); });
  }
}

std::size_t WebChat::waiting() const {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (const auto& [v, e] : entries_) n += e.timers.size();
  return n;
}

asio::awaitable<SendResult> WebChatClient::send(const Delivery&) {
  co_return SendResult::sent();  // the page fetches it from the outbox
}

void WebChatClient::on_recorded(const Delivery& delivery, const SendResult&) {
  chat_.notify(delivery.user_id);
}

nlohmann::json render_for_page(std::int64_t id, const OutboundMessage& m) {
  nlohmann::json j = m;
  j["id"] = id;
  return j;
}

}  // namespace outreach::channels::web
