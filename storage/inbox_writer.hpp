#pragma once
// InboxWriter: makes accepted events durable with group commit. Webhook handlers on the io
// threads `co_await append(events)`; every append that arrives while the DB thread is busy is
// written by the next flush in ONE transaction (one fsync for many events), and each caller
// resumes with its outcome (new row or duplicate) only after that commit — so a 200 to the
// platform always means "stored". With `durable`, each of these commits is followed by a sync of
// the WAL (what synchronous=FULL does; it covers every earlier commit of the connection too): an
// acknowledged event survives a power cut, while the many small turn commits in between stay
// NORMAL and cheap.
// Thread-safety: append() is safe from any thread; flushing runs on the DB thread.

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "bot/core/clock.hpp"
#include "bot/core/errc.hpp"
#include "bot/core/message.hpp"
#include "storage/db_executor.hpp"

namespace outreach::storage {

class InboxWriter {
 public:
  // Runs on the DB thread after each commit with the ids of the rows that are new.
  using OnCommitted = std::function<void(Store&, const std::vector<std::int64_t>& new_ids)>;

  InboxWriter(DbExecutor& db, const Clock& clock, OnCommitted on_committed, bool durable = false);

  // Stores the events (all or none); outcomes are in the same order. Errc::kStorageFailed when
  // the transaction failed (answer 503 so the platform retries).
  boost::asio::awaitable<Result<std::vector<AppendOutcome>>> append(
      std::vector<InboundEvent> events);

  // Blocking form for the terminal channel and tests.
  Result<std::vector<AppendOutcome>> append_sync(std::vector<InboundEvent> events);

  std::uint64_t flushes() const;

  // Appends waiting for the next flush (lock-free: the router asks between turns).
  std::size_t waiting() const { return waiting_.load(std::memory_order_relaxed); }

 private:
  using Done = std::function<void(Result<std::vector<AppendOutcome>>)>;

  struct Pending {
    std::vector<InboundEvent> events;
    std::vector<std::string> payloads;  // the events as stored, serialised off the DB thread
    Done done;
  };

  void enqueue(Pending p);
  void flush(Store& store);

  DbExecutor& db_;
  const Clock& clock_;
  OnCommitted on_committed_;
  bool durable_ = false;
  mutable std::mutex mu_;
  std::vector<Pending> pending_;  // guarded by mu_
  bool scheduled_ = false;        // guarded by mu_
  std::uint64_t flushes_ = 0;     // guarded by mu_
  std::atomic<std::size_t> waiting_{0};
};

}  // namespace outreach::storage
