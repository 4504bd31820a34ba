#pragma once
// DbExecutor: a thread that owns one SQLite connection and its Store; every use of that
// connection runs there, FIFO. Coroutines hop over and back with one call:
//
//   Result<TurnOutput> out = co_await db.run([&](Store& s) { return runner.run(event, s); });
//
// The writer (one per process) applies migrations when it starts; readers open read-only.
// Nothing on this thread may wait on the network.
// Thread-safety: run(), run_sync() and post() are safe from any thread (run_sync and waiting
// forms must not be called from this executor's own thread: that would deadlock).
// Lifetime: the execution context a coroutine awaits run() from must outlive this executor's
// thread (stop() it first): after posting the result back, the DB thread still releases its copy
// of that context's executor — the awaiting side may have finished by then. The app stops the DB
// threads before its io_context goes; tests declare their thread_pool before the DbExecutor.

#include <exception>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <variant>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "bot/core/log.hpp"
#include "storage/async.hpp"
#include "storage/database.hpp"
#include "storage/store.hpp"

namespace outreach::storage {

class DbExecutor {
 public:
  // Opens the database on the new thread (and migrates it when `apply_migrations`).
  // Throws what opening or migrating throws, after joining the thread.
  DbExecutor(DbOptions options, bool apply_migrations, std::string name = "db");
  ~DbExecutor();

  DbExecutor(const DbExecutor&) = delete;
  DbExecutor& operator=(const DbExecutor&) = delete;

  // Runs `f(Store&)` on the DB thread; the awaiting coroutine resumes on its own executor with
  // the result, or with the exception f threw. Pass lambdas that capture by reference only:
  // GCC 12 can destroy a coroutine's by-value parameter twice when it owns memory (a lambda
  // with a std::string capture crashed here; GCC bug 99576).
  template <class F>
  auto run(F f) -> boost::asio::awaitable<std::invoke_result_t<F&, Store&>> {
    using R = std::invoke_result_t<F&, Store&>;
    using Value = std::conditional_t<std::is_void_v<R>, std::monostate, R>;
    using Box = std::pair<std::optional<Wrapped<Value>>, std::exception_ptr>;
    Box box = co_await async_completion<Box>([this, &f](std::function<void(Box)> complete) {
      boost::asio::post(ctx_, [this, &f, complete = std::move(complete)] {
        Box b;
        try {
          if constexpr (std::is_void_v<R>) {
            f(*store_);
            b.first.emplace();
          } else {
            b.first.emplace(Wrapped<R>{f(*store_)});
          }
        } catch (...) {
          b.second = std::current_exception();
        }
        complete(std::move(b));
      });
    });
    if (box.second)
      std::rethrow_exception(box.second);
    if constexpr (!std::is_void_v<R>)
      co_return std::move(box.first->value);
  }

  // Blocks the calling thread until `f(Store&)` has run on the DB thread.
  template <class F>
  auto run_sync(F f) -> std::invoke_result_t<F&, Store&> {
    using R = std::invoke_result_t<F&, Store&>;
    std::packaged_task<R()> task([this, &f] { return f(*store_); });
    auto fut = task.get_future();
    boost::asio::post(ctx_, [&task] { task(); });
    return fut.get();
  }

  // Queues `f(Store&)`; exceptions are logged, never lost silently.
  template <class F>
  void post(F f) {
    boost::asio::post(ctx_, [this, f = std::move(f)]() mutable {
      try {
        f(*store_);
      } catch (const std::exception& e) {
        log::error(name_, "task_failed", {{"what", std::string_view(e.what())}});
      }
    });
  }

  bool on_this_thread() const { return std::this_thread::get_id() == thread_id_; }

  // Finishes the queued tasks, then stops the thread. Idempotent.
  void stop();

  const MigrateReport& migrate_report() const { return migrate_report_; }

 private:
  template <class T>
  struct Wrapped {
    T value;
  };

  void thread_main(std::promise<void>& ready, const DbOptions& options, bool apply_migrations);

  std::string name_;
  boost::asio::io_context ctx_{1};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<Store> store_;
  MigrateReport migrate_report_;
  std::thread thread_;
  std::thread::id thread_id_;
};

}  // namespace outreach::storage
