// Sending a broadcast (issue 19), in one run, with the real App in this process and the mock
// platform (a real HTTP server on loopback) playing Zalo:
//   bare     our HttpClient posting consultation-message bodies to the mock as fast as it can,
//            32 at a time (the sender's concurrency): the ceiling, the baseline of this run
//   fan-out  a broadcast to N Zalo subscribers with no rate limit anywhere: messages a second at
//            the mock, first to last, against the ceiling (target ≥ 0.80)
//   rate     a broadcast with zalo.rate_per_minute = R: the rate held after the limiter's first
//            burst (a minute's worth), over a 20 s window, against R (target within ±2%)
//   live     replies to signed Zalo messages (10 a second) at rest, then while a broadcast to N
//            subscribers runs at Zalo's 4,000 calls a minute: p99 from the webhook to the reply
//            reaching the mock, and the ratio during / at rest (target ≤ 2×)
//
//   broadcast_send_bench [--subscribers N] [--rate R]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/Transaction.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <nlohmann/json.hpp>
#include <stdlib.h>

#include "bot/core/clock.hpp"
#include "bot/net/http_client.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_app.hpp"
#include "tools/mock_platform/mock_platform.hpp"
#include "tools/mock_platform/webhooks.hpp"

namespace {

using namespace outreach;
using namespace std::chrono_literals;
using Json = nlohmann::json;
using Steady = std::chrono::steady_clock;

constexpr const char* kOa = "388613280878808645";
constexpr const char* kApp = "360846524940903967";
constexpr const char* kOaSecret = "bench-oa-secret";
constexpr const char* kAdmin = "bench-admin-token-0123456789abcdef";

double seconds_since(Steady::time_point t) {
  return std::chrono::duration<double>(Steady::now() - t).count();
}

void set_env() {
  setenv("OUTREACH_ZALO_BENCH_OA_SECRET", kOaSecret, 1);
  setenv("OUTREACH_ZALO_BENCH_APP_SECRET", "bench-app-secret", 1);
  setenv("OUTREACH_ZALO_BENCH_ACCESS_TOKEN", "bench-access", 1);
  setenv("OUTREACH_ZALO_BENCH_REFRESH_TOKEN", "bench-refresh", 1);
  setenv("OUTREACH_ADMIN_TOKEN", kAdmin, 1);
}

// The App on the mock, Zalo paced at `zalo_rate` a minute, broadcasts queued as fast as allowed.
std::unique_ptr<testing::TestApp> start_app(mock::MockPlatform& mock, int zalo_rate) {
  return std::make_unique<testing::TestApp>([&](app::Config& c) {
    c.zalo.api_base_url = mock.base_url();
    c.zalo.oauth_base_url = mock.base_url();
    c.zalo.accounts = {{"bench", kOa, kApp, "Bench"}};
    c.zalo.rate_per_minute = zalo_rate;
    // The seeded access token lasts an hour: no refresh (each App starts from the same pair).
    c.zalo.refresh_ahead = std::chrono::minutes(1);
    c.broadcast.quiet_hours = "none";
    c.broadcast.weekly_cap = 0;
    c.broadcast.rate_per_minute = 1'000'000;
    c.log.level = "error";
  });
}

// N Zalo subscribers who wrote an hour ago (a free consultation message each).
void seed(testing::TestApp& t, int n) {
  auto db = t.open_db();
  const std::int64_t last = SystemClock().now_ms() - 3'600'000;
  db.exec(
      "INSERT OR IGNORE INTO consent_wordings (version, lang, text, first_seen) "
      "VALUES ('vi-bench', 'vi', 'bench', 0)");
  SQLite::Statement person(db,
                           "INSERT INTO people (channel, account, platform_user_id, language, "
                           "first_interaction_at, last_interaction_at) "
                           "VALUES ('zalo', ?, ?, 'vi', ?, ?)");
  SQLite::Statement sub(db,
                        "INSERT INTO subscriptions (person_id, topics, ward, audience, "
                        "consent_at, consent_version, source, updated_at) "
                        "VALUES (?, '', '', '', ?, 'vi-bench', 'message', ?)");
  SQLite::Transaction tx(db);
  for (int i = 0; i < n; ++i) {
    person.bind(1, kOa);
    person.bind(2, "9" + std::to_string(100000000 + i));
    person.bind(3, static_cast<int64_t>(last));
    person.bind(4, static_cast<int64_t>(last));
    person.exec();
    person.reset();
    sub.bind(1, static_cast<int64_t>(db.getLastInsertRowid()));
    sub.bind(2, static_cast<int64_t>(last));
    sub.bind(3, static_cast<int64_t>(last));
    sub.exec();
    sub.reset();
  }
  tx.commit();
}

// Creates, plans and sends an announcement to everyone; returns false (and says why) on error.
bool broadcast(testing::TestApp& t) {
  const std::map<std::string, std::string> auth = {
      {"Authorization", std::string("Bearer ") + kAdmin}};
  const Json doc = {{"title", "Bench"}, {"text", "Thông báo thử tải."}};
  auto r = testing::http_request(t.port(), "POST", "/admin/broadcasts", doc.dump(), auth);
  if (r.status != 201) {
    std::fprintf(stderr, "create: %d %s\n", r.status, r.body.c_str());
    return false;
  }
  const std::string base =
      "/admin/broadcasts/" + std::to_string(Json::parse(r.body)["id"].get<int>());
  r = testing::http_request(t.port(), "GET", base + "/plan", {}, auth, 60s);
  if (r.status != 200) {
    std::fprintf(stderr, "plan: %d %s\n", r.status, r.body.c_str());
    return false;
  }
  r = testing::http_request(t.port(), "POST", base + "/send", "", auth);
  if (r.status != 200) {
    std::fprintf(stderr, "send: %d %s\n", r.status, r.body.c_str());
    return false;
  }
  return true;
}

// Waits until the mock has answered `n` calls; (seconds from the first to the n-th, ok).
std::pair<double, bool> time_calls(const mock::MockPlatform& mock,
                                   std::uint64_t n,
                                   std::chrono::seconds limit) {
  const auto start = Steady::now();
  const std::uint64_t base = mock.call_count();
  while (mock.call_count() == base) {
    if (Steady::now() - start > limit)
      return {0, false};
    std::this_thread::sleep_for(1ms);
  }
  const auto first = Steady::now();
  while (mock.call_count() < base + n) {
    if (Steady::now() - start > limit)
      return {seconds_since(first), false};
    std::this_thread::sleep_for(1ms);
  }
  return {seconds_since(first), true};
}

// The ceiling: N posts through our client, 32 at a time.
double bare_rate(const mock::MockPlatform& mock, int n) {
  boost::asio::thread_pool pool(2);
  net::HttpClient http(pool.get_executor());
  std::atomic<int> next{0};
  const std::string url = mock.base_url() + "/v3.0/oa/message/cs";
  const auto worker = [&]() -> boost::asio::awaitable<void> {
    for (int i = next++; i < n; i = next++) {
      net::HttpCall call;
      call.url = url;
      call.headers = {{"access_token", "bench-access"}, {"Content-Type", "application/json"}};
      call.body = Json{{"recipient", {{"user_id", "9" + std::to_string(100000000 + i)}}},
                       {"message", {{"text", "Thông báo thử tải."}}}}
                      .dump();
      (void)co_await http.request(std::move(call));
    }
  };
  const auto t0 = Steady::now();
  std::vector<std::future<void>> done;
  for (int w = 0; w < 32; ++w)
    done.push_back(boost::asio::co_spawn(pool, worker(), boost::asio::use_future));
  for (auto& f : done) f.get();
  return n / seconds_since(t0);
}

// Replies to `count` signed messages sent 10 a second: each one's milliseconds from the webhook
// to the reply at the mock.
std::vector<double> live_latencies(testing::TestApp& t,
                                   mock::MockPlatform& mock,
                                   int count,
                                   const std::string& prefix) {
  std::mutex mu;
  std::map<std::string, Steady::time_point> sent;
  std::vector<double> out;
  mock.on_call([&](const mock::Call& c) {
    std::lock_guard lock(mu);
    const auto it = sent.find(c.user_id);
    if (it == sent.end())
      return;
    out.push_back(std::chrono::duration<double, std::milli>(Steady::now() - it->second).count());
    sent.erase(it);
  });
  for (int i = 0; i < count; ++i) {
    const std::string user = prefix + std::to_string(1000 + i);
    const auto ev = mock::zalo_user_text(kOa, user, "xin chào", prefix + "-m" + std::to_string(i));
    const auto req = mock::zalo_signed(ev, kApp, kOaSecret, SystemClock().now_ms());
    std::map<std::string, std::string> headers(req.headers.begin(), req.headers.end());
    {
      std::lock_guard lock(mu);
      sent[user] = Steady::now();
    }
    (void)testing::http_request(t.port(), "POST", "/webhooks/zalo", req.body, headers);
    std::this_thread::sleep_for(100ms);
  }
  const auto until = Steady::now() + 20s;
  for (;;) {
    {
      std::lock_guard lock(mu);
      if (sent.empty() || Steady::now() > until)
        break;
    }
    std::this_thread::sleep_for(10ms);
  }
  mock.on_call({});
  std::lock_guard lock(mu);
  for (std::size_t i = 0; i < sent.size(); ++i) out.push_back(20'000);  // never answered
  return out;
}

double p99(std::vector<double> v) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(0.99 * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  int n = 20'000;
  int rate = 600;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--subscribers")
      n = std::atoi(argv[i + 1]);
    else if (a == "--rate")
      rate = std::atoi(argv[i + 1]);
  }
  set_env();
  mock::MockPlatform mock;
  mock.add_zalo_oa({kOa, kApp, "bench-app-secret", "bench-access", "bench-refresh"});
  mock.start();
  mock.set_recording(false);

  // 1. The ceiling, and the fan-out with no limits.
  const double bare = bare_rate(mock, n);
  double fanout = 0;
  {
    auto t = start_app(mock, 1'000'000'000);
    seed(*t, n);
    if (!broadcast(*t))
      return 1;
    const auto [secs, ok] = time_calls(mock, static_cast<std::uint64_t>(n), 300s);
    fanout = ok ? n / secs : 0;
    t->stop();
  }

  // 2. The configured rate, after the first minute's burst (all but the live reserve).
  double held = 0;
  {
    const int burst = rate - std::max(1, rate / 20);
    const int window_s = 20;
    const int total = burst + rate * (window_s + 4) / 60;
    auto t = start_app(mock, rate);
    seed(*t, total);
    if (!broadcast(*t))
      return 1;
    const auto [burst_s, ok] = time_calls(mock, static_cast<std::uint64_t>(burst), 120s);
    if (!ok)
      return 1;
    std::this_thread::sleep_for(2s);
    const std::uint64_t c0 = mock.call_count();
    const auto t0 = Steady::now();
    std::this_thread::sleep_for(std::chrono::seconds(window_s));
    held = static_cast<double>(mock.call_count() - c0) / seconds_since(t0) * 60;
    t->stop();
  }

  // 3. Live replies at rest, then during a broadcast at Zalo's own limit.
  std::vector<double> rest, during;
  {
    auto t = start_app(mock, 4000);
    seed(*t, n);
    mock.set_recording(true);
    rest = live_latencies(*t, mock, 200, "61");
    if (!broadcast(*t))
      return 1;
    std::this_thread::sleep_for(1s);
    const std::uint64_t before = mock.call_count();
    during = live_latencies(*t, mock, 200, "62");
    const std::uint64_t broadcast_calls = mock.call_count() - before - during.size();
    std::printf("(during the live run the broadcast sent %llu messages)\n\n",
                static_cast<unsigned long long>(broadcast_calls));
    t->stop();
  }

  std::printf("| measure | figure | baseline (same run) | ratio | target |\n");
  std::printf("| --- | ---: | ---: | ---: | --- |\n");
  std::printf(
      "| fan-out to %d subscribers, no limits (messages/s) | %.0f | bare client %.0f | %.2f "
      "| ≥ 0.80 |\n",
      n, fanout, bare, bare > 0 ? fanout / bare : 0);
  std::printf(
      "| sender rate after the burst (messages/min) | %.0f | configured %d | %.3f | "
      "0.98–1.02 |\n",
      held, rate, held / rate);
  std::printf("| live reply p99 during a broadcast (ms) | %.1f | at rest %.1f | %.2f | ≤ 2.00 |\n",
              p99(during), p99(rest), p99(rest) > 0 ? p99(during) / p99(rest) : 0);
  mock.stop();
  return 0;
}
