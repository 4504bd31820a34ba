#pragma once
// Scheduler: runs due rows of the jobs table (form expiry, forgetting a person, later reminders
// and broadcasts). Jobs are data, so they survive restarts. Each job runs on the DB thread in
// its own transaction together with its completion mark; a job that throws is retried with
// backoff up to kMaxAttempts, then marked failed with the reason.
// Thread-safety: on() before start(); kick() and stop() are safe from any thread.

#include <atomic>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "bot/core/clock.hpp"
#include "storage/db_executor.hpp"
#include "storage/jobs_repo.hpp"

namespace outreach::sender {

class Scheduler {
 public:
  static constexpr int kMaxAttempts = 5;

  // Runs inside the job's transaction on the DB thread. Returns true if it wrote to the outbox.
  using JobFn = std::function<bool(storage::Store&, const storage::Job&, std::int64_t now_ms)>;

  Scheduler(boost::asio::any_io_executor ex,
            storage::DbExecutor& db,
            const Clock& clock,
            std::function<void()> on_outbox);

  void on(std::string kind, JobFn fn);

  // Runs jobs of Payload::kKind with their payload read once into a Payload: fn(Store&, const
  // Payload&, now_ms) -> bool (wrote to the outbox). A payload that does not read as a Payload
  // fails the job at once, with the reason; it is not retried.
  template <storage::JobPayload Payload, class Fn>
  void on(Fn fn) {
    on(std::string(Payload::kKind),
       [fn = std::move(fn)](storage::Store& s, const storage::Job& job, std::int64_t now_ms) {
         return fn(s, read_payload<Payload>(job), now_ms);
       });
  }

  // Thrown by read_payload: the job's payload is not what its kind promises.
  struct MalformedPayload : std::runtime_error {
    using std::runtime_error::runtime_error;
  };

  template <class Payload>
  static Payload read_payload(const storage::Job& job) {
    const auto j = nlohmann::json::parse(job.payload, nullptr, false);
    if (j.is_discarded() || !j.is_object())
      throw MalformedPayload("the payload of a " + job.kind + " job is not a JSON object");
    try {
      return j.get<Payload>();
    } catch (const nlohmann::json::exception& e) {
      throw MalformedPayload("the payload of a " + job.kind + " job does not read: " + e.what());
    }
  }

  void start();
  void kick();
  void stop();

  // Runs every due job now, on the calling thread's behalf (tests, CLI). Returns how many ran.
  int run_due_sync();

 private:
  struct Pass {
    int ran = 0;
    bool wrote_outbox = false;
    std::optional<std::int64_t> next_run_at;
  };

  Pass run_due(storage::Store& store);
  boost::asio::awaitable<void> loop();

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  storage::DbExecutor& db_;
  const Clock& clock_;
  std::function<void()> on_outbox_;
  std::map<std::string, JobFn, std::less<>> jobs_;
  boost::asio::steady_timer wake_;
  bool kicked_ = false;  // strand only
  std::atomic<bool> stopping_{false};
};

}  // namespace outreach::sender
