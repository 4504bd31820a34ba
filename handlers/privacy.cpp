// "What do you keep about me?" and "Delete my data" (with a confirmation, through the flow
// engine). What is listed here must match what the storage layer really keeps.
#include <SQLiteCpp/Statement.h>

#include "content/store.hpp"
#include "handlers/handlers.hpp"
#include "handlers/subscription.hpp"

namespace outreach::handlers {
namespace {

constexpr std::int64_t kForgetDelayMs = 10 * 60 * 1000;

std::int64_t count_for(storage::Store& tx, const char* sql, std::int64_t person_id) {
  SQLite::Statement st(tx.db, sql);
  st.bind(":id", static_cast<int64_t>(person_id));
  st.executeStep();
  return st.getColumn(0).getInt64();
}

// The answer of the "delete my data" form: "yes" or "no".
struct DeleteAnswers {
  std::string confirm;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DeleteAnswers, confirm)

class PrivacyHandler final : public Handler {
 public:
  explicit PrivacyHandler(FlowEngine& flows) : flows_(flows) {
    flows_.on_complete<DeleteAnswers>(
        "privacy_delete", [](Turn& turn, storage::Store& tx, const DeleteAnswers& a) {
          const bool yes = a.confirm == "yes";
          if (!yes) {
            turn.outcome = "kept";
            add_main_menu(turn, turn.say(turn.ui("privacy.kept")));
            return;
          }
          tx.people.forget(turn.person);
          tx.jobs.schedule(ForgetJob{turn.person.id, turn.now_ms}, turn.now_ms + kForgetDelayMs,
                           "forget:" + std::to_string(turn.person.id), turn.now_ms);
          turn.person_forgotten = true;
          turn.outcome = "forgotten";
          turn.say(turn.ui("privacy.deleted"));
        });
  }

  std::string_view name() const override { return kPrivacy; }

  void handle(Turn& turn, storage::Store& tx, std::string_view arg) override {
    turn.handler = "privacy";
    if (arg == "delete") {
      flows_.start(turn, tx, "privacy_delete");
      return;
    }
    const std::int64_t id = turn.person.id;
    Vars vars{
        {"channel", turn.ui("privacy.channel." + turn.person.channel)},
        {"language", turn.ui("privacy.language." + turn.person.language)},
        {"first", format_local_time(turn, turn.person.first_interaction_at)},
        {"last", format_local_time(turn, turn.person.last_interaction_at)},
        {"interactions", std::to_string(count_for(
                             tx, "SELECT COUNT(*) FROM interactions WHERE person_id = :id", id))},
        {"texts",
         std::to_string(count_for(
             tx, "SELECT COUNT(*) FROM interactions WHERE person_id = :id AND text IS NOT NULL",
             id))},
        {"feedback",
         std::to_string(count_for(tx, "SELECT COUNT(*) FROM feedback WHERE person_id = :id", id))},
        {"questions", std::to_string(count_for(tx,
                                               "SELECT COUNT(*) FROM questions WHERE person_id = "
                                               ":id AND text IS NOT NULL AND handled IS NULL",
                                               id))},
        {"subscription", subscription_summary(turn, tx)},
        {"bookings",
         std::to_string(count_for(tx, "SELECT COUNT(*) FROM bookings WHERE person_id = :id", id) +
                        count_for(tx, "SELECT COUNT(*) FROM waitlist WHERE person_id = :id", id))},
        {"name", turn.person.display_name.empty() ? "—" : turn.person.display_name},
    };
    turn.outcome = "shown";
    OutboundMessage& m = turn.say(turn.ui("privacy.summary", vars));
    m.buttons.push_back(turn.button("privacy.yes_delete", "privacy:delete"));
    m.buttons.push_back(turn.button("explainer.menu", "menu"));
  }

 private:
  FlowEngine& flows_;
};

}  // namespace

std::unique_ptr<Handler> make_privacy_handler(FlowEngine& flows) {
  return std::make_unique<PrivacyHandler>(flows);
}

void run_forget_job(storage::Store& tx, const ForgetJob& job) {
  tx.people.erase_if_quiet(job.person_id, job.requested_at);
}

}  // namespace outreach::handlers
