#pragma once
// TestApp: the real App, in this process, on a free port, with a fresh SQLite file in a temp
// folder and the shipped content (or a copy to edit). The e2e tests talk to it over HTTP and
// read its database with their own connection.
// Thread-safety: drive from the test's main thread.

#include <functional>
#include <memory>
#include <string>

#include <SQLiteCpp/Database.h>

#include "bot/app/app.hpp"
#include "tests/support/temp_dir.hpp"

namespace outreach::testing {

class TestApp {
 public:
  // `tune` may change the config before the App is built.
  explicit TestApp(std::function<void(app::Config&)> tune = {}, const Clock* clock = nullptr);
  ~TestApp();

  std::uint16_t port() const { return port_; }

  app::App& app() { return *app_; }

  const app::Config& config() const { return config_; }

  TempDir& dir() { return dir_; }

  // A separate read-write connection for assertions (WAL lets it read while the App runs).
  SQLite::Database open_db();
  std::int64_t count(const std::string& sql);

  void stop();

 private:
  TempDir dir_;
  app::Config config_;
  std::unique_ptr<app::App> app_;
  std::uint16_t port_ = 0;
};

}  // namespace outreach::testing
