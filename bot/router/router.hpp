#pragma once
// Router: turns pending inbox rows into turns, oldest first, one at a time on the DB thread —
// so each conversation has exactly one turn in flight and sees its messages in order. kick()
// is called after every inbox commit and at start (rows left pending by a crash are picked up
// then); each pump task runs a small batch of turns in one transaction (TurnRunner::run_batch:
// up to 16 turns, a few milliseconds) and re-posts itself while work remains, so inbox flushes
// interleave with turns instead of waiting behind a long backlog. Acknowledging webhooks comes
// first: while appends wait for their commit, a batch gives way before its first turn — under
// a burst the platforms still get their 200 fast and the events wait durably in the inbox —
// except when no turn has run for 50 ms: then it runs kMinTurns first, so replies
// slow down under a flood but never starve. Rows that were pending when
// the process started (a crash may have left them) run one at a time with attempts counted.
// Thread-safety: kick(), pause() and counters are safe from any thread; pumping is confined to
// the DB thread.

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>

#include "bot/core/metrics.hpp"
#include "bot/router/turn_runner.hpp"
#include "storage/db_executor.hpp"

namespace outreach::router {

class Router {
 public:
  // `acks_waiting` tells whether webhooks wait for an inbox commit: a batch of turns then
  // stops (before its first turn, or after kMinTurns when turns are overdue) so the commit —
  // and the platforms' 200s — go first.
  Router(storage::DbExecutor& db,
         TurnRunner& runner,
         Metrics& metrics,
         std::function<void()> on_replies,
         std::function<bool()> acks_waiting = {});

  // Schedules processing of pending inbox rows (no-op if already scheduled).
  void kick();

  // Stops starting new turns (shutdown); the turn in progress finishes.
  void pause();

  std::uint64_t turns_run() const { return turns_.load(); }

  // Inbox rows waiting for their turn, as last counted on the DB thread.
  std::int64_t pending() const { return pending_.load(); }

 private:
  void pump(storage::Store& store);

  storage::DbExecutor& db_;
  TurnRunner& runner_;
  Metrics& metrics_;
  std::function<void()> on_replies_;
  std::function<bool()> acks_waiting_;
  std::atomic<bool> scheduled_{false};
  std::atomic<bool> paused_{false};
  std::atomic<std::uint64_t> turns_{0};
  std::atomic<std::int64_t> pending_{0};
  std::deque<std::int64_t> queue_;   // DB thread only
  std::int64_t next_count_us_ = 0;   // DB thread only
  std::int64_t last_turn_us_ = 0;    // when a batch last ran a turn (DB thread only)
  std::int64_t recover_until_ = -1;  // rows up to this id were pending at start (DB thread only)
};

}  // namespace outreach::router
