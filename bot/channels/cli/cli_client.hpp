#pragma once
// The terminal channel used by `outreach-bot chat`: the bot's replies are printed with their
// buttons numbered (type the number to press one), through the same inbox → turn → outbox →
// sender path as every other channel.
// Thread-safety: send() may be called from any io thread; output is serialised by a mutex.

#include <functional>
#include <mutex>
#include <ostream>
#include <string>

#include "bot/channels/channel.hpp"

namespace outreach::channels::cli {

class CliClient final : public ChannelClient {
 public:
  // `hint(language)` gives the "type a number" hint in the person's language.
  CliClient(std::ostream& out, std::function<std::string(const std::string& language)> hint)
      : out_(out), hint_(std::move(hint)) {}

  ChannelKind channel() const override { return ChannelKind::kCli; }

  boost::asio::awaitable<SendResult> send(const Delivery& delivery) override;

  int printed() const;

 private:
  std::ostream& out_;
  std::function<std::string(const std::string&)> hint_;
  mutable std::mutex mu_;
  int printed_ = 0;
};

}  // namespace outreach::channels::cli
