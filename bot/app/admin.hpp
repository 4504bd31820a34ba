#pragma once
// Staff commands behind the CLI (bot/main.cpp): they work on the database and the platforms
// directly, with or without the server running (SQLite WAL lets both write).
//   zalo-tokens      store an OA's tokens (first set-up, or after an OA admin authorised again)
//   dead-letters     list the messages the sender gave up on, and put them back in the queue
//   messenger-setup  set each page's Get Started button, greeting and persistent menu
// Each returns the process exit code and writes what it did to `out`, problems to `err`.
// Thread-safety: call from main only.

#include <cstdint>
#include <iosfwd>
#include <string>

#include <nlohmann/json.hpp>

#include "bot/app/config.hpp"
#include "content/model.hpp"

namespace outreach::app {

struct ZaloTokenInput {
  std::string account;            // our id of the OA (zalo.accounts[].id)
  std::string refresh_token;      // required
  std::string access_token;       // optional
  std::int64_t expires_in_s = 0;  // of the access token; 0: unknown (refreshed at start)
};

int store_zalo_tokens(const Config& config,
                      const ZaloTokenInput& input,
                      std::ostream& out,
                      std::ostream& err);

// requeue: 0 lists only; an id requeues that row; -1 requeues every dead row.
int dead_letters(const Config& config, int limit, std::int64_t requeue, std::ostream& out);

// The Messenger Profile API body built from content: Get Started, greeting (vi default, en_US)
// and the main menu as the persistent menu in both languages.
nlohmann::json messenger_profile(const content::Snapshot& s);

// `account` empty: every configured page. `dry_run`: print the body, call nothing.
int messenger_setup(const Config& config,
                    const std::string& account,
                    bool dry_run,
                    std::ostream& out,
                    std::ostream& err);

}  // namespace outreach::app
