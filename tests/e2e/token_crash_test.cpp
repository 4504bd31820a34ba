// Zalo token rotation against crashes, with the real binary (SIGKILL) and the mock platform:
// a refresh token works once, so the bot must never end up without a working one by its own
// doing. The steps a crash can hit:
//   1. after the row is marked 'refreshing', before the platform processes the call
//      → the stored refresh token is still valid: the restart refreshes with it;
//   2. after the new pair is committed, before it is used → the restart uses the new pair;
//   3. after the platform rotated, before its answer arrived — a window no client can close
//      (the new pair exists only in the lost answer) → the restart sees the refusal, marks the
//      tokens lost, raises an alert and keeps every message queued; `zalo-tokens` with a new
//      token (an OA admin authorises again) sends them.
// Plus the CLI's dead-letters and messenger-setup against the same mock.
#include <fstream>
#include <thread>

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include "bot/core/clock.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/mock_platform/mock_platform.hpp"
#include "tools/mock_platform/webhooks.hpp"

namespace outreach {
namespace {
using namespace std::chrono_literals;
using testing::Process;
using testing::TempDir;

constexpr const char* kOa = "4444444444444444441";
constexpr const char* kApp = "5555555555555555551";
constexpr const char* kPage = "666666666666661";
constexpr const char* kUser = "7777777777777777771";

std::int64_t now_ms() {
  return SystemClock().now_ms();
}

template <class F>
bool eventually(F cond, std::chrono::milliseconds timeout = 20s) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (cond())
      return true;
    std::this_thread::sleep_for(20ms);
  }
  return cond();
}

class TokenCrash : public ::testing::Test {
 protected:
  TokenCrash() {
    setenv("OUTREACH_ZALO_CRASH_OA_OA_SECRET", "oa-secret",
           1);  // NOLINT(concurrency-mt-unsafe): test set-up
    setenv("OUTREACH_ZALO_CRASH_OA_APP_SECRET", "app-secret", 1);
    setenv("OUTREACH_ZALO_CRASH_OA_REFRESH_TOKEN", "refresh-0",
           1);  // no access token: refresh at start
    setenv("OUTREACH_MESSENGER_CRASH_PAGE_APP_SECRET", "fb-secret", 1);
    setenv("OUTREACH_MESSENGER_CRASH_PAGE_PAGE_TOKEN", "page-token", 1);
    setenv("OUTREACH_MESSENGER_CRASH_PAGE_VERIFY_TOKEN", "verify", 1);
    mock.add_zalo_oa({kOa, kApp, "app-secret", "", "refresh-0"});
    mock.add_page({kPage, "page-token"});
    mock.start();
    std::ofstream(dir.file("bot.yaml"))
        << "sender: { backoff_base: 50ms, backoff_max: 200ms }\nshutdown_grace: 3s\n"
        << "zalo:\n  api_base_url: " << mock.base_url() << "\n  oauth_base_url: " << mock.base_url()
        << "\n  accounts: [{ id: crash-oa, oa_id: \"" << kOa << "\", app_id: \"" << kApp
        << "\", name: Thử }]\n"
        << "messenger:\n  api_base_url: " << mock.base_url()
        << "/v25.0\n  accounts: [{ id: crash-page, page_id: \"" << kPage
        << "\", name: Trang thử }]\n";
  }

  ~TokenCrash() override { mock.stop(); }

  std::vector<std::string> args(std::vector<std::string> command) const {
    std::vector<std::string> a = {
        "--config",  dir.file("bot.yaml"),          "--database",  dir.file("bot.sqlite3"),
        "--content", testing::source_content_dir(), "--log-level", "info"};
    a.insert(a.end(), command.begin(), command.end());
    return a;
  }

  std::unique_ptr<Process> serve() {
    auto argv = args({"serve", "--port", "0"});
    argv.insert(argv.begin(), testing::bot_binary());
    auto p = std::make_unique<Process>(argv, dir.path().string());
    port = p->wait_for_port();
    EXPECT_NE(port, 0) << p->err();
    return p;
  }

  int message(const std::string& msg_id) {
    auto r = mock::zalo_signed(mock::zalo_user_text(kOa, kUser, "menu", msg_id), kApp, "oa-secret",
                               now_ms());
    std::map<std::string, std::string> headers(r.headers.begin(), r.headers.end());
    return testing::http_request(port, "POST", "/webhooks/zalo", r.body, headers).status;
  }

  std::string token_field(const std::string& column) {
    SQLite::Database db(dir.file("bot.sqlite3"), SQLite::OPEN_READONLY, 5000);
    SQLite::Statement q(db, "SELECT " + column + " FROM tokens WHERE account = 'zalo:crash-oa'");
    return q.executeStep() ? q.getColumn(0).getString() : "<no row>";
  }

  std::int64_t count(const std::string& sql) {
    SQLite::Database db(dir.file("bot.sqlite3"), SQLite::OPEN_READONLY, 5000);
    return db.execAndGet(sql).getInt64();
  }

  std::size_t sent_ok() {
    std::size_t n = 0;
    for (const auto& c : mock.calls(mock::Platform::kZalo)) n += c.outcome == "ok";
    return n;
  }

  void kill(std::unique_ptr<Process>& bot) {
    bot->signal(SIGKILL);
    EXPECT_EQ(bot->wait(), -SIGKILL);
    bot.reset();
  }

  TempDir dir;
  mock::MockPlatform mock;
  std::uint16_t port = 0;
};

TEST_F(TokenCrash, KilledAfterMarkingTheRefreshBeforeThePlatformProcessedIt) {
  mock.hold_refresh(mock::Hold::kBeforeRotation);
  auto bot = serve();
  ASSERT_TRUE(eventually([&] { return mock.refresh_held(); }));
  ASSERT_EQ(message("m-1"), 200);  // accepted while the refresh is in flight
  ASSERT_TRUE(eventually([&] {
    return count("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')") == 1;
  }));
  EXPECT_EQ(token_field("state"), "refreshing");
  EXPECT_EQ(token_field("refresh_token"), "refresh-0");
  kill(bot);
  mock.release_refresh(false);  // the call never reached the platform: refresh-0 is still good

  bot = serve();
  ASSERT_TRUE(eventually([&] { return sent_ok() == 1; })) << bot->err();
  EXPECT_TRUE(eventually([&] { return token_field("state") == "ok"; }));
  EXPECT_EQ(token_field("refresh_token"), mock.zalo_oa(kOa)->refresh_token);
  // The row is marked after the platform answered: wait for that commit.
  EXPECT_TRUE(
      eventually([&] { return count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == 1; }));
  bot->signal(SIGTERM);
  EXPECT_EQ(bot->wait(), 0) << bot->err();
}

TEST_F(TokenCrash, KilledAfterCommittingTheNewPairBeforeUsingIt) {
  auto bot = serve();
  ASSERT_TRUE(eventually([&] { return token_field("rotations") == "1"; }));
  kill(bot);  // committed, never used
  EXPECT_EQ(token_field("state"), "ok");
  EXPECT_EQ(token_field("refresh_token"), mock.zalo_oa(kOa)->refresh_token);

  bot = serve();
  ASSERT_EQ(message("m-2"), 200);
  ASSERT_TRUE(eventually([&] { return sent_ok() == 1; })) << bot->err();
  EXPECT_EQ(mock.calls(mock::Platform::kZalo, "refresh").size(),
            1u);  // the new pair was used as it was
  bot->signal(SIGTERM);
  EXPECT_EQ(bot->wait(), 0);
}

TEST_F(TokenCrash, KilledAfterThePlatformRotatedIsDetectedAlertedAndRecoveredByTheCli) {
  mock.hold_refresh(mock::Hold::kAfterRotation);
  auto bot = serve();
  ASSERT_TRUE(eventually([&] { return mock.refresh_held(); }));
  ASSERT_EQ(message("m-3"), 200);
  ASSERT_TRUE(eventually([&] {
    return count("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')") == 1;
  }));
  kill(bot);
  mock.release_refresh();  // the platform rotated; its answer went to a dead process
  const std::string issued = mock.zalo_oa(kOa)->refresh_token;
  ASSERT_NE(issued, "refresh-0");
  EXPECT_EQ(token_field("refresh_token"), "refresh-0");
  EXPECT_EQ(token_field("state"), "refreshing");  // the database knows the outcome is unknown

  bot = serve();
  ASSERT_TRUE(eventually([&] { return token_field("state") == "lost"; })) << bot->err();
  // The log line and the alert follow the commit; the test reads them as they arrive.
  EXPECT_TRUE(eventually([&] { return bot->err().find("ev=token_lost") != std::string::npos; }))
      << bot->err();
  EXPECT_TRUE(eventually([&] {
    return testing::http_request(port, "GET", "/metrics")
               .body.find("outreach_platform_alerts_total{channel=\"zalo\",code=\"token_lost\"}") !=
           std::string::npos;
  }));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE status = 'pending'"), 1);  // kept, not dead
  EXPECT_EQ(sent_ok(), 0u);
  const auto refreshes = mock.calls(mock::Platform::kZalo, "refresh").size();

  // An OA admin authorises the app again; staff store the new refresh token (from stdin).
  const auto stored = testing::run_bot(args({"zalo-tokens", "--account", "crash-oa"}),
                                       dir.path().string(), issued + "\n");
  EXPECT_EQ(stored.code, 0) << stored.err;
  EXPECT_NE(stored.out.find("1 message waiting"), std::string::npos) << stored.out;
  EXPECT_EQ(stored.out.find(issued), std::string::npos);  // never echoed
  ASSERT_TRUE(eventually([&] { return sent_ok() == 1; }))
      << bot->err() << "\nstate=" << token_field("state") << " rt=" << token_field("refresh_token")
      << " due_in=" << count("SELECT next_attempt_at FROM outbox") - now_ms()
      << " status=" << count("SELECT status = 'pending' FROM outbox")
      << " calls=" << mock.calls().size();
  EXPECT_EQ(mock.calls(mock::Platform::kZalo, "refresh").size(), refreshes + 1);
  EXPECT_EQ(token_field("state"), "ok");
  bot->signal(SIGTERM);
  EXPECT_EQ(bot->wait(), 0);
}

TEST_F(TokenCrash, ZaloTokensNamesAnUnknownAccount) {
  const auto r = testing::run_bot(
      args({"zalo-tokens", "--account", "nope", "--refresh-token", "x"}), dir.path().string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no Zalo OA with id 'nope'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("configured: crash-oa"), std::string::npos) << r.err;
}

TEST_F(TokenCrash, DeadLettersAreListedAndCanBeSentAgain) {
  auto bot = serve();
  ASSERT_TRUE(eventually([&] { return token_field("rotations") == "1"; }));
  mock.fail(mock::Platform::kZalo, {"unavailable", 1, 0ms});  // -213: not following the OA
  ASSERT_EQ(message("m-4"), 200);
  ASSERT_TRUE(
      eventually([&] { return count("SELECT COUNT(*) FROM outbox WHERE status = 'dead'") == 1; }));
  auto list = testing::run_bot(args({"dead-letters"}), dir.path().string());
  EXPECT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find("Zalo error -213"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find(kOa), std::string::npos) << list.out;
  EXPECT_TRUE(eventually([&] {  // the gauge is refreshed once a second
    return testing::http_request(port, "GET", "/metrics").body.find("outreach_dead_letters 1") !=
           std::string::npos;
  }));
  auto again = testing::run_bot(args({"dead-letters", "--requeue-all"}), dir.path().string());
  EXPECT_EQ(again.code, 0) << again.err;
  ASSERT_TRUE(eventually([&] { return sent_ok() == 1; }));
  EXPECT_NE(
      testing::run_bot(args({"dead-letters"}), dir.path().string()).out.find("No dead letters"),
      std::string::npos);
  bot->signal(SIGTERM);
  EXPECT_EQ(bot->wait(), 0);
}

TEST_F(TokenCrash, MessengerSetupSendsGetStartedGreetingAndMenuFromContent) {
  auto dry = testing::run_bot(args({"messenger-setup", "--dry-run"}), dir.path().string());
  EXPECT_EQ(dry.code, 0) << dry.err;
  EXPECT_TRUE(mock.calls(mock::Platform::kMessenger, "profile").empty());
  auto r = testing::run_bot(args({"messenger-setup"}), dir.path().string());
  EXPECT_EQ(r.code, 0) << r.err;
  auto calls = mock.calls(mock::Platform::kMessenger, "profile");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].account, kPage);
  const auto& body = calls[0].body;
  EXPECT_EQ(body["get_started"]["payload"], "GET_STARTED");
  EXPECT_EQ(body["greeting"][0]["locale"], "default");
  EXPECT_TRUE(body["greeting"][0]["text"].get<std::string>().starts_with("Xin chào"));
  EXPECT_EQ(body["persistent_menu"][0]["call_to_actions"][0]["title"], "Hỏi về chính sách");
  EXPECT_EQ(body["persistent_menu"][1]["locale"], "en_US");
  EXPECT_EQ(nlohmann::json::parse(dry.out), body);
}

}  // namespace
}  // namespace outreach
