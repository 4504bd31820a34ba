#include "storage/handoff_repo.hpp"

#include "storage/query.hpp"

namespace outreach::storage {
namespace {

constexpr const char* kColumns =
    "h.id, h.person_id, h.status, h.reason, h.assignee, h.opened_at, h.updated_at, "
    "h.last_person_at, COALESCE(h.snoozed_until, 0), p.channel, COALESCE(p.display_name, ''), "
    "p.language";

HandoffRow row_from(SQLite::Statement& q) {
  HandoffRow r;
  r.id = q.getColumn(0).getInt64();
  r.person_id = q.getColumn(1).getInt64();
  r.status = q.getColumn(2).getString();
  r.reason = q.getColumn(3).getString();
  r.assignee = q.getColumn(4).getString();
  r.opened_at = q.getColumn(5).getInt64();
  r.updated_at = q.getColumn(6).getInt64();
  r.last_person_at = q.getColumn(7).getInt64();
  r.snoozed_until = q.getColumn(8).getInt64();
  r.channel = q.getColumn(9).getString();
  r.display_name = q.getColumn(10).getString();
  r.language = q.getColumn(11).getString();
  return r;
}

std::string select_from() {
  return std::string("SELECT ") + kColumns +
         " FROM handoffs h JOIN people p ON p.id = h.person_id ";
}

}  // namespace

HandoffRepo::HandoffRepo(SQLite::Database& db)
    : db_(db),
      active_(db, select_from() + "WHERE h.person_id = :person AND h.status != 'resolved'"),
      add_message_(db,
                   "INSERT INTO handoff_messages (handoff_id, at, author, staff, text) VALUES "
                   "(:id, :at, :author, :staff, :text)") {}

std::optional<HandoffRow> HandoffRepo::active(std::int64_t person_id) {
  Query q(active_);
  q.bind(":person", person_id);
  if (!q.step())
    return std::nullopt;
  return row_from(active_);
}

std::pair<std::int64_t, bool> HandoffRepo::open(std::int64_t person_id,
                                                const std::string& reason,
                                                std::int64_t now) {
  if (auto a = active(person_id))
    return {a->id, false};
  SQLite::Statement q(db_,
                      "INSERT INTO handoffs (person_id, status, reason, opened_at, updated_at, "
                      "last_person_at) VALUES (:person, 'open', :reason, :now, :now, :now)");
  q.bind(":person", static_cast<int64_t>(person_id));
  q.bind(":reason", reason);
  q.bind(":now", static_cast<int64_t>(now));
  q.exec();
  return {db_.getLastInsertRowid(), true};
}

void HandoffRepo::add_message(std::int64_t handoff_id,
                              const std::string& author,
                              const std::string& staff,
                              const std::string& text,
                              std::int64_t now) {
  Query q(add_message_);
  q.bind(":id", handoff_id).bind(":at", now).bind(":author", author).bind(":staff", staff);
  q.bind(":text", text);
  q.exec();
  SQLite::Statement touch(db_, "UPDATE handoffs SET updated_at = :now WHERE id = :id");
  touch.bind(":now", static_cast<int64_t>(now));
  touch.bind(":id", static_cast<int64_t>(handoff_id));
  touch.exec();
}

void HandoffRepo::person_wrote(std::int64_t handoff_id, std::int64_t now) {
  SQLite::Statement q(db_,
                      "UPDATE handoffs SET last_person_at = :now, updated_at = :now, status = "
                      "CASE status WHEN 'snoozed' THEN 'open' ELSE status END, snoozed_until = "
                      "CASE status WHEN 'snoozed' THEN NULL ELSE snoozed_until END WHERE id = :id");
  q.bind(":now", static_cast<int64_t>(now));
  q.bind(":id", static_cast<int64_t>(handoff_id));
  q.exec();
}

bool HandoffRepo::set_status(const char* sql, std::int64_t id, std::int64_t now) {
  SQLite::Statement q(db_, sql);
  q.bind(":id", static_cast<int64_t>(id));
  q.bind(":now", static_cast<int64_t>(now));
  return q.exec() == 1;
}

bool HandoffRepo::take(std::int64_t id, const std::string& staff, std::int64_t now) {
  SQLite::Statement q(db_,
                      "UPDATE handoffs SET status = 'pending', assignee = :staff, snoozed_until = "
                      "NULL, updated_at = :now WHERE id = :id AND status != 'resolved'");
  q.bind(":staff", staff);
  q.bind(":id", static_cast<int64_t>(id));
  q.bind(":now", static_cast<int64_t>(now));
  return q.exec() == 1;
}

bool HandoffRepo::snooze(std::int64_t id, std::int64_t until, std::int64_t now) {
  SQLite::Statement q(db_,
                      "UPDATE handoffs SET status = 'snoozed', snoozed_until = :until, updated_at "
                      "= :now WHERE id = :id AND status != 'resolved'");
  q.bind(":until", static_cast<int64_t>(until));
  q.bind(":id", static_cast<int64_t>(id));
  q.bind(":now", static_cast<int64_t>(now));
  return q.exec() == 1;
}

bool HandoffRepo::reopen(std::int64_t id, std::int64_t now) {
  return set_status(
      "UPDATE handoffs SET status = 'open', assignee = '', snoozed_until = NULL, updated_at = "
      ":now WHERE id = :id AND status != 'resolved'",
      id, now);
}

bool HandoffRepo::resolve(std::int64_t id, std::int64_t now) {
  return set_status(
      "UPDATE handoffs SET status = 'resolved', resolved_at = :now, snoozed_until = NULL, "
      "updated_at = :now WHERE id = :id AND status != 'resolved'",
      id, now);
}

int HandoffRepo::wake_snoozed(std::int64_t now) {
  SQLite::Statement q(db_,
                      "UPDATE handoffs SET status = 'open', snoozed_until = NULL, updated_at = "
                      ":now WHERE status = 'snoozed' AND snoozed_until <= :now");
  q.bind(":now", static_cast<int64_t>(now));
  return q.exec();
}

std::optional<HandoffRow> HandoffRepo::find(std::int64_t id) {
  SQLite::Statement q(db_, select_from() + "WHERE h.id = :id");
  q.bind(":id", static_cast<int64_t>(id));
  if (!q.executeStep())
    return std::nullopt;
  return row_from(q);
}

std::vector<HandoffRow> HandoffRepo::list(const std::vector<std::string>& statuses, int limit) {
  std::string in;
  for (std::size_t i = 0; i < statuses.size(); ++i) in += (i ? ", :s" : ":s") + std::to_string(i);
  if (in.empty())
    return {};
  SQLite::Statement q(db_, select_from() + "WHERE h.status IN (" + in +
                               ") ORDER BY h.last_person_at ASC LIMIT :limit");
  for (std::size_t i = 0; i < statuses.size(); ++i) q.bind(":s" + std::to_string(i), statuses[i]);
  q.bind(":limit", limit);
  std::vector<HandoffRow> out;
  while (q.executeStep()) out.push_back(row_from(q));
  return out;
}

std::vector<HandoffMessage> HandoffRepo::messages(std::int64_t handoff_id, int last) {
  SQLite::Statement q(db_,
                      "SELECT id, at, author, staff, text FROM (SELECT * FROM handoff_messages "
                      "WHERE handoff_id = :id ORDER BY id DESC LIMIT :last) ORDER BY id ASC");
  q.bind(":id", static_cast<int64_t>(handoff_id));
  q.bind(":last", last);
  std::vector<HandoffMessage> out;
  while (q.executeStep())
    out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getString(),
                   q.getColumn(3).getString(), q.getColumn(4).getString()});
  return out;
}

std::pair<std::string, int> HandoffRepo::version() {
  SQLite::Statement q(
      db_,
      "SELECT COALESCE(MAX(updated_at), 0), COALESCE(SUM(status != 'resolved'), 0), "
      "COALESCE(SUM(status = 'open'), 0), (SELECT COALESCE(MAX(id), 0) FROM "
      "handoff_messages) FROM handoffs");
  q.executeStep();
  const int open = q.getColumn(2).getInt();
  return {std::to_string(q.getColumn(0).getInt64()) + "." + q.getColumn(1).getString() + "." +
              std::to_string(open) + "." + q.getColumn(3).getString(),
          open};
}

int HandoffRepo::purge_resolved(std::int64_t cutoff) {
  SQLite::Statement q(db_,
                      "DELETE FROM handoffs WHERE status = 'resolved' AND resolved_at < :cutoff");
  q.bind(":cutoff", static_cast<int64_t>(cutoff));
  return q.exec();
}

}  // namespace outreach::storage
