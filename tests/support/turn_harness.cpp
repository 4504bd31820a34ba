#include "tests/support/turn_harness.hpp"

#include <stdexcept>

#include "handlers/handlers.hpp"
#include "storage/database.hpp"
#include "tests/support/temp_dir.hpp"

namespace outreach::testing {

namespace {

void load(content::ContentStore& store) {
  const auto report = store.reload();
  if (!report.ok())
    throw std::runtime_error("test content has errors: " + report.problems.front().to_string());
}

}  // namespace

SharedContent::SharedContent(const std::string& content_dir)
    : store(content_dir.empty() ? source_content_dir() : content_dir, clock) {
  load(store);
}

TurnHarness::TurnHarness(const std::string& content_dir, handlers::TurnOptions options) {
  own_content_ = std::make_unique<content::ContentStore>(
      content_dir.empty() ? source_content_dir() : content_dir, clock_);
  load(*own_content_);
  content_ = own_content_.get();
  start(options);
}

TurnHarness::TurnHarness(SharedContent& shared, handlers::TurnOptions options)
    : content_(&shared.store), understanding_(&shared.understanding) {
  start(options);
}

void TurnHarness::start(handlers::TurnOptions options) {
  storage::DbOptions o;
  o.path = ":memory:";
  db_ = std::make_unique<SQLite::Database>(storage::open_database(o));
  storage::migrate(*db_, storage::embedded_migrations());
  store_ = std::make_unique<storage::Store>(*db_);
  dispatcher_ =
      std::make_unique<router::Dispatcher>(handlers::make_standard_handlers(flows_), flows_);
  router::RunnerOptions ro;
  ro.turn = options;
  runner_ = std::make_unique<router::TurnRunner>(*content_, *dispatcher_, *understanding_, clock_,
                                                 metrics_, ro);
}

std::vector<OutboundMessage> TurnHarness::run(InboundEvent e) {
  if (e.event_id.empty())
    e.event_id = "e" + std::to_string(++counter_);
  if (e.account.empty())
    e.account = "web";
  auto appended = store_->inbox.append(e, clock_.now_ms());
  last_inbox_ = appended.id;
  last_ = runner_->run(*store_, appended.id);
  std::vector<OutboundMessage> out;
  SQLite::Statement q(*db_, "SELECT body FROM outbox WHERE inbox_id = :id ORDER BY seq");
  q.bind(":id", static_cast<int64_t>(appended.id));
  while (q.executeStep()) out.push_back(*outbound_from_json(q.getColumn(0).getString()));
  return out;
}

std::vector<OutboundMessage> TurnHarness::say(const std::string& text, const std::string& user) {
  InboundEvent e;
  e.kind = EventKind::kMessage;
  e.user_id = user;
  e.text = text;
  return run(e);
}

std::vector<OutboundMessage> TurnHarness::press(const std::string& payload,
                                                const std::string& user) {
  InboundEvent e;
  e.kind = EventKind::kPostback;
  e.user_id = user;
  e.payload = payload;
  return run(e);
}

std::vector<OutboundMessage> TurnHarness::follow(const std::string& user) {
  InboundEvent e;
  e.kind = EventKind::kFollow;
  e.user_id = user;
  return run(e);
}

storage::Person TurnHarness::person(const std::string& user) {
  auto p = store_->people.find("web", "web", user);
  if (!p)
    throw std::runtime_error("no such person: " + user);
  return *p;
}

const std::string& TurnHarness::ui(const std::string& key, const std::string& lang) {
  return content_->snapshot()->ui(lang, key);
}

}  // namespace outreach::testing
