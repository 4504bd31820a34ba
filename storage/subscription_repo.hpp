#pragma once
// SubscriptionRepo: who asked for announcements, on what, and the consent they gave (migration
// 0011). One row per person; unsubscribing deletes it. The wording a person agreed to is kept
// once per version in consent_wordings.
// Thread-safety: not thread-safe; DB thread only (owns prepared statements on its connection).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace outreach::storage {

struct Subscription {
  std::int64_t person_id = 0;
  std::vector<std::string> topics;  // topic group ids; empty = every topic
  std::string ward;                 // ward id, "other", or empty (not said)
  std::string audience;             // resident, household, company, startup, school, or empty
  std::int64_t consent_at = 0;
  std::string consent_version;
  std::string source;  // "message" or "form"
  std::int64_t updated_at = 0;
};

class SubscriptionRepo {
 public:
  explicit SubscriptionRepo(SQLite::Database& db);

  std::optional<Subscription> get(std::int64_t person_id);

  // Inserts or replaces the person's subscription (the consent given now replaces the last).
  void put(const Subscription& s);

  // Deletes it; returns true if there was one.
  bool remove(std::int64_t person_id);

  // Keeps a wording the first time its version is seen.
  void record_wording(const std::string& version,
                      const std::string& lang,
                      const std::string& text,
                      std::int64_t now_ms);

  std::optional<std::string> wording(const std::string& version);

  std::int64_t count();

 private:
  SQLite::Statement get_;
  SQLite::Statement put_;
  SQLite::Statement remove_;
  SQLite::Statement record_wording_;
  SQLite::Statement wording_;
  SQLite::Statement count_;
};

// "a,b" ↔ {"a", "b"}.
std::string join_topics(const std::vector<std::string>& topics);
std::vector<std::string> split_topics(const std::string& joined);

}  // namespace outreach::storage
