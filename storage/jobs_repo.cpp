#include "storage/jobs_repo.hpp"

#include "storage/query.hpp"

namespace outreach::storage {

JobsRepo::JobsRepo(SQLite::Database& db)
    : schedule_(db, R"sql(
INSERT INTO jobs (kind, run_at, payload, unique_key, created_at)
VALUES (:kind, :run_at, :payload, :key, :now)
ON CONFLICT (unique_key) DO UPDATE SET
  kind = excluded.kind, run_at = excluded.run_at, payload = excluded.payload,
  status = 'pending', attempts = 0, last_error = NULL, done_at = NULL
)sql"),
      cancel_(
          db,
          "UPDATE jobs SET status = 'cancelled' WHERE unique_key = :key AND status = 'pending'"),
      due_(db,
           "SELECT id, kind, run_at, payload, attempts FROM jobs WHERE status = 'pending' AND "
           "run_at <= :now ORDER BY run_at, id LIMIT :limit"),
      next_(db, "SELECT MIN(run_at) FROM jobs WHERE status = 'pending'"),
      finish_(db,
              "UPDATE jobs SET status = :status, last_error = :error, done_at = :now, "
              "attempts = attempts + 1 WHERE id = :id"),
      retry_(db,
             "UPDATE jobs SET run_at = :run_at, last_error = :error, attempts = attempts + 1 "
             "WHERE id = :id") {}

void JobsRepo::schedule(const std::string& kind,
                        std::int64_t run_at,
                        const std::string& payload,
                        const std::string& unique_key,
                        std::int64_t now_ms) {
  Query q(schedule_);
  q.bind(":kind", kind)
      .bind(":run_at", run_at)
      .bind(":payload", payload)
      .bind_or_null(":key", unique_key)
      .bind(":now", now_ms);
  q.exec();
}

void JobsRepo::cancel(const std::string& unique_key) {
  Query(cancel_).bind(":key", unique_key).exec();
}

std::vector<Job> JobsRepo::due(std::int64_t now_ms, int limit) {
  std::vector<Job> out;
  Query q(due_);
  q.bind(":now", now_ms).bind(":limit", limit);
  while (q.step()) out.push_back({q.i64(0), q.text(1), q.i64(2), q.text(3), q.i32(4)});
  return out;
}

std::optional<std::int64_t> JobsRepo::next_run_at() {
  Query q(next_);
  if (!q.step() || q.is_null(0))
    return std::nullopt;
  return q.i64(0);
}

void JobsRepo::finish(std::int64_t id,
                      JobStatus status,
                      const std::string& error,
                      std::int64_t now_ms) {
  Query(finish_)
      .bind(":status", status == JobStatus::kDone ? "done" : "failed")
      .bind_or_null(":error", error)
      .bind(":now", now_ms)
      .bind(":id", id)
      .exec();
}

void JobsRepo::retry(std::int64_t id, std::int64_t run_at, const std::string& error) {
  Query(retry_).bind(":run_at", run_at).bind(":error", error).bind(":id", id).exec();
}

}  // namespace outreach::storage
