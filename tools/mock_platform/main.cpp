// outreach-mock-platform: the mock Zalo OA + Graph API server on its own, for trying the bot's
// Zalo and Messenger channels without real accounts (README, "Try it against the mock").
// With --bot, each line typed is sent to the bot as a signed webhook from a demo user
// ("z text" → Zalo, "m text" → Messenger) and the bot's replies are printed as they arrive.
#include <csignal>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "bot/core/clock.hpp"
#include "bot/net/http_client.hpp"
#include "tools/mock_platform/mock_platform.hpp"
#include "tools/mock_platform/webhooks.hpp"

namespace {
using namespace outreach;

// The demo accounts; deploy/demo/platforms.yaml and platforms.env hold the bot's side.
constexpr const char* kOaId = "1000000000000000001";
constexpr const char* kAppId = "2000000000000000002";
constexpr const char* kOaSecret = "demo-oa-secret";
constexpr const char* kZaloAppSecret = "demo-zalo-app-secret";
constexpr const char* kPageId = "300000000000003";
constexpr const char* kFbAppSecret = "demo-fb-app-secret";
constexpr const char* kPageToken = "demo-page-token";

std::int64_t now_ms() {
  return SystemClock().now_ms();
}

void print_call(const mock::Call& c) {
  std::string line =
      "[" + std::string(mock::to_string(c.platform)) + " " + c.api + " " + c.outcome + "]";
  if (!c.user_id.empty())
    line += " to " + c.user_id;
  if (!c.text.empty())
    line += ":\n" + c.text;
  if (c.platform == mock::Platform::kZalo &&
      c.body.contains("/message/attachment/payload/buttons"_json_pointer)) {
    for (const auto& b : c.body["/message/attachment/payload/buttons"_json_pointer])
      line += "\n  [" + b.value("title", std::string{}) + "]";
  }
  if (c.body.contains("/message/quick_replies"_json_pointer)) {
    for (const auto& b : c.body["/message/quick_replies"_json_pointer])
      line += "\n  [" + b.value("title", std::string{}) + "]";
  }
  std::cout << line << "\n" << std::flush;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{
      "Mock Zalo OA and Facebook Graph API server for trying outreach-bot's platform channels"};
  std::string address = "127.0.0.1";
  std::uint16_t port = 9090;
  std::string bot;
  cli.add_option("--address", address, "Address to listen on")->capture_default_str();
  cli.add_option("--port", port, "Port to listen on (0 picks a free one)")->capture_default_str();
  cli.add_option("--bot", bot,
                 "The bot's base URL; lines typed on stdin are sent to it as user messages")
      ->check([](const std::string& s) {
        return s.starts_with("http://") ? "" : "use http://HOST:PORT";
      });
  CLI11_PARSE(cli, argc, argv);

  mock::MockPlatform platform;
  platform.add_zalo_oa({kOaId, kAppId, kZaloAppSecret, "demo-access-0", "demo-refresh-0"});
  platform.add_page({kPageId, kPageToken});
  platform.on_call(print_call);
  try {
    port = platform.start(address, port);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  std::cout << "Mock platform on " << platform.base_url() << " (Zalo OA " << kOaId << ", page "
            << kPageId << ")\n"
            << "Start the bot against it:  set -a; . deploy/demo/platforms.env; set +a;\n"
            << "  outreach-bot --config deploy/demo/platforms.yaml serve\n";
  if (bot.empty()) {
    std::cout << "Press Ctrl+C to stop.\n" << std::flush;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    int sig = 0;
    sigwait(&set, &sig);
    return 0;
  }

  boost::asio::io_context ioc;
  net::HttpClient http(ioc.get_executor());
  auto work = boost::asio::make_work_guard(ioc);
  std::thread runner([&] { ioc.run(); });
  std::cout
      << "Type a message and Enter: \"z text\" goes through Zalo, \"m text\" through Messenger.\n"
      << std::flush;
  std::string line;
  int n = 0;
  while (std::getline(std::cin, line)) {
    if (line.empty())
      continue;
    const bool messenger = line.starts_with("m ");
    const std::string text =
        line.starts_with("m ") || line.starts_with("z ") ? line.substr(2) : line;
    const std::string id = "demo-" + std::to_string(now_ms()) + "-" + std::to_string(++n);
    mock::SignedRequest r =
        messenger ? mock::messenger_signed(
                        mock::messenger_batch(kPageId,
                                              {mock::messenger_text(kPageId, "9000000000000009",
                                                                    text, "m_" + id, now_ms())},
                                              now_ms()),
                        kFbAppSecret)
                  : mock::zalo_signed(mock::zalo_user_text(kOaId, "8000000000000008", text, id),
                                      kAppId, kOaSecret, now_ms());
    net::HttpCall call;
    call.url = bot + (messenger ? "/webhooks/messenger" : "/webhooks/zalo");
    call.headers = r.headers;
    call.body = r.body;
    std::string why;
    auto reply =
        boost::asio::co_spawn(ioc, http.request(call, &why), boost::asio::use_future).get();
    if (!reply)
      std::cout << "could not reach the bot: " << why << "\n";
    else if (reply->status != 200)
      std::cout << "the bot answered HTTP " << reply->status << ": " << reply->body << "\n";
    std::cout << std::flush;
  }
  work.reset();
  runner.join();
  return 0;
}
