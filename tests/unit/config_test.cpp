#include "bot/app/config.hpp"

#include <gtest/gtest.h>

namespace outreach::app {
namespace {

std::vector<std::string> problems_of(const std::string& yaml) {
  try {
    parse_config(yaml, "test.yaml");
  } catch (const ConfigError& e) {
    return e.problems();
  }
  return {};
}

TEST(Config, EmptyFileGivesTheDocumentedDefaults) {
  const Config c = parse_config("", "test.yaml");
  EXPECT_EQ(c.listen.address, "127.0.0.1");
  EXPECT_EQ(c.listen.port, 8080);
  EXPECT_EQ(c.database.path, "var/outreach.sqlite3");
  EXPECT_EQ(c.content_dir, "content");
  EXPECT_FALSE(c.privacy.store_message_text);
  EXPECT_EQ(c.http.body_limit, 1024u * 1024u);
}

TEST(Config, ReadsValuesWithUnits) {
  const Config c = parse_config(
      "listen: { port: 9000 }\nhttp: { idle_timeout: 2m, body_limit: 4096 }\n"
      "database: { synchronous: normal }\nsender: { backoff_base: 250ms }\n",
      "t");
  EXPECT_EQ(c.listen.port, 9000);
  EXPECT_EQ(c.http.idle_timeout, std::chrono::minutes(2));
  EXPECT_EQ(c.http.body_limit, 4096u);
  EXPECT_EQ(c.database.synchronous, "normal");
  EXPECT_EQ(c.sender.backoff_base, std::chrono::milliseconds(250));
}

TEST(Config, NamesTheKeyAndLineOfEveryProblem) {
  const auto p =
      problems_of("listen:\n  port: 70000\nhttp:\n  idle_timeout: soon\nlisten_port: 1\n");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_NE(p[0].find("test.yaml:2: listen.port: 70000 is out of range"), std::string::npos)
      << p[0];
  EXPECT_NE(p[1].find("test.yaml:4: http.idle_timeout: 'soon' is not a duration"),
            std::string::npos)
      << p[1];
  EXPECT_NE(p[2].find("listen_port: unknown key"), std::string::npos) << p[2];
}

TEST(Config, RefusesValuesOutsideTheirSet) {
  const auto p = problems_of("log: { level: loud }\ndefault_language: fr\n");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_NE(p[0].find("log.level: 'loud' is not one of"), std::string::npos);
  EXPECT_NE(p[1].find("default_language"), std::string::npos);
}

TEST(Config, ReportsSyntaxErrorsWithTheirLine) {
  const auto p = problems_of("listen: [1, 2\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("not valid YAML"), std::string::npos);
}

TEST(Config, MissingFileIsAClearError) {
  try {
    load_config("/nonexistent/outreach.yaml");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open the config file"), std::string::npos);
  }
}

TEST(Config, EffectiveYamlParsesBackToTheSameValues) {
  Config c;
  c.listen.port = 1234;
  c.http.idle_timeout = std::chrono::seconds(90);
  const Config back = parse_config(to_yaml(c), "roundtrip");
  EXPECT_EQ(back.listen.port, 1234);
  EXPECT_EQ(back.http.idle_timeout, std::chrono::seconds(90));
}

}  // namespace
}  // namespace outreach::app

namespace outreach::app {
namespace {

TEST(Config, TheExampleFileParsesAndDocumentsTheDefaults) {
  const Config file =
      load_config(std::string(OUTREACH_SOURCE_DIR) + "/deploy/outreach-bot.example.yaml");
  const Config defaults;  // named: a temporary here trips GCC 12's -Wmaybe-uninitialized at -O3
  EXPECT_EQ(to_yaml(file), to_yaml(defaults));  // every value shown there is the default
}

}  // namespace
}  // namespace outreach::app
