#pragma once
// Staff commands behind the CLI (bot/main.cpp): they work on the database and the platforms
// directly, with or without the server running (SQLite WAL lets both write).
//   zalo-tokens      store an OA's tokens (first set-up, or after an OA admin authorised again)
//   dead-letters     list the messages the sender gave up on, and put them back in the queue
//   messenger-setup  set each page's Get Started button, greeting and persistent menu
//   bookings         list / export the Startup Advisory Office's bookings; confirm, cancel
//                    (with a reason, the person is told), mark attendance
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

struct BookingsCommand {
  std::string action = "list";  // list | export | confirm | cancel | mark
  std::string from;             // YYYY-MM-DD (default today)
  std::string to;               // YYYY-MM-DD (default: from)
  std::string advisor;          // only this advisor
  std::string ref;              // confirm / cancel / mark
  std::string reason;           // cancel
  std::string status;           // mark: attended | no_show
};

int bookings(const Config& config,
             const BookingsCommand& command,
             std::ostream& out,
             std::ostream& err);

}  // namespace outreach::app
