#include "bot/router/router.hpp"

#include "bot/core/clock.hpp"

namespace outreach::router {

namespace {
constexpr int kRefill = 64;
constexpr std::size_t kBatch = 16;
// While webhooks wait for their commit, turns give way entirely — unless none has run for
// kMaxTurnGapUs: then a batch runs at least kMinTurns, so a flood delays replies but never
// starves them (at least kMinTurns every 50 ms).
constexpr std::size_t kMinTurns = 2;
constexpr std::int64_t kMaxTurnGapUs = 50'000;
}  // namespace

Router::Router(storage::DbExecutor& db,
               TurnRunner& runner,
               Metrics& metrics,
               std::function<void()> on_replies,
               std::function<bool()> acks_waiting)
    : db_(db),
      runner_(runner),
      metrics_(metrics),
      on_replies_(std::move(on_replies)),
      acks_waiting_(std::move(acks_waiting)) {}

void Router::kick() {
  if (paused_.load() || scheduled_.exchange(true))
    return;
  db_.post([this](storage::Store& s) { pump(s); });
}

void Router::pause() {
  paused_.store(true);
}

void Router::pump(storage::Store& store) {
  scheduled_.store(false);
  if (paused_.load())
    return;
  // What was pending at the first pump (the one start() triggers) may have crashed the process.
  if (recover_until_ < 0)
    recover_until_ =
        store.db.execAndGet("SELECT COALESCE(MAX(id), 0) FROM inbox WHERE status = 'pending'")
            .getInt64();
  const std::int64_t now_us = monotonic_us();
  if (queue_.empty()) {
    for (std::int64_t id : store.inbox.pending_ids(kRefill)) queue_.push_back(id);
    // Counting walks the pending index: at most once a second (and whenever the queue runs dry).
    if (queue_.empty() || now_us >= next_count_us_) {
      next_count_us_ = now_us + 1'000'000;
      const std::int64_t depth = store.inbox.count_pending();
      pending_.store(depth);
      metrics_.set("outreach_inbox_depth", {}, static_cast<double>(depth));
    }
    if (queue_.empty())
      return;
  }
  std::vector<TurnResult> results;
  if (queue_.front() <= recover_until_) {
    results.push_back(runner_.run(store, queue_.front()));  // may have crashed the process before
    queue_.pop_front();
  } else {
    std::vector<std::int64_t> batch;
    while (!queue_.empty() && batch.size() < kBatch) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    const bool overdue = now_us - last_turn_us_ >= kMaxTurnGapUs;
    results = runner_.run_batch(store, batch, acks_waiting_, overdue ? kMinTurns : 0);
    for (std::size_t i = batch.size(); i > results.size(); --i) queue_.push_front(batch[i - 1]);
  }
  if (!results.empty())
    last_turn_us_ = now_us;
  bool replies = false;
  for (const TurnResult& r : results) replies = replies || r.replies > 0 || !r.ran;
  turns_.fetch_add(results.size());
  if (replies)
    on_replies_();  // a failed turn may have queued an apology
  kick();
}

}  // namespace outreach::router
