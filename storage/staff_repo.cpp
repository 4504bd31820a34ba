#include "storage/staff_repo.hpp"

#include <SQLiteCpp/Statement.h>

namespace outreach::storage {
namespace {

constexpr const char* kStaffColumns =
    "id, email, role, password_hash, disabled, created_at, updated_at";

StaffRow staff_from(SQLite::Statement& q, int first = 0) {
  StaffRow r;
  r.id = q.getColumn(first).getInt64();
  r.email = q.getColumn(first + 1).getString();
  r.role = q.getColumn(first + 2).getString();
  r.password_hash = q.getColumn(first + 3).getString();
  r.disabled = q.getColumn(first + 4).getInt() != 0;
  r.created_at = q.getColumn(first + 5).getInt64();
  r.updated_at = q.getColumn(first + 6).getInt64();
  return r;
}

bool update_one(SQLite::Database& db,
                const std::string& sql,
                const std::string& email,
                const std::string& value,
                std::int64_t now) {
  SQLite::Statement q(db, sql);
  q.bind(":email", email);
  q.bind(":value", value);
  q.bind(":now", static_cast<int64_t>(now));
  return q.exec() == 1;
}

}  // namespace

StaffRepo::StaffRepo(SQLite::Database& db) : db_(db) {}

bool StaffRepo::add(const std::string& email,
                    const std::string& role,
                    const std::string& hash,
                    std::int64_t now) {
  SQLite::Statement q(db_,
                      "INSERT INTO staff (email, role, password_hash, created_at, updated_at) "
                      "VALUES (:email, :role, :hash, :now, :now) ON CONFLICT (email) DO NOTHING");
  q.bind(":email", email);
  q.bind(":role", role);
  q.bind(":hash", hash);
  q.bind(":now", static_cast<int64_t>(now));
  return q.exec() == 1;
}

std::optional<StaffRow> StaffRepo::find(const std::string& email) {
  SQLite::Statement q(db_,
                      std::string("SELECT ") + kStaffColumns + " FROM staff WHERE email = :email");
  q.bind(":email", email);
  if (!q.executeStep())
    return std::nullopt;
  return staff_from(q);
}

std::vector<StaffRow> StaffRepo::list() {
  SQLite::Statement q(db_, std::string("SELECT ") + kStaffColumns + " FROM staff ORDER BY email");
  std::vector<StaffRow> out;
  while (q.executeStep()) out.push_back(staff_from(q));
  return out;
}

bool StaffRepo::set_disabled(const std::string& email, bool disabled, std::int64_t now) {
  return update_one(db_,
                    "UPDATE staff SET disabled = CAST(:value AS INTEGER), updated_at = :now "
                    "WHERE email = :email",
                    email, disabled ? "1" : "0", now);
}

bool StaffRepo::set_password(const std::string& email, const std::string& hash, std::int64_t now) {
  return update_one(
      db_, "UPDATE staff SET password_hash = :value, updated_at = :now WHERE email = :email", email,
      hash, now);
}

bool StaffRepo::set_role(const std::string& email, const std::string& role, std::int64_t now) {
  return update_one(db_, "UPDATE staff SET role = :value, updated_at = :now WHERE email = :email",
                    email, role, now);
}

int StaffRepo::count_admins() {
  SQLite::Statement q(db_, "SELECT COUNT(*) FROM staff WHERE role = 'admin' AND disabled = 0");
  q.executeStep();
  return q.getColumn(0).getInt();
}

void StaffRepo::open_session(const std::string& id_hash,
                             std::int64_t staff_id,
                             const std::string& csrf,
                             const std::string& address,
                             std::int64_t now) {
  SQLite::Statement q(db_,
                      "INSERT INTO staff_sessions (id_hash, staff_id, csrf, created_at, "
                      "last_seen_at, address) VALUES (:id, :staff, :csrf, :now, :now, :address)");
  q.bind(":id", id_hash);
  q.bind(":staff", static_cast<int64_t>(staff_id));
  q.bind(":csrf", csrf);
  q.bind(":now", static_cast<int64_t>(now));
  q.bind(":address", address);
  q.exec();
}

std::optional<StaffSessionRow> StaffRepo::session(const std::string& id_hash) {
  SQLite::Statement q(db_,
                      "SELECT s.id, s.email, s.role, s.password_hash, s.disabled, s.created_at, "
                      "s.updated_at, x.csrf, x.created_at, x.last_seen_at FROM staff_sessions x "
                      "JOIN staff s ON s.id = x.staff_id WHERE x.id_hash = :id");
  q.bind(":id", id_hash);
  if (!q.executeStep())
    return std::nullopt;
  StaffSessionRow r;
  r.id_hash = id_hash;
  r.staff = staff_from(q);
  r.csrf = q.getColumn(7).getString();
  r.created_at = q.getColumn(8).getInt64();
  r.last_seen_at = q.getColumn(9).getInt64();
  return r;
}

void StaffRepo::touch_session(const std::string& id_hash, std::int64_t now) {
  SQLite::Statement q(db_, "UPDATE staff_sessions SET last_seen_at = :now WHERE id_hash = :id");
  q.bind(":now", static_cast<int64_t>(now));
  q.bind(":id", id_hash);
  q.exec();
}

void StaffRepo::close_session(const std::string& id_hash) {
  SQLite::Statement q(db_, "DELETE FROM staff_sessions WHERE id_hash = :id");
  q.bind(":id", id_hash);
  q.exec();
}

int StaffRepo::close_sessions_of(std::int64_t staff_id) {
  SQLite::Statement q(db_, "DELETE FROM staff_sessions WHERE staff_id = :staff");
  q.bind(":staff", static_cast<int64_t>(staff_id));
  return q.exec();
}

int StaffRepo::close_stale_sessions(std::int64_t idle_before, std::int64_t opened_before) {
  SQLite::Statement q(
      db_, "DELETE FROM staff_sessions WHERE last_seen_at < :idle OR created_at < :opened");
  q.bind(":idle", static_cast<int64_t>(idle_before));
  q.bind(":opened", static_cast<int64_t>(opened_before));
  return q.exec();
}

LoginFailures StaffRepo::failures(const std::string& key) {
  SQLite::Statement q(db_, "SELECT failures, blocked_until FROM login_failures WHERE key = :key");
  q.bind(":key", key);
  LoginFailures f;
  if (q.executeStep()) {
    f.failures = q.getColumn(0).getInt();
    f.blocked_until = q.getColumn(1).getInt64();
  }
  return f;
}

void StaffRepo::record_failure(const std::string& key,
                               int failures,
                               std::int64_t blocked_until,
                               std::int64_t now) {
  SQLite::Statement q(db_,
                      "INSERT INTO login_failures (key, failures, blocked_until, updated_at) "
                      "VALUES (:key, :failures, :until, :now) ON CONFLICT (key) DO UPDATE SET "
                      "failures = excluded.failures, blocked_until = excluded.blocked_until, "
                      "updated_at = excluded.updated_at");
  q.bind(":key", key);
  q.bind(":failures", failures);
  q.bind(":until", static_cast<int64_t>(blocked_until));
  q.bind(":now", static_cast<int64_t>(now));
  q.exec();
}

void StaffRepo::clear_failures(const std::string& key) {
  SQLite::Statement q(db_, "DELETE FROM login_failures WHERE key = :key");
  q.bind(":key", key);
  q.exec();
}

void StaffRepo::audit(std::int64_t at,
                      const std::string& actor,
                      const std::string& action,
                      const std::string& object,
                      const std::string& address,
                      const std::string& detail) {
  SQLite::Statement q(db_,
                      "INSERT INTO audit_log (at, actor, action, object, address, detail) "
                      "VALUES (:at, :actor, :action, :object, :address, :detail)");
  q.bind(":at", static_cast<int64_t>(at));
  q.bind(":actor", actor);
  q.bind(":action", action);
  q.bind(":object", object);
  q.bind(":address", address);
  q.bind(":detail", detail);
  q.exec();
}

std::vector<AuditRow> StaffRepo::audit_log(const AuditFilter& f) {
  SQLite::Statement q(db_,
                      "SELECT id, at, actor, action, object, address, detail FROM audit_log "
                      "WHERE at >= :since AND (:until = 0 OR at < :until) "
                      "AND (:actor = '' OR actor = :actor) AND (:action = '' OR action = :action) "
                      "ORDER BY id DESC LIMIT :limit");
  q.bind(":since", static_cast<int64_t>(f.since));
  q.bind(":until", static_cast<int64_t>(f.until));
  q.bind(":actor", f.actor);
  q.bind(":action", f.action);
  q.bind(":limit", f.limit);
  std::vector<AuditRow> out;
  while (q.executeStep()) {
    AuditRow r;
    r.id = q.getColumn(0).getInt64();
    r.at = q.getColumn(1).getInt64();
    r.actor = q.getColumn(2).getString();
    r.action = q.getColumn(3).getString();
    r.object = q.getColumn(4).getString();
    r.address = q.getColumn(5).getString();
    r.detail = q.getColumn(6).getString();
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace outreach::storage
