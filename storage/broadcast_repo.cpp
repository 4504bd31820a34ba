#include "storage/broadcast_repo.hpp"

#include "storage/query.hpp"

namespace outreach::storage {
namespace {

constexpr const char* kColumns =
    "id, title, document, status, created_by, created_at, send_at, expires_at, planned_at, "
    "plan, generation, finished_at";

std::optional<std::int64_t> optional_i64(const Query& q, int col) {
  if (q.is_null(col))
    return std::nullopt;
  return q.i64(col);
}

Broadcast read_broadcast(const Query& q) {
  Broadcast b;
  b.id = q.i64(0);
  b.title = q.text(1);
  b.document = q.text(2);
  b.status = q.text(3);
  b.created_by = q.text(4);
  b.created_at = q.i64(5);
  b.send_at = q.i64(6);
  b.expires_at = optional_i64(q, 7);
  b.planned_at = optional_i64(q, 8);
  b.plan = q.is_null(9) ? std::string{} : q.text(9);
  b.generation = q.i32(10);
  b.finished_at = optional_i64(q, 11);
  return b;
}

}  // namespace

BroadcastRepo::BroadcastRepo(SQLite::Database& db)
    : db_(db),
      insert_(db,
              "INSERT INTO broadcasts (title, document, created_by, created_at, send_at, "
              "expires_at) VALUES (:title, :doc, :by, :now, :send_at, :expires_at)"),
      get_(db, std::string("SELECT ") + kColumns + " FROM broadcasts WHERE id = :id"),
      list_(db, std::string("SELECT ") + kColumns + " FROM broadcasts ORDER BY id DESC LIMIT :n"),
      status_(db,
              "UPDATE broadcasts SET status = :status, finished_at = CASE WHEN :status IN "
              "('done', 'cancelled') THEN :now ELSE finished_at END WHERE id = :id"),
      generation_(db,
                  "UPDATE broadcasts SET generation = generation + 1 WHERE id = :id "
                  "RETURNING generation"),
      plan_(db,
            "UPDATE broadcasts SET plan = :plan, planned_at = :now, status = 'planned' "
            "WHERE id = :id"),
      clear_(db, "DELETE FROM broadcast_recipients WHERE broadcast_id = :id"),
      subscribers_(db,
                   "SELECT s.person_id, s.topics, s.ward, s.audience, p.channel, p.account, "
                   "p.language, p.last_interaction_at FROM subscriptions s "
                   "JOIN people p ON p.id = s.person_id ORDER BY s.person_id"),
      add_(db,
           "INSERT INTO broadcast_recipients (broadcast_id, person_id, path, reason, status) "
           "VALUES (:id, :person, :path, :reason, :status)"),
      queued_all_(db,
                  "SELECT person_id, COUNT(*) FROM broadcast_recipients "
                  "INDEXED BY broadcast_recipients_queued WHERE status = 'queued' AND "
                  "queued_at >= :since GROUP BY person_id"),
      queued_one_(
          db,
          "SELECT COUNT(*) FROM broadcast_recipients INDEXED BY broadcast_recipients_queued "
          "WHERE person_id = :person AND status = 'queued' AND queued_at >= :since"),
      booked_(db,
              "SELECT DISTINCT person_id FROM bookings WHERE person_id IS NOT NULL AND "
              "created_at >= :since"),
      batch_(db,
             "SELECT r.person_id, r.path, p.language, s.person_id IS NOT NULL "
             "FROM broadcast_recipients r JOIN people p ON p.id = r.person_id "
             "LEFT JOIN subscriptions s ON s.person_id = r.person_id "
             "WHERE r.broadcast_id = :id AND r.status = 'planned' ORDER BY r.person_id LIMIT :n"),
      queued_(db,
              "UPDATE broadcast_recipients SET status = 'queued', outbox_id = :outbox, "
              "queued_at = :now WHERE broadcast_id = :id AND person_id = :person"),
      skipped_(db,
               "UPDATE broadcast_recipients SET status = 'skipped', reason = :reason "
               "WHERE broadcast_id = :id AND person_id = :person"),
      skip_planned_(db,
                    "UPDATE broadcast_recipients SET status = 'skipped', reason = :reason "
                    "WHERE broadcast_id = :id AND status = 'planned'"),
      count_planned_(db,
                     "SELECT COUNT(*) FROM broadcast_recipients WHERE broadcast_id = :id AND "
                     "status = 'planned'"),
      report_(db,
              "SELECT r.path, r.status, COALESCE(o.status, ''), o.delivered_at IS NOT NULL, "
              "o.read_at IS NOT NULL, COALESCE(r.reason, o.last_error, ''), COUNT(*) "
              "FROM broadcast_recipients r LEFT JOIN outbox o ON o.id = r.outbox_id "
              "WHERE r.broadcast_id = :id GROUP BY 1, 2, 3, 4, 5, 6"),
      click_(db,
             "INSERT OR IGNORE INTO broadcast_clicks (broadcast_id, person_id, button, clicked_at) "
             "SELECT :id, :person, :button, :now WHERE EXISTS (SELECT 1 FROM broadcasts WHERE "
             "id = :id) AND EXISTS (SELECT 1 FROM people WHERE id = :person)"),
      clicks_(db,
              "SELECT button, COUNT(*) FROM broadcast_clicks WHERE broadcast_id = :id "
              "GROUP BY button ORDER BY button") {}

std::int64_t BroadcastRepo::create(const std::string& title,
                                   const std::string& document,
                                   const std::string& created_by,
                                   std::int64_t send_at,
                                   std::optional<std::int64_t> expires_at,
                                   std::int64_t now_ms) {
  Query q(insert_);
  q.bind(":title", title)
      .bind(":doc", document)
      .bind(":by", created_by)
      .bind(":now", now_ms)
      .bind(":send_at", send_at)
      .bind(":expires_at", expires_at);
  q.exec();
  return db_.getLastInsertRowid();
}

std::optional<Broadcast> BroadcastRepo::get(std::int64_t id) {
  Query q(get_);
  q.bind(":id", id);
  if (!q.step())
    return std::nullopt;
  return read_broadcast(q);
}

std::vector<Broadcast> BroadcastRepo::list(int limit) {
  Query q(list_);
  q.bind(":n", limit);
  std::vector<Broadcast> out;
  while (q.step()) out.push_back(read_broadcast(q));
  return out;
}

void BroadcastRepo::set_status(std::int64_t id, const std::string& status, std::int64_t now_ms) {
  Query(status_).bind(":status", status).bind(":now", now_ms).bind(":id", id).exec();
}

int BroadcastRepo::next_generation(std::int64_t id) {
  Query q(generation_);
  q.bind(":id", id);
  return q.step() ? q.i32(0) : 0;
}

void BroadcastRepo::save_plan(std::int64_t id, const std::string& plan, std::int64_t now_ms) {
  Query(plan_).bind(":plan", plan).bind(":now", now_ms).bind(":id", id).exec();
}

void BroadcastRepo::clear_recipients(std::int64_t id) {
  Query(clear_).bind(":id", id).exec();
}

void BroadcastRepo::for_each_subscriber(const std::function<void(const Subscriber&)>& fn) {
  // One pass over every subscriber: read through the page cache, not mmap, so the scan of a
  // large audience does not map the whole file into the process (peak memory stays small);
  // the connection's setting is put back afterwards.
  std::int64_t mmap = 0;  // (an in-memory database answers with no row)
  if (SQLite::Statement current(db_, "PRAGMA mmap_size"); current.executeStep())
    mmap = current.getColumn(0).getInt64();
  db_.exec("PRAGMA mmap_size=0");

  struct Restore {
    SQLite::Database& db;
    std::int64_t size;

    ~Restore() {
      try {
        db.exec("PRAGMA mmap_size=" + std::to_string(size));
      } catch (...) {
      }
    }
  } restore{db_, mmap};

  Query q(subscribers_);
  Subscriber s;
  while (q.step()) {
    s.person_id = q.i64(0);
    s.topics = q.text(1);
    s.ward = q.text(2);
    s.audience = q.text(3);
    s.channel = q.text(4);
    s.account = q.text(5);
    s.language = q.text(6);
    s.last_interaction_at = q.i64(7);
    fn(s);
  }
}

void BroadcastRepo::add_recipient(std::int64_t id,
                                  std::int64_t person_id,
                                  const std::string& path,
                                  const std::string& reason) {
  Query q(add_);
  q.bind(":id", id)
      .bind(":person", person_id)
      .bind(":path", path)
      .bind_or_null(":reason", reason)
      .bind(":status", reason.empty() ? "planned" : "skipped");
  q.exec();
}

std::unordered_map<std::int64_t, int> BroadcastRepo::queued_since(std::int64_t since_ms) {
  Query q(queued_all_);
  q.bind(":since", since_ms);
  std::unordered_map<std::int64_t, int> out;
  while (q.step()) out[q.i64(0)] = q.i32(1);
  return out;
}

int BroadcastRepo::queued_since(std::int64_t person_id, std::int64_t since_ms) {
  Query q(queued_one_);
  q.bind(":person", person_id).bind(":since", since_ms);
  return q.step() ? q.i32(0) : 0;
}

std::unordered_set<std::int64_t> BroadcastRepo::booked_since(std::int64_t since_ms) {
  Query q(booked_);
  q.bind(":since", since_ms);
  std::unordered_set<std::int64_t> out;
  while (q.step()) out.insert(q.i64(0));
  return out;
}

std::vector<PendingRecipient> BroadcastRepo::next_batch(std::int64_t id, int limit) {
  Query q(batch_);
  q.bind(":id", id).bind(":n", limit);
  std::vector<PendingRecipient> out;
  while (q.step()) out.push_back({q.i64(0), q.text(1), q.text(2), q.i32(3) != 0});
  return out;
}

void BroadcastRepo::mark_queued(std::int64_t id,
                                std::int64_t person_id,
                                std::int64_t outbox_id,
                                std::int64_t now) {
  Query(queued_)
      .bind(":outbox", outbox_id)
      .bind(":now", now)
      .bind(":id", id)
      .bind(":person", person_id)
      .exec();
}

void BroadcastRepo::mark_skipped(std::int64_t id,
                                 std::int64_t person_id,
                                 const std::string& reason) {
  Query(skipped_).bind(":reason", reason).bind(":id", id).bind(":person", person_id).exec();
}

int BroadcastRepo::skip_planned(std::int64_t id, const std::string& reason) {
  return Query(skip_planned_).bind(":reason", reason).bind(":id", id).exec();
}

std::int64_t BroadcastRepo::count_planned(std::int64_t id) {
  Query q(count_planned_);
  q.bind(":id", id);
  return q.step() ? q.i64(0) : 0;
}

std::vector<ReportRow> BroadcastRepo::report(std::int64_t id) {
  Query q(report_);
  q.bind(":id", id);
  std::vector<ReportRow> out;
  while (q.step())
    out.push_back(
        {q.text(0), q.text(1), q.text(2), q.i32(3) != 0, q.i32(4) != 0, q.text(5), q.i64(6)});
  return out;
}

void BroadcastRepo::record_click(std::int64_t id,
                                 std::int64_t person_id,
                                 const std::string& button,
                                 std::int64_t now_ms) {
  Query(click_)
      .bind(":id", id)
      .bind(":person", person_id)
      .bind(":button", button)
      .bind(":now", now_ms)
      .exec();
}

std::map<std::string, std::int64_t> BroadcastRepo::clicks(std::int64_t id) {
  Query q(clicks_);
  q.bind(":id", id);
  std::map<std::string, std::int64_t> out;
  while (q.step()) out[q.text(0)] = q.i64(1);
  return out;
}

}  // namespace outreach::storage
