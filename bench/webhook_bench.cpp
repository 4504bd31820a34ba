// Webhook throughput and latency: signed Messenger and Zalo events at 64 kept-alive connections
// against (a) a bare Beast server that answers 200 (bench/bare_server), (b) outreach-bot with its
// durable inbox (synchronous=FULL: an acknowledged event survives a power cut), and (c) when
// given, the bottender 1.5.5 Messenger echo bot (bench/bottender). All in the same run, on the
// same cores, with the same generator; ratios against the bare server measured in this run.
//
// Usage: webhook_bench --bot BIN --bare BIN --content DIR [--bottender DIR] [--seconds 5]
//                      [--connections 64]
// Every request is unique (its own message id) and signed: X-Hub-Signature-256 and the legacy
// sha1 X-Hub-Signature for Messenger (bottender checks only sha1), X-ZEvent-Signature for Zalo.
// Replies of outreach-bot and bottender go to the in-process mock platform.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spawn.h>
#include <sys/wait.h>

#include "bot/core/clock.hpp"
#include "tools/mock_platform/mock_platform.hpp"
#include "tools/mock_platform/webhooks.hpp"

extern char** environ;

namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using namespace outreach;

constexpr const char* kPage = "112233445566778";
constexpr const char* kFbSecret = "bench-fb-secret";
constexpr const char* kOa = "388613280878808645";
constexpr const char* kApp = "360846524940903967";
constexpr const char* kOaSecret = "bench-oa-secret";

const std::vector<std::string> kQuestions = {
    "xin chào", "cân điện tử ở chợ có phải kiểm định không", "đăng ký nhãn hiệu cho quán ăn",
    "menu", "tiet kiem dien cho ho gia dinh"};

enum class Workload { kMessenger, kZalo };

// Whole HTTP requests, ready to write.
std::vector<std::string> prepare(Workload w, std::size_t n, std::uint64_t run) {
  std::vector<std::string> out;
  out.reserve(n);
  const std::int64_t now = SystemClock().now_ms();
  for (std::size_t i = 0; i < n; ++i) {
    const std::string user = std::to_string(7000000000000000ULL + i % 2000);
    const std::string id = "bench-" + std::to_string(run) + "-" + std::to_string(i);
    const std::string& text = kQuestions[i % kQuestions.size()];
    mock::SignedRequest r =
        w == Workload::kMessenger
            ? mock::messenger_signed(
                  mock::messenger_batch(
                      kPage, {mock::messenger_text(kPage, user, text, "m_" + id, now)}, now),
                  kFbSecret)
            : mock::zalo_signed(mock::zalo_user_text(kOa, user, text, id), kApp, kOaSecret, now);
    std::string req = std::string("POST ") +
                      (w == Workload::kMessenger ? "/webhooks/messenger" : "/webhooks/zalo") +
                      " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto& [k, v] : r.headers) req += k + ": " + v + "\r\n";
    req += "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n" + r.body;
    out.push_back(std::move(req));
  }
  return out;
}

struct Stats {
  double rps = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  std::uint64_t ok = 0;      // 200s in the whole run (warm-up included)
  std::uint64_t errors = 0;  // anything else
};

// 64 connections on one thread; a warm-up second, then `seconds` measured.
Stats load(std::uint16_t port,
           const std::vector<std::string>& requests,
           int connections,
           int seconds) {
  asio::io_context ioc(1);
  std::size_t next = 0;
  bool measuring = false;
  bool stop = false;
  std::uint64_t measured = 0;
  Stats s;
  std::vector<std::uint32_t> latencies_us;
  latencies_us.reserve(requests.size());
  auto worker = [&]() -> asio::awaitable<void> {
    tcp::socket socket(ioc);
    co_await socket.async_connect({asio::ip::make_address("127.0.0.1"), port}, asio::use_awaitable);
    socket.set_option(tcp::no_delay(true));
    beast::flat_buffer buffer;
    while (!stop && next < requests.size()) {
      const std::string& req = requests[next++];
      const auto t0 = std::chrono::steady_clock::now();
      co_await asio::async_write(socket, asio::buffer(req), asio::use_awaitable);
      http::response_parser<http::string_body> parser;
      co_await http::async_read(socket, buffer, parser, asio::use_awaitable);
      const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::steady_clock::now() - t0);
      const bool ok = parser.get().result_int() == 200;
      ok ? ++s.ok : ++s.errors;
      if (measuring) {
        ++measured;
        latencies_us.push_back(static_cast<std::uint32_t>(us.count()));
      }
      if (!parser.get().keep_alive())
        break;
    }
  };
  for (int i = 0; i < connections; ++i)
    asio::co_spawn(ioc, worker(), [&](std::exception_ptr e) {
      if (e)
        ++s.errors;
    });
  asio::steady_timer warm(ioc, 1s);
  std::chrono::steady_clock::time_point start;
  warm.async_wait([&](beast::error_code) {
    measuring = true;
    start = std::chrono::steady_clock::now();
  });
  asio::steady_timer end(ioc, 1s + std::chrono::seconds(seconds));
  double elapsed = 0;
  end.async_wait([&](beast::error_code) {
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    measuring = false;
    stop = true;
  });
  ioc.run();
  if (elapsed == 0)
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  s.rps = static_cast<double>(measured) / elapsed;
  if (!latencies_us.empty()) {
    std::sort(latencies_us.begin(), latencies_us.end());
    s.p50_ms = latencies_us[latencies_us.size() / 2] / 1000.0;
    s.p99_ms =
        latencies_us[std::min(latencies_us.size() - 1, latencies_us.size() * 99 / 100)] / 1000.0;
  }
  if (next >= requests.size())
    std::cerr << "warning: the generator ran out of prepared requests\n";
  return s;
}

std::uint16_t free_port() {
  asio::io_context ioc;
  tcp::acceptor a(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

bool wait_listening(std::uint16_t port, std::chrono::seconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    asio::io_context ioc;
    tcp::socket s(ioc);
    beast::error_code ec;
    s.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
    if (!ec)
      return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

struct Child {
  pid_t pid = -1;

  Child(const std::vector<std::string>& argv, const std::string& log) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    if (posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ) != 0)
      pid = -1;
    posix_spawn_file_actions_destroy(&fa);
  }

  int stop(int sig = SIGTERM) {
    if (pid <= 0)
      return -1;
    kill(pid, sig);
    int status = 0;
    waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }

  ~Child() {
    if (pid > 0)
      stop(SIGKILL);
  }
};

struct Row {
  std::string workload, target;
  Stats s;
  std::string note;
};

}  // namespace

int main(int argc, char** argv) {
  std::string bot, bare, content, bottender;
  int seconds = 5;
  int connections = 64;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const std::string v = argv[i + 1];
    if (k == "--bot")
      bot = v;
    else if (k == "--bare")
      bare = v;
    else if (k == "--content")
      content = v;
    else if (k == "--bottender")
      bottender = v;
    else if (k == "--seconds")
      seconds = std::stoi(v);
    else if (k == "--connections")
      connections = std::stoi(v);
  }
  if (bot.empty() || bare.empty() || content.empty()) {
    std::cerr << "usage: webhook_bench --bot BIN --bare BIN --content DIR [--bottender DIR] "
                 "[--seconds 5] "
                 "[--connections 64]\n";
    return 2;
  }
  const auto dir =
      std::filesystem::temp_directory_path() / ("webhook-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);

  mock::MockPlatform platform;
  platform.set_recording(false);
  platform.add_zalo_oa({kOa, kApp, "bench-zalo-app-secret", "bench-access", "bench-refresh"});
  platform.add_page({kPage, "bench-page-token"});
  platform.start();

  setenv("OUTREACH_ZALO_BENCH_OA_SECRET", kOaSecret, 1);
  setenv("OUTREACH_ZALO_BENCH_APP_SECRET", "bench-zalo-app-secret", 1);
  setenv("OUTREACH_ZALO_BENCH_REFRESH_TOKEN", "bench-refresh", 1);
  setenv("OUTREACH_MESSENGER_BENCH_APP_SECRET", kFbSecret, 1);
  setenv("OUTREACH_MESSENGER_BENCH_PAGE_TOKEN", "bench-page-token", 1);
  setenv("OUTREACH_MESSENGER_BENCH_VERIFY_TOKEN", "bench-verify", 1);
  const std::string config = (dir / "bot.yaml").string();
  std::ofstream(config) << "database: { synchronous: full }\nlog: { level: warn }\n"
                        << "zalo:\n  api_base_url: " << platform.base_url()
                        << "\n  oauth_base_url: " << platform.base_url()
                        << "\n  accounts: [{ id: bench, oa_id: \"" << kOa << "\", app_id: \""
                        << kApp << "\", name: Bench }]\n"
                        << "messenger:\n  api_base_url: " << platform.base_url()
                        << "/v25.0\n  accounts: [{ id: bench, page_id: \"" << kPage
                        << "\", name: Bench }]\n";

  const std::size_t prepared = 80'000 * static_cast<std::size_t>(seconds + 1);
  std::vector<Row> rows;
  std::uint64_t run = 0;
  std::string integrity;
  for (Workload w : {Workload::kMessenger, Workload::kZalo}) {
    const std::string wname = w == Workload::kMessenger ? "Messenger" : "Zalo";
    {
      const auto port = free_port();
      Child c({bare, std::to_string(port), "2"}, (dir / "bare.log").string());
      if (!wait_listening(port, 10s))
        return std::cerr << "bare server did not start\n", 1;
      rows.push_back({wname, "bare Beast server (answers 200)",
                      load(port, prepare(w, prepared, ++run), connections, seconds), ""});
    }
    {
      const auto port = free_port();
      const std::string db = (dir / ("bot-" + wname + ".sqlite3")).string();
      Child c({bot, "--config", config, "serve", "--port", std::to_string(port), "--database", db,
               "--content", content},
              (dir / "bot.log").string());
      if (!wait_listening(port, 30s))
        return std::cerr << "outreach-bot did not start; see " << (dir / "bot.log") << "\n", 1;
      Stats s = load(port, prepare(w, prepared, ++run), connections, seconds);
      c.stop(SIGTERM);
      SQLite::Database check(db, SQLite::OPEN_READONLY);
      const auto stored = check.execAndGet("SELECT COUNT(*) FROM inbox").getInt64();
      const auto done =
          check.execAndGet("SELECT COUNT(*) FROM inbox WHERE status = 'done'").getInt64();
      rows.push_back({wname, "outreach-bot (durable inbox, synchronous=FULL)", s,
                      std::to_string(stored) + " stored for " + std::to_string(s.ok) +
                          " acknowledged; " + std::to_string(done) + " answered by then"});
      if (stored < static_cast<std::int64_t>(s.ok))
        integrity = "FAILED: an acknowledged event is missing";
    }
    if (w == Workload::kMessenger && !bottender.empty()) {
      const auto port = free_port();
      Child c(
          {"node", bottender + "/echo.js", std::to_string(port), platform.base_url(), kFbSecret},
          (dir / "bottender.log").string());
      if (!wait_listening(port, 30s)) {
        std::cerr << "bottender did not start; see " << (dir / "bottender.log") << "\n";
      } else {
        rows.push_back({wname, "bottender 1.5.5 echo bot (Node.js)",
                        load(port, prepare(w, prepared, ++run), connections, seconds), ""});
      }
    }
  }
  platform.stop();

  std::printf(
      "Webhooks at %d connections, %d s measured after 1 s warm-up, on this machine (%u cores)\n\n",
      connections, seconds, std::thread::hardware_concurrency());
  std::printf("| workload | server | requests/s | vs bare | p50 ms | p99 ms | errors | note |\n");
  std::printf("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
  double bare_rps = 0;
  double bot_messenger = 0;
  double bottender_rps = 0;
  for (const auto& r : rows) {
    if (r.target.starts_with("bare"))
      bare_rps = r.s.rps;
    if (r.workload == "Messenger" && r.target.starts_with("outreach"))
      bot_messenger = r.s.rps;
    if (r.target.starts_with("bottender"))
      bottender_rps = r.s.rps;
    std::printf("| %s | %s | %.0f | %.0f%% | %.2f | %.2f | %llu | %s |\n", r.workload.c_str(),
                r.target.c_str(), r.s.rps, bare_rps > 0 ? 100.0 * r.s.rps / bare_rps : 0.0,
                r.s.p50_ms, r.s.p99_ms, static_cast<unsigned long long>(r.s.errors),
                r.note.c_str());
  }
  if (bottender_rps > 0)
    std::printf("\noutreach-bot / bottender (Messenger): %.1f×\n", bot_messenger / bottender_rps);
  std::printf(
      "Targets: ≥ 50%% of the bare server, p99 ≤ 10 ms, ≥ 20× bottender. Mock platform calls: "
      "%llu.\n",
      static_cast<unsigned long long>(platform.call_count()));
  if (!integrity.empty()) {
    std::printf("%s\n", integrity.c_str());
    return 1;
  }
  std::filesystem::remove_all(dir);
  return 0;
}
