#pragma once
// Dispatcher: picks who answers a turn — a form in progress, a pressed button, an understood
// intent or explainer, or the honest fallback — and runs it.
// Order: stale-form expiry → button payload (a typed number presses the n-th last button) →
// the form in progress (typed answers and flow commands) → understanding → fallback.
// Thread-safety: handlers are registered at construction; dispatch() runs on the DB thread.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bot/router/understanding.hpp"
#include "handlers/flow.hpp"
#include "handlers/turn.hpp"

namespace outreach::router {

class Dispatcher {
 public:
  Dispatcher(std::vector<std::unique_ptr<handlers::Handler>> handlers, handlers::FlowEngine& flows);

  void dispatch(handlers::Turn& turn, storage::Store& tx, const Understanding& understanding);

  // Runs the handler of `payload` ("name" or "name:arg"), or the fallback.
  void run(handlers::Turn& turn, storage::Store& tx, std::string_view payload);

  // Acts on what a typed message was understood to mean: run it (saying how the question was
  // read when that helps), ask "did you mean…?", or fall back.
  void answer(handlers::Turn& turn, storage::Store& tx, const Interpretation& meant);

  // Platform events that are not messages: receipts, staff answering on the platform (the bot
  // goes quiet for that person), information the person shared, standby.
  void platform_event(handlers::Turn& turn, storage::Store& tx);
  // Typed text while a form is in progress: a form command, an answer to the step, or something
  // else (a question, the menu) answered while the form waits.
  void in_form(handlers::Turn& turn, storage::Store& tx, const Understanding& understanding);

 private:
  // A question typed in the other language than the person's is answered in its language from
  // then on (a phone set to Vietnamese whose owner writes English); the language button and
  // "English" / "tiếng Việt" still switch.
  static constexpr std::size_t kLanguageWords = 4;  // fewer words switch nothing ("ok", "menu")
  void follow_language(handlers::Turn& turn, storage::Store& tx, const Interpretation& meant);

  // A short question not understood alone, soon after an explainer ("phí bao nhiêu vậy"): the
  // page it asks about (Understanding::follow_up), with a line naming the explainer. False when
  // it is none, and the fallback answers.
  static constexpr std::int64_t kFollowUpWithinMs = 30 * 60 * 1000;
  bool follow_up(handlers::Turn& turn,
                 storage::Store& tx,
                 const Understanding& understanding,
                 const Interpretation& meant);

  std::map<std::string, std::unique_ptr<handlers::Handler>, std::less<>> handlers_;
  handlers::FlowEngine& flows_;
};

// The payloads a typed number selects, in the order channels number them: list items first,
// then buttons (link buttons are not numbered). Empty when the message has none.
std::vector<std::string> numbered_choices(const OutboundMessage& m);

}  // namespace outreach::router
