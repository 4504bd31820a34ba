#pragma once
// The web chat channel: the page at / talks to the bot with two JSON calls —
//   POST /chat/send  {"visitor": "<random id kept in the browser>", "id": "<message id>",
//                     "text": "…"} or {"…", "payload": "menu"} or {"…", "type": "start"}
//   GET  /chat/poll?visitor=…&after=<last message id seen>   (long poll)
// WebChat validates and parses the first into an InboundEvent (bounded sizes, NFC, a per-visitor
// rate limit), and parks the second until a reply for that visitor is delivered, the poll
// timeout passes, or the server shuts down. WebChatClient is the ChannelClient: "sending" to a
// web visitor means the message is ready to be fetched, so it wakes that visitor's poll.
// Thread-safety: all member functions are safe from any thread (one mutex for the waiters and
// one for the rate limiter).

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "bot/channels/channel.hpp"
#include "bot/core/errc.hpp"

namespace outreach::channels::web {

struct WebChatOptions {
  std::size_t max_text = 2000;    // code points per message
  std::size_t max_payload = 200;  // bytes per button payload
  int messages_per_minute = 30;   // per visitor; more gets 429
  bool operator==(const WebChatOptions&) const = default;
};

class WebChat {
 public:
  explicit WebChat(WebChatOptions options);

  static bool valid_visitor(std::string_view id);

  // Validates a POST /chat/send body into an event (account "web").
  [[nodiscard]] Result<InboundEvent> parse_send(std::string_view body, std::int64_t now_ms) const;

  // Token bucket per visitor; false when the visitor is sending too fast.
  bool allow(std::string_view visitor, std::int64_t now_ms);

  // Long-poll support. register_poll() before reading the transcript, wait() after finding
  // nothing new: a delivery in between makes wait() return at once (no lost wake-up).
  struct PollTicket {
    std::string visitor;
    std::uint64_t version = 0;
  };

  PollTicket register_poll(const std::string& visitor);
  boost::asio::awaitable<void> wait(PollTicket& ticket, std::chrono::milliseconds timeout);
  void unregister_poll(const PollTicket& ticket);

  // A message for `visitor` is ready: wake their polls.
  void notify(std::string_view visitor);

  // Wakes every poll and makes later waits return at once.
  void shutdown();

  std::size_t waiting() const;

 private:
  struct Entry {
    std::uint64_t version = 0;
    int registrations = 0;
    std::vector<std::shared_ptr<boost::asio::steady_timer>> timers;
  };

  struct Bucket {
    double tokens = 0;
    std::int64_t at_ms = 0;
  };

  WebChatOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_;  // guarded by mu_
  std::uint64_t seq_ = 0;                              // guarded by mu_
  bool shutting_down_ = false;                         // guarded by mu_
  std::mutex rate_mu_;
  std::map<std::string, Bucket, std::less<>> buckets_;  // guarded by rate_mu_
};

class WebChatClient final : public ChannelClient {
 public:
  explicit WebChatClient(WebChat& chat) : chat_(chat) {}

  ChannelKind channel() const override { return ChannelKind::kWeb; }

  boost::asio::awaitable<SendResult> send(const Delivery& delivery) override;
  void on_recorded(const Delivery& delivery, const SendResult& result) override;

 private:
  WebChat& chat_;
};

// A delivered message as the page receives it.
nlohmann::json render_for_page(std::int64_t id, const OutboundMessage& m);

}  // namespace outreach::channels::web
