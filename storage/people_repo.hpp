#pragma once
// PeopleRepo: one row per person per channel account — who they are to the platform, their
// language and consent choices, and when they first and last talked to us (the last time also
// decides the platforms' send windows).
// Thread-safety: not thread-safe; DB thread only (owns prepared statements on its connection).

#include <cstdint>
#include <optional>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace outreach::storage {

struct Person {
  std::int64_t id = 0;
  std::string channel;
  std::string account;
  std::string platform_user_id;
  std::string display_name;
  std::string language = "vi";
  bool consent_store_text = false;
  bool consent_broadcast = false;
  std::int64_t first_interaction_at = 0;
  std::int64_t last_interaction_at = 0;
  bool is_new = false;  // set by touch(): this contact created the row
};

class PeopleRepo {
 public:
  explicit PeopleRepo(SQLite::Database& db);

  // Inserts the person on first contact (language = `default_language`) or refreshes
  // last_interaction_at (and display_name when given); returns the row.
  Person touch(const std::string& channel,
               const std::string& account,
               const std::string& platform_user_id,
               const std::string& display_name,
               const std::string& default_language,
               std::int64_t now_ms);

  // Finds without touching.
  std::optional<Person> find(const std::string& channel,
                             const std::string& account,
                             const std::string& platform_user_id);
  std::optional<Person> get(std::int64_t id);

  void set_language(std::int64_t id, const std::string& language);
  void set_consent_store_text(std::int64_t id, bool yes);

  // What the person chose to share through the platform's own form (name, phone, address);
  // empty values keep what was there.
  void set_shared(std::int64_t id,
                  const std::string& name,
                  const std::string& phone,
                  const std::string& address,
                  std::int64_t now_ms);

  // "Delete my data", step 1: removes the conversation, interaction log and queued or delivered
  // messages (a turn that forgets writes its goodbye afterwards),
  // detaches feedback (kept anonymous), clears name and consents, and blanks the platform id
  // on processed inbox rows. The row itself stays until the confirmation has gone out.
  void forget(const Person& person);

  // Step 2 (a job, minutes later): deletes the row (and with it any messages still queued) if
  // the person has not written again since `requested_at`. Returns true if deleted.
  bool erase_if_quiet(std::int64_t id, std::int64_t requested_at);

  std::int64_t count();

 private:
  SQLite::Database& db_;
  SQLite::Statement insert_;
  SQLite::Statement refresh_;
  SQLite::Statement find_;
  SQLite::Statement get_;
  SQLite::Statement set_language_;
  SQLite::Statement set_consent_;
  SQLite::Statement erase_;
};

}  // namespace outreach::storage
