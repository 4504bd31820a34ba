#pragma once
// JobsRepo: scheduled work as rows (form expiry, reminders, purges), so it survives restarts.
// A job with a unique_key replaces the pending job of the same key (re-scheduling).
// Thread-safety: not thread-safe; DB thread only.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace outreach::storage {

struct Job {
  std::int64_t id = 0;
  std::string kind;
  std::int64_t run_at = 0;
  std::string payload;  // JSON
  int attempts = 0;
};

class JobsRepo {
 public:
  explicit JobsRepo(SQLite::Database& db);

  // Schedules (or, with the same unique_key, moves) a job.
  void schedule(const std::string& kind,
                std::int64_t run_at,
                const std::string& payload,
                const std::string& unique_key,
                std::int64_t now_ms);
  void cancel(const std::string& unique_key);

  std::vector<Job> due(std::int64_t now_ms, int limit);
  std::optional<std::int64_t> next_run_at();
  // status: done | failed
  void finish(std::int64_t id,
              const std::string& status,
              const std::string& error,
              std::int64_t now_ms);
  void retry(std::int64_t id, std::int64_t run_at, const std::string& error);

 private:
  SQLite::Statement schedule_;
  SQLite::Statement cancel_;
  SQLite::Statement due_;
  SQLite::Statement next_;
  SQLite::Statement finish_;
  SQLite::Statement retry_;
};

}  // namespace outreach::storage
