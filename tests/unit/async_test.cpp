// DbExecutor, InboxWriter (group commit), Sender and Scheduler on a real io_context and SQLite.
#include <future>
#include <thread>

#include <SQLiteCpp/Transaction.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "bot/app/token_store.hpp"
#include "bot/channels/rate_limiter.hpp"
#include "bot/router/router.hpp"
#include "bot/sender/scheduler.hpp"
#include "bot/sender/sender.hpp"
#include "storage/inbox_writer.hpp"
#include "tests/support/file_probe.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/turn_harness.hpp"

namespace outreach {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;

storage::DbOptions temp_db(const testing::TempDir& dir) {
  storage::DbOptions o;
  o.path = dir.file("t.sqlite3");
  return o;
}

template <class T>
T run_on(asio::thread_pool& pool, asio::awaitable<T> aw) {
  return asio::co_spawn(pool, std::move(aw), asio::use_future).get();
}

InboundEvent web_event(const std::string& id, const std::string& user) {
  InboundEvent e;
  e.account = "web";
  e.user_id = user;
  e.event_id = id;
  e.text = "hi";
  return e;
}

bool eventually(const std::function<bool()>& cond, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!cond()) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

// A broadcast never takes the limiter's reserve: with the bucket down to it, a live call goes at
// once while the next broadcast call waits for the bucket to refill (10 a second: 100 ms a token).
TEST(RateLimiter, BroadcastsLeaveAReserveThatLiveCallsUseAtOnce) {
  asio::thread_pool pool(1);
  channels::RateLimiter limiter(10, 1000ms);  // burst 10, reserve 1
  const auto acquire = [&](bool bulk) {
    return asio::co_spawn(pool, limiter.acquire(bulk), asio::use_future);
  };
  for (int i = 0; i < 9; ++i) acquire(true).get();  // the burst, down to the reserve
  auto bulk = acquire(true);
  const auto t0 = std::chrono::steady_clock::now();
  acquire(false).get();  // the reserve: no wait
  EXPECT_EQ(bulk.wait_for(0ms), std::future_status::timeout) << "the broadcast waits its turn";
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 90ms);
  EXPECT_EQ(bulk.wait_for(2s), std::future_status::ready);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 100ms);
}

TEST(DbExecutor, RunsOnItsOwnThreadAndReturnsResultsAndExceptions) {
  testing::TempDir dir;
  asio::thread_pool pool(2);  // outlives the DB thread (see DbExecutor's header)
  storage::DbExecutor db(temp_db(dir), true);
  const auto caller = std::this_thread::get_id();
  auto value = run_on(pool, [&]() -> asio::awaitable<int> {
    co_return co_await db.run([&](storage::Store& s) {
      EXPECT_TRUE(db.on_this_thread());
      EXPECT_NE(std::this_thread::get_id(), caller);
      return static_cast<int>(s.people.count()) + 7;
    });
  }());
  EXPECT_EQ(value, 7);
  EXPECT_THROW(run_on(pool,
                      [&]() -> asio::awaitable<int> {
                        co_return co_await db.run(
                            [](storage::Store&) -> int { throw std::runtime_error("boom"); });
                      }()),
               std::runtime_error);
  run_on(pool, [&]() -> asio::awaitable<bool> {
    co_await db.run([](storage::Store& s) { s.db.exec("CREATE TABLE t (x)"); });
    co_return true;
  }());
  EXPECT_TRUE(db.run_sync([](storage::Store& s) { return s.db.tableExists("t"); }));
}

TEST(DbExecutor, OpeningANewerDatabaseFailsAtConstruction) {
  testing::TempDir dir;
  {
    auto db = storage::open_database(temp_db(dir));
    db.exec("PRAGMA user_version = 42");
  }
  EXPECT_THROW(storage::DbExecutor(temp_db(dir), true), storage::SchemaTooNew);
}

TEST(InboxWriter, ManyConcurrentAppendsShareFewCommits) {
  testing::TempDir dir;
  asio::thread_pool pool(4);  // outlives the DB thread (see DbExecutor's header)
  storage::DbExecutor db(temp_db(dir), true);
  SystemClock clock;
  std::atomic<int> committed{0};
  storage::InboxWriter inbox(db, clock, [&](storage::Store&, const std::vector<std::int64_t>& ids) {
    committed += static_cast<int>(ids.size());
  });
  // Hold the DB thread so the appends pile up, as they do under load.
  std::promise<void> release;
  db.post([f = release.get_future().share()](storage::Store&) { f.wait(); });
  std::vector<std::future<Result<std::vector<storage::AppendOutcome>>>> results;
  for (int i = 0; i < 200; ++i) {
    results.push_back(asio::co_spawn(
        pool, inbox.append({web_event("e" + std::to_string(i % 150), "u" + std::to_string(i % 7))}),
        asio::use_future));
  }
  ASSERT_TRUE(eventually([&] { return inbox.waiting() == 200; }));
  release.set_value();
  int duplicates = 0;
  for (auto& f : results) {
    auto r = f.get();
    ASSERT_TRUE(r);
    duplicates += r->front().duplicate ? 1 : 0;
  }
  EXPECT_EQ(duplicates, 50);
  // The commit hook runs on the DB thread after the appenders are released.
  EXPECT_TRUE(eventually([&] { return committed.load() == 150; })) << committed.load();
  EXPECT_LE(inbox.flushes(), 2u) << "appends were not grouped";
  EXPECT_EQ(db.run_sync([](storage::Store& s) { return s.inbox.count_pending(); }), 150);
}

// What a 200 to the platform promises: the event is on disk. The durable writer's commit syncs
// the write-ahead log before its callers resume; the commits of turns in between stay NORMAL
// (not synced each), and a writer that is not durable never syncs.
TEST(InboxWriter, ADurableGroupIsSyncedToDiskBeforeItsCallersResume) {
  testing::FileProbe probe;  // before the database is opened, gone after it is closed
  testing::TempDir dir;
  storage::DbExecutor db(temp_db(dir), true);
  SystemClock clock;
  storage::InboxWriter durable(db, clock, nullptr, true);
  storage::InboxWriter plain(db, clock, nullptr, false);
  using testing::FileKind;
  const int at_start = probe.syncs(FileKind::kWal);
  ASSERT_TRUE(durable.append_sync({web_event("e1", "u1")}));
  const int after_durable = probe.syncs(FileKind::kWal);
  EXPECT_EQ(after_durable, at_start + 1);
  db.run_sync([](storage::Store& s) {  // as a turn commits
    SQLite::Transaction tx(s.db);
    s.inbox.finish(1, "done", 5, {}, false);
    tx.commit();
  });
  ASSERT_TRUE(plain.append_sync({web_event("e2", "u1")}));
  EXPECT_EQ(probe.syncs(FileKind::kWal), after_durable);
  ASSERT_TRUE(durable.append_sync({web_event("e3", "u1")}));
  EXPECT_EQ(probe.syncs(FileKind::kWal), after_durable + 1);
  EXPECT_EQ(db.run_sync([](storage::Store& s) { return s.inbox.count_pending(); }), 2);
}

// A disk that cannot sync must not be told "stored": the group fails (the webhook answers 503 and
// the platform sends again), and the resend, once the disk works, finds the row and succeeds.
TEST(InboxWriter, AGroupWhoseSyncFailsIsNotAcknowledged) {
  testing::FileProbe probe;
  testing::TempDir dir;
  storage::DbExecutor db(temp_db(dir), true);
  SystemClock clock;
  storage::InboxWriter inbox(db, clock, nullptr, true);
  probe.fail_syncs(testing::FileKind::kWal, true);
  auto failed = inbox.append_sync({web_event("e1", "u1")});
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error(), make_error_code(Errc::kStorageFailed));
  probe.fail_syncs(testing::FileKind::kWal, false);
  auto again = inbox.append_sync({web_event("e1", "u1")});
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->front().duplicate);  // stored the first time, synced now
  EXPECT_EQ(db.run_sync([](storage::Store& s) { return s.inbox.count_pending(); }), 1);
}

// A Zalo refresh token is single-use: the new pair must be on disk before the bot uses it, or a
// power cut could leave only the spent one. Each step of a rotation is synced.
TEST(DbTokenStore, EachStepOfARotationIsSyncedToDiskBeforeItReturns) {
  testing::FileProbe probe;
  testing::TempDir dir;
  asio::thread_pool pool(1);  // outlives the DB thread (see DbExecutor's header)
  storage::DbExecutor db(temp_db(dir), true);
  SystemClock clock;
  ASSERT_TRUE(db.run_sync([&](storage::Store& s) {
    return s.tokens.seed("oa", "refresh-1", "access-1", clock.now_ms() + 60'000, clock.now_ms(),
                         false);
  }));
  app::DbTokenStore tokens(db, clock);
  using testing::FileKind;
  const int at_start = probe.syncs(FileKind::kWal);
  run_on(pool, [&]() -> asio::awaitable<bool> {
    co_await tokens.begin_refresh("oa");
    co_return true;
  }());
  EXPECT_EQ(probe.syncs(FileKind::kWal), at_start + 1);
  channels::StoredTokens next;
  next.access_token = "access-2";
  next.refresh_token = "refresh-2";
  next.access_expires_at = clock.now_ms() + 90'000'000;
  run_on(pool, [&]() -> asio::awaitable<bool> {
    co_await tokens.commit("oa", next);
    co_return true;
  }());
  EXPECT_EQ(probe.syncs(FileKind::kWal), at_start + 2);
  const auto stored = run_on(pool, tokens.load("oa"));
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->refresh_token, "refresh-2");
}

// Webhooks that never stop waiting for their commit (a flood without gaps) must not starve the
// turns: the router still runs a couple of them every 50 ms.
TEST(Router, TurnsStillRunWhileWebhooksKeepWaiting) {
  testing::TempDir dir;
  storage::DbExecutor db(temp_db(dir), true);
  testing::TurnHarness h;  // its content, dispatcher and runner; the rows live in `db`
  Metrics metrics;
  std::atomic<int> replies{0};
  router::Router router(
      db, h.runner(), metrics, [&] { ++replies; }, [] { return true; });
  router.kick();                       // the start-up pump: nothing left from a crash
  db.run_sync([](storage::Store& s) {  // then the flood, queued behind it
    for (int i = 0; i < 5; ++i) s.inbox.append(web_event("flood-" + std::to_string(i), "u1"), 1);
  });
  const auto start = std::chrono::steady_clock::now();
  router.kick();
  auto done = [&] {
    return db.run_sync([](storage::Store& s) { return s.inbox.count_pending(); }) == 0;
  };
  ASSERT_TRUE(eventually(done)) << router.turns_run() << " turns ran";
  // Two now, two after 50 ms, the last after 100 ms: starving would fail above, rushing here.
  EXPECT_GE(std::chrono::steady_clock::now() - start, 90ms);
  EXPECT_EQ(router.turns_run(), 5u);
  EXPECT_GE(replies.load(), 1);
  router.pause();
  db.run_sync([](storage::Store&) {});  // a pump still queued sees the pause before we go
}

// A ChannelClient that records what it is asked to send and fails on demand.
class CollectingClient final : public channels::ChannelClient {
 public:
  ChannelKind channel() const override { return ChannelKind::kWeb; }

  asio::awaitable<channels::SendResult> send(const channels::Delivery& d) override {
    std::function<void()> first;
    {
      std::lock_guard lock(mu_);
      if (sent_.empty())
        first = on_first_send;
    }
    if (first)
      first();
    std::lock_guard lock(mu_);
    sent_.push_back(d);
    if (fail_next_ > 0) {
      --fail_next_;
      co_return result_;
    }
    co_return channels::SendResult::sent();
  }

  void fail(int times, channels::SendResult r) {
    std::lock_guard lock(mu_);
    fail_next_ = times;
    result_ = std::move(r);
  }

  std::vector<channels::Delivery> sent() const {
    std::lock_guard lock(mu_);
    return sent_;
  }

  std::function<void()> on_first_send;  // set before the sender starts

 private:
  mutable std::mutex mu_;
  std::vector<channels::Delivery> sent_;
  int fail_next_ = 0;
  channels::SendResult result_;
};

class SenderTest : public ::testing::Test {
 protected:
  SenderTest() : db_(temp_db(dir_), true) {}

  void start(sender::SenderOptions o = {}) {
    o.backoff_base = 5ms;
    o.backoff_max = 20ms;
    sender_ = std::make_unique<sender::Sender>(ioc_.get_executor(), db_, clock_, metrics_, o);
    sender_->add_client(client_);
    sender_->start();
    thread_ = std::thread([this] { ioc_.run(); });
  }

  ~SenderTest() override {
    if (sender_)
      sender_->stop();
    work_.reset();
    ioc_.stop();
    if (thread_.joinable())
      thread_.join();
  }

  std::int64_t enqueue(const std::string& user, const std::string& text) {
    return db_.run_sync([&](storage::Store& s) {
      const auto p = s.people.touch("web", "web", user, "", "vi", clock_.now_ms());
      OutboundMessage m;
      m.text = text;
      return s.outbox.enqueue(p.id, std::nullopt, 0, MessageKind::kReply, nlohmann::json(m).dump(),
                              clock_.now_ms());
    });
  }

  std::string status(std::int64_t id) {
    return db_.run_sync([id](storage::Store& s) {
      SQLite::Statement q(
          s.db, "SELECT status || ':' || COALESCE(last_error, '') FROM outbox WHERE id = ?");
      q.bind(1, static_cast<int64_t>(id));
      q.executeStep();
      return q.getColumn(0).getString();
    });
  }

  testing::TempDir dir_;
  SystemClock clock_;
  Metrics metrics_;
  asio::io_context ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{ioc_.get_executor()};
  // After the io_context: destroyed (its thread joined) first, so a database call still in
  // flight at the end of a test completes into a live io_context.
  storage::DbExecutor db_;
  std::thread thread_;
  CollectingClient client_;
  std::unique_ptr<sender::Sender> sender_;
};

TEST_F(SenderTest, DeliversEachPersonsMessagesInOrder) {
  for (int i = 0; i < 5; ++i) {
    enqueue("a", "a" + std::to_string(i));
    enqueue("b", "b" + std::to_string(i));
  }
  start();
  ASSERT_TRUE(eventually([&] { return client_.sent().size() == 10; }));
  std::vector<std::string> a, b;
  for (const auto& d : client_.sent()) (d.user_id == "a" ? a : b).push_back(d.message.text);
  EXPECT_EQ(a, (std::vector<std::string>{"a0", "a1", "a2", "a3", "a4"}));
  EXPECT_EQ(b, (std::vector<std::string>{"b0", "b1", "b2", "b3", "b4"}));
  // Counted once the row is recorded as sent, a moment after the client saw the message.
  EXPECT_TRUE(eventually([&] {
    return metrics_.value("outreach_send_total", {{"channel", "web"}, {"outcome", "sent"}}) == 10;
  }));
}

// Outcomes that finish while the DB thread is busy are recorded together: one task, one
// transaction, every row marked.
TEST_F(SenderTest, OutcomesThatFinishTogetherAreRecordedInOneGroup) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(enqueue("p" + std::to_string(i), "hello"));
  std::promise<void> release;
  auto held = release.get_future().share();
  client_.on_first_send = [&] {  // hold the DB thread while the sends finish
    db_.post([held](storage::Store&) { held.wait(); });
  };
  start();
  ASSERT_TRUE(eventually([&] { return client_.sent().size() == 20; }));
  EXPECT_EQ(sender_->record_groups(), 0u);
  release.set_value();
  ASSERT_TRUE(eventually([&] {
    return std::all_of(ids.begin(), ids.end(),
                       [&](std::int64_t id) { return status(id).starts_with("sent"); });
  }));
  EXPECT_EQ(sender_->record_groups(), 1u);
}

// When the outcome cannot be committed, the row stays 'sending' and the sender goes on; the
// next start puts it back in the queue and it is sent again (at least once, never lost).
TEST_F(SenderTest, AnOutcomeThatCannotBeRecordedIsSentAgainAfterARestart) {
  const auto id = enqueue("a", "hello");
  db_.run_sync([](storage::Store& s) {
    s.db.exec(
        "CREATE TRIGGER refuse_sent BEFORE UPDATE ON outbox WHEN NEW.status = 'sent' "
        "BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
  });
  start();
  ASSERT_TRUE(eventually([&] { return client_.sent().size() == 1 && sender_->in_flight() == 0; }));
  EXPECT_EQ(status(id), "sending:");
  EXPECT_EQ(sender_->record_groups(), 1u);
  sender_->stop();
  ASSERT_TRUE(eventually([&] { return !sender_->running(); }));
  db_.run_sync([](storage::Store& s) { s.db.exec("DROP TRIGGER refuse_sent"); });
  sender_ = std::make_unique<sender::Sender>(ioc_.get_executor(), db_, clock_, metrics_,
                                             sender::SenderOptions{});
  sender_->add_client(client_);
  sender_->start();
  ASSERT_TRUE(eventually([&] { return status(id) == "sent:"; })) << status(id);
  EXPECT_EQ(client_.sent().size(), 2u);
}

TEST_F(SenderTest, RetriesAfterATemporaryFailureAndKeepsTheOrder) {
  client_.fail(2, channels::SendResult::retry("HTTP 503"));
  const auto first = enqueue("a", "first");
  const auto second = enqueue("a", "second");
  start();
  ASSERT_TRUE(eventually([&] { return status(second).starts_with("sent"); }));
  EXPECT_EQ(status(first), "sent:");
  const auto sent = client_.sent();
  ASSERT_EQ(sent.size(), 4u);  // first ×3 (two failures), then second
  EXPECT_EQ(sent[2].message.text, "first");
  EXPECT_EQ(sent[2].attempt, 3);
  EXPECT_EQ(sent[3].message.text, "second");
}

TEST_F(SenderTest, GivesUpAfterMaxAttemptsWithTheReason) {
  client_.fail(100, channels::SendResult::retry("HTTP 500"));
  const auto id = enqueue("a", "x");
  sender::SenderOptions o;
  o.max_attempts = 3;
  start(o);
  ASSERT_TRUE(eventually([&] { return status(id).starts_with("dead"); }));
  EXPECT_EQ(status(id), "dead:gave up after 3 attempts: HTTP 500");
  EXPECT_EQ(client_.sent().size(), 3u);
  const auto dead = db_.run_sync([](storage::Store& s) { return s.outbox.dead_letters(10); });
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].attempts, 3);
}

TEST_F(SenderTest, RecordsSkippedAndRefusedMessages) {
  client_.fail(1, channels::SendResult::skip("outside the 7-day window"));
  const auto skipped = enqueue("a", "x");
  start();
  ASSERT_TRUE(eventually([&] {
    return !status(skipped).starts_with("pending") && !status(skipped).starts_with("sending");
  }));
  EXPECT_EQ(status(skipped), "skipped:outside the 7-day window");
  client_.fail(1, channels::SendResult::give_up("user blocked the OA"));
  const auto refused = enqueue("b", "y");
  sender_->kick();
  ASSERT_TRUE(eventually([&] { return status(refused).starts_with("dead"); }));
  EXPECT_EQ(status(refused), "dead:user blocked the OA");
}

TEST_F(SenderTest, BackoffGrowsAndIsCapped) {
  start();
  sender::SenderOptions o;
  sender::Sender s(ioc_.get_executor(), db_, clock_, metrics_, o);
  for (int attempt = 1; attempt <= 12; ++attempt) {
    const auto d = s.backoff(attempt);
    const auto full =
        std::min<std::int64_t>(o.backoff_max.count(), o.backoff_base.count() << (attempt - 1));
    EXPECT_GE(d.count(), full / 2) << attempt;
    EXPECT_LE(d.count(), full) << attempt;
  }
}

TEST(Scheduler, RunsDueJobsAndRetriesFailingOnes) {
  testing::TempDir dir;
  storage::DbExecutor db(temp_db(dir), true);
  FakeClock clock(1'000'000);
  int ran = 0;
  int failures = 0;
  asio::io_context ioc;
  sender::Scheduler sched(ioc.get_executor(), db, clock, [] {});
  sched.on("ok", [&](storage::Store&, const storage::Job&, std::int64_t) {
    ++ran;
    return false;
  });
  sched.on("bad", [&](storage::Store&, const storage::Job&, std::int64_t) -> bool {
    ++failures;
    throw std::runtime_error("nope");
  });
  db.run_sync([](storage::Store& s) {
    s.jobs.schedule("ok", 1'000'000, "{}", "", 1);
    s.jobs.schedule("ok", 2'000'000, "{}", "", 1);  // not due yet
    s.jobs.schedule("bad", 1'000'000, "{}", "", 1);
    s.jobs.schedule("unknown", 1'000'000, "{}", "", 1);
  });
  EXPECT_EQ(sched.run_due_sync(), 3);
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(failures, 1);
  for (int i = 0; i < 10; ++i) {
    clock.advance(std::chrono::hours(1));
    sched.run_due_sync();
  }
  EXPECT_EQ(ran, 2);
  EXPECT_EQ(failures, sender::Scheduler::kMaxAttempts);
  const auto statuses = db.run_sync([](storage::Store& s) {
    std::map<std::string, std::string> out;
    SQLite::Statement q(s.db, "SELECT kind, status FROM jobs");
    while (q.executeStep()) out[q.getColumn(0).getString()] = q.getColumn(1).getString();
    return out;
  });
  EXPECT_EQ(statuses.at("bad"), "failed");
  EXPECT_EQ(statuses.at("unknown"), "failed");
}

struct ReminderForTest {
  static constexpr std::string_view kKind = "test.remind";
  std::int64_t booking_id = 0;
  int minutes = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ReminderForTest, booking_id, minutes)

// A typed job is written and read back as its struct; a payload that does not read as the
// struct fails the job at once with the reason (no retries: it would never read).
TEST(Scheduler, TypedJobsReadTheirPayloadOnceAndRefuseMalformedOnes) {
  testing::TempDir dir;
  storage::DbExecutor db(temp_db(dir), true);
  FakeClock clock(1'000'000);
  asio::io_context ioc;
  sender::Scheduler sched(ioc.get_executor(), db, clock, [] {});
  std::vector<std::pair<std::int64_t, int>> seen;
  sched.on<ReminderForTest>([&](storage::Store&, const ReminderForTest& r, std::int64_t now) {
    EXPECT_EQ(now, 1'000'000);
    seen.emplace_back(r.booking_id, r.minutes);
    return false;
  });
  db.run_sync([](storage::Store& s) {
    s.jobs.schedule(ReminderForTest{42, 120}, 1'000'000, "remind:42", 1);
    s.jobs.schedule("test.remind", 1'000'000, R"({"booking_id":"forty-two"})", "", 1);
    s.jobs.schedule("test.remind", 1'000'000, "not json", "", 1);
  });
  EXPECT_EQ(sched.run_due_sync(), 3);
  EXPECT_EQ(seen, (std::vector<std::pair<std::int64_t, int>>{{42, 120}}));
  const auto rows = db.run_sync([](storage::Store& s) {
    std::vector<std::tuple<std::string, int, std::string>> out;
    SQLite::Statement q(s.db,
                        "SELECT status, attempts, COALESCE(last_error, '') FROM jobs ORDER BY id");
    while (q.executeStep())
      out.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getInt(),
                       q.getColumn(2).getString());
    return out;
  });
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(std::get<0>(rows[0]), "done");
  for (int i : {1, 2}) {
    EXPECT_EQ(std::get<0>(rows[i]), "failed") << i;
    EXPECT_EQ(std::get<1>(rows[i]), 1) << i;  // failed on its first run
    EXPECT_NE(std::get<2>(rows[i]).find("test.remind"), std::string::npos) << std::get<2>(rows[i]);
  }
}

}  // namespace
}  // namespace outreach
