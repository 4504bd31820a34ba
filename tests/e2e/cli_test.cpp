// The command line a new user meets: --help, --version, check-config, check-content, migrate,
// and chatting in the terminal through the same pipeline as every channel.
#include <fstream>
#include <sstream>

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace outreach {
namespace {
using testing::run_bot;
using testing::TempDir;

TEST(Cli, HelpNamesEveryCommand) {
  TempDir dir;
  const auto r = run_bot({"--help"}, dir.path().string());
  EXPECT_EQ(r.code, 0);
  for (const char* cmd : {"serve", "chat", "migrate", "check-config", "check-content", "--config"})
    EXPECT_NE(r.out.find(cmd), std::string::npos) << cmd;
  EXPECT_NE(run_bot({"--version"}, dir.path().string()).out.find("outreach-bot "),
            std::string::npos);
  const auto none = run_bot({}, dir.path().string());
  EXPECT_NE(none.code, 0);
}

TEST(Cli, CheckConfigPrintsDefaultsAndNamesBadKeys) {
  TempDir dir;
  auto r = run_bot({"check-config"}, dir.path().string());
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("listen: { address: 127.0.0.1, port: 8080 }"), std::string::npos) << r.out;
  std::ofstream(dir.file("bad.yaml")) << "listen:\n  port: many\nwebchat:\n  enabled: maybe\n";
  r = run_bot({"--config", dir.file("bad.yaml"), "check-config"}, dir.path().string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("bad.yaml:2: listen.port: must be a whole number"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("bad.yaml:4: webchat.enabled: must be true or false"), std::string::npos)
      << r.err;
  r = run_bot({"check-config", "--config", dir.file("missing.yaml")}, dir.path().string());
  EXPECT_NE(r.code, 0);
}

TEST(Cli, CheckContentPassesOnTheShippedContentAndFailsOnABrokenCopy) {
  TempDir dir;
  auto r =
      run_bot({"check-content", "--content", testing::source_content_dir()}, dir.path().string());
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("0 errors"), std::string::npos) << r.out;
  const std::string copy = testing::copy_content(dir);
  std::ofstream(copy + "/explainers/broken.md") << "no front matter\n";
  r = run_bot({"check-content", "--content", copy}, dir.path().string());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("explainers/broken.md:1: error: must start with a YAML front matter"),
            std::string::npos)
      << r.out;
}

TEST(Cli, MigrateCreatesTheSchemaOnce) {
  TempDir dir;
  auto r = run_bot({"migrate", "--database", dir.file("db/x.sqlite3")}, dir.path().string());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("migrated from version 0 to"), std::string::npos) << r.out;
  r = run_bot({"migrate", "--database", dir.file("db/x.sqlite3")}, dir.path().string());
  EXPECT_NE(r.out.find("up to date"), std::string::npos) << r.out;
  SQLite::Database(dir.file("db/x.sqlite3"), SQLite::OPEN_READWRITE)
      .exec("PRAGMA user_version = 99");
  r = run_bot({"serve", "--port", "0", "--database", dir.file("db/x.sqlite3"), "--content",
               testing::source_content_dir()},
              dir.path().string());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("schema version 99"), std::string::npos) << r.err;
}

TEST(Cli, ServeRefusesBrokenContentWithTheProblems) {
  TempDir dir;
  const std::string copy = testing::copy_content(dir);
  std::ofstream(copy + "/menu.yaml") << "main: []\n";
  const auto r =
      run_bot({"serve", "--port", "0", "--database", dir.file("x.sqlite3"), "--content", copy},
              dir.path().string());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("menu.yaml"), std::string::npos) << r.err;
}

TEST(Cli, ChatInTheTerminalUsesThePipelineAndNumberedButtons) {
  TempDir dir;
  const auto r = run_bot(
      {"chat", "--database", dir.file("chat.sqlite3"), "--content", testing::source_content_dir()},
      dir.path().string(), "1\n2\nmenu\n/quit\n");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Xin chào! Mình là trợ lý"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1. Hỏi về chính sách"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(Gõ số thứ tự để chọn)"), std::string::npos);
  EXPECT_NE(r.out.find("Bạn muốn tìm hiểu lĩnh vực nào?"), std::string::npos)
      << r.out;  // "1" pressed
  EXPECT_NE(r.out.find("Các nội dung về Sở hữu trí tuệ:"), std::string::npos)
      << r.out;  // "2" pressed
  SQLite::Database db(dir.file("chat.sqlite3"), SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM inbox WHERE channel = 'cli' AND status = 'done'")
                .getInt(),
            4);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM outbox WHERE status = 'sent'").getInt(), 4);
}

}  // namespace
}  // namespace outreach

namespace outreach {
namespace {

// `outreach-bot bookings` keeps the rules of the admin API: at most 366 days in a listing, a
// reason to cancel, a reference that exists.
TEST(Cli, BookingsKeepTheStaffRules) {
  TempDir dir;
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(),
                {"--database", dir.file("b.sqlite3"), "--content", testing::source_content_dir()});
    return run_bot(args, dir.path().string());
  };
  auto r = run({"bookings", "list", "--from", "2026-01-01", "--to", "2027-01-03"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("at most 366 days"), std::string::npos) << r.err;
  r = run({"bookings", "list", "--from", "2026-01-01", "--to", "2027-01-02"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("No bookings from 2026-01-01 to 2027-01-02."), std::string::npos) << r.out;
  r = run({"bookings", "cancel", "TV-NOPE", "--reason", "   "});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("a reason is required"), std::string::npos) << r.err;
  r = run({"bookings", "confirm", "TV-NOPE"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no booking with reference TV-NOPE"), std::string::npos) << r.err;
}

TEST(Cli, BroadcastCreatePlanSendAndStatus) {
  TempDir dir;
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(),
                {"--database", dir.file("b.sqlite3"), "--content", testing::source_content_dir()});
    return run_bot(args, dir.path().string());
  };
  auto r = run({"broadcast", "list"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("No broadcasts yet"), std::string::npos) << r.out;
  // A mistake is named with its file and field.
  {
    std::ofstream bad(dir.file("bad.yaml"));
    bad << "title: Thử\ntext: Xin chào\nsegment:\n  wards: [phuong-9]\n";
  }
  r = run({"broadcast", "create", dir.file("bad.yaml")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("bad.yaml: segment.wards[0]: no ward 'phuong-9'"), std::string::npos)
      << r.err;
  r = run({"broadcast", "create", dir.file("missing.yaml")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("cannot read"), std::string::npos) << r.err;
  // The shipped example.
  r = run(
      {"broadcast", "create", std::string(OUTREACH_SOURCE_DIR) + "/deploy/demo/broadcast.yaml"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Broadcast 1 created"), std::string::npos) << r.out;
  r = run({"broadcast", "send", "1"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("run plan first"), std::string::npos) << r.err;
  r = run({"broadcast", "plan", "1", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto plan = nlohmann::json::parse(r.out);
  EXPECT_EQ(plan["total"], 0);
  EXPECT_EQ(plan["paths"].size(), 6u);
  r = run({"broadcast", "send", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("sending"), std::string::npos);
  r = run({"broadcast", "status", "1", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["status"], "sending");
  r = run({"broadcast", "pause", "1"});
  EXPECT_EQ(r.code, 0) << r.err;
  r = run({"broadcast", "pause", "1"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("is paused; pause needs one that is sending"), std::string::npos) << r.err;
  r = run({"broadcast", "status", "9"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no broadcast 9"), std::string::npos);
}

TEST(Cli, AskJsonAnswersOneLinePerQuestion) {
  TempDir dir;
  const auto r =
      run_bot({"ask", "--json", "--content", testing::source_content_dir()}, dir.path().string(),
              "dang ky nhan hieu o dau\nxin chào\ngiá vàng hôm nay\n");
  EXPECT_EQ(r.code, 0) << r.err;
  std::vector<nlohmann::json> lines;
  std::istringstream out(r.out);
  for (std::string l; std::getline(out, l);) lines.push_back(nlohmann::json::parse(l));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["intent"], "explainer");
  EXPECT_EQ(lines[0]["topics"][0], "ip-trademark");
  EXPECT_EQ(lines[0]["reading"], "đăng ký nhãn hiệu ở đâu");
  EXPECT_EQ(lines[1]["intent"], "menu");
  EXPECT_EQ(lines[2]["intent"], "fallback");
}

TEST(Cli, QuestionsListsWhatTheBotCouldNotAnswer) {
  TempDir dir;
  const std::string db = dir.file("q.sqlite3");
  auto r = run_bot({"chat", "--database", db, "--content", testing::source_content_dir()},
                   dir.path().string(),
                   "giá vàng hôm nay bao nhiêu\nhồ sơ xin bảo hộ gồm những gì ạ\n/quit\n");
  ASSERT_EQ(r.code, 0) << r.err;
  r = run_bot({"questions", "--database", db}, dir.path().string());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("not understood (fallback): 1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(clarify): 1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ip-overview: 1"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("giá vàng"), std::string::npos);  // no text kept without consent
}

}  // namespace
}  // namespace outreach
