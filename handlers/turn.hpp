#pragma once
// Turn: what a handler sees and fills in while answering one inbound event — the event, the
// person, their conversation state, the content snapshot taken at the turn's start, the time,
// and the replies it produces. Handlers are synchronous and do no network I/O; they run on the
// DB thread inside the turn's single transaction and use the repositories of `storage::Store`.
//
// Handler: one capability (menu, explainers, feedback…) reached by a payload "name" or
// "name:arg" (button presses, and understood intents, which map to payloads).
// Thread-safety: a Turn is confined to the DB thread for its whole life.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bot/core/message.hpp"
#include "content/model.hpp"
#include "storage/conversation_repo.hpp"
#include "storage/people_repo.hpp"
#include "storage/store.hpp"

namespace outreach::handlers {

using Vars = std::map<std::string, std::string, std::less<>>;

struct TurnOptions {
  std::int64_t form_expiry_ms = 30 * 60 * 1000;
  bool store_message_text = false;
  // After staff answer from the platform's own tool, the bot stays quiet this long.
  std::int64_t human_quiet_zalo_ms = 30 * 60 * 1000;
  std::int64_t human_quiet_messenger_ms = 30 * 60 * 1000;
  // The handoff inbox (console.*): on when the console is; its hours and usual reply time.
  bool handoff_enabled = true;
  std::string handoff_hours = "mon-fri 07:30-11:30 13:30-17:00";
  int handoff_reply_minutes = 30;
  // Where people's browsers reach this server (links in messages: the calendar file).
  std::string public_url = "http://127.0.0.1:8080";
};

class Turn {
 public:
  Turn(const InboundEvent& ev,
       storage::Person& who,
       storage::ConversationState& st,
       const content::Snapshot& snapshot,
       std::int64_t now,
       TurnOptions opts)
      : event(ev), person(who), state(st), content(snapshot), now_ms(now), options(opts) {}

  const InboundEvent& event;
  storage::Person& person;
  storage::ConversationState& state;
  const content::Snapshot& content;
  const std::int64_t now_ms;
  const TurnOptions options;

  std::vector<OutboundMessage> replies;
  std::string handler = "none";  // recorded in interactions
  std::string outcome = "ok";
  bool person_forgotten = false;  // the person asked to delete their data

  // How a typed question was understood, when it was not answered with confidence
  // ("fallback" or "clarify"); the runner lists these for staff.
  std::string unanswered;  // empty, "fallback" or "clarify"
  std::string best_guess;  // explainer id
  double guess_score = 0;
  // The reply offers "send this question to staff" (the text is not kept otherwise): the runner
  // holds the question's row and text in the conversation until the person's next message.
  bool offer_share = false;

  // How the bot reads typed text (folded words, abbreviations expanded, Telex repaired), the
  // same for questions and form answers; the dispatcher sets it from the understanding.
  std::function<std::vector<std::string>(std::string_view)> read_words;
  // The explainers a text asks about (one answered with confidence, or the candidates of a "did
  // you mean"; none otherwise), for capabilities that read a subject out of a request ("nhận
  // tin về kiểm định cân"); set by the dispatcher.
  std::function<std::vector<std::string>(std::string_view)> find_explainer;

  const std::string& lang() const { return person.language; }

  // A UI string in the person's language, with `{name}` placeholders filled.
  std::string ui(std::string_view key, const Vars& vars = {}) const;

  // Adds a reply.
  OutboundMessage& say(std::string text, std::vector<Button> buttons = {});

  // A button whose title is a UI string.
  Button button(std::string_view ui_key, std::string payload) const;
};

class Handler {
 public:
  virtual ~Handler() = default;
  // The payload prefix that reaches this handler ("menu", "lang", "ex"…).
  virtual std::string_view name() const = 0;
  // `arg` is what follows "name:" in the payload (may be empty).
  virtual void handle(Turn& turn, storage::Store& tx, std::string_view arg) = 0;
};

// Splits "name:arg" (arg may contain further ':').
std::pair<std::string_view, std::string_view> split_payload(std::string_view payload);

}  // namespace outreach::handlers
