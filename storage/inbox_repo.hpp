#pragma once
// InboxRepo: every accepted event, stored before the platform gets its 200, deduplicated by
// (channel, account, event time, platform event id): Zalo and Messenger repeat an event's body,
// and with it its time, when they redeliver it, and keying by time first keeps each commit's
// index writes at the end of the index (migration 0007 explains the cost it removed). A turn marks
// its row done in the same transaction as the state change and the replies; rows still pending
// after a crash are processed at start. Thread-safety: not thread-safe; DB thread only.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "bot/core/message.hpp"

namespace outreach::storage {

struct AppendOutcome {
  std::int64_t id = 0;
  bool duplicate = false;
};

struct InboxRow {
  std::int64_t id = 0;
  std::string payload;  // InboundEvent JSON
  int attempts = 0;
  std::int64_t received_at = 0;
};

// The time that keys an event for deduplication: the platform's event time for Zalo and
// Messenger (never negative), 0 where the time is ours.
std::int64_t dedupe_time(const InboundEvent& event);

class InboxRepo {
 public:
  explicit InboxRepo(SQLite::Database& db);

  AppendOutcome append(const InboundEvent& event, std::int64_t now_ms);
  // The same with the event already serialised (`payload` is to_json_text(event)).
  AppendOutcome append(const InboundEvent& event, const std::string& payload, std::int64_t now_ms);

  // Oldest pending rows first (the turn order).
  std::vector<std::int64_t> pending_ids(int limit);
  std::optional<InboxRow> get_pending(std::int64_t id);

  // Counts an attempt before a turn runs (committed on its own), so an event that crashes the
  // process every time is given up after a few tries instead of looping forever.
  int bump_attempts(std::int64_t id);

  // status: done | failed | ignored. Clears the stored payload unless `keep_payload`.
  void finish(std::int64_t id,
              const std::string& status,
              std::int64_t now_ms,
              const std::string& error,
              bool keep_payload);

  std::int64_t count_pending();

  // When the oldest event still waiting for its turn was accepted (one step of the pending
  // index); none when nothing waits.
  std::optional<std::int64_t> oldest_pending_received_at();

 private:
  SQLite::Database& db_;
  SQLite::Statement insert_;
  SQLite::Statement find_id_;
  SQLite::Statement find_before_0007_;
  SQLite::Statement pending_;
  SQLite::Statement get_;
  SQLite::Statement bump_;
  SQLite::Statement finish_;
  SQLite::Statement finish_keep_;
  SQLite::Statement count_;
  SQLite::Statement oldest_;
  // Rows stored before migration 0007 are looked up by id alone until their redelivery horizon
  // has passed (0: there are none).
  std::int64_t before_0007_until_ = 0;
};

}  // namespace outreach::storage
