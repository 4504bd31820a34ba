// The feedback form: a rating from 1 to 5 and an optional comment, kept for the office's
// periodic report. The comment is kept only when the person writes one.
#include "handlers/handlers.hpp"

namespace outreach::handlers {
namespace {

// The form's answers: the rating is a choice value ("1"…"5"), the comment optional.
struct FeedbackAnswers {
  std::string rating;
  std::string comment;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FeedbackAnswers, rating, comment)

class FeedbackHandler final : public Handler {
 public:
  explicit FeedbackHandler(FlowEngine& flows) : flows_(flows) {
    flows_.on_complete<FeedbackAnswers>(
        "feedback", [](Turn& turn, storage::Store& tx, const FeedbackAnswers& a) {
          const int rating = std::atoi(a.rating.c_str());
          const std::string& comment = a.comment;
          if (rating < 1 || rating > 5) {
            turn.outcome = "invalid_rating";
            return;
          }
          tx.records.add_feedback(turn.person.id, rating, comment, turn.now_ms);
          turn.outcome = "rating_" + std::to_string(rating);
        });
  }

  std::string_view name() const override { return kFeedback; }

  void handle(Turn& turn, storage::Store& tx, std::string_view) override {
    turn.handler = "feedback";
    flows_.start(turn, tx, "feedback");
  }

 private:
  FlowEngine& flows_;
};

}  // namespace

std::unique_ptr<Handler> make_feedback_handler(FlowEngine& flows) {
  return std::make_unique<FeedbackHandler>(flows);
}

}  // namespace outreach::handlers
