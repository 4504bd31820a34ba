#include "storage/conversation_repo.hpp"

#include "storage/query.hpp"

namespace outreach::storage {

ConversationRepo::ConversationRepo(SQLite::Database& db)
    : load_(
          db,
          "SELECT COALESCE(flow, ''), COALESCE(step, ''), data, choices, COALESCE(expires_at, 0), "
          "COALESCE(human_until, 0) FROM conversations WHERE person_id = :person"),
      save_(db, R"sql(
INSERT INTO conversations (person_id, flow, step, data, choices, expires_at, human_until, updated_at)
VALUES (:person, :flow, :step, :data, :choices, :expires, :human, :now)
ON CONFLICT (person_id) DO UPDATE SET
  flow = excluded.flow, step = excluded.step, data = excluded.data, choices = excluded.choices,
  expires_at = excluded.expires_at, human_until = excluded.human_until, updated_at = excluded.updated_at
)sql") {}

ConversationState ConversationRepo::load(std::int64_t person_id) {
  ConversationState s;
  Query q(load_);
  q.bind(":person", person_id);
  if (!q.step())
    return s;
  s.flow = q.text(0);
  s.step = q.text(1);
  s.data = nlohmann::json::parse(q.text(2), nullptr, false);
  if (s.data.is_discarded() || !s.data.is_object())
    s.data = nlohmann::json::object();
  const auto choices = nlohmann::json::parse(q.text(3), nullptr, false);
  if (choices.is_array())
    for (const auto& c : choices)
      if (c.is_string())
        s.choices.push_back(c.get<std::string>());
  s.expires_at = q.i64(4);
  s.human_until = q.i64(5);
  return s;
}

void ConversationRepo::save(std::int64_t person_id,
                            const ConversationState& state,
                            std::int64_t now_ms) {
  Query q(save_);
  q.bind(":person", person_id)
      .bind_or_null(":flow", state.flow)
      .bind_or_null(":step", state.step)
      .bind(":data", state.data.dump())
      .bind(":choices", nlohmann::json(state.choices).dump())
      .bind(":now", now_ms);
  if (state.human_until != 0)
    q.bind(":human", state.human_until);
  else
    q.bind(":human", std::optional<std::int64_t>{});
  if (state.expires_at != 0)
    q.bind(":expires", state.expires_at);
  else
    q.bind(":expires", std::optional<std::int64_t>{});
  q.exec();
}

}  // namespace outreach::storage
