#pragma once
// BroadcastRepo: broadcast announcements and their recipients (migration 0012). The planner
// reads the subscribers once, in person order, and writes one recipient row each; the fan-out
// takes planned recipients in batches and marks each queued with its outbox row, or skipped
// with the reason; the report is read back from the recipients joined to their outbox rows.
// Thread-safety: not thread-safe; DB thread only (owns prepared statements on its connection).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace outreach::storage {

struct Broadcast {
  std::int64_t id = 0;
  std::string title;
  std::string document;  // JSON
  std::string status;    // draft | planned | sending | paused | cancelled | done
  std::string created_by;
  std::int64_t created_at = 0;
  std::int64_t send_at = 0;
  std::optional<std::int64_t> expires_at;
  std::optional<std::int64_t> planned_at;
  std::string plan;  // JSON counts, empty before planning
  int generation = 0;
  std::optional<std::int64_t> finished_at;
};

// A subscriber as the planner sees it.
struct Subscriber {
  std::int64_t person_id = 0;
  std::string topics;  // joined, '' = all
  std::string ward;
  std::string audience;
  std::string channel;
  std::string account;
  std::string language;
  std::int64_t last_interaction_at = 0;
};

// A planned recipient the fan-out is about to queue.
struct PendingRecipient {
  std::int64_t person_id = 0;
  std::string path;
  std::string language;
  bool subscribed = false;  // still subscribed now
};

// One group of the report: recipients with the same path, state and reason.
struct ReportRow {
  std::string path;
  std::string recipient_status;  // planned | queued | skipped
  std::string outbox_status;     // pending | sending | sent | dead | skipped, or '' (not queued)
  bool delivered = false;
  bool read = false;
  std::string reason;  // why unreachable / skipped / failed
  std::int64_t count = 0;
};

class BroadcastRepo {
 public:
  explicit BroadcastRepo(SQLite::Database& db);

  std::int64_t create(const std::string& title,
                      const std::string& document,
                      const std::string& created_by,
                      std::int64_t send_at,
                      std::optional<std::int64_t> expires_at,
                      std::int64_t now_ms);
  std::optional<Broadcast> get(std::int64_t id);
  std::vector<Broadcast> list(int limit);
  void set_status(std::int64_t id, const std::string& status, std::int64_t now_ms);
  // A new generation for a new fan-out chain (send, resume); returns it.
  int next_generation(std::int64_t id);
  void save_plan(std::int64_t id, const std::string& plan, std::int64_t now_ms);

  // Planning.
  void clear_recipients(std::int64_t id);
  void for_each_subscriber(const std::function<void(const Subscriber&)>& fn);
  void add_recipient(std::int64_t id,
                     std::int64_t person_id,
                     const std::string& path,
                     const std::string& reason);
  // Broadcasts queued to each person since `since_ms` (the per-person cap).
  std::unordered_map<std::int64_t, int> queued_since(std::int64_t since_ms);
  int queued_since(std::int64_t person_id, std::int64_t since_ms);
  // People with a booking made since `since_ms`.
  std::unordered_set<std::int64_t> booked_since(std::int64_t since_ms);

  // Fan-out.
  std::vector<PendingRecipient> next_batch(std::int64_t id, int limit);
  void mark_queued(std::int64_t id,
                   std::int64_t person_id,
                   std::int64_t outbox_id,
                   std::int64_t now);
  void mark_skipped(std::int64_t id, std::int64_t person_id, const std::string& reason);
  // Every recipient still planned is skipped with `reason` (expired, cancelled); returns how many.
  int skip_planned(std::int64_t id, const std::string& reason);
  std::int64_t count_planned(std::int64_t id);

  std::vector<ReportRow> report(std::int64_t id);

  // A press of an announcement's button, once per person and button; a broadcast deleted since
  // is ignored.
  void record_click(std::int64_t id,
                    std::int64_t person_id,
                    const std::string& button,
                    std::int64_t now_ms);
  // The people who pressed each button.
  std::map<std::string, std::int64_t> clicks(std::int64_t id);

 private:
  SQLite::Database& db_;
  SQLite::Statement insert_;
  SQLite::Statement get_;
  SQLite::Statement list_;
  SQLite::Statement status_;
  SQLite::Statement generation_;
  SQLite::Statement plan_;
  SQLite::Statement clear_;
  SQLite::Statement subscribers_;
  SQLite::Statement add_;
  SQLite::Statement queued_all_;
  SQLite::Statement queued_one_;
  SQLite::Statement booked_;
  SQLite::Statement batch_;
  SQLite::Statement queued_;
  SQLite::Statement skipped_;
  SQLite::Statement skip_planned_;
  SQLite::Statement count_planned_;
  SQLite::Statement report_;
  SQLite::Statement click_;
  SQLite::Statement clicks_;
};

}  // namespace outreach::storage
