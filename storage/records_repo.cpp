#include "storage/records_repo.hpp"

#include "storage/query.hpp"

namespace outreach::storage {

RecordsRepo::RecordsRepo(SQLite::Database& db)
    : db_(db),
      interaction_(db, R"sql(
INSERT INTO interactions (inbox_id, person_id, at, handler, outcome, latency_us, text)
VALUES (:inbox, :person, :at, :handler, :outcome, :latency, :text)
)sql"),
      feedback_(db,
                "INSERT INTO feedback (person_id, rating, comment, created_at) "
                "VALUES (:person, :rating, :comment, :now)"),
      question_(db,
                "INSERT INTO questions (at, person_id, channel, outcome, best, score, text) "
                "VALUES (:at, :person, :channel, :outcome, :best, :score, :text)") {}

void RecordsRepo::record_question(const QuestionRecord& q) {
  Query st(question_);
  st.bind(":at", q.at)
      .bind(":person", q.person_id)
      .bind(":channel", q.channel)
      .bind(":outcome", q.outcome)
      .bind_or_null(":best", q.best)
      .bind(":score", q.score)
      .bind(":text", q.text);
  st.exec();
}

void RecordsRepo::record_interaction(const InteractionRecord& r) {
  Query q(interaction_);
  q.bind(":inbox", r.inbox_id)
      .bind(":person", r.person_id)
      .bind(":at", r.at)
      .bind(":handler", r.handler)
      .bind(":outcome", r.outcome)
      .bind(":latency", r.latency_us)
      .bind(":text", r.text);
  q.exec();
}

std::int64_t RecordsRepo::add_feedback(std::optional<std::int64_t> person_id,
                                       int rating,
                                       const std::string& comment,
                                       std::int64_t now_ms) {
  Query q(feedback_);
  q.bind(":person", person_id)
      .bind(":rating", rating)
      .bind_or_null(":comment", comment)
      .bind(":now", now_ms);
  q.exec();
  return db_.getLastInsertRowid();
}

}  // namespace outreach::storage
