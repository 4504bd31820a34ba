#pragma once
// TurnRunner: runs the turn for one inbox row in ONE transaction — load the person and their
// conversation, dispatch, save the state, write the replies to the outbox, record the
// interaction, mark the inbox row done. Either all of it commits or none of it does. When a
// handler throws, the transaction rolls back and a second, small transaction writes the
// apology and marks the row failed. An event that crashed the process kMaxAttempts times is
// given up (failed) instead of crashing it again.
//
// run_batch() runs several turns in one transaction, each inside its own SAVEPOINT: a turn
// that throws rolls back alone (and gets the apology), and the batch pays for one commit —
// the pages turns share (inbox, outbox, interactions) are written to the WAL once, not once
// per turn. Batched turns do not count attempts; the router runs the rows left pending by a
// crash one at a time, with attempts, so a turn that crashes the process is still found.
// Thread-safety: DB thread only.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bot/core/clock.hpp"
#include "bot/core/metrics.hpp"
#include "bot/router/dispatcher.hpp"
#include "bot/router/understanding.hpp"
#include "content/store.hpp"
#include "handlers/turn.hpp"
#include "storage/store.hpp"

namespace outreach::router {

struct TurnResult {
  bool ran = false;  // false: the row was not pending (already done) or was given up
  std::int64_t person_id = 0;
  int replies = 0;
  std::string handler;
  std::string outcome;
};

struct RunnerOptions {
  handlers::TurnOptions turn;
  std::string default_language = "vi";
};

class TurnRunner {
 public:
  static constexpr int kMaxAttempts = 3;

  // The address links in messages point to, once the server knows its port (before any turn
  // runs: App::start calls it right after listening).
  void set_public_url(std::string url) { options_.turn.public_url = std::move(url); }

  TurnRunner(const content::ContentStore& content,
             Dispatcher& dispatcher,
             UnderstandingCache& understanding,
             const Clock& clock,
             Metrics& metrics,
             RunnerOptions options);

  TurnResult run(storage::Store& store, std::int64_t inbox_id);
  // Runs turns for `inbox_ids` in order and stops early — after at least `min_turns` — once
  // `yield()` says other work (an inbox flush: webhooks waiting for their 200) should go
  // first. Returns the results of the turns it ran; the caller keeps the rest.
  std::vector<TurnResult> run_batch(storage::Store& store,
                                    const std::vector<std::int64_t>& inbox_ids,
                                    const std::function<bool()>& yield = {},
                                    std::size_t min_turns = 1);

 private:
  // The turn's work, inside a transaction or savepoint the caller owns.
  TurnResult body(storage::Store& store,
                  std::int64_t inbox_id,
                  const InboundEvent& event,
                  const std::shared_ptr<const content::Snapshot>& snapshot,
                  std::int64_t start_us);
  // The apology and the failed mark; `own_transaction` false inside a batch.
  void fail(storage::Store& store,
            std::int64_t inbox_id,
            const InboundEvent* event,
            const std::string& error,
            bool own_transaction = true);

  const content::ContentStore& content_;
  Dispatcher& dispatcher_;
  const Clock& clock_;
  Metrics& metrics_;
  RunnerOptions options_;
  UnderstandingCache& understanding_;
};

}  // namespace outreach::router
