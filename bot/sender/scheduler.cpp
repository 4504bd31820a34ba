#include "bot/sender/scheduler.hpp"

#include <SQLiteCpp/Transaction.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "bot/core/log.hpp"

namespace outreach::sender {
namespace asio = boost::asio;

namespace {
constexpr std::int64_t kMaxSleepMs = 1000;
constexpr int kBatch = 32;
}  // namespace

Scheduler::Scheduler(asio::any_io_executor ex,
                     storage::DbExecutor& db,
                     const Clock& clock,
                     std::function<void()> on_outbox)
    : strand_(asio::make_strand(ex)),
      db_(db),
      clock_(clock),
      on_outbox_(std::move(on_outbox)),
      wake_(strand_) {}

void Scheduler::on(std::string kind, JobFn fn) {
  jobs_[std::move(kind)] = std::move(fn);
}

void Scheduler::start() {
  asio::co_spawn(strand_, loop(),
                 [](std::exception_ptr ep) { log::exception("scheduler", "loop_failed", ep); });
}

void Scheduler::kick() {
  asio::post(strand_, [this] {
    kicked_ = true;
    wake_.cancel();
  });
}

void Scheduler::stop() {
  stopping_.store(true);
  kick();
}

Scheduler::Pass Scheduler::run_due(storage::Store& store) {
  Pass pass;
  const std::int64_t now = clock_.now_ms();
  for (const storage::Job& job : store.jobs.due(now, kBatch)) {
    auto fn = jobs_.find(job.kind);
    try {
      SQLite::Transaction tx(store.db, SQLite::TransactionBehavior::IMMEDIATE);
      if (fn == jobs_.end()) {
        store.jobs.finish(job.id, storage::JobStatus::kFailed,
                          "no handler for job kind " + job.kind, now);
      } else {
        pass.wrote_outbox |= fn->second(store, job, now);
        store.jobs.finish(job.id, storage::JobStatus::kDone, {}, now);
      }
      tx.commit();
    } catch (const MalformedPayload& e) {
      log::error("scheduler", "job_malformed", {{"job", job.id}, {"kind", job.kind}});
      try {
        store.jobs.finish(job.id, storage::JobStatus::kFailed, e.what(), now);
      } catch (const std::exception&) {
      }
    } catch (const std::exception& e) {
      log::error("scheduler", "job_failed",
                 {{"job", job.id}, {"kind", job.kind}, {"what", std::string_view(e.what())}});
      try {
        if (job.attempts + 1 >= kMaxAttempts)
          store.jobs.finish(job.id, storage::JobStatus::kFailed, e.what(), now);
        else
          store.jobs.retry(job.id, now + (1000LL << std::min(job.attempts, 16)) * 5, e.what());
      } catch (const std::exception&) {
      }
    }
    ++pass.ran;
  }
  pass.next_run_at = store.jobs.next_run_at();
  return pass;
}

int Scheduler::run_due_sync() {
  const Pass p = db_.run_sync([this](storage::Store& s) { return run_due(s); });
  if (p.wrote_outbox && on_outbox_)
    on_outbox_();
  return p.ran;
}

asio::awaitable<void> Scheduler::loop() {
  while (!stopping_.load()) {
    kicked_ = false;
    const Pass p = co_await db_.run([this](storage::Store& s) { return run_due(s); });
    if (p.wrote_outbox && on_outbox_)
      on_outbox_();
    if (p.ran == kBatch)
      continue;
    std::int64_t sleep_ms = kMaxSleepMs;
    if (p.next_run_at)
      sleep_ms = std::clamp<std::int64_t>(*p.next_run_at - clock_.now_ms(), 0, kMaxSleepMs);
    if (kicked_)
      continue;
    if (sleep_ms == 0)
      sleep_ms = 5;  // a job is coming due right now: don't spin
    wake_.expires_after(std::chrono::milliseconds(sleep_ms));
    co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace outreach::sender
