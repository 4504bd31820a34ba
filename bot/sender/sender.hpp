#pragma once
// Sender: drains the outbox. It claims due rows (the oldest open row of each person, so each
// person's messages leave in order), hands each to its channel's client, and records the
// outcome: sent; retried later with exponential backoff and jitter (or the platform's
// retry-after); skipped (the platform's rules forbid sending now); or dead after max_attempts,
// with the reason kept for the dead-letter list. Up to `concurrency` people are sent to at
// once. kick() wakes it after a turn wrote replies; otherwise it sleeps until the next row is
// due (at most a second).
// Thread-safety: kick() is safe from any thread; the loop runs on its own strand.

#include <atomic>
#include <chrono>
#include <map>
#include <random>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "bot/channels/channel.hpp"
#include "bot/core/clock.hpp"
#include "bot/core/metrics.hpp"
#include "storage/db_executor.hpp"

namespace outreach::sender {

struct SenderOptions {
  int max_attempts = 8;
  std::chrono::milliseconds backoff_base{1000};
  std::chrono::milliseconds backoff_max{5 * 60 * 1000};
  int concurrency = 32;
};

class Sender {
 public:
  Sender(boost::asio::any_io_executor ex,
         storage::DbExecutor& db,
         const Clock& clock,
         Metrics& metrics,
         SenderOptions options);

  // Registers the client for its channel; call before start().
  void add_client(channels::ChannelClient& client);

  // Resets rows a crash left 'sending', then starts the loop.
  void start();

  void kick();

  // Stops claiming new rows; sends in flight finish and are recorded.
  void stop();

  int in_flight() const { return in_flight_.load(); }

  bool running() const { return running_.load(); }

  // Delay before attempt `attempt + 1` after `attempt` failed (exposed for tests).
  std::chrono::milliseconds backoff(int attempt);

 private:
  boost::asio::awaitable<void> loop();
  boost::asio::awaitable<void> send_one(storage::OutboxItem item);

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  storage::DbExecutor& db_;
  const Clock& clock_;
  Metrics& metrics_;
  SenderOptions options_;
  std::map<ChannelKind, channels::ChannelClient*> clients_;
  boost::asio::steady_timer wake_;
  bool kicked_ = false;             // strand only
  std::int64_t next_count_ms_ = 0;  // when to refresh the depth gauges (strand)
  std::atomic<bool> stopping_{false};
  std::atomic<bool> running_{false};
  std::atomic<int> in_flight_{0};
  std::mt19937_64 rng_{std::random_device{}()};  // strand only
};

}  // namespace outreach::sender
