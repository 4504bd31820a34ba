#pragma once
// TurnRunner: runs the turn for one inbox row in ONE transaction — load the person and their
// conversation, dispatch, save the state, write the replies to the outbox, record the
// interaction, mark the inbox row done. Either all of it commits or none of it does. When a
// handler throws, the transaction rolls back and a second, small transaction writes the
// apology and marks the row failed. An event that crashed the process kMaxAttempts times is
// given up (failed) instead of crashing it again.
// Thread-safety: DB thread only.

#include <cstdint>
#include <memory>
#include <string>

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

  TurnRunner(const content::ContentStore& content,
             Dispatcher& dispatcher,
             UnderstandingCache& understanding,
             const Clock& clock,
             Metrics& metrics,
             RunnerOptions options);

  TurnResult run(storage::Store& store, std::int64_t inbox_id);

 private:
  TurnResult run_once(storage::Store& store,
                      std::int64_t inbox_id,
                      const InboundEvent& event,
                      const std::shared_ptr<const content::Snapshot>& snapshot,
                      std::int64_t start_us);
  void fail(storage::Store& store,
            std::int64_t inbox_id,
            const InboundEvent* event,
            const std::string& error);

  const content::ContentStore& content_;
  Dispatcher& dispatcher_;
  const Clock& clock_;
  Metrics& metrics_;
  RunnerOptions options_;
  UnderstandingCache& understanding_;
};

}  // namespace outreach::router
