#pragma once
// FlowEngine: multi-turn forms, built once. A flow (content/flows/<id>.yaml) is a list of
// steps — choice, text or number — each with its prompt from the UI strings; the engine asks
// them in order, validates answers, lets the person go back, skip optional steps, cancel or
// start over at any step, shows a summary to confirm, then calls the capability's completion
// function. The state lives in the conversation row (flow, step, answers, expiry), so a form
// survives restarts; a form left alone past its expiry is dropped and the person is told (a
// `flow.expire` job does it, or the next message if the job has not run).
//
// Payloads the engine owns: flow:back, flow:cancel, flow:restart, flow:skip, flow:confirm,
// flow:choice:<value>.
// Thread-safety: register completions before use; afterwards handle() is called on the DB
// thread only.

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "handlers/turn.hpp"

namespace outreach::handlers {

class FlowEngine {
 public:
  // Called in the turn's transaction when the person confirms; `answers` maps step id to value
  // (text, number or choice value; skipped steps are absent).
  using Complete = std::function<void(Turn&, storage::Store&, const nlohmann::json& answers)>;

  void on_complete(std::string flow_id, Complete fn);

  // Starts `flow_id` (replacing any form in progress) and asks its first step.
  void start(Turn& turn, storage::Store& tx, std::string_view flow_id);

  // Continues the form in progress with this turn's input; `payload` is the button pressed (or
  // the command understood), empty for typed text.
  void handle(Turn& turn, storage::Store& tx, std::string_view payload);

  // Drops a form past its expiry; returns true (and says so) if it did.
  bool expire_if_due(Turn& turn, storage::Store& tx);

  // Forgets the form in progress without a word (another capability took over).
  void abandon(Turn& turn, storage::Store& tx);

  static constexpr std::string_view kExpiryJob = "flow.expire";
  static std::string expiry_key(std::int64_t person_id);

 private:
  void ask(
      Turn& turn, storage::Store& tx, const content::Flow& flow, int index, std::string note = {});
  void advance(Turn& turn, storage::Store& tx, const content::Flow& flow, int index);
  void show_confirm(Turn& turn, storage::Store& tx, const content::Flow& flow);
  void finish(Turn& turn, storage::Store& tx, const content::Flow& flow);
  void touch_expiry(Turn& turn, storage::Store& tx);
  std::string display_value(const Turn& turn,
                            const content::FlowStep& step,
                            const nlohmann::json& value) const;

  std::map<std::string, Complete, std::less<>> complete_;
};

}  // namespace outreach::handlers
