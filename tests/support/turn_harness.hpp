#pragma once
// TurnHarness: the real turn pipeline without threads or sockets — an in-memory SQLite
// database with the real migrations, the shipped content, the standard handlers, and the
// TurnRunner. say()/press() store an event in the inbox, run its turn, and return the replies
// the turn wrote to the outbox. Time is a FakeClock the test moves.
// Thread-safety: single-threaded by design.

#include <memory>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "bot/core/clock.hpp"
#include "bot/core/metrics.hpp"
#include "bot/router/dispatcher.hpp"
#include "bot/router/turn_runner.hpp"
#include "content/store.hpp"
#include "handlers/flow.hpp"
#include "storage/store.hpp"

namespace outreach::testing {

// 2026-11-28 09:00 Asia/Ho_Chi_Minh
inline constexpr std::int64_t kTestNow = 1'795'831'200'000;

// Content loaded once, with its understanding index, for harnesses that only read it: replaying
// hundreds of conversation scripts then costs one load, not one per script. Its clock stays at
// kTestNow, the time every harness loads its own content at.
struct SharedContent {
  explicit SharedContent(const std::string& content_dir);
  FakeClock clock{kTestNow};
  content::ContentStore store;
  router::UnderstandingCache understanding;
};

class TurnHarness {
 public:
  explicit TurnHarness(const std::string& content_dir = {}, handlers::TurnOptions options = {});
  // Reads `shared` (which must outlive the harness) instead of loading content of its own.
  explicit TurnHarness(SharedContent& shared, handlers::TurnOptions options = {});

  std::vector<OutboundMessage> say(const std::string& text, const std::string& user = "u1");
  std::vector<OutboundMessage> press(const std::string& payload, const std::string& user = "u1");
  std::vector<OutboundMessage> follow(const std::string& user = "u1");
  std::vector<OutboundMessage> run(InboundEvent e);

  storage::Store& store() { return *store_; }

  SQLite::Database& db() { return *db_; }

  FakeClock& clock() { return clock_; }

  content::ContentStore& content() { return *content_; }

  router::TurnRunner& runner() { return *runner_; }

  router::TurnResult last() const { return last_; }

  std::int64_t last_inbox_id() const { return last_inbox_; }

  storage::Person person(const std::string& user = "u1");

  const std::string& ui(const std::string& key, const std::string& lang = "vi");

 private:
  FakeClock clock_{kTestNow};
  Metrics metrics_;
  void start(handlers::TurnOptions options);

  std::unique_ptr<content::ContentStore> own_content_;  // unless the content is shared
  router::UnderstandingCache own_understanding_;
  content::ContentStore* content_ = nullptr;
  router::UnderstandingCache* understanding_ = &own_understanding_;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<storage::Store> store_;
  handlers::FlowEngine flows_;
  std::unique_ptr<router::Dispatcher> dispatcher_;
  std::unique_ptr<router::TurnRunner> runner_;
  router::TurnResult last_;
  std::int64_t last_inbox_ = 0;
  int counter_ = 0;
};

}  // namespace outreach::testing
