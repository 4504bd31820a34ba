#include "bot/channels/cli/cli_client.hpp"

namespace outreach::channels::cli {

boost::asio::awaitable<SendResult> CliClient::send(const Delivery& d) {
  const std::string text = render_numbered(d.message, hint_ ? hint_(d.language) : std::string{});
  {
    std::lock_guard lock(mu_);
    out_ << "\n🤖 " << text << "\n" << std::flush;
    ++printed_;
  }
  co_return SendResult::sent();
}

int CliClient::printed() const {
  std::lock_guard lock(mu_);
  return printed_;
}

}  // namespace outreach::channels::cli
