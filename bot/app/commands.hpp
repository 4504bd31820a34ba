#pragma once
// Every command of the `outreach-bot` program, in one place; bot/main.cpp only reads argv and
// calls one of these. Each returns the process exit code and writes what it did to `out`,
// problems to `err`.
//   serve            the server: web chat, webhooks, /healthz, /readyz, /metrics (commands.cpp)
//   chat             talk to the bot in this terminal, through the same pipeline
//   migrate          create or upgrade the database schema
//   check-config     validate the configuration and print the effective values
//   check-content    validate content/, every problem with its file and line
//   ask              how the bot understands each line of stdin
//   questions        what the bot could not answer with confidence
// Staff commands (staff_commands.cpp) work on the database and the platforms directly, with or
// without the server running (SQLite WAL lets both write):
//   zalo-tokens      store an OA's tokens (first set-up, or after an OA admin authorised again)
//   dead-letters     list the messages the sender gave up on, and put them back in the queue
//   messenger-setup  set each page's Get Started button, greeting and persistent menu
//   bookings         list / export the Startup Advisory Office's bookings; confirm, cancel
//                    (with a reason, the person is told), mark attendance
//   staff            the console's accounts: add (password on stdin), list, disable, enable,
//                    reset (new password on stdin; the account's sessions end)
//   audit            the audit log of staff actions
// Thread-safety: call from main only.

#include <cstdint>
#include <iosfwd>
#include <string>

#include <nlohmann/json.hpp>

#include "bot/app/config.hpp"
#include "content/model.hpp"

namespace outreach::app {

// Options every command takes; empty / negative: the config file's value (or the default).
struct CommonOptions {
  std::string config_path;
  std::string address;
  int port = -1;
  std::string database;
  std::string content;
  std::string log_level;
};

// The configuration a command runs with: the file (if any), then the options on top.
Config effective_config(const CommonOptions& o);

// Both run until stopped (Ctrl-C; /quit or end of input in the chat) on the terminal.
int serve(const CommonOptions& o);
int chat(const CommonOptions& o);
int migrate(const CommonOptions& o, std::ostream& out);
int check_config(const CommonOptions& o, std::ostream& out);
int check_content(const CommonOptions& o, std::ostream& out);
// One message per line of `in`; `json`: one object per line (for ../shared/eval/evaluate.py).
int ask(const CommonOptions& o, bool json, std::istream& in, std::ostream& out, std::ostream& err);
int questions(const CommonOptions& o, int days, std::ostream& out);

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

// `zalo-tokens`: an empty refresh token is asked for and read as one line from `in` (so it
// stays out of the shell history), then stored.
int zalo_tokens(const CommonOptions& o,
                ZaloTokenInput input,
                std::istream& in,
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

struct EventsCommand {
  std::string action = "list";  // list | export | checkin
  std::string event;            // export / checkin
  std::string code;             // checkin
  std::string xlsx;             // export: write a spreadsheet to this file instead of CSV
};

// list: every event with its seats, registrations, waiting line and check-ins; export: the
// event's registrations as CSV on stdout (or as a spreadsheet into --xlsx FILE); checkin: one scan
// at the door (exit 0 for ok, 3 for every other answer, printed as the admin API's JSON).
int events(const Config& config,
           const EventsCommand& command,
           std::ostream& out,
           std::ostream& err);

struct StaffCommand {
  std::string action = "list";  // add | list | disable | enable | reset
  std::string email;
  std::string role;  // add: admin | editor | advisor | checkin
};

// add / reset read the password as the first line of `in` (a prompt without echo when `in` is
// a terminal), so it can be scripted and stays out of the shell history.
int staff(const Config& config,
          const StaffCommand& command,
          std::istream& in,
          std::ostream& out,
          std::ostream& err);

struct AuditCommand {
  std::string since;  // YYYY-MM-DD (local); default: 7 days ago
  std::string actor;
  std::string action;
  int limit = 200;
};

int audit(const Config& config, const AuditCommand& command, std::ostream& out, std::ostream& err);

struct BroadcastCommand {
  std::string action = "list";  // create | list | plan | send | pause | resume | cancel | status
  std::string file;             // create: the announcement, YAML
  std::int64_t id = 0;
  bool json = false;   // plan, status
  bool csv = false;    // status: the report as CSV
  bool watch = false;  // status: until it is done, with a progress bar on a terminal
};

int broadcast(const Config& config,
              const BroadcastCommand& command,
              std::ostream& out,
              std::ostream& err);

}  // namespace outreach::app
