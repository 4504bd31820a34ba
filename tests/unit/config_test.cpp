#include "bot/app/config.hpp"

#include <fstream>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

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

TEST(Config, AnUnknownKeyNamesTheKeysAllowedThere) {
  const auto p = problems_of("listen:\n  adress: 0.0.0.0\nsender: { max_attempt: 3 }\n");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0], "test.yaml:2: listen.adress: unknown key (use address: and port:)");
  EXPECT_EQ(p[1],
            "test.yaml:3: sender.max_attempt: unknown key (use max_attempts:, backoff_base:, "
            "backoff_max: and concurrency:)");
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

// Every configurable value, changed from its default, printed and read back: the same config.
TEST(Config, PrintedConfigParsesBackToAnEqualConfig) {
  using namespace std::chrono_literals;
  Config c;
  c.listen = {"0.0.0.0", 9090};
  c.io_threads = 3;
  c.database = {"/var/lib/outreach/db.sqlite3", "normal", 1500ms};
  c.content_dir = "/srv/content dir";
  c.default_language = "en";
  c.http.body_limit = 4096;
  c.http.header_timeout = 2s;
  c.http.body_timeout = 3min;
  c.http.idle_timeout = 90s;
  c.http.write_timeout = 250ms;
  c.http.max_connections = 10;
  c.http.public_url = "https://chat.govap.example";
  c.shutdown_grace = 0ms;
  c.log.level = "debug";
  c.privacy = {true, 30};
  c.conversation.form_expiry = 24h;
  c.sender = {3, 10ms, 1h, 4};
  c.webchat.enabled = false;
  c.webchat.poll_timeout = 1s;
  c.webchat.max_text = 500;
  c.zalo.api_base_url = "http://127.0.0.1:9000";
  c.zalo.oauth_base_url = "http://127.0.0.1:9001/oauth";
  c.zalo.timestamp_skew = 5s;
  c.zalo.retry_window = 1h;
  c.zalo.rate_per_minute = 60;
  c.zalo.human_quiet = 0ms;
  c.zalo.refresh_ahead = 30min;
  c.zalo.accounts = {{"go-vap", "388613280878808645", "360846524940903967", "Phường Gò Vấp"},
                     {"ward-2", "1", "2", "Ward \"two\": #2, {east}"}};
  c.messenger.api_base_url = "http://127.0.0.1:9000/v25.0";
  c.messenger.rate_per_second = 5;
  c.messenger.human_quiet = 2h;
  c.messenger.accept_sha1 = true;
  c.messenger.accounts = {{"page-1", "112233445566778", "null"}};
  const std::string text = to_yaml(c);
  const Config back = parse_config(text, "roundtrip");
  EXPECT_TRUE(back == c) << text << "read back as:\n" << to_yaml(back);
  EXPECT_EQ(to_yaml(back), text);
  const Config defaults;
  EXPECT_FALSE(back == defaults);
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

bool has_path(const YAML::Node& node, std::string_view path) {
  const auto dot = path.find('.');
  const YAML::Node child = node[std::string(path.substr(0, dot))];
  return child.IsDefined() &&
         (dot == std::string_view::npos || has_path(child, path.substr(dot + 1)));
}

// The commented example of a list under `section:` ("  #   - { id: …, oa_id: … }"), uncommented.
std::string commented_item(const std::string& text, const std::string& section) {
  const auto item = text.find("#   - {", text.find("\n" + section + ":"));
  return text.substr(item + 6, text.find('\n', item) - item - 6);
}

// The example file is the documentation of the config: every key the schema knows is in it (an
// account's keys in its commented example), and it parses.
TEST(Config, TheExampleFileShowsEveryKey) {
  const std::string path = std::string(OUTREACH_SOURCE_DIR) + "/deploy/outreach-bot.example.yaml";
  EXPECT_NO_THROW(load_config(path));
  std::ifstream in(path);
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  const YAML::Node root = YAML::Load(text);
  const auto keys = config_keys();
  EXPECT_GT(keys.size(), 40u);
  for (const std::string& key : keys) {
    if (const auto list = key.find("[]."); list != std::string::npos) {
      const std::string section = key.substr(0, key.find('.'));
      const std::string item = commented_item(text, section);
      EXPECT_TRUE(YAML::Load(item)[key.substr(list + 3)].IsDefined()) << key << " in " << item;
      if (key.ends_with("[].id")) {  // once per list: the commented example is a valid account
        EXPECT_NO_THROW(parse_config(section + ":\n  accounts: [" + item + "]\n", "example"));
      }
      continue;
    }
    EXPECT_TRUE(has_path(root, key)) << key << " is not in deploy/outreach-bot.example.yaml";
  }
}

}  // namespace
}  // namespace outreach::app
