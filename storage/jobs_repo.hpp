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
#include <nlohmann/json.hpp>

namespace outreach::storage {

// A job's payload as a type: a struct with `static constexpr std::string_view kKind` (the job
// kind) and nlohmann's to_json / from_json (NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT).
// JobsRepo::schedule writes it; sender::Scheduler::on<Payload> reads it back once.
template <class P>
concept JobPayload = requires(const P& p, nlohmann::json& j) {
  { P::kKind } -> std::convertible_to<std::string_view>;
  nlohmann::to_json(j, p);
};

enum class JobStatus { kDone, kFailed };

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

  template <JobPayload P>
  void schedule(const P& payload,
                std::int64_t run_at,
                const std::string& unique_key,
                std::int64_t now_ms) {
    schedule(std::string(P::kKind), run_at, nlohmann::json(payload).dump(), unique_key, now_ms);
  }

  void cancel(const std::string& unique_key);

  std::vector<Job> due(std::int64_t now_ms, int limit);
  std::optional<std::int64_t> next_run_at();
  void finish(std::int64_t id, JobStatus status, const std::string& error, std::int64_t now_ms);
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
