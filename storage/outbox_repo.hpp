#pragma once
// OutboxRepo: the transactional outbox. Turns write replies here in their own transaction; the
// sender claims due rows — only the oldest open row of each person, so one person's messages
// go out in order and one at a time — and records each outcome.
// Thread-safety: not thread-safe; DB thread only.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "bot/core/message.hpp"

namespace outreach::storage {

// What became of a row the sender claimed.
enum class SendOutcome {
  kSent,
  kRetry,    // due again later
  kSkipped,  // not sendable (outside the platform's window…): final
  kDead,     // given up: final, listed by `dead-letters`
};
std::string_view to_string(SendOutcome o);  // "sent", "retry", "skipped", "dead"

enum class ReceiptKind { kDelivered, kRead };

struct OutboxItem {
  std::int64_t id = 0;
  std::int64_t person_id = 0;
  std::optional<std::int64_t> inbox_id;
  MessageKind kind = MessageKind::kReply;
  std::string body;    // OutboundMessage JSON
  int attempts = 0;    // including the current one
  int parts_sent = 0;  // parts of a long message already delivered by earlier attempts
  std::string channel;
  std::string account;
  std::string platform_user_id;
  std::string language;
  std::int64_t last_interaction_at = 0;
};

struct DeliveredMessage {
  std::int64_t id = 0;
  std::string body;
  std::int64_t sent_at = 0;
};

struct DeadLetter {
  std::int64_t id = 0;
  std::string channel;
  std::string account;
  std::string kind;
  int attempts = 0;
  std::string last_error;
  std::int64_t created_at = 0;
};

class OutboxRepo {
 public:
  explicit OutboxRepo(SQLite::Database& db);

  std::int64_t enqueue(std::int64_t person_id,
                       std::optional<std::int64_t> inbox_id,
                       int seq,
                       MessageKind kind,
                       const std::string& body,
                       std::int64_t now_ms);
  // A message outside a turn (a notice, a reminder, a staff message…) to `person_id`.
  std::int64_t enqueue(std::int64_t person_id,
                       MessageKind kind,
                       const OutboundMessage& message,
                       std::int64_t now_ms);

  // Marks up to `limit` due rows 'sending' (each the oldest open row of its person) and returns
  // them with their recipient: replies, reminders and staff messages first, then at most
  // `bulk_limit` broadcasts with the room left.
  std::vector<OutboxItem> claim_due(std::int64_t now_ms, int limit, int bulk_limit);

  std::vector<OutboxItem> claim_due(std::int64_t now_ms, int limit) {
    return claim_due(now_ms, limit, limit);
  }

  // The earliest next_attempt_at among rows that could be claimed, if any.
  std::optional<std::int64_t> next_due_at();

  // `platform_message_id` and `window` ("free" / "paid" for Zalo) may be empty.
  void mark_sent(std::int64_t id,
                 std::int64_t now_ms,
                 const std::string& platform_message_id = {},
                 const std::string& window = {});
  void mark_retry(std::int64_t id,
                  std::int64_t next_attempt_at,
                  const std::string& error,
                  int parts_sent = 0);

  // Receipts: by the platform's message ids (Zalo, Messenger `mids`), or for everything sent to
  // the person up to a time (Messenger's watermark). Returns rows changed.
  int record_receipt(ReceiptKind kind,
                     const std::vector<std::string>& platform_message_ids,
                     std::int64_t now_ms);
  int record_receipt_until(ReceiptKind kind,
                           std::int64_t person_id,
                           std::int64_t watermark_ms,
                           std::int64_t now_ms);
  // outcome: kDead (gave up) or kSkipped (not sendable, e.g. outside the window).
  void mark_final(std::int64_t id, SendOutcome outcome, const std::string& error);

  // Rows of `kind` still waiting for the person become skipped with `reason` (a person who
  // says STOP gets no announcement already queued). Returns how many.
  int skip_pending(std::int64_t person_id, MessageKind kind, const std::string& reason);

  // After a crash, rows left 'sending' go back to 'pending'. Returns how many.
  int reset_sending();

  std::vector<DeliveredMessage> delivered_after(std::int64_t person_id,
                                                std::int64_t after_id,
                                                int limit);
  std::vector<DeadLetter> dead_letters(int limit);
  // Puts dead rows (one by id, or all with id 0) back in the queue, due now, attempts reset.
  int requeue_dead(std::int64_t id, std::int64_t now_ms);
  std::int64_t count_dead();
  std::int64_t count_open();
  // Open rows due by `now_ms` (work the sender still has to do now).
  std::int64_t count_due(std::int64_t now_ms);

 private:
  SQLite::Database& db_;
  SQLite::Statement insert_;
  SQLite::Statement claim_;
  SQLite::Statement item_;
  SQLite::Statement next_due_;
  SQLite::Statement sent_;
  SQLite::Statement retry_;
  SQLite::Statement final_;
  SQLite::Statement pass_head_;
  SQLite::Statement skip_pending_;
  SQLite::Statement person_head_;
  SQLite::Statement delivered_;
  SQLite::Statement dead_;
  SQLite::Statement count_open_;
  SQLite::Statement count_due_;
};

}  // namespace outreach::storage
