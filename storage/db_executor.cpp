#include "storage/db_executor.hpp"

#include <pthread.h>

namespace outreach::storage {

DbExecutor::DbExecutor(DbOptions options, bool apply_migrations, std::string name)
    : name_(std::move(name)) {
  work_.emplace(ctx_.get_executor());
  std::promise<void> ready;
  auto started = ready.get_future();
  thread_ = std::thread([this, &ready, &options, apply_migrations] {
    thread_main(ready, options, apply_migrations);
  });
  try {
    started.get();
  } catch (...) {
    stop();
    throw;
  }
}

DbExecutor::~DbExecutor() {
  stop();
}

void DbExecutor::thread_main(std::promise<void>& ready,
                             const DbOptions& options,
                             bool apply_migrations) {
  thread_id_ = std::this_thread::get_id();
  pthread_setname_np(pthread_self(), name_.substr(0, 15).c_str());  // shown by top -H and perf
  try {
    db_ = std::make_unique<SQLite::Database>(open_database(options));
    if (apply_migrations)
      migrate_report_ = migrate(*db_, embedded_migrations());
    store_ = std::make_unique<Store>(*db_);
    ready.set_value();
  } catch (...) {
    store_.reset();
    db_.reset();
    ready.set_exception(std::current_exception());
    return;
  }
  for (;;) {
    try {
      ctx_.run();
      break;
    } catch (const std::exception& e) {
      log::error(name_, "handler_threw", {{"what", std::string_view(e.what())}});
    }
  }
  store_.reset();  // statements before their connection
  db_.reset();
}

void DbExecutor::stop() {
  if (work_)
    work_.reset();
  if (thread_.joinable())
    thread_.join();
}

}  // namespace outreach::storage
