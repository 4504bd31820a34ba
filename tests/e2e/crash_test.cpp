// Crash safety with the real binary: SIGKILL while turns are in flight, restart, and every
// message that was accepted (HTTP 202) is answered exactly once. Also SIGTERM (graceful, exit 0)
// and SIGHUP (content reload that refuses a broken edit).
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/web_visitor.hpp"

namespace outreach {
namespace {
using namespace std::chrono_literals;
using testing::Process;
using testing::TempDir;
using testing::WebVisitor;

std::vector<std::string> serve_args(const TempDir& dir, const std::string& content) {
  // Short long-polls, so a test's last "nothing more?" poll returns quickly.
  std::ofstream(dir.file("bot.yaml")) << "webchat: { poll_timeout: 300ms }\nshutdown_grace: 5s\n";
  return {testing::bot_binary(),
          "--config",
          dir.file("bot.yaml"),
          "serve",
          "--port",
          "0",
          "--database",
          dir.file("bot.sqlite3"),
          "--content",
          content,
          "--log-level",
          "warn"};
}

std::string visitor(int i) {
  return "crash-visitor-" + std::to_string(100000 + i);
}

// Floods the bot with messages from many visitors and SIGKILLs it mid-stream. Returns how many
// accepted events were still unanswered (inbox pending or outbox open) at the moment of death.
int flood_and_kill(const TempDir& dir, int round, std::map<std::string, int>& accepted) {
  Process bot(serve_args(dir, testing::source_content_dir()), dir.path().string());
  const auto port = bot.wait_for_port();
  EXPECT_NE(port, 0) << bot.err();
  constexpr int kVisitors = 48;
  constexpr int kMessages = 8;  // within the per-visitor burst, so none is rate limited
  std::mutex mu;
  std::atomic<int> total{0};
  std::atomic<bool> go{true};
  std::vector<std::thread> senders;
  for (int i = 0; i < kVisitors; ++i) {
    senders.emplace_back([&, i] {
      WebVisitor v(port, visitor(round * 1000 + i));
      for (int k = 0; k < kMessages && go; ++k) {
        if (v.text("menu", "k" + std::to_string(k)).status == 202) {
          ++total;
          std::lock_guard lock(mu);
          ++accepted[v.id()];
        }
      }
    });
  }
  const int kill_at = kVisitors * kMessages / 2;
  for (int i = 0; i < 2000 && total < kill_at; ++i) std::this_thread::sleep_for(1ms);
  bot.signal(SIGKILL);
  EXPECT_EQ(bot.wait(), -SIGKILL);
  go = false;
  for (auto& t : senders) t.join();
  SQLite::Database db(dir.file("bot.sqlite3"), SQLite::OPEN_READONLY);
  return db
      .execAndGet(
          "SELECT (SELECT COUNT(*) FROM inbox WHERE status = 'pending') + "
          "(SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending'))")
      .getInt();
}

TEST(Crash, EveryAcceptedMessageIsAnsweredExactlyOnceAfterSigkill) {
  TempDir dir;
  std::map<std::string, int> accepted;  // visitor → messages answered 202
  int killed_in_flight = 0;
  for (int round = 0; round < 4 && killed_in_flight == 0; ++round) {
    const int unfinished = flood_and_kill(dir, round, accepted);
    RecordProperty("unfinished_at_kill_round_" + std::to_string(round), unfinished);
    killed_in_flight += unfinished > 0 ? 1 : 0;
  }
  EXPECT_GT(killed_in_flight, 0) << "the kill never caught a turn or a send in flight";
  int total_accepted = 0;
  for (const auto& [k, n] : accepted) total_accepted += n;
  ASSERT_GT(total_accepted, 0);
  {
    SQLite::Database db(dir.file("bot.sqlite3"), SQLite::OPEN_READONLY);
    EXPECT_GE(db.execAndGet("SELECT COUNT(*) FROM inbox").getInt(),
              total_accepted);  // 202 = durable
  }

  Process bot(serve_args(dir, testing::source_content_dir()), dir.path().string());
  const auto port = bot.wait_for_port();
  ASSERT_NE(port, 0) << bot.err();
  SQLite::Database db(dir.file("bot.sqlite3"), SQLite::OPEN_READONLY, 5000);
  for (int i = 0; i < 1000; ++i) {
    const int open = db.execAndGet(
                           "SELECT (SELECT COUNT(*) FROM inbox WHERE status = 'pending') + "
                           "(SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending'))")
                         .getInt();
    if (open == 0)
      break;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM inbox WHERE status != 'done'").getInt(), 0);
  // Exactly one reply per accepted message ("menu" is answered with one message).
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM inbox i WHERE (SELECT COUNT(*) FROM outbox o WHERE "
                          "o.inbox_id = i.id) != 1")
                .getInt(),
            0);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM outbox WHERE status != 'sent'").getInt(), 0);
  // And each visitor's page receives each reply once.
  for (const auto& [who, n] : accepted) {
    SQLite::Statement q(db, "SELECT COUNT(*) FROM inbox WHERE platform_user_id = ?");
    q.bind(1, who);
    q.executeStep();
    const int stored = q.getColumn(0).getInt();  // accepted, plus any stored as the process died
    EXPECT_GE(stored, n) << who;
    WebVisitor v(port, who);
    const auto got = v.receive(static_cast<std::size_t>(stored), 10s);
    std::set<std::int64_t> ids;
    for (const auto& m : got) ids.insert(m["id"].get<std::int64_t>());
    EXPECT_EQ(ids.size(), got.size()) << who;
    EXPECT_EQ(static_cast<int>(got.size()), stored) << who;
    EXPECT_TRUE(v.peek().empty()) << who;  // nothing more, nothing twice
  }
  bot.signal(SIGTERM);
  EXPECT_EQ(bot.wait(), 0) << bot.err();
}

TEST(Crash, SigtermStopsGracefullyWithExitZero) {
  TempDir dir;
  auto args = serve_args(dir, testing::source_content_dir());
  args.back() = "info";
  Process bot(args, dir.path().string());
  const auto port = bot.wait_for_port();
  ASSERT_NE(port, 0) << bot.err();
  WebVisitor v(port, visitor(900));
  ASSERT_EQ(v.text("menu").status, 202);
  bot.signal(SIGTERM);
  EXPECT_EQ(bot.wait(), 0);
  EXPECT_NE(bot.err().find("ev=stopped"), std::string::npos) << bot.err();
  SQLite::Database db(dir.file("bot.sqlite3"), SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM outbox WHERE status = 'sent'").getInt(), 1);
}

TEST(Crash, SighupReloadsContentAndKeepsTheOldOneWhenTheEditIsBroken) {
  TempDir dir;
  const std::string content = testing::copy_content(dir);
  Process bot(serve_args(dir, content), dir.path().string());
  const auto port = bot.wait_for_port();
  ASSERT_NE(port, 0) << bot.err();
  auto reloads = [&](const std::string& result) {
    const auto body = testing::http_request(port, "GET", "/metrics").body;
    const std::string key = "outreach_content_reloads_total{result=\"" + result + "\"} ";
    const auto at = body.find(key);
    return at == std::string::npos ? 0 : std::stoi(body.substr(at + key.size()));
  };
  { std::ofstream(content + "/menu.yaml", std::ios::app) << "  - { broken\n"; }
  bot.signal(SIGHUP);
  for (int i = 0; i < 500 && reloads("refused") == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(reloads("refused"), 1);
  WebVisitor v(port, visitor(901));
  v.text("menu");
  EXPECT_EQ(v.receive(1).size(), 1u);  // still serving the previous content
  // Fix the file and change a string: the next reload takes it.
  std::ifstream src(testing::source_content_dir() + "/menu.yaml");
  std::ofstream(content + "/menu.yaml", std::ios::trunc) << src.rdbuf();
  {
    std::ifstream in(content + "/ui/vi.yaml");
    std::string ui((std::istreambuf_iterator<char>(in)), {});
    const std::string from = "  prompt: Bạn cần gì?";
    ui.replace(ui.find(from), from.size(), "  prompt: Đã cập nhật. Bạn cần gì?");
    std::ofstream(content + "/ui/vi.yaml", std::ios::trunc) << ui;
  }
  bot.signal(SIGHUP);
  for (int i = 0; i < 500 && reloads("ok") == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(reloads("ok"), 1);
  v.text("menu");
  const auto m = v.receive(1);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(testing::text_of(m[0]).rfind("Đã cập nhật.", 0), 0u);
  bot.signal(SIGTERM);
  EXPECT_EQ(bot.wait(), 0);
}

// A broadcast killed with SIGKILL mid-fan-out: after a restart every subscriber has exactly one
// announcement (the fan-out queues each batch with its outbox rows in one transaction; the web
// chat has no platform call in flight that could repeat).
TEST(Crash, ABroadcastKilledMidFanOutReachesEveryoneExactlyOnceAfterRestart) {
  TempDir dir;
  constexpr int kSubscribers = 3000;
  std::ofstream(dir.file("bc.yaml"))
      << "webchat: { poll_timeout: 300ms }\nshutdown_grace: 5s\n"
         "broadcast: { quiet_hours: none, rate_per_minute: 30000, max_backlog: 1000 }\n";
  const std::vector<std::string> common = {"--config",   dir.file("bc.yaml"),
                                           "--database", dir.file("bot.sqlite3"),
                                           "--content",  testing::source_content_dir()};
  const auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), common.begin(), common.end());
    return testing::run_bot(args, dir.path().string());
  };
  std::vector<std::string> serve = {testing::bot_binary()};
  serve.insert(serve.end(), common.begin(), common.end());
  serve.insert(serve.end(), {"serve", "--port", "0", "--log-level", "warn"});
  ASSERT_EQ(cli({"migrate"}).code, 0);
  {
    SQLite::Database db(dir.file("bot.sqlite3"), SQLite::OPEN_READWRITE);
    db.exec("INSERT INTO consent_wordings VALUES ('vi-0', 'vi', 'consent', 0)");
    SQLite::Transaction tx(db);
    SQLite::Statement p(
        db,
        "INSERT INTO people (channel, account, platform_user_id, "
        "first_interaction_at, last_interaction_at) VALUES ('web', 'web', ?, 0, 0)");
    SQLite::Statement sub(db,
                          "INSERT INTO subscriptions (person_id, consent_at, consent_version, "
                          "source, updated_at) VALUES (?, 0, 'vi-0', 'form', 0)");
    for (int i = 0; i < kSubscribers; ++i) {
      p.bind(1, "bc-visitor-" + std::to_string(100000 + i));
      p.exec();
      p.reset();
      sub.bind(1, static_cast<int64_t>(db.getLastInsertRowid()));
      sub.exec();
      sub.reset();
    }
    tx.commit();
  }
  std::ofstream(dir.file("a.yaml")) << "title: Thử\ntext: Thông báo thử nghiệm.\n";
  ASSERT_EQ(cli({"broadcast", "create", dir.file("a.yaml")}).code, 0);
  const auto plan = cli({"broadcast", "plan", "1", "--json"});
  ASSERT_EQ(plan.code, 0) << plan.err;
  EXPECT_EQ(nlohmann::json::parse(plan.out)["paths"]["webchat_next_visit"], kSubscribers);
  ASSERT_EQ(cli({"broadcast", "send", "1"}).code, 0);

  const auto count = [&](const char* sql) {
    SQLite::Database db(dir.file("bot.sqlite3"), SQLite::OPEN_READONLY, 5000);
    return db.execAndGet(sql).getInt();
  };
  constexpr const char* kQueued =
      "SELECT COUNT(*) FROM broadcast_recipients WHERE status = 'queued'";
  constexpr const char* kRows = "SELECT COUNT(*) FROM outbox WHERE kind = 'broadcast'";
  int queued_at_kill = 0;
  {
    Process bot(serve, dir.path().string());
    ASSERT_NE(bot.wait_for_port(), 0) << bot.err();
    for (int i = 0; i < 3000 && count(kQueued) < kSubscribers / 4; ++i)
      std::this_thread::sleep_for(1ms);
    bot.signal(SIGKILL);
    EXPECT_EQ(bot.wait(), -SIGKILL);
    queued_at_kill = count(kQueued);
  }
  RecordProperty("queued_at_kill", queued_at_kill);
  EXPECT_GT(queued_at_kill, 0);
  EXPECT_LT(queued_at_kill, kSubscribers) << "the kill came after the fan-out had finished";
  // At the moment of death: every queued recipient has its one outbox row, and no more.
  EXPECT_EQ(count(kRows), queued_at_kill);

  Process bot(serve, dir.path().string());
  ASSERT_NE(bot.wait_for_port(), 0) << bot.err();
  for (int i = 0; i < 3000; ++i) {
    if (count("SELECT COUNT(*) FROM broadcasts WHERE status = 'done'") == 1 &&
        count("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')") == 0)
      break;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM broadcasts WHERE status = 'done'"), 1);
  EXPECT_EQ(count(kQueued), kSubscribers);
  EXPECT_EQ(count(kRows), kSubscribers);
  EXPECT_EQ(count("SELECT COUNT(*) FROM (SELECT person_id FROM outbox WHERE kind = 'broadcast' "
                  "GROUP BY person_id HAVING COUNT(*) != 1)"),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE kind = 'broadcast' AND status = 'sent'"),
            kSubscribers);
  bot.signal(SIGTERM);
  EXPECT_EQ(bot.wait(), 0) << bot.err();
}

}  // namespace
}  // namespace outreach
