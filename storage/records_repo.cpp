#include "storage/records_repo.hpp"

#include <SQLiteCpp/Statement.h>

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

std::int64_t RecordsRepo::record_question(const QuestionRecord& q) {
  Query st(question_);
  st.bind(":at", q.at)
      .bind(":person", q.person_id)
      .bind(":channel", q.channel)
      .bind(":outcome", q.outcome)
      .bind_or_null(":best", q.best)
      .bind(":score", q.score)
      .bind(":text", q.text);
  st.exec();
  return db_.getLastInsertRowid();
}

bool RecordsRepo::share_question(std::int64_t id, std::int64_t person_id, const std::string& text) {
  SQLite::Statement q(db_,
                      "UPDATE questions SET text = :text WHERE id = :id AND person_id = :person "
                      "AND text IS NULL AND handled IS NULL");
  q.bind(":text", text);
  q.bind(":id", static_cast<int64_t>(id));
  q.bind(":person", static_cast<int64_t>(person_id));
  return q.exec() == 1;
}

namespace {

constexpr const char* kOpenQuestions = R"sql(
SELECT q.id, q.at, q.channel, q.outcome, COALESCE(q.best, ''), q.text, g.times
FROM (SELECT text, MAX(id) AS newest, COUNT(*) AS times FROM questions
      WHERE text IS NOT NULL AND handled IS NULL GROUP BY text) AS g
JOIN questions q ON q.id = g.newest
)sql";

OpenQuestion open_question_of(SQLite::Statement& q) {
  OpenQuestion r;
  r.id = q.getColumn(0).getInt64();
  r.at = q.getColumn(1).getInt64();
  r.channel = q.getColumn(2).getString();
  r.outcome = q.getColumn(3).getString();
  r.best = q.getColumn(4).getString();
  r.text = q.getColumn(5).getString();
  r.times = q.getColumn(6).getInt();
  return r;
}

}  // namespace

std::vector<OpenQuestion> RecordsRepo::open_questions(int limit) {
  SQLite::Statement q(db_, std::string(kOpenQuestions) + "ORDER BY q.id DESC LIMIT :limit");
  q.bind(":limit", limit);
  std::vector<OpenQuestion> out;
  while (q.executeStep()) out.push_back(open_question_of(q));
  return out;
}

std::optional<OpenQuestion> RecordsRepo::open_question(std::int64_t id) {
  SQLite::Statement q(db_, std::string(kOpenQuestions) + "WHERE q.id = :id");
  q.bind(":id", static_cast<int64_t>(id));
  if (!q.executeStep())
    return std::nullopt;
  return open_question_of(q);
}

int RecordsRepo::handle_question(std::int64_t id,
                                 const std::string& how,
                                 const std::string& by,
                                 std::int64_t now_ms) {
  const auto q = open_question(id);
  if (!q)
    return 0;
  // Handled, the text is no longer kept: what staff attached is in the content, without who
  // asked it.
  SQLite::Statement st(db_, R"sql(
UPDATE questions SET handled = :how, handled_at = :now, handled_by = :by, text = NULL
WHERE handled IS NULL AND text = :text
)sql");
  st.bind(":how", how);
  st.bind(":now", static_cast<int64_t>(now_ms));
  st.bind(":by", by);
  st.bind(":text", q->text);
  return st.exec();
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
