#pragma once
// RecordsRepo: what the bot keeps for the office's statistics — one interaction row per turn
// (handler, outcome, latency; the text only when config and consent allow), the questions it
// could not answer with confidence (for staff), and the feedback people give.
// Thread-safety: not thread-safe; DB thread only.

#include <cstdint>
#include <optional>
#include <string>

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

class RecordsRepo {
 public:
  explicit RecordsRepo(SQLite::Database& db);

  void record_interaction(const InteractionRecord& r);
  void record_question(const QuestionRecord& q);
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
