#include "storage/inbox_writer.hpp"

#include <future>

#include <SQLiteCpp/Transaction.h>

#include "storage/database.hpp"

namespace outreach::storage {

InboxWriter::InboxWriter(DbExecutor& db, const Clock& clock, OnCommitted on_committed, bool durable)
    : db_(db), clock_(clock), on_committed_(std::move(on_committed)), durable_(durable) {}

boost::asio::awaitable<Result<std::vector<AppendOutcome>>> InboxWriter::append(
    std::vector<InboundEvent> events) {
  using R = Result<std::vector<AppendOutcome>>;
  co_return co_await async_completion<R>([this, &events](std::function<void(R)> complete) {
    enqueue(Pending{std::move(events), {}, std::move(complete)});
  });
}

Result<std::vector<AppendOutcome>> InboxWriter::append_sync(std::vector<InboundEvent> events) {
  using R = Result<std::vector<AppendOutcome>>;
  auto promise = std::make_shared<std::promise<R>>();
  auto fut = promise->get_future();
  enqueue(Pending{std::move(events), {}, [promise](R r) {
                    promise->set_value(std::move(r));
                  }});
  return fut.get();
}

std::uint64_t InboxWriter::flushes() const {
  std::lock_guard lock(mu_);
  return flushes_;
}

void InboxWriter::enqueue(Pending p) {
  // Serialising here keeps that work on the caller's thread, off the single DB thread.
  p.payloads.reserve(p.events.size());
  for (const InboundEvent& e : p.events) p.payloads.push_back(to_json_text(e));
  bool schedule = false;
  {
    std::lock_guard lock(mu_);
    pending_.push_back(std::move(p));
    waiting_.store(pending_.size(), std::memory_order_relaxed);
    if (!scheduled_)
      scheduled_ = schedule = true;
  }
  if (schedule)
    db_.post([this](Store& s) { flush(s); });
}

void InboxWriter::flush(Store& store) {
  std::vector<Pending> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(pending_);
    waiting_.store(0, std::memory_order_relaxed);
    scheduled_ = false;
    ++flushes_;
  }
  if (batch.empty())
    return;
  std::vector<std::vector<AppendOutcome>> outcomes(batch.size());
  std::vector<std::int64_t> new_ids;

  try {
    SQLite::Transaction tx(store.db, SQLite::TransactionBehavior::IMMEDIATE);
    const std::int64_t now = clock_.now_ms();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const Pending& p = batch[i];
      for (std::size_t k = 0; k < p.events.size(); ++k) {
        AppendOutcome o = store.inbox.append(p.events[k], p.payloads[k], now);
        if (!o.duplicate)
          new_ids.push_back(o.id);
        outcomes[i].push_back(o);
      }
    }
    tx.commit();
    // The connection runs NORMAL (turns commit often and cheaply); what the bot acknowledges is
    // synced before anyone is told it is stored. A failed sync fails the group: the platform
    // sends again, finds the rows, and is answered after a sync that worked.
    if (durable_)
      sync_log(store.db);
  } catch (const std::exception& e) {
    log::error("inbox", "append_failed",
               {{"events", batch.size()}, {"what", std::string_view(e.what())}});
    for (Pending& p : batch) p.done(make_error_code(Errc::kStorageFailed));
    return;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done(std::move(outcomes[i]));
  if (!new_ids.empty() && on_committed_)
    on_committed_(store, new_ids);
}

}  // namespace outreach::storage
