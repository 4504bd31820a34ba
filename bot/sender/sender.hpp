#pragma once
// Sender: drains the outbox. It claims due rows (the oldest open row of each person, so each
// person's messages leave in order), hands each to its channel's client, and records the
// outcome: sent; retried later with exponential backoff and jitter (or the platform's
// retry-after); skipped (the platform's rules forbid sending now); or dead after max_attempts,
// with the reason kept for the dead-letter list. Up to `concurrency` people are sent to at
// once. Live messages go first: each claim takes replies, reminders and staff messages before
// broadcasts, broadcasts hold at most three quarters of the slots, and the clients' rate
// limiters keep a reserve that broadcasts may not use. kick() wakes it after a turn wrote replies;
// otherwise it sleeps until the next row is due (at most a second). Outcomes that finish together
// are recorded together: one DB task and one transaction for all of them (a reply's send used to
// cost two commits of its own). Thread-safety: kick() is safe from any thread; the loop runs on its
// own strand.

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <vector>

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
  int concurrency = 32;  // recipients sent to at once
  bool operator==(const SenderOptions&) const = default;
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

  // DB tasks that recorded outcomes so far (each one transaction for all it found waiting).
  std::uint64_t record_groups() const { return record_groups_.load(); }

  // Delay before attempt `attempt + 1` after `attempt` failed (exposed for tests).
  std::chrono::milliseconds backoff(int attempt);

 private:
  boost::asio::awaitable<void> loop();
  boost::asio::awaitable<void> send_one(storage::OutboxItem item);

  // What became of one outbox row, to record in the next group.
  struct Outcome {
    std::int64_t id = 0;
    storage::SendOutcome status = storage::SendOutcome::kSent;
    std::int64_t now = 0;
    std::int64_t next_at = 0;
    const channels::SendResult* result = nullptr;  // owned by the waiting send_one
    std::function<void(bool recorded)> done;
  };

  // Records the outcome with others that finish meanwhile; false when the commit failed.
  // (By reference: a coroutine's by-value parameter that owns memory trips GCC 12.)
  boost::asio::awaitable<bool> record(Outcome& outcome);
  void record_waiting(storage::Store& store);  // on the DB thread

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
  std::atomic<int> in_flight_bulk_{0};           // of which broadcasts (at most 3/4 of concurrency)
  std::mt19937_64 rng_{std::random_device{}()};  // strand only
  std::mutex record_mu_;
  std::vector<Outcome> to_record_;  // guarded by record_mu_
  bool record_scheduled_ = false;   // guarded by record_mu_
  std::atomic<std::uint64_t> record_groups_{0};
};

}  // namespace outreach::sender
