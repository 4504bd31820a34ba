#pragma once
// StaffRepo: the console's accounts, sessions, login throttling and the append-only audit log
// (migration 0008). SQL only: hashing passwords, making session ids and deciding what a role may
// do are the console's (bot/console).
// Thread-safety: not thread-safe; the thread that owns the connection only.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

namespace outreach::storage {

struct StaffRow {
  std::int64_t id = 0;
  std::string email;
  std::string role;
  std::string password_hash;
  bool disabled = false;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct StaffSessionRow {
  std::string id_hash;
  StaffRow staff;
  std::string csrf;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
};

struct LoginFailures {
  int failures = 0;
  std::int64_t blocked_until = 0;
};

struct AuditRow {
  std::int64_t id = 0;
  std::int64_t at = 0;
  std::string actor;
  std::string action;
  std::string object;
  std::string address;
  std::string detail;
};

struct AuditFilter {
  std::int64_t since = 0;
  std::int64_t until = 0;  // 0: no upper bound
  std::string actor;       // empty: anyone
  std::string action;      // empty: any
  int limit = 500;
};

class StaffRepo {
 public:
  explicit StaffRepo(SQLite::Database& db);

  // False when the email is taken.
  bool add(const std::string& email,
           const std::string& role,
           const std::string& hash,
           std::int64_t now);
  std::optional<StaffRow> find(const std::string& email);
  std::vector<StaffRow> list();
  // False when there is no such account.
  bool set_disabled(const std::string& email, bool disabled, std::int64_t now);
  bool set_role(const std::string& email, const std::string& role, std::int64_t now);
  bool set_password(const std::string& email, const std::string& hash, std::int64_t now);
  int count_admins();

  void open_session(const std::string& id_hash,
                    std::int64_t staff_id,
                    const std::string& csrf,
                    const std::string& address,
                    std::int64_t now);
  std::optional<StaffSessionRow> session(const std::string& id_hash);
  void touch_session(const std::string& id_hash, std::int64_t now);
  void close_session(const std::string& id_hash);
  // Every session of an account (a password reset, a disabled account); returns how many.
  int close_sessions_of(std::int64_t staff_id);
  // Sessions idle since before `idle_before` or opened before `opened_before`.
  int close_stale_sessions(std::int64_t idle_before, std::int64_t opened_before);

  LoginFailures failures(const std::string& key);
  void record_failure(const std::string& key,
                      int failures,
                      std::int64_t blocked_until,
                      std::int64_t now);
  void clear_failures(const std::string& key);

  void audit(std::int64_t at,
             const std::string& actor,
             const std::string& action,
             const std::string& object,
             const std::string& address,
             const std::string& detail);
  std::vector<AuditRow> audit_log(const AuditFilter& filter);

 private:
  SQLite::Database& db_;
};

}  // namespace outreach::storage
