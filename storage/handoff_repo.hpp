#pragma once
// HandoffRepo: the staff inbox's conversations (bot → human) and their messages. A person has
// at most one active handoff (open, pending or snoozed); resolving it ends it.
// Thread-safety: not thread-safe; DB thread only.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace outreach::storage {

struct HandoffRow {
  std::int64_t id = 0;
  std::int64_t person_id = 0;
  std::string status;    // open, pending, snoozed, resolved
  std::string reason;    // asked, not_understood
  std::string assignee;  // staff email, '' none
  std::int64_t opened_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t last_person_at = 0;
  std::int64_t snoozed_until = 0;  // 0: none
  // From people (for the list): the channel and the name the platform gave, if any.
  std::string channel;
  std::string display_name;
  std::string language;
};

struct HandoffMessage {
  std::int64_t id = 0;
  std::int64_t at = 0;
  std::string author;  // person, staff, bot, platform
  std::string staff;
  std::string text;
};

class HandoffRepo {
 public:
  explicit HandoffRepo(SQLite::Database& db);

  // The person's active handoff (open, pending or snoozed), if any: asked on every turn.
  std::optional<HandoffRow> active(std::int64_t person_id);

  // Opens one for the person (or returns the active one's id): {id, opened now}.
  std::pair<std::int64_t, bool> open(std::int64_t person_id,
                                     const std::string& reason,
                                     std::int64_t now);

  void add_message(std::int64_t handoff_id,
                   const std::string& author,
                   const std::string& staff,
                   const std::string& text,
                   std::int64_t now);

  // The person wrote: the window restarts; a snoozed one opens again.
  void person_wrote(std::int64_t handoff_id, std::int64_t now);

  // Status changes; false when the handoff is not there or already resolved.
  bool take(std::int64_t id, const std::string& staff, std::int64_t now);
  bool snooze(std::int64_t id, std::int64_t until, std::int64_t now);
  bool reopen(std::int64_t id, std::int64_t now);
  bool resolve(std::int64_t id, std::int64_t now);
  // Snoozed ones whose time has come are open again; returns how many.
  int wake_snoozed(std::int64_t now);

  std::optional<HandoffRow> find(std::int64_t id);
  // Active ones (statuses given, e.g. {"open","pending"}), the longest waiting first.
  std::vector<HandoffRow> list(const std::vector<std::string>& statuses, int limit = 200);
  std::vector<HandoffMessage> messages(std::int64_t handoff_id, int last = 200);
  // A token that changes whenever the inbox does (for the console's live list), and how many
  // are open.
  std::pair<std::string, int> version();

  // Retention: resolved handoffs (with their messages) resolved before `cutoff`.
  int purge_resolved(std::int64_t cutoff);

 private:
  bool set_status(const char* sql, std::int64_t id, std::int64_t now);

  SQLite::Database& db_;
  SQLite::Statement active_;
  SQLite::Statement add_message_;
};

}  // namespace outreach::storage
