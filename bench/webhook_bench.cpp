// Webhook throughput and latency: signed Messenger and Zalo events at 64 kept-alive connections
// against (a) a bare Beast server that answers 200 (bench/bare_server), (b) outreach-bot with its
// durable inbox (synchronous=FULL: an acknowledged event survives a power cut), and (c) when
// given, the bottender 1.5.5 Messenger echo bot (bench/bottender). All in the same run, on the
// same cores, with the same generator; ratios against the bare server of the same round, and
// the median over the rounds (3 by default) in the table, with each round's figure beside it.
// The server CPU column is the server process's CPU time (all threads) per measured request.
//
// Usage: webhook_bench --bot BIN --bare BIN --content DIR [--bottender DIR] [--seconds 5]
//                      [--connections 64] [--workloads messenger|zalo|both] [--rounds 3]
// Every request is unique (its own message id) and signed: X-Hub-Signature-256 and the legacy
// sha1 X-Hub-Signature for Messenger (bottender checks only sha1), X-ZEvent-Signature for Zalo.
// Replies of outreach-bot and bottender go to the in-process mock platform.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
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
#include <unistd.h>

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
  // Ids as the platforms make them: random-looking (a Messenger mid is "m_" and about 86
  // base64url characters, a Zalo msg_id 32 hex digits), so the inbox's dedupe index sees what it
  // sees in production. Event times advance over the prepared requests, within Zalo's skew.
  std::mt19937_64 random(run * 7919 + static_cast<std::uint64_t>(w));
  auto random_id = [&](std::string_view alphabet, std::size_t length) {
    std::string id;
    id.reserve(length);
    for (std::size_t k = 0; k < length; ++k) id += alphabet[random() % alphabet.size()];
    return id;
  };
  constexpr std::string_view kBase64Url =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (std::size_t i = 0; i < n; ++i) {
    const std::string user = std::to_string(7000000000000000ULL + i % 2000);
    const std::int64_t at = now - 60'000 + static_cast<std::int64_t>(i * 120'000 / n);
    const std::string& text = kQuestions[i % kQuestions.size()];
    mock::SignedRequest r =
        w == Workload::kMessenger
            ? mock::messenger_signed(
                  mock::messenger_batch(
                      kPage,
                      {mock::messenger_text(kPage, user, text, "m_" + random_id(kBase64Url, 86),
                                            at)},
                      at),
                  kFbSecret)
            : mock::zalo_signed(
                  mock::zalo_user_text(kOa, user, text, random_id("0123456789abcdef", 32)), kApp,
                  kOaSecret, at);
    std::string req = std::string("POST ") +
                      (w == Workload::kMessenger ? "/webhooks/messenger" : "/webhooks/zalo") +
                      " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto& [k, v] : r.headers) req += k + ": " + v + "\r\n";
    req += "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n" + r.body;
    out.push_back(std::move(req));
  }
  return out;
}

// CPU time a process has used so far (all its threads), in microseconds; 0 when unreadable.
double process_cpu_us(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(in, line);
  const auto close = line.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos)
    return 0;
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14)
      utime = std::stoull(field);
    if (i == 15)
      stime = std::stoull(field);
  }
  return 1e6 * static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

struct Stats {
  double rps = 0;
  double cpu_us = 0;  // the server's CPU time per measured request (all its threads)
  double p50_ms = 0;
  double p99_ms = 0;
  std::uint64_t ok = 0;      // 200s in the whole run (warm-up included)
  std::uint64_t errors = 0;  // anything else
};

// 64 connections on one thread; a warm-up second, then `seconds` measured.
Stats load(std::uint16_t port,
           pid_t server,
           const std::vector<std::string>& requests,
           int connections,
           int seconds) {
  asio::io_context ioc(1);
  std::size_t next = 0;
  bool measuring = false;
  bool stop = false;
  std::uint64_t measured = 0;
  std::chrono::steady_clock::time_point last_done;
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
        last_done = std::chrono::steady_clock::now();
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
  double cpu_start = 0;
  warm.async_wait([&](beast::error_code) {
    measuring = true;
    start = std::chrono::steady_clock::now();
    cpu_start = process_cpu_us(server);
  });
  asio::steady_timer end(ioc, 1s + std::chrono::seconds(seconds));
  double elapsed = 0;
  double cpu_end = 0;
  end.async_wait([&](beast::error_code) {
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    cpu_end = process_cpu_us(server);
    measuring = false;
    stop = true;
  });
  ioc.run();
  const bool ran_out = next >= requests.size();
  if (ran_out && measured > 0) {  // the rate over the time it had requests, not the window
    elapsed = std::chrono::duration<double>(last_done - start).count();
    std::cerr << "warning: the generator ran out of prepared requests after " << elapsed
              << " s of the " << seconds << " s measured\n";
  }
  if (elapsed == 0)
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  s.rps = static_cast<double>(measured) / elapsed;
  if (measured > 0 && cpu_end > cpu_start)
    s.cpu_us = (cpu_end - cpu_start) / static_cast<double>(measured);
  if (!latencies_us.empty()) {
    std::sort(latencies_us.begin(), latencies_us.end());
    s.p50_ms = latencies_us[latencies_us.size() / 2] / 1000.0;
    s.p99_ms =
        latencies_us[std::min(latencies_us.size() - 1, latencies_us.size() * 99 / 100)] / 1000.0;
  }
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

// One line of the table: a server under one workload, measured once per round.
struct Series {
  std::string workload, target;
  std::vector<Stats> runs;
  std::vector<double> ratios;  // requests/s against the bare server of the same round
  std::string note;
};

double median(std::vector<double> v) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string bot, bare, content, bottender;
  int seconds = 5;
  int connections = 64;
  std::string workloads = "both";
  int rounds = 3;
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
    else if (k == "--workloads")
      workloads = v;
    else if (k == "--rounds")
      rounds = std::stoi(v);
  }
  if (bot.empty() || bare.empty() || content.empty() || rounds < 1 ||
      (workloads != "both" && workloads != "messenger" && workloads != "zalo")) {
    std::cerr
        << "usage: webhook_bench --bot BIN --bare BIN --content DIR [--bottender DIR] "
           "[--seconds 5] [--connections 64] [--workloads messenger|zalo|both] [--rounds 3]\n";
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

  const std::size_t prepared = 110'000 * static_cast<std::size_t>(seconds + 1);
  // Each round runs the bare server, outreach-bot (on a fresh database) and bottender back to
  // back; a ratio is taken within its round, so a slow spell of this shared machine weighs on
  // both sides of it. The table shows the median over the rounds.
  std::vector<Series> table;
  auto record = [&](const std::string& workload, const std::string& target, const Stats& s,
                    double ratio, const std::string& note) {
    auto it = std::find_if(table.begin(), table.end(), [&](const Series& x) {
      return x.workload == workload && x.target == target;
    });
    if (it == table.end())
      it = table.insert(table.end(), Series{workload, target, {}, {}, {}});
    it->runs.push_back(s);
    it->ratios.push_back(ratio);
    it->note = note;
  };
  std::vector<double> vs_bottender;
  std::uint64_t run = 0;
  std::string integrity;
  for (int round = 1; round <= rounds; ++round) {
    for (Workload w : {Workload::kMessenger, Workload::kZalo}) {
      const std::string wname = w == Workload::kMessenger ? "Messenger" : "Zalo";
      if (workloads != "both" && workloads != (w == Workload::kMessenger ? "messenger" : "zalo"))
        continue;
      std::cerr << "round " << round << "/" << rounds << ": " << wname << "\n";
      double bare_rps = 0;
      double bot_rps = 0;
      {
        const auto port = free_port();
        Child c({bare, std::to_string(port), "2"}, (dir / "bare.log").string());
        if (!wait_listening(port, 10s))
          return std::cerr << "bare server did not start\n", 1;
        const Stats s = load(port, c.pid, prepare(w, prepared, ++run), connections, seconds);
        bare_rps = s.rps;
        record(wname, "bare Beast server (answers 200)", s, 1.0, "");
      }
      {
        const auto port = free_port();
        const std::string db =
            (dir / ("bot-" + wname + "-" + std::to_string(round) + ".sqlite3")).string();
        Child c({bot, "--config", config, "serve", "--port", std::to_string(port), "--database", db,
                 "--content", content},
                (dir / "bot.log").string());
        if (!wait_listening(port, 30s))
          return std::cerr << "outreach-bot did not start; see " << (dir / "bot.log") << "\n", 1;
        Stats s = load(port, c.pid, prepare(w, prepared, ++run), connections, seconds);
        c.stop(SIGTERM);
        SQLite::Database check(db, SQLite::OPEN_READONLY);
        const auto stored = check.execAndGet("SELECT COUNT(*) FROM inbox").getInt64();
        const auto done =
            check.execAndGet("SELECT COUNT(*) FROM inbox WHERE status = 'done'").getInt64();
        bot_rps = s.rps;
        record(wname, "outreach-bot (durable inbox, synchronous=FULL)", s,
               bare_rps > 0 ? s.rps / bare_rps : 0,
               "last round: " + std::to_string(stored) + " stored for " + std::to_string(s.ok) +
                   " acknowledged; " + std::to_string(done) + " answered by then");
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
          const Stats s = load(port, c.pid, prepare(w, prepared, ++run), connections, seconds);
          record(wname, "bottender 1.5.5 echo bot (Node.js)", s,
                 bare_rps > 0 ? s.rps / bare_rps : 0, "");
          if (s.rps > 0)
            vs_bottender.push_back(bot_rps / s.rps);
        }
      }
    }
  }
  platform.stop();

  std::printf(
      "Webhooks at %d connections, %d s measured after 1 s warm-up, median of %d round%s, on "
      "this machine (%u cores)\n\n",
      connections, seconds, rounds, rounds == 1 ? "" : "s", std::thread::hardware_concurrency());
  std::printf(
      "| workload | server | requests/s | vs bare | p50 ms | p99 ms | server CPU µs/request | "
      "errors | requests/s by round | note |\n");
  std::printf("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n");
  for (const Series& x : table) {
    auto med = [&](double Stats::*field) {
      std::vector<double> v;
      for (const Stats& s : x.runs) v.push_back(s.*field);
      return median(v);
    };
    std::uint64_t errors = 0;
    std::string by_round;
    for (const Stats& s : x.runs) {
      errors += s.errors;
      by_round += (by_round.empty() ? "" : ", ") + std::to_string(std::lround(s.rps));
    }
    std::printf("| %s | %s | %.0f | %.1f%% | %.2f | %.2f | %.1f | %llu | %s | %s |\n",
                x.workload.c_str(), x.target.c_str(), med(&Stats::rps), 100.0 * median(x.ratios),
                med(&Stats::p50_ms), med(&Stats::p99_ms), med(&Stats::cpu_us),
                static_cast<unsigned long long>(errors), by_round.c_str(), x.note.c_str());
  }
  if (!vs_bottender.empty())
    std::printf("\noutreach-bot / bottender (Messenger, same round): %.1f×\n",
                median(vs_bottender));
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
