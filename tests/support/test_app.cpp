#include "tests/support/test_app.hpp"

namespace outreach::testing {

TestApp::TestApp(std::function<void(app::Config&)> tune, const Clock* clock) {
  config_.listen.address = "127.0.0.1";
  config_.listen.port = 0;
  config_.io_threads = 2;
  config_.database.path = dir_.file("bot.sqlite3");
  config_.content_dir = source_content_dir();
  config_.log.level = "warn";
  config_.shutdown_grace = std::chrono::seconds(5);
  config_.webchat.poll_timeout = std::chrono::seconds(2);
  config_.sender.backoff_base = std::chrono::milliseconds(20);
  config_.sender.backoff_max = std::chrono::milliseconds(200);
  if (tune)
    tune(config_);
  app::AppOptions opts;
  opts.signals = false;
  opts.clock = clock;
  app_ = std::make_unique<app::App>(config_, opts);
  port_ = app_->start();
}

TestApp::~TestApp() {
  stop();
}

void TestApp::stop() {
  if (app_)
    app_->shutdown();
}

SQLite::Database TestApp::open_db() {
  SQLite::Database db(config_.database.path, SQLite::OPEN_READWRITE, 5000);
  return db;
}

std::int64_t TestApp::count(const std::string& sql) {
  auto db = open_db();
  return db.execAndGet(sql).getInt64();
}

}  // namespace outreach::testing
