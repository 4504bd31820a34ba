#pragma once
// ConversationRepo: per-person conversation state — the form in progress (flow, step, answers,
// expiry) and the payloads of the last buttons shown, so a typed "2" can press button 2 on
// channels that show buttons as numbered text.
// Thread-safety: not thread-safe; DB thread only.

#include <cstdint>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

namespace outreach::storage {

struct ConversationState {
  std::string flow;  // empty: no form in progress
  std::string step;
  nlohmann::json data = nlohmann::json::object();
  std::vector<std::string> choices;  // payloads of the last buttons shown, in order
  std::int64_t expires_at = 0;       // 0: none
  std::int64_t human_until = 0;      // staff answered on the platform: the bot is quiet until then

  bool in_flow() const { return !flow.empty(); }

  void clear_flow() {
    flow.clear();
    step.clear();
    data = nlohmann::json::object();
    expires_at = 0;
  }
};

class ConversationRepo {
 public:
  explicit ConversationRepo(SQLite::Database& db);

  ConversationState load(std::int64_t person_id);
  void save(std::int64_t person_id, const ConversationState& state, std::int64_t now_ms);

 private:
  SQLite::Statement load_;
  SQLite::Statement save_;
};

}  // namespace outreach::storage
