#include "bot/router/router.hpp"

namespace outreach::router {

namespace {
constexpr int kRefill = 64;
}

Router::Router(storage::DbExecutor& db,
               TurnRunner& runner,
               Metrics& metrics,
               std::function<void()> on_replies)
    : db_(db), runner_(runner), metrics_(metrics), on_replies_(std::move(on_replies)) {}

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
  if (queue_.empty()) {
    for (std::int64_t id : store.inbox.pending_ids(kRefill)) queue_.push_back(id);
    const std::int64_t depth = store.inbox.count_pending();
    pending_.store(depth);
    metrics_.set("outreach_inbox_depth", {}, static_cast<double>(depth));
    if (queue_.empty())
      return;
  }
  const std::int64_t id = queue_.front();
  queue_.pop_front();
  const TurnResult r = runner_.run(store, id);
  turns_.fetch_add(1);
  if (r.replies > 0 || !r.ran)
    on_replies_();  // a failed turn may have queued an apology
  kick();
}

}  // namespace outreach::router
