#pragma once
// Config: the whole runtime configuration, read once from one YAML file (every key optional,
// each with the default shown below and in deploy/outreach-bot.example.yaml), validated, then
// immutable. Secrets never come from the file: only from the environment (see `Secrets`).
// Thread-safety: immutable after load; share by const reference.

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace outreach::app {

using Ms = std::chrono::milliseconds;

struct Config {
  struct Listen {
    std::string address = "127.0.0.1";
    std::uint16_t port = 8080;
  } listen;

  int io_threads = 0;  // 0 = one per core

  struct Database {
    std::string path = "var/outreach.sqlite3";
    std::string synchronous =
        "full";  // full | normal (full: an acknowledged event survives a power cut)
    Ms busy_timeout{5000};
  } database;

  std::string content_dir = "content";
  std::string default_language = "vi";  // vi | en

  struct Http {
    std::size_t body_limit =
        1024 *
        1024;  // bytes; larger requests get 413 (Messenger batches of escaped text exceed 300 KB)
    Ms header_timeout{10'000};  // to receive a request's header
    Ms body_timeout{30'000};    // to receive its body
    Ms idle_timeout{60'000};    // keep-alive wait for the next request
    Ms write_timeout{30'000};
    std::size_t max_connections = 1024;
    // Where people's browsers reach this server, for links in messages (the booking's calendar
    // file): https://bot.example.gov.vn behind nginx. Empty: http://<listen address>:<port>.
    std::string public_url;
  } http;

  Ms shutdown_grace{10'000};  // finish turns and sends in flight, then exit

  struct Log {
    std::string level = "info";  // debug | info | warn | error | off
  } log;

  struct Privacy {
    bool store_message_text = false;  // keep what people type (only with their consent)
    int retention_days = 180;         // purge interactions and delivered messages after
  } privacy;

  struct Conversation {
    Ms form_expiry{30 * 60 * 1000};  // a half-filled form is dropped after
  } conversation;

  struct Sender {
    int max_attempts = 8;
    Ms backoff_base{1000};
    Ms backoff_max{5 * 60 * 1000};
    int concurrency = 32;  // recipients sent to at once
  } sender;

  struct WebChat {
    bool enabled = true;
    Ms poll_timeout{25'000};      // long-poll wait
    std::size_t max_text = 2000;  // characters per message
  } webchat;

  // One Zalo Official Account (one per ward, say). Its secrets come from the environment:
  // OUTREACH_ZALO_<ID>_OA_SECRET, _APP_SECRET and the first _REFRESH_TOKEN (see README).
  struct ZaloAccount {
    std::string id;  // our name for it: a-z, 0-9, -
    std::string oa_id;
    std::string app_id;
    std::string name;  // shown to staff
  };

  struct Zalo {
    std::string api_base_url = "https://openapi.zalo.me";
    std::string oauth_base_url = "https://oauth.zaloapp.com";
    Ms timestamp_skew{10 * 60 * 1000};  // events stamped further from now are refused
    Ms retry_window{2 * 3600 * 1000};   // …unless Zalo says it re-sends (num_retry): this old
    int rate_per_minute = 4000;         // API calls per minute per app
    Ms human_quiet{30 * 60 * 1000};     // after staff answer in Zalo's own tool, the bot waits
    Ms refresh_ahead{2 * 3600 * 1000};  // refresh the access token this long before it expires
    std::vector<ZaloAccount> accounts;
  } zalo;

  // One Facebook page. Secrets: OUTREACH_MESSENGER_<ID>_APP_SECRET, _PAGE_TOKEN, _VERIFY_TOKEN.
  struct MessengerAccount {
    std::string id;
    std::string page_id;
    std::string name;
  };

  struct Messenger {
    std::string api_base_url = "https://graph.facebook.com/v25.0";
    int rate_per_second = 300;       // Send API calls per second per page
    Ms human_quiet{30 * 60 * 1000};  // after a person answers from the page inbox, the bot waits
    bool accept_sha1 = false;        // also accept the legacy X-Hub-Signature (sha1)
    std::vector<MessengerAccount> accounts;
  } messenger;
};

// Secrets read from the environment only.
struct Secrets {
  std::string log_hash_key;  // OUTREACH_LOG_HASH_KEY: key for pseudonymous user ids in logs
  std::string admin_token;   // OUTREACH_ADMIN_TOKEN: bearer token of the admin API
};

// The environment variable that holds a secret of an account: env_name("zalo", "go-vap",
// "OA_SECRET") is OUTREACH_ZALO_GO_VAP_OA_SECRET.
std::string env_name(std::string_view platform, std::string_view account, std::string_view what);

// The value of that variable, or empty.
std::string env_secret(std::string_view platform, std::string_view account, std::string_view what);

class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<std::string> problems);

  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// Reads `path`; throws ConfigError listing every problem (each names the key and the fault).
Config load_config(const std::string& path);

// Parses YAML text (the file's content); `origin` names it in messages.
Config parse_config(const std::string& yaml_text, const std::string& origin);

Secrets load_secrets();

// The effective configuration as YAML (for `check-config`); secrets are not included.
std::string to_yaml(const Config& c);

}  // namespace outreach::app
