#include "storage/inbox_repo.hpp"

#include <algorithm>

#include "storage/query.hpp"

namespace outreach::storage {

namespace {

// Zalo retries an undelivered event for about two hours, Meta's Graph webhooks for up to 36.
constexpr std::int64_t kRedeliveryHorizonMs = 72LL * 3600 * 1000;

}  // namespace

std::int64_t dedupe_time(const InboundEvent& event) {
  if (event.channel == ChannelKind::kZalo || event.channel == ChannelKind::kMessenger)
    return std::max<std::int64_t>(event.timestamp_ms, 0);
  return 0;  // web chat and terminal events carry our own clock: their ids alone are the key
}

InboxRepo::InboxRepo(SQLite::Database& db)
    : db_(db),
      insert_(db, R"sql(
INSERT INTO inbox (channel, account, platform_user_id, platform_event_id, kind, payload, received_at,
                   event_at)
VALUES (:channel, :account, :user, :event, :kind, :payload, :now, :at)
ON CONFLICT (channel, account, event_at, platform_event_id) DO NOTHING
)sql"),
      find_id_(db,
               "SELECT id FROM inbox WHERE channel = :channel AND account = :account AND "
               "event_at = :at AND platform_event_id = :event"),
      find_before_0007_(db,
                        "SELECT id FROM inbox WHERE channel = :channel AND account = :account AND "
                        "platform_event_id = :event AND event_at < 0"),
      pending_(db, "SELECT id FROM inbox WHERE status = 'pending' ORDER BY id LIMIT :limit"),
      get_(db,
           "SELECT id, COALESCE(payload, ''), attempts, received_at FROM inbox "
           "WHERE id = :id AND status = 'pending'"),
      bump_(db, "UPDATE inbox SET attempts = attempts + 1 WHERE id = :id RETURNING attempts"),
      finish_(db,
              "UPDATE inbox SET status = :status, processed_at = :now, error = :error, "
              "payload = NULL WHERE id = :id"),
      finish_keep_(db,
                   "UPDATE inbox SET status = :status, processed_at = :now, error = :error "
                   "WHERE id = :id"),
      count_(db, "SELECT COUNT(*) FROM inbox WHERE status = 'pending'"),
      oldest_(db, "SELECT received_at FROM inbox WHERE status = 'pending' ORDER BY id LIMIT 1") {
  // Until when rows stored before 0007 can be redelivered (the migration noted the newest).
  SQLite::Statement newest(db_, "SELECT MAX(received_at) FROM inbox_before_0007_newest");
  newest.executeStep();
  before_0007_until_ =
      newest.isColumnNull(0) ? 0 : newest.getColumn(0).getInt64() + kRedeliveryHorizonMs;
}

AppendOutcome InboxRepo::append(const InboundEvent& event, std::int64_t now_ms) {
  return append(event, to_json_text(event), now_ms);
}

AppendOutcome InboxRepo::append(const InboundEvent& event,
                                const std::string& payload,
                                std::int64_t now_ms) {
  const std::string channel(to_string(event.channel));
  const std::string kind(to_string(event.kind));
  const std::int64_t at = dedupe_time(event);
  if (now_ms < before_0007_until_) {
    Query q(find_before_0007_);
    q.bind(":channel", channel).bind(":account", event.account).bind(":event", event.event_id);
    if (q.step())
      return {q.i64(0), true};
  }
  {
    Query q(insert_);  // every value outlives q: bound without copies (an insert per webhook)
    q.bind_ref(":channel", channel)
        .bind_ref(":account", event.account)
        .bind_ref(":user", event.user_id)
        .bind_ref(":event", event.event_id)
        .bind_ref(":kind", kind)
        .bind_ref(":payload", payload)
        .bind(":now", now_ms)
        .bind(":at", at);
    if (q.exec() == 1)
      return {db_.getLastInsertRowid(), false};
  }
  Query q(find_id_);
  q.bind(":channel", channel)
      .bind(":account", event.account)
      .bind(":at", at)
      .bind(":event", event.event_id);
  q.step();
  return {q.i64(0), true};
}

std::vector<std::int64_t> InboxRepo::pending_ids(int limit) {
  std::vector<std::int64_t> ids;
  Query q(pending_);
  q.bind(":limit", limit);
  while (q.step()) ids.push_back(q.i64(0));
  return ids;
}

std::optional<InboxRow> InboxRepo::get_pending(std::int64_t id) {
  Query q(get_);
  q.bind(":id", id);
  if (!q.step())
    return std::nullopt;
  return InboxRow{q.i64(0), q.text(1), q.i32(2), q.i64(3)};
}

int InboxRepo::bump_attempts(std::int64_t id) {
  Query q(bump_);
  q.bind(":id", id);
  if (!q.step())
    return 0;
  const int attempts = q.i32(0);
  while (q.step()) {
  }
  return attempts;
}

void InboxRepo::finish(std::int64_t id,
                       const std::string& status,
                       std::int64_t now_ms,
                       const std::string& error,
                       bool keep_payload) {
  Query q(keep_payload ? finish_keep_ : finish_);
  q.bind(":status", status).bind(":now", now_ms).bind_or_null(":error", error).bind(":id", id);
  q.exec();
}

std::optional<std::int64_t> InboxRepo::oldest_pending_received_at() {
  Query q(oldest_);
  if (!q.step())
    return std::nullopt;
  return q.i64(0);
}

std::int64_t InboxRepo::count_pending() {
  Query q(count_);
  q.step();
  return q.i64(0);
}

}  // namespace outreach::storage
