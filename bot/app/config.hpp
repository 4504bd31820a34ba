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
    std::string synchronous = "normal";  // normal | full
    Ms busy_timeout{5000};
  } database;

  std::string content_dir = "content";
  std::string default_language = "vi";  // vi | en

  struct Http {
    std::size_t body_limit = 256 * 1024;  // bytes; larger requests get 413
    Ms header_timeout{10'000};            // to receive a request's header
    Ms body_timeout{30'000};              // to receive its body
    Ms idle_timeout{60'000};              // keep-alive wait for the next request
    Ms write_timeout{30'000};
    std::size_t max_connections = 1024;
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
};

// Secrets read from the environment only.
struct Secrets {
  std::string log_hash_key;  // OUTREACH_LOG_HASH_KEY: key for pseudonymous user ids in logs
};

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
