#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>

#include "storage/database.hpp"
#include "storage/retention.hpp"
#include "storage/store.hpp"
#include "tests/support/file_probe.hpp"
#include "tests/support/temp_dir.hpp"

namespace outreach::storage {
namespace {

class StorageTest : public ::testing::Test {
 protected:
  StorageTest() : db_(open_database(DbOptions{":memory:", false, 1000, false})) {
    migrate(db_, embedded_migrations());
    store_ = std::make_unique<Store>(db_);
  }

  InboundEvent event(const std::string& id, const std::string& user = "u1") {
    InboundEvent e;
    e.account = "web";
    e.user_id = user;
    e.event_id = id;
    e.text = "xin chào";
    return e;
  }

  SQLite::Database db_;
  std::unique_ptr<Store> store_;
};

// A turn writes inside a savepoint. What SQLite keeps to undo it (and a statement's own journal)
// must stay in memory: spilled to a temporary file it cost a create, writes and an unlink about
// 30 times a second under load, and put people's messages into /var/tmp.
TEST(Database, TemporaryJournalsNeverBecomeFiles) {
  testing::FileProbe probe;
  testing::TempDir dir;
  {
    auto db = open_database(DbOptions{dir.file("t.sqlite3")});
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    SQLite::Transaction tx(db);
    SQLite::Statement insert(db, "INSERT INTO t (v) VALUES (printf('%.*c', 600, 'a'))");
    for (int i = 0; i < 400; ++i) {  // about 60 pages, all written again below
      insert.exec();
      insert.reset();
    }
    db.exec("SAVEPOINT turn");
    db.exec("UPDATE t SET v = upper(v)");
    db.exec("RELEASE turn");
    tx.commit();
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM t WHERE v GLOB 'A*'").getInt(), 400);
  }
  EXPECT_EQ(probe.opens(testing::FileKind::kTemp), 0);
  EXPECT_EQ(probe.opens(testing::FileKind::kMainDb), 1);  // the probe saw the files opened
}

TEST(Migrations, FreshDatabaseReachesTheNewestVersionOnce) {
  auto db = open_database(DbOptions{":memory:", false, 1000, false});
  const auto all = embedded_migrations();
  ASSERT_FALSE(all.empty());
  const auto first = migrate(db, all);
  EXPECT_EQ(first.from, 0);
  EXPECT_EQ(first.to, all.back().version);
  EXPECT_EQ(first.applied.size(), all.size());
  const auto again = migrate(db, all);
  EXPECT_TRUE(again.applied.empty());
  EXPECT_EQ(schema_version(db), all.back().version);
}

TEST(Migrations, RefusesADatabaseNewerThanTheBinary) {
  auto db = open_database(DbOptions{":memory:", false, 1000, false});
  db.exec("PRAGMA user_version = 999");
  EXPECT_THROW(migrate(db, embedded_migrations()), SchemaTooNew);
}

TEST(Migrations, AFailingMigrationLeavesNothingBehind) {
  auto db = open_database(DbOptions{":memory:", false, 1000, false});
  const EmbeddedFile files[] = {{"0001_ok.sql", "CREATE TABLE a (x INTEGER);"},
                                {"0002_bad.sql", "CREATE TABLE b (y INTEGER); NOT SQL;"}};
  EXPECT_THROW(migrate(db, migrations_from(files)), SQLite::Exception);
  EXPECT_EQ(schema_version(db), 0);
  EXPECT_FALSE(db.tableExists("a"));
}

TEST(Migrations, AMigrationThatBreaksAReferenceIsRefusedAndKeysStayOn) {
  auto db = open_database(DbOptions{":memory:", false, 1000, false});
  const EmbeddedFile files[] = {
      {"0001_ok.sql",
       "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
       "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));"
       "INSERT INTO parent VALUES (1); INSERT INTO child VALUES (1, 1);"},
      {"0002_orphan.sql", "DELETE FROM parent;"}};
  try {
    migrate(db, migrations_from(files));
    ADD_FAILURE() << "the orphaned child was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("from table 'child' to 'parent'"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(schema_version(db), 0);
  EXPECT_FALSE(db.tableExists("parent"));
  EXPECT_EQ(db.execAndGet("PRAGMA foreign_keys").getInt(), 1);
}

TEST(Migrations, RebuildingTheInboxAndOutboxKeepsRowsIdsReferencesAndRules) {
  auto db = open_database(DbOptions{":memory:", false, 1000, false});
  auto all = embedded_migrations();
  ASSERT_GE(all.size(), 6u);
  ASSERT_EQ(all[5].name, "0006_checks_without_lists");
  const std::vector<Migration> before(all.begin(), all.begin() + 5);
  migrate(db, before);
  db.exec(
      "INSERT INTO people (id, channel, account, platform_user_id, first_interaction_at, "
      "last_interaction_at) "
      "VALUES (7, 'zalo', 'oa', 'u7', 1, 1);"
      "INSERT INTO inbox (id, channel, account, platform_user_id, platform_event_id, kind, "
      "payload, received_at, status) VALUES (41, 'zalo', 'oa', 'u7', 'e41', 'message', NULL, 1, "
      "'done'), (42, 'zalo', 'oa', 'u7', 'e42', 'message', '{}', 2, 'pending');"
      "INSERT INTO interactions (inbox_id, person_id, at, handler, outcome, latency_us) "
      "VALUES (41, 7, 1, 'menu', 'ok', 5);"
      "INSERT INTO outbox (id, person_id, inbox_id, seq, kind, body, status, next_attempt_at, "
      "created_at, head) VALUES (9, 7, 41, 0, 'reply', '{}', 'sending', 1, 1, 1);");
  const std::vector<Migration> through_0006(all.begin(), all.begin() + 6);
  const auto report = migrate(db, through_0006);
  EXPECT_EQ(report.to, 6);
  EXPECT_EQ(db.execAndGet("SELECT group_concat(id || status) FROM inbox ORDER BY id").getString(),
            "41done,42pending");
  EXPECT_EQ(db.execAndGet("SELECT inbox_id FROM interactions").getInt(), 41);
  EXPECT_EQ(db.execAndGet("SELECT inbox_id || status || head FROM outbox WHERE id = 9").getString(),
            "41sending1");
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM pragma_index_list('outbox')").getInt(), 6);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM pragma_index_list('inbox')").getInt(), 2);
  // The same rules as before, and references still enforced.
  EXPECT_THROW(db.exec("UPDATE inbox SET status = 'lost' WHERE id = 42"), SQLite::Exception);
  EXPECT_THROW(db.exec("UPDATE outbox SET kind = 'spam' WHERE id = 9"), SQLite::Exception);
  EXPECT_THROW(db.exec("UPDATE outbox SET status = 'gone' WHERE id = 9"), SQLite::Exception);
  EXPECT_THROW(db.exec("UPDATE outbox SET person_id = 8 WHERE id = 9"), SQLite::Exception);
  db.exec("UPDATE outbox SET status = 'sent' WHERE id = 9");
  db.exec("DELETE FROM inbox WHERE id = 41");
  EXPECT_TRUE(db.execAndGet("SELECT inbox_id IS NULL FROM outbox WHERE id = 9").getInt());
}

namespace {

InboundEvent platform_event(ChannelKind channel, const std::string& id, std::int64_t at) {
  InboundEvent e;
  e.channel = channel;
  e.account = "oa";
  e.user_id = "u7";
  e.event_id = id;
  e.timestamp_ms = at;
  return e;
}

}  // namespace

TEST(Migrations, RebuildingTheInboxForTimeOrderedDedupeKeepsReferencesAndRules) {
  auto db = open_database(DbOptions{":memory:", false, 1000, false});
  auto all = embedded_migrations();
  ASSERT_GE(all.size(), 7u);
  migrate(db, std::vector<Migration>(all.begin(), all.begin() + 6));
  db.exec(
      "INSERT INTO people (id, channel, account, platform_user_id, first_interaction_at, "
      "last_interaction_at) VALUES (7, 'zalo', 'oa', 'u7', 1, 1);"
      "INSERT INTO inbox (id, channel, account, platform_user_id, platform_event_id, kind, "
      "payload, received_at, status) VALUES (41, 'zalo', 'oa', 'u7', 'e41', 'message', NULL, 5, "
      "'done'), (43, 'zalo', 'oa', 'u7', 'e43', 'message', NULL, 9, 'done');"
      "INSERT INTO interactions (inbox_id, person_id, at, handler, outcome, latency_us) "
      "VALUES (41, 7, 1, 'menu', 'ok', 5);"
      "INSERT INTO outbox (id, person_id, inbox_id, seq, kind, body, status, next_attempt_at, "
      "created_at, head) VALUES (9, 7, 41, 0, 'reply', '{}', 'sent', 1, 1, 0);");
  migrate(db, all);
  EXPECT_EQ(db.execAndGet("SELECT inbox_id FROM interactions").getInt(), 41);
  EXPECT_EQ(db.execAndGet("SELECT inbox_id FROM outbox WHERE id = 9").getInt(), 41);
  // The unique key, the pending rows and the rows stored before: three indexes.
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM pragma_index_list('inbox')").getInt(), 3);
  EXPECT_EQ(db.execAndGet("SELECT received_at FROM inbox_before_0007_newest").getInt(), 9);
  EXPECT_THROW(db.exec("UPDATE inbox SET status = 'lost' WHERE id = 41"), SQLite::Exception);
  db.exec("DELETE FROM inbox WHERE id = 41");
  EXPECT_TRUE(db.execAndGet("SELECT inbox_id IS NULL FROM outbox WHERE id = 9").getInt());

  // A database made at this version has no old rows to remember.
  auto fresh = open_database(DbOptions{":memory:", false, 1000, false});
  migrate(fresh, all);
  EXPECT_EQ(fresh.execAndGet("SELECT COUNT(*) FROM inbox_before_0007_newest").getInt(), 0);
}

TEST(Migrations, EventsStoredBeforeTimeOrderedDedupeAreStillFoundWhenRedelivered) {
  auto db = open_database(DbOptions{":memory:", false, 1000, false});
  auto all = embedded_migrations();
  ASSERT_GE(all.size(), 7u);
  ASSERT_EQ(all[6].name, "0007_inbox_dedupe_in_time_order");
  migrate(db, std::vector<Migration>(all.begin(), all.begin() + 6));
  const std::int64_t hour = 3600 * 1000;
  db.exec(
      "INSERT INTO inbox (id, channel, account, platform_user_id, platform_event_id, kind, "
      "payload, received_at, status) VALUES (41, 'zalo', 'oa', 'u7', 'e41', 'message', NULL, " +
      std::to_string(10 * hour) + ", 'done'), (42, 'zalo', 'oa', 'u7', 'e42', 'message', '{}', " +
      std::to_string(11 * hour) + ", 'pending');");
  migrate(db, all);
  EXPECT_EQ(db.execAndGet("SELECT group_concat(id || ':' || event_at) FROM inbox ORDER BY id")
                .getString(),
            "41:-1,42:-1");
  {
    Store store(db);
    // A redelivery an hour later: its time is now part of the key, and the old row is found.
    const auto again = store.inbox.append(platform_event(ChannelKind::kZalo, "e42", 5), 12 * hour);
    EXPECT_TRUE(again.duplicate);
    EXPECT_EQ(again.id, 42);
    const auto fresh = store.inbox.append(platform_event(ChannelKind::kZalo, "e43", 5), 12 * hour);
    EXPECT_FALSE(fresh.duplicate);
  }
  {
    // Past the redelivery horizon (72 h after the newest old row) the old ids are no longer asked.
    Store store(db);
    const auto late = store.inbox.append(platform_event(ChannelKind::kZalo, "e41", 6), 84 * hour);
    EXPECT_FALSE(late.duplicate);
  }
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM inbox").getInt(), 4);
}

TEST(Migrations, NumbersMustHaveNoGaps) {
  const EmbeddedFile files[] = {{"0001_a.sql", ""}, {"0003_c.sql", ""}};
  EXPECT_THROW(migrations_from(files), std::logic_error);
}

TEST(Database, FileDatabaseUsesWalAndForeignKeys) {
  testing::TempDir dir;
  auto db = open_database(DbOptions{dir.file("sub/x.sqlite3"), false, 1000, false});
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(db.execAndGet("PRAGMA foreign_keys").getInt(), 1);
}

TEST_F(StorageTest, InboxDeduplicatesByPlatformEventId) {
  const auto a = store_->inbox.append(event("e1"), 1);
  const auto b = store_->inbox.append(event("e1"), 2);
  const auto c = store_->inbox.append(event("e2"), 3);
  EXPECT_FALSE(a.duplicate);
  EXPECT_TRUE(b.duplicate);
  EXPECT_EQ(a.id, b.id);
  EXPECT_NE(c.id, a.id);
  EXPECT_EQ(store_->inbox.pending_ids(10), (std::vector<std::int64_t>{a.id, c.id}));
}

TEST_F(StorageTest, PlatformEventsAreKeyedByTheirOwnTimeAndWebEventsByIdAlone) {
  // Zalo and Messenger repeat an event's time when they redeliver it.
  const auto a = store_->inbox.append(platform_event(ChannelKind::kMessenger, "m1", 1000), 1);
  const auto b = store_->inbox.append(platform_event(ChannelKind::kMessenger, "m1", 1000), 2);
  EXPECT_FALSE(a.duplicate);
  EXPECT_TRUE(b.duplicate);
  EXPECT_EQ(a.id, b.id);
  const auto z = store_->inbox.append(platform_event(ChannelKind::kZalo, "m1", 1000), 3);
  EXPECT_FALSE(z.duplicate);  // another channel
  // A web chat message's time is ours (the moment it arrived): a browser's retry is the same.
  auto w1 = event("w1");
  w1.timestamp_ms = 1000;
  auto w2 = event("w1");
  w2.timestamp_ms = 2500;
  const auto c = store_->inbox.append(w1, 4);
  const auto d = store_->inbox.append(w2, 5);
  EXPECT_TRUE(d.duplicate);
  EXPECT_EQ(c.id, d.id);
  // A platform time that is missing or below zero keys as 0.
  EXPECT_EQ(dedupe_time(platform_event(ChannelKind::kZalo, "x", -7)), 0);
  EXPECT_EQ(dedupe_time(platform_event(ChannelKind::kMessenger, "x", 1234)), 1234);
  EXPECT_EQ(dedupe_time(w2), 0);
}

TEST(InboxCost, AGroupOfRandomEventIdsWritesFewPagesToTheLog) {
  // What makes a webhook's fsync cheap: the pages one group commit appends to the WAL. Event
  // ids are random strings; keyed by them alone, each new event dirtied its own index leaf.
  testing::TempDir dir;
  auto db = open_database(DbOptions{dir.file("inbox.sqlite3"), false, 1000, false});
  migrate(db, embedded_migrations());
  db.exec("PRAGMA wal_autocheckpoint=0");
  Store store(db);
  std::uint64_t seed = 42;
  auto random_id = [&] {
    std::string id = "m_";
    for (int i = 0; i < 80; ++i) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      id += static_cast<char>('a' + (seed >> 59) % 26);
    }
    return id;
  };
  const std::string text(300, 'x');
  std::int64_t at = 1'700'000'000'000;
  auto group = [&] {
    SQLite::Transaction tx(db);
    for (int i = 0; i < 26; ++i) {
      auto e = platform_event(ChannelKind::kMessenger, random_id(), at += 3);
      e.text = text;
      store.inbox.append(e, at);
    }
    tx.commit();
  };
  for (int g = 0; g < 600; ++g) group();  // 15,600 rows: an index of a few hundred pages
  auto wal_frames = [&] {
    SQLite::Statement q(db, "PRAGMA wal_checkpoint(PASSIVE)");
    q.executeStep();
    return q.getColumn(1).getInt();  // frames in the log (all checkpointed, none reset)
  };
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  const int before = wal_frames();
  for (int g = 0; g < 10; ++g) group();
  const double per_commit = (wal_frames() - before) / 10.0;
  EXPECT_LT(per_commit, 20.0);  // about 14 now; 50 when keyed by the id alone
  RecordProperty("wal_frames_per_commit", std::to_string(per_commit));
}

TEST_F(StorageTest, FinishingClearsTheStoredText) {
  const auto a = store_->inbox.append(event("e1"), 1);
  store_->inbox.finish(a.id, "done", 5, {}, false);
  EXPECT_FALSE(store_->inbox.get_pending(a.id));
  EXPECT_TRUE(db_.execAndGet("SELECT payload IS NULL FROM inbox").getInt());
  EXPECT_EQ(store_->inbox.count_pending(), 0);
}

TEST_F(StorageTest, PeopleTouchCreatesOnceAndTracksLastInteraction) {
  const Person p1 = store_->people.touch("web", "web", "u1", "", "vi", 100);
  const Person p2 = store_->people.touch("web", "web", "u1", "An", "en", 200);
  EXPECT_EQ(p1.id, p2.id);
  EXPECT_EQ(p2.first_interaction_at, 100);
  EXPECT_EQ(p2.last_interaction_at, 200);
  EXPECT_EQ(p2.language, "vi");  // the language is chosen once, then by the person
  EXPECT_EQ(p2.display_name, "An");
  const Person late = store_->people.touch("web", "web", "u1", "", "vi", 150);  // out of order
  EXPECT_EQ(late.last_interaction_at, 200);
}

TEST_F(StorageTest, OutboxClaimsOnlyTheOldestOpenRowOfEachPerson) {
  const auto a = store_->people.touch("web", "web", "a", "", "vi", 1).id;
  const auto b = store_->people.touch("web", "web", "b", "", "vi", 1).id;
  const auto a1 = store_->outbox.enqueue(a, std::nullopt, 0, MessageKind::kReply, "{}", 10);
  const auto a2 = store_->outbox.enqueue(a, std::nullopt, 1, MessageKind::kReply, "{}", 10);
  const auto b1 = store_->outbox.enqueue(b, std::nullopt, 0, MessageKind::kReply, "{}", 10);
  auto first = store_->outbox.claim_due(10, 10);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].id, a1);
  EXPECT_EQ(first[1].id, b1);
  EXPECT_EQ(first[0].attempts, 1);
  EXPECT_EQ(first[0].channel, "web");
  EXPECT_TRUE(store_->outbox.claim_due(10, 10).empty());  // a2 waits behind a1
  store_->outbox.mark_sent(a1, 11);
  auto second = store_->outbox.claim_due(11, 10);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].id, a2);
}

TEST_F(StorageTest, LiveMessagesAreClaimedBeforeBroadcastsAndBroadcastsWithinTheirRoom) {
  std::vector<std::int64_t> broadcasts;
  for (int i = 0; i < 5; ++i) {
    const auto p = store_->people.touch("web", "web", "b" + std::to_string(i), "", "vi", 1).id;
    broadcasts.push_back(
        store_->outbox.enqueue(p, std::nullopt, 0, MessageKind::kBroadcast, "{}", 10 + i));
  }
  const auto live = store_->people.touch("web", "web", "live", "", "vi", 1).id;
  const auto reply = store_->outbox.enqueue(live, std::nullopt, 0, MessageKind::kReply, "{}", 30);
  // Queued last, claimed first; then at most two broadcasts, oldest first.
  auto first = store_->outbox.claim_due(30, 4, 2);
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].id, reply);
  EXPECT_EQ(first[1].id, broadcasts[0]);
  EXPECT_EQ(first[2].id, broadcasts[1]);
  EXPECT_TRUE(store_->outbox.claim_due(30, 4, 0).empty());  // no room for broadcasts
  EXPECT_EQ(store_->outbox.claim_due(30, 10).size(), 3u);   // the rest
}

TEST_F(StorageTest, ADeadLetterPassesTheTurnAndARequeuedOneGoesFirstAgain) {
  const auto a = store_->people.touch("web", "web", "a", "", "vi", 1).id;
  const auto a1 = store_->outbox.enqueue(a, std::nullopt, 0, MessageKind::kReply, "{}", 10);
  const auto a2 = store_->outbox.enqueue(a, std::nullopt, 1, MessageKind::kReply, "{}", 10);
  ASSERT_EQ(store_->outbox.claim_due(10, 10).size(), 1u);
  store_->outbox.mark_final(a1, SendOutcome::kDead, "refused");
  auto next = store_->outbox.claim_due(10, 10);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].id, a2);
  store_->outbox.mark_retry(a2, 10, "HTTP 503");
  EXPECT_EQ(store_->outbox.requeue_dead(0, 20), 1);
  auto first = store_->outbox.claim_due(20, 10);  // the older one again, alone
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].id, a1);
  EXPECT_EQ(store_->outbox.count_dead(), 0);
}

TEST_F(StorageTest, OutboxRetryWaitsUntilItsTime) {
  const auto p = store_->people.touch("web", "web", "a", "", "vi", 1).id;
  const auto id = store_->outbox.enqueue(p, std::nullopt, 0, MessageKind::kReply, "{}", 10);
  ASSERT_EQ(store_->outbox.claim_due(10, 5).size(), 1u);
  store_->outbox.mark_retry(id, 500, "HTTP 503");
  EXPECT_TRUE(store_->outbox.claim_due(499, 5).empty());
  EXPECT_EQ(store_->outbox.next_due_at(), 500);
  const auto again = store_->outbox.claim_due(500, 5);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 2);
}

TEST_F(StorageTest, RowsLeftSendingByACrashGoBackToPending) {
  const auto p = store_->people.touch("web", "web", "a", "", "vi", 1).id;
  store_->outbox.enqueue(p, std::nullopt, 0, MessageKind::kReply, "{}", 10);
  ASSERT_EQ(store_->outbox.claim_due(10, 5).size(), 1u);
  EXPECT_EQ(store_->outbox.reset_sending(), 1);
  EXPECT_EQ(store_->outbox.claim_due(10, 5).size(), 1u);
}

TEST_F(StorageTest, OneReplySequencePerInboxRow) {
  const auto p = store_->people.touch("web", "web", "a", "", "vi", 1).id;
  const auto in = store_->inbox.append(event("e1", "a"), 1).id;
  store_->outbox.enqueue(p, in, 0, MessageKind::kReply, "{}", 1);
  EXPECT_THROW(store_->outbox.enqueue(p, in, 0, MessageKind::kReply, "{}", 1), SQLite::Exception);
}

TEST_F(StorageTest, SchemaRefusesUnknownStatuses) {
  EXPECT_THROW(
      db_.exec("INSERT INTO people (channel, account, platform_user_id, first_interaction_at, "
               "last_interaction_at) VALUES ('fax', 'x', 'y', 1, 1)"),
      SQLite::Exception);
  EXPECT_THROW(db_.exec("INSERT INTO feedback (rating, created_at) VALUES (9, 1)"),
               SQLite::Exception);
}

TEST_F(StorageTest, ConversationStateRoundTrips) {
  const auto p = store_->people.touch("web", "web", "a", "", "vi", 1).id;
  EXPECT_FALSE(store_->conversations.load(p).in_flow());
  ConversationState s;
  s.flow = "feedback";
  s.step = "comment";
  s.data = {{"rating", "5"}};
  s.choices = {"flow:skip", "flow:cancel"};
  s.expires_at = 99;
  store_->conversations.save(p, s, 1);
  const auto back = store_->conversations.load(p);
  EXPECT_EQ(back.flow, "feedback");
  EXPECT_EQ(back.step, "comment");
  EXPECT_EQ(back.data["rating"], "5");
  EXPECT_EQ(back.choices, s.choices);
  EXPECT_EQ(back.expires_at, 99);
}

TEST_F(StorageTest, JobsWithAKeyAreRescheduledNotDuplicated) {
  store_->jobs.schedule("flow.expire", 100, "{}", "flow:1", 1);
  store_->jobs.schedule("flow.expire", 200, "{}", "flow:1", 2);
  EXPECT_EQ(db_.execAndGet("SELECT COUNT(*) FROM jobs").getInt(), 1);
  EXPECT_TRUE(store_->jobs.due(150, 10).empty());
  ASSERT_EQ(store_->jobs.due(200, 10).size(), 1u);
  store_->jobs.cancel("flow:1");
  EXPECT_TRUE(store_->jobs.due(500, 10).empty());
  EXPECT_FALSE(store_->jobs.next_run_at());
}

TEST_F(StorageTest, ForgettingKeepsOnlyWhatIsNeededToSayGoodbye) {
  const Person p = store_->people.touch("web", "web", "a", "An", "vi", 1);
  const auto in = store_->inbox.append(event("e1", "a"), 1).id;
  store_->inbox.finish(in, "done", 2, {}, true);
  store_->records.record_interaction({in, p.id, 2, "menu", "ok", 10, std::string("xin chào")});
  store_->records.add_feedback(p.id, 5, "tốt", 3);
  const auto sent = store_->outbox.enqueue(p.id, in, 0, MessageKind::kReply, "{}", 2);
  store_->outbox.mark_sent(sent, 3);
  store_->people.forget(p);
  EXPECT_EQ(db_.execAndGet("SELECT COUNT(*) FROM interactions").getInt(), 0);
  EXPECT_EQ(db_.execAndGet("SELECT COUNT(*) FROM outbox").getInt(), 0);
  EXPECT_EQ(db_.execAndGet("SELECT COUNT(*) FROM feedback WHERE person_id IS NULL").getInt(), 1);
  EXPECT_EQ(
      db_.execAndGet("SELECT platform_user_id || COALESCE(payload, '') FROM inbox").getString(),
      "");
  EXPECT_EQ(store_->people.get(p.id)->display_name, "");
  // Step 2 deletes the row, unless the person wrote again in between.
  store_->people.touch("web", "web", "a", "", "vi", 50);
  EXPECT_FALSE(store_->people.erase_if_quiet(p.id, 10));
  EXPECT_TRUE(store_->people.erase_if_quiet(p.id, 50));
  EXPECT_EQ(store_->people.count(), 0);
}

}  // namespace
}  // namespace outreach::storage

namespace outreach::storage {
namespace {

TEST(Retention, PastSessionsLoseWhoItWasAndKeepWhatTheStatisticsCount) {
  auto db = open_database(DbOptions{":memory:", false, 1000, false});
  migrate(db, embedded_migrations());
  Store s(db);
  const std::int64_t day = 86'400'000;
  const Person p = s.people.touch("zalo", "oa", "u1", "", "vi", 35 * day);  // still in touch
  const std::string id = std::to_string(p.id);
  auto booking = [&](const char* ref, std::int64_t starts, const char* status) {
    db.exec(
        "INSERT INTO bookings (ref, ics_key, person_id, topic, advisor, starts_at, ends_at, seat, "
        "status, name, phone, company, stage, description, cancel_reason, created_at, "
        "updated_at) VALUES ('" +
        std::string(ref) + "', 'k', " + id + ", 'ip', 'adv1', " + std::to_string(starts) + ", " +
        std::to_string(starts + 3'600'000) + ", 1, '" + status +
        "', 'Nguyễn Văn A', '+84901234567', 'Công ty A', 'idea', 'mô tả', " +
        (std::string(status) == "cancelled" ? "'ốm'" : "NULL") + ", 1, 1)");
  };
  booking("TV-OLD1", 10 * day, "attended");
  booking("TV-OLD2", 11 * day, "cancelled");
  booking("TV-NEW1", 40 * day, "booked");
  db.exec(
      "INSERT INTO waitlist (person_id, topic, day, details, status, created_at, updated_at) "
      "VALUES (" +
      id + ", 'ip', 12, '{\"phone\":\"+84901234567\"}', 'passed', 1, 1), (" + id +
      ", 'ip', 41, '{\"phone\":\"+84901234567\"}', 'waiting', 1, 1)");

  const PurgeReport r = purge_older_than(s, 30 * day);
  EXPECT_EQ(r.bookings, 2);
  EXPECT_EQ(r.waitlist, 1);
  EXPECT_EQ(db.execAndGet("SELECT group_concat(ref || ':' || status || ':' || topic || ':' || "
                          "advisor || ':' || stage || ':' || name || phone || company || "
                          "description || COALESCE(cancel_reason, '-'), ' ') FROM bookings "
                          "ORDER BY id")
                .getString(),
            "TV-OLD1:attended:ip:adv1:idea:- TV-OLD2:cancelled:ip:adv1:idea:- "
            "TV-NEW1:booked:ip:adv1:idea:Nguyễn Văn A+84901234567Công ty Amô tả-");
  EXPECT_EQ(db.execAndGet("SELECT group_concat(day) FROM waitlist").getString(), "41");
  // A second run finds nothing more to clear.
  const PurgeReport again = purge_older_than(s, 30 * day);
  EXPECT_EQ(again.bookings, 0);
  EXPECT_EQ(again.waitlist, 0);
}

TEST(Retention, DeletesOnlyWhatIsOlderThanTheCutoff) {
  auto db = open_database(DbOptions{":memory:", false, 1000, false});
  migrate(db, embedded_migrations());
  Store s(db);
  const Person old_person = s.people.touch("web", "web", "old", "", "vi", 100);
  const Person active = s.people.touch("web", "web", "new", "", "vi", 100);
  s.people.touch("web", "web", "new", "", "vi", 5000);  // wrote again recently
  s.records.record_interaction({std::nullopt, active.id, 100, "menu", "ok", 1, std::nullopt});
  s.records.record_interaction({std::nullopt, active.id, 5000, "menu", "ok", 1, std::nullopt});
  s.records.add_feedback(old_person.id, 4, "", 100);
  const auto sent = s.outbox.enqueue(active.id, std::nullopt, 0, MessageKind::kReply, "{}", 100);
  s.outbox.mark_sent(sent, 101);
  s.outbox.enqueue(active.id, std::nullopt, 1, MessageKind::kReply, "{}",
                   100);  // still pending: kept
  const PurgeReport r = purge_older_than(s, 1000);
  EXPECT_EQ(r.interactions, 1);
  EXPECT_EQ(r.messages, 1);
  EXPECT_EQ(r.people, 1);
  EXPECT_FALSE(s.people.get(old_person.id));
  EXPECT_TRUE(s.people.get(active.id));
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM feedback WHERE person_id IS NULL").getInt(), 1);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM outbox").getInt(), 1);
}

}  // namespace
}  // namespace outreach::storage
