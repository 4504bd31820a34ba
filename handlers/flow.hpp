#pragma once
// FlowEngine: multi-turn forms, built once. A flow (content/flows/<id>.yaml) is a list of
// steps — choice, text, number or name — each with its prompt from the UI strings; the engine
// asks them in order, reads answers the way people type them (handlers/form_reading: part of a
// label, synonyms, positions, typos; a name that looks like a name), lets the person go back,
// skip optional steps, cancel or start over at any step, shows a summary to confirm (where
// "sửa số điện thoại" goes back to that step), then calls the capability's completion function.
// The state lives in the conversation row (flow, step, answers, expiry), so a form survives
// restarts; a form left alone past its expiry is dropped and the person is told (a
// `flow.expire` job does it, or the next message if the job has not run).
//
// A form waits while the person does something else: the dispatcher asks fit() whether a typed
// message answers the step, and answers a question (or shows the menu) with the form kept
// (say_kept adds how to come back); flow:resume asks the step again.
//
// Payloads the engine owns: flow:back, flow:cancel, flow:restart, flow:skip, flow:confirm,
// flow:resume, flow:edit:<step>, flow:choice:<value>.
// Thread-safety: register completions before use; afterwards handle() is called on the DB
// thread only.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "handlers/turn.hpp"

namespace outreach::handlers {

// A step kind a capability implements (content::custom_step_kinds): its buttons depend on the
// answers so far (free times for the chosen topic), and it reads typed answers its own way
// (a phone number, "thứ 5 tuần sau").
struct StepAnswer {
  std::optional<nlohmann::json> value;  // set: accepted
  std::string note;                     // refused: why, shown above the prompt
  std::vector<Button> offer;            // refused: buttons instead of the default ones
  bool note_is_prompt = false;          // the note says all there is (no prompt repeated after)
};

// How a typed message fits the step being asked.
enum class Fit {
  kAnswer,     // an answer of the step's kind (maybe one it refuses, with a note)
  kFree,       // free text the step would take, which could also be a question
  kNotAnswer,  // not an answer of this kind (a question, a command, another subject)
};

struct CustomStep {
  // The step's buttons (payload "flow:choice:<value>") given the answers so far.
  std::function<std::vector<Button>(Turn&, storage::Store&, const nlohmann::json& answers)> choices;
  // Reads a pressed choice (`chosen`, empty for typed text) or the typed text. It may keep notes
  // for its next reading in `answers` under keys starting with '_' (the day a person typed).
  std::function<StepAnswer(Turn&,
                           storage::Store&,
                           std::string_view chosen,
                           std::string_view typed,
                           nlohmann::json& answers)>
      read;
  // Whether typed text is an answer of this kind at all (a day and time, a phone number).
  std::function<Fit(const Turn&, std::string_view typed, const nlohmann::json& answers)> fits;
  // The value as the summary shows it.
  std::function<std::string(const Turn&, const nlohmann::json& value)> display;
};

// The job that drops a form left half-filled (run_flow_expiry_job).
struct FlowExpiryJob {
  static constexpr std::string_view kKind = "flow.expire";
  std::int64_t person_id = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FlowExpiryJob, person_id)

class FlowEngine {
 public:
  // Called in the turn's transaction when the person confirms; `answers` maps step id to value
  // (text, number or choice value; skipped steps are absent).
  using Complete = std::function<void(Turn&, storage::Store&, const nlohmann::json& answers)>;

  void on_complete(std::string flow_id, Complete fn);

  // The same with the answers read once into `Answers` (a struct with nlohmann's from_json,
  // e.g. NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT; steps skipped keep their defaults):
  // fn(Turn&, Store&, const Answers&).
  template <class Answers, class Fn>
  void on_complete(std::string flow_id, Fn fn) {
    on_complete(std::move(flow_id),
                [fn = std::move(fn)](Turn& turn, storage::Store& tx, const nlohmann::json& a) {
                  fn(turn, tx, a.get<Answers>());
                });
  }

  void on_step(std::string kind, CustomStep step);

  // Starts `flow_id` (replacing any form in progress) with `answers` already known (values the
  // steps do not ask, e.g. which booking is being moved, or what the opening message said) and
  // asks its first step not answered, after `note` if any.
  void start(Turn& turn,
             storage::Store& tx,
             std::string_view flow_id,
             nlohmann::json answers = nlohmann::json::object(),
             std::string note = {});

  // From a completion: puts the form back at `step_id` with `answers` and a note (the last seat
  // went to someone else a moment ago).
  void reopen(Turn& turn,
              storage::Store& tx,
              std::string_view flow_id,
              nlohmann::json answers,
              std::string_view step_id,
              std::string note);

  // Continues the form in progress with this turn's input; `payload` is the button pressed (or
  // the command understood), empty for typed text.
  void handle(Turn& turn, storage::Store& tx, std::string_view payload);

  // How the typed message fits the step in progress (see Fit).
  Fit fit(const Turn& turn, std::string_view typed) const;

  // After the bot answered something else while a form is in progress: the form is kept, and
  // how to come back (a line and the "continue" button).
  void say_kept(Turn& turn) const;

  // Drops a form past its expiry; returns true (and says so) if it did.
  bool expire_if_due(Turn& turn, storage::Store& tx);

  // Forgets the form in progress without a word (another capability took over).
  void abandon(Turn& turn, storage::Store& tx);

  static std::string expiry_key(std::int64_t person_id);

 private:
  void ask(Turn& turn,
           storage::Store& tx,
           const content::Flow& flow,
           int index,
           std::string note = {},
           std::vector<Button> offer = {},
           bool note_is_prompt = false);
  void advance(Turn& turn, storage::Store& tx, const content::Flow& flow, int index);
  void show_confirm(Turn& turn, storage::Store& tx, const content::Flow& flow);
  void finish(Turn& turn, storage::Store& tx, const content::Flow& flow);
  void touch_expiry(Turn& turn, storage::Store& tx);
  // How the typed message fits one step, read as that step's answer.
  Fit step_fit(const Turn& turn,
               const content::Flow& flow,
               const content::FlowStep& step,
               std::string_view typed) const;
  // The earlier step a message typed at step `index` asks to change ("quay lại, mình muốn đổi
  // hình thức" at the name), or -1: none, or the message is the step's own answer.
  int earlier_edit(const Turn& turn,
                   const content::Flow& flow,
                   int index,
                   std::string_view typed) const;
  // The step before `index` a message asks to change: named ("sửa số điện thoại"), or read
  // from its new answer after a word of change ("make it 2:30pm instead"), or another choice
  // named plainly (other_choice); -1 when none.
  int edit_target(const Turn& turn,
                  const content::Flow& flow,
                  int index,
                  std::string_view typed) const;
  // The nearest choice step before `index` whose other choice the message names plainly ("à
  // quên, cho mình online" at the phone), or -1.
  int other_choice(const Turn& turn,
                   const content::Flow& flow,
                   int index,
                   std::string_view typed) const;
  // Goes back to the step at `index` to change its answer, then on to the first step not
  // answered (or the summary); a new answer in the message itself is taken at once.
  void change(Turn& turn, storage::Store& tx, const content::Flow& flow, int index);
  // Whether the message being handled holds a new answer for `target` ("đổi sang trực tuyến",
  // "đổi qua thứ 5 tuần sau"), to take at once.
  bool gives_new_answer(Turn& turn,
                        storage::Store& tx,
                        const content::Flow& flow,
                        const content::FlowStep& target) const;
  // Whether a text typed for a name is rather a choice of another step ("trực tiếp") or an
  // answer another step reads (a day, a phone number).
  bool names_a_choice(const Turn& turn, const content::Flow& flow, std::string_view typed) const;
  std::string display_value(const Turn& turn,
                            const content::FlowStep& step,
                            const nlohmann::json& value) const;

  std::map<std::string, Complete, std::less<>> complete_;
  std::map<std::string, CustomStep, std::less<>> custom_;
};

}  // namespace outreach::handlers
