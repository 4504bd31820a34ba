#include "storage/outbox_repo.hpp"

#include <chrono>

#include <nlohmann/json.hpp>

#include "storage/query.hpp"

namespace outreach::storage {

std::string_view to_string(SendOutcome o) {
  switch (o) {
    case SendOutcome::kSent:
      return "sent";
    case SendOutcome::kRetry:
      return "retry";
    case SendOutcome::kSkipped:
      return "skipped";
    case SendOutcome::kDead:
      return "dead";
  }
  return "dead";
}

namespace {

// After a message leaves the open set, the next open message of its person becomes the head.
constexpr const char* kPassHead = R"sql(
UPDATE outbox SET head = 1
WHERE id = (SELECT MIN(n.id) FROM outbox n
            WHERE n.person_id = (SELECT person_id FROM outbox WHERE id = :id)
              AND n.status IN ('pending', 'sending'))
)sql";

}  // namespace

OutboxRepo::OutboxRepo(SQLite::Database& db)
    : db_(db),
      insert_(db, R"sql(
INSERT INTO outbox (person_id, inbox_id, seq, kind, body, next_attempt_at, created_at, head)
VALUES (:person, :inbox, :seq, :kind, :body, :now, :now,
        NOT EXISTS (SELECT 1 FROM outbox WHERE person_id = :person AND status IN ('pending', 'sending')))
)sql"),
      claim_(db, R"sql(
UPDATE outbox SET status = 'sending', attempts = attempts + 1
WHERE id IN (SELECT id FROM outbox INDEXED BY outbox_due_kind
             WHERE status = 'pending' AND head = 1 AND next_attempt_at <= :now
               AND (kind = 'broadcast') = :bulk
             ORDER BY next_attempt_at, id LIMIT :limit)
RETURNING id
)sql"),
      item_(db, R"sql(
SELECT o.id, o.person_id, o.inbox_id, o.kind, o.body, o.attempts,
       p.channel, p.account, p.platform_user_id, p.language, p.last_interaction_at, o.parts_sent
FROM outbox o JOIN people p ON p.id = o.person_id WHERE o.id = :id
)sql"),
      next_due_(db,
                "SELECT next_attempt_at FROM outbox INDEXED BY outbox_due WHERE status = 'pending' "
                "AND head = 1 "
                "ORDER BY next_attempt_at, id LIMIT 1"),
      sent_(db,
            "UPDATE outbox SET status = 'sent', head = 0, sent_at = :now, last_error = NULL, "
            "platform_message_id = :mid, "
            "send_window = :window WHERE id = :id"),
      retry_(db,
             "UPDATE outbox SET status = 'pending', next_attempt_at = :next, last_error = :error, "
             "parts_sent = MAX(parts_sent, :parts) WHERE id = :id"),
      final_(db,
             "UPDATE outbox SET status = :status, head = 0, last_error = :error WHERE id = :id"),
      pass_head_(db, kPassHead),
      skip_pending_(db,
                    "UPDATE outbox SET status = 'skipped', head = 0, last_error = :reason "
                    "WHERE person_id = :person AND kind = :kind AND status = 'pending'"),
      person_head_(db,
                   "UPDATE outbox SET head = 1 WHERE id = (SELECT MIN(id) FROM outbox "
                   "WHERE person_id = :person AND status IN ('pending', 'sending'))"),
      delivered_(db,
                 "SELECT id, body, sent_at FROM outbox WHERE person_id = :person AND "
                 "status = 'sent' AND id > :after ORDER BY id LIMIT :limit"),
      dead_(db, R"sql(
SELECT o.id, p.channel, p.account, o.kind, o.attempts, COALESCE(o.last_error, ''), o.created_at
FROM outbox o JOIN people p ON p.id = o.person_id
WHERE o.status = 'dead' ORDER BY o.id DESC LIMIT :limit
)sql"),
      count_open_(db, "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"),
      count_due_(db,
                 "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending') AND "
                 "next_attempt_at <= :now") {}

std::int64_t OutboxRepo::enqueue(std::int64_t person_id,
                                 std::optional<std::int64_t> inbox_id,
                                 int seq,
                                 MessageKind kind,
                                 const std::string& body,
                                 std::int64_t now_ms) {
  Query q(insert_);
  q.bind(":person", person_id)
      .bind(":inbox", inbox_id)
      .bind(":seq", seq)
      .bind(":kind", std::string(to_string(kind)))
      .bind(":body", body)
      .bind(":now", now_ms);
  q.exec();
  return db_.getLastInsertRowid();
}

std::int64_t OutboxRepo::enqueue(std::int64_t person_id,
                                 MessageKind kind,
                                 const OutboundMessage& message,
                                 std::int64_t now_ms) {
  return enqueue(person_id, std::nullopt, 0, kind, nlohmann::json(message).dump(), now_ms);
}

std::vector<OutboxItem> OutboxRepo::claim_due(std::int64_t now_ms, int limit, int bulk_limit) {
  std::vector<std::int64_t> ids;
  // Everything but broadcasts first, in time order; then broadcasts with the room left.
  for (const int bulk : {0, 1}) {
    const int room = bulk == 0 ? limit : std::min(limit - static_cast<int>(ids.size()), bulk_limit);
    if (room <= 0)
      continue;
    Query q(claim_);
    q.bind(":now", now_ms).bind(":limit", room).bind(":bulk", bulk);
    while (q.step()) ids.push_back(q.i64(0));
  }
  std::vector<OutboxItem> items;
  items.reserve(ids.size());
  for (std::int64_t id : ids) {
    Query q(item_);
    q.bind(":id", id);
    if (!q.step())
      continue;
    OutboxItem it;
    it.id = q.i64(0);
    it.person_id = q.i64(1);
    if (!q.is_null(2))
      it.inbox_id = q.i64(2);
    it.kind = message_kind_from_string(q.text(3));
    it.body = q.text(4);
    it.attempts = q.i32(5);
    it.channel = q.text(6);
    it.account = q.text(7);
    it.platform_user_id = q.text(8);
    it.language = q.text(9);
    it.last_interaction_at = q.i64(10);
    it.parts_sent = q.i32(11);
    items.push_back(std::move(it));
  }
  return items;
}

std::optional<std::int64_t> OutboxRepo::next_due_at() {
  Query q(next_due_);
  if (!q.step() || q.is_null(0))
    return std::nullopt;
  return q.i64(0);
}

void OutboxRepo::mark_sent(std::int64_t id,
                           std::int64_t now_ms,
                           const std::string& platform_message_id,
                           const std::string& window) {
  Query(sent_)
      .bind(":now", now_ms)
      .bind_or_null(":mid", platform_message_id)
      .bind_or_null(":window", window)
      .bind(":id", id)
      .exec();
  Query(pass_head_).bind(":id", id).exec();
}

void OutboxRepo::mark_retry(std::int64_t id,
                            std::int64_t next_attempt_at,
                            const std::string& error,
                            int parts_sent) {
  Query(retry_)
      .bind(":next", next_attempt_at)
      .bind(":error", error)
      .bind(":parts", parts_sent)
      .bind(":id", id)
      .exec();
}

int OutboxRepo::record_receipt(ReceiptKind kind,
                               const std::vector<std::string>& platform_message_ids,
                               std::int64_t now_ms) {
  SQLite::Statement st(db_,
                       kind == ReceiptKind::kRead
                           ? "UPDATE outbox SET read_at = COALESCE(read_at, :now), delivered_at = "
                             "COALESCE(delivered_at, :now) WHERE platform_message_id = :mid"
                           : "UPDATE outbox SET delivered_at = COALESCE(delivered_at, :now) WHERE "
                             "platform_message_id = :mid");
  int changed = 0;
  for (const auto& mid : platform_message_ids) {
    st.bind(":now", static_cast<int64_t>(now_ms));
    st.bind(":mid", mid);
    changed += st.exec();
    st.reset();
  }
  return changed;
}

int OutboxRepo::record_receipt_until(ReceiptKind kind,
                                     std::int64_t person_id,
                                     std::int64_t watermark_ms,
                                     std::int64_t now_ms) {
  SQLite::Statement st(
      db_, kind == ReceiptKind::kRead
               ? "UPDATE outbox SET read_at = :now, delivered_at = COALESCE(delivered_at, :now) "
                 "WHERE person_id = :person AND status = 'sent' AND sent_at <= :watermark AND "
                 "read_at IS NULL"
               : "UPDATE outbox SET delivered_at = :now WHERE person_id = :person AND status = "
                 "'sent' AND sent_at <= :watermark AND delivered_at IS NULL");
  st.bind(":now", static_cast<int64_t>(now_ms));
  st.bind(":person", static_cast<int64_t>(person_id));
  st.bind(":watermark", static_cast<int64_t>(watermark_ms));
  return st.exec();
}

void OutboxRepo::mark_final(std::int64_t id, SendOutcome outcome, const std::string& error) {
  const std::string_view status = to_string(outcome);
  Query(final_).bind(":status", std::string(status)).bind(":error", error).bind(":id", id).exec();
  Query(pass_head_).bind(":id", id).exec();
}

int OutboxRepo::skip_pending(std::int64_t person_id, MessageKind kind, const std::string& reason) {
  const int n = Query(skip_pending_)
                    .bind(":reason", reason)
                    .bind(":person", person_id)
                    .bind(":kind", to_string(kind))
                    .exec();
  if (n > 0)
    Query(person_head_).bind(":person", person_id).exec();
  return n;
}

int OutboxRepo::reset_sending() {
  return db_.exec("UPDATE outbox SET status = 'pending' WHERE status = 'sending'");
}

std::vector<DeliveredMessage> OutboxRepo::delivered_after(std::int64_t person_id,
                                                          std::int64_t after_id,
                                                          int limit) {
  std::vector<DeliveredMessage> out;
  Query q(delivered_);
  q.bind(":person", person_id).bind(":after", after_id).bind(":limit", limit);
  while (q.step()) out.push_back({q.i64(0), q.text(1), q.is_null(2) ? 0 : q.i64(2)});
  return out;
}

std::vector<DeadLetter> OutboxRepo::dead_letters(int limit) {
  std::vector<DeadLetter> out;
  Query q(dead_);
  q.bind(":limit", limit);
  while (q.step())
    out.push_back({q.i64(0), q.text(1), q.text(2), q.text(3), q.i32(4), q.text(5), q.i64(6)});
  return out;
}

std::int64_t OutboxRepo::count_open() {
  Query q(count_open_);
  q.step();
  return q.i64(0);
}

}  // namespace outreach::storage

namespace outreach::storage {

std::int64_t OutboxRepo::count_due(std::int64_t now_ms) {
  Query q(count_due_);
  q.bind(":now", now_ms);
  q.step();
  return q.i64(0);
}

int OutboxRepo::requeue_dead(std::int64_t id, std::int64_t now_ms) {
  SQLite::Statement q(db_,
                      "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = :now, "
                      "last_error = 'requeued after: ' || COALESCE(last_error, '') "
                      "WHERE status = 'dead' AND (:id = 0 OR id = :id)");
  q.bind(":now", static_cast<int64_t>(now_ms));
  q.bind(":id", static_cast<int64_t>(id));
  const int n = q.exec();
  // A requeued message may be older than its person's current head: mark the heads afresh.
  if (n > 0)
    db_.exec(
        "UPDATE outbox SET head = (id IN (SELECT MIN(id) FROM outbox WHERE status IN ('pending', "
        "'sending') "
        "GROUP BY person_id)) WHERE status IN ('pending', 'sending')");
  return n;
}

std::int64_t OutboxRepo::count_dead() {
  SQLite::Statement q(db_, "SELECT COUNT(*) FROM outbox WHERE status = 'dead'");
  q.executeStep();
  return q.getColumn(0).getInt64();
}

}  // namespace outreach::storage
