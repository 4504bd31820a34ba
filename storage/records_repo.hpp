#pragma once
// RecordsRepo: what the bot keeps for the office's statistics — one interaction row per turn
// (handler, outcome, latency; the text only when config and consent allow), the questions it
// could not answer with confidence (for staff), and the feedback people give.
// Thread-safety: not thread-safe; DB thread only.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace outreach::storage {

struct InteractionRecord {
  std::optional<std::int64_t> inbox_id;
  std::int64_t person_id = 0;
  std::int64_t at = 0;
  std::string handler;
  std::string outcome;
  std::int64_t latency_us = 0;
  std::optional<std::string> text;
};

struct QuestionRecord {
  std::int64_t at = 0;
  std::optional<std::int64_t> person_id;
  std::string channel;
  std::string outcome;  // fallback | clarify
  std::string best;     // best explainer guess, may be empty
  double score = 0;
  std::optional<std::string> text;
};

// An unanswered question with its text, for the console: the newest row of each text not yet
// handled, with how many times that text was asked.
struct OpenQuestion {
  std::int64_t id = 0;  // the newest row
  std::int64_t at = 0;
  std::string channel;
  std::string outcome;
  std::string best;  // the closest explainer ('' none; 'referral:<id>' for a referral)
  std::string text;
  int times = 1;
};

class RecordsRepo {
 public:
  explicit RecordsRepo(SQLite::Database& db);

  void record_interaction(const InteractionRecord& r);
  // The row's id.
  std::int64_t record_question(const QuestionRecord& q);

  // The person agreed to send question `id` (theirs, still without text) to staff: keeps
  // `text`. False when the row is gone (deleted, expired) or not theirs.
  bool share_question(std::int64_t id, std::int64_t person_id, const std::string& text);

  // Questions with text not yet handled, newest first, one row per text (at most `limit`).
  std::vector<OpenQuestion> open_questions(int limit);
  std::optional<OpenQuestion> open_question(std::int64_t id);
  // Marks every unhandled row with the same text as `id`'s ('explainer:<id>', 'referral:<id>',
  // 'off-topic', 'dismissed') and drops their text; how many rows (0: not open any more).
  int handle_question(std::int64_t id,
                      const std::string& how,
                      const std::string& by,
                      std::int64_t now_ms);
  std::int64_t add_feedback(std::optional<std::int64_t> person_id,
                            int rating,
                            const std::string& comment,
                            std::int64_t now_ms);

 private:
  SQLite::Database& db_;
  SQLite::Statement interaction_;
  SQLite::Statement feedback_;
  SQLite::Statement question_;
};

}  // namespace outreach::storage
