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

  // Set in `data` when the person chose the language themselves. It is the conversation's, not
  // a form's: a form starting or ending keeps it, and a form's answers never include it.
  static constexpr const char* kLanguageChosen = "_language_chosen";

  void clear_flow() {
    flow.clear();
    step.clear();
    set_form_data(nlohmann::json::object());
    expires_at = 0;
  }

  // Replaces `data` with a form's answers (an object, or nothing), keeping kLanguageChosen.
  void set_form_data(nlohmann::json answers) {
    const bool chosen = data.is_object() && data.value(kLanguageChosen, false);
    data = answers.is_object() ? std::move(answers) : nlohmann::json::object();
    if (chosen)
      data[kLanguageChosen] = true;
  }

  // The form's answers: `data` without the conversation's own keys.
  nlohmann::json form_answers() const {
    nlohmann::json answers = data.is_object() ? data : nlohmann::json::object();
    answers.erase(kLanguageChosen);
    return answers;
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
