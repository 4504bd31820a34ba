#pragma once
// App: the composition root. Builds every part from the Config in dependency order — content,
// database (migrated), read connection, turn pipeline, sender, scheduler, web chat, HTTP
// server — starts them, and stops them gracefully: stop accepting, finish the requests and
// turns in flight, let the sender deliver what is due, then stop the threads. The same App runs
// in production (`serve`), in the terminal (`chat`, without HTTP) and in the e2e tests.
// Thread-safety: construct, start() and wait()/shutdown() from one thread; request_stop() and
// reload_content() are safe from any thread (signals call them).

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bot/app/config.hpp"
#include "bot/channels/channel.hpp"
#include "bot/core/clock.hpp"
#include "bot/core/metrics.hpp"
#include "content/store.hpp"
#include "storage/db_executor.hpp"
#include "storage/inbox_writer.hpp"

namespace outreach::app {

// Start-up failed (bad content, database refused, port taken); the message says why.
class StartupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct AppOptions {
  const Clock* clock = nullptr;  // default: the system clock
  bool http = true;              // serve HTTP (false for `chat`)
  bool signals = true;           // SIGINT/SIGTERM stop, SIGHUP reloads content
};

class App {
 public:
  explicit App(Config config, AppOptions options = {});
  ~App();

  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Registers another channel's client (e.g. the terminal); before start().
  void add_client(channels::ChannelClient& client);

  // Starts everything; returns the HTTP port (0 without HTTP). Throws StartupError.
  std::uint16_t start();

  // Blocks until request_stop() (or a signal), then shuts down. Returns the exit code.
  int wait();

  void request_stop();

  // Graceful stop (idempotent); wait() calls it.
  void shutdown();

  // Re-reads content/ (off the io threads); keeps the old content if the new one has errors.
  content::LoadReport reload_content();

  // True once no accepted event waits for its turn and nothing due waits for the sender.
  bool idle();
  // Waits (polling) until idle() or the timeout; returns idle().
  bool wait_idle(std::chrono::milliseconds timeout);

  std::uint16_t port() const;
  Metrics& metrics();
  storage::DbExecutor& db();
  storage::InboxWriter& inbox();
  content::ContentStore& content();
  const Clock& clock() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Builds the content store for check-content and tests: loads once and reports.
content::LoadReport check_content_dir(const std::string& dir, const Clock& clock);

}  // namespace outreach::app
