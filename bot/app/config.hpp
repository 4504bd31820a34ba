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

#include "bot/channels/messenger/messenger.hpp"
#include "bot/channels/web/webchat.hpp"
#include "bot/channels/zalo/zalo_client.hpp"
#include "bot/console/options.hpp"
#include "bot/sender/sender.hpp"
#include "bot/server/http_server.hpp"
#include "handlers/broadcast.hpp"

namespace outreach::app {

using Ms = std::chrono::milliseconds;

// Each section's keys, limits and printing are declared once, in config.cpp's schema (one
// `fields` function per section, visited by the parser, the printer and the key list). A
// section that configures one component IS that component's option struct (sender, http's
// server options, webchat, the Zalo and Messenger clients' settings), so App passes it on
// as it is and the component's defaults are the config's.
struct Config {
  struct Listen {
    std::string address = "127.0.0.1";
    std::uint16_t port = 8080;
    bool operator==(const Listen&) const = default;
  } listen;

  int io_threads = 0;  // 0 = one per core

  struct Database {
    std::string path = "var/outreach.sqlite3";
    std::string synchronous =
        "full";  // full | normal (full: an acknowledged event survives a power cut)
    Ms busy_timeout{5000};
    bool operator==(const Database&) const = default;
  } database;

  std::string content_dir = "content";
  std::string default_language = "vi";  // vi | en

  // body_limit, the header / body / idle / write timeouts and max_connections of the server.
  struct Http : server::ServerOptions {
    // Where people's browsers reach this server, for links in messages (the booking's calendar
    // file): https://bot.example.gov.vn behind nginx. Empty: http://<listen address>:<port>.
    std::string public_url;
    bool operator==(const Http&) const = default;
  } http;

  Ms shutdown_grace{10'000};  // finish turns and sends in flight, then exit

  struct Log {
    std::string level = "info";  // debug | info | warn | error | off
    bool operator==(const Log&) const = default;
  } log;

  struct Privacy {
    bool store_message_text = false;  // keep what people type (only with their consent)
    int retention_days = 180;         // purge interactions and delivered messages after
    bool operator==(const Privacy&) const = default;
  } privacy;

  struct Conversation {
    Ms form_expiry{30 * 60 * 1000};  // a half-filled form is dropped after
    bool operator==(const Conversation&) const = default;
  } conversation;

  sender::SenderOptions sender;  // max_attempts, backoff_base, backoff_max, concurrency

  struct WebChat : channels::web::WebChatOptions {  // max_text
    bool enabled = true;
    Ms poll_timeout{25'000};  // long-poll wait
    bool operator==(const WebChat&) const = default;
  } webchat;

  // One Zalo Official Account (one per ward, say). Its secrets come from the environment:
  // OUTREACH_ZALO_<ID>_OA_SECRET, _APP_SECRET and the first _REFRESH_TOKEN (see README).
  struct ZaloAccount {
    std::string id;  // our name for it: a-z, 0-9, -
    std::string oa_id;
    std::string app_id;
    std::string name;  // shown to staff
    bool operator==(const ZaloAccount&) const = default;
  };

  // api_base_url, oauth_base_url, rate_per_minute, refresh_ahead, template_recipient.
  struct Zalo : channels::zalo::ClientSettings {
    Ms timestamp_skew{10 * 60 * 1000};  // events stamped further from now are refused
    Ms retry_window{2 * 3600 * 1000};   // …unless Zalo says it re-sends (num_retry): this old
    Ms human_quiet{30 * 60 * 1000};     // after staff answer in Zalo's own tool, the bot waits
    std::vector<ZaloAccount> accounts;
    bool operator==(const Zalo&) const = default;
  } zalo;

  // One Facebook page. Secrets: OUTREACH_MESSENGER_<ID>_APP_SECRET, _PAGE_TOKEN, _VERIFY_TOKEN.
  struct MessengerAccount {
    std::string id;
    std::string page_id;
    std::string name;
    bool operator==(const MessengerAccount&) const = default;
  };

  // api_base_url and rate_per_second of the client.
  struct Messenger : channels::messenger::ClientSettings {
    Ms human_quiet{30 * 60 * 1000};  // after a person answers from the page inbox, the bot waits
    bool accept_sha1 = false;        // also accept the legacy X-Hub-Signature (sha1)
    std::vector<MessengerAccount> accounts;
    bool operator==(const Messenger&) const = default;
  } messenger;

  // enabled, secure_cookie, idle_timeout, absolute_timeout, common_passwords.
  console::ConsoleOptions console;

  // quiet_hours, weekly_cap, rate_per_minute, max_backlog, zalo_paid_cs_vnd, zalo_template_vnd,
  // messenger_utility.
  handlers::BroadcastOptions broadcast;

  bool operator==(const Config&) const = default;
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
// parse_config(to_yaml(c), …) == c.
std::string to_yaml(const Config& c);

// Every key the schema knows, as a path: "listen.port", "zalo.accounts[].oa_id".
std::vector<std::string> config_keys();

}  // namespace outreach::app
