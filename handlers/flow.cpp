#include "handlers/flow.hpp"

#include <charconv>
#include <set>

#include "bot/core/text.hpp"
#include "bot/text/unicode.hpp"
#include "handlers/form_reading.hpp"
#include "handlers/handlers.hpp"

namespace outreach::handlers {
namespace {

constexpr std::string_view kConfirmStep = "_confirm";
constexpr std::string_view kResume = "_resume";

std::optional<std::int64_t> parse_number(std::string_view s) {
  std::string digits;
  for (char c : text::trim(s)) {
    if (c == '.' || c == ',' || c == ' ')
      continue;  // 1.000 / 1,000 / 1 000
    digits += c;
  }
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (digits.empty() || ec != std::errc{} || p != digits.data() + digits.size())
    return std::nullopt;
  return v;
}

WordReader reader_of(const Turn& turn) {
  return turn.read_words ? WordReader(turn.read_words) : WordReader(plain_words);
}

// The choices of a choice step as the reader matches them: each label in both languages and
// the content's other names.
std::vector<ChoiceOption> options_of(const Turn& turn, const content::FlowStep& step) {
  std::vector<ChoiceOption> out;
  for (const auto& c : step.choices) {
    ChoiceOption o{c.value, {turn.content.ui("vi", c.label), turn.content.ui("en", c.label)}};
    o.names.insert(o.names.end(), c.also.begin(), c.also.end());
    out.push_back(std::move(o));
  }
  return out;
}

// What a step is called in the summary ("• Điện thoại: {phone}" → "Điện thoại"), for "sửa số
// điện thoại" typed at the summary; with the step id.
std::vector<ChoiceOption> steps_by_name(const Turn& turn, const content::Flow& flow) {
  std::vector<ChoiceOption> out;
  for (const auto& step : flow.steps) {
    ChoiceOption o{step.id, {step.id}};
    o.names.insert(o.names.end(), step.also.begin(), step.also.end());
    for (const std::string lang : {"vi", "en"}) {
      const std::string& summary = turn.content.ui(lang, flow.confirm);
      const std::string mark = "{" + step.id + "}";
      for (std::size_t at = summary.find(mark); at != std::string::npos;
           at = summary.find(mark, at + 1)) {
        const std::size_t line =
            summary.rfind('\n', at) == std::string::npos ? 0 : summary.rfind('\n', at) + 1;
        const std::size_t colon = summary.find(':', line);
        if (colon != std::string::npos && colon < at)
          o.names.push_back(summary.substr(line, colon - line));
      }
    }
    out.push_back(std::move(o));
  }
  return out;
}

// The words of a message that asks for a change ("sửa", "đổi", "nhầm", "quay lại", "instead"),
// without those words; nullopt when it asks for none. "đổi mới" is innovation, not a change.
std::optional<std::string> change_asked(std::string_view typed) {
  static const std::vector<std::string> kVerbs = {"sua",   "doi",  "thay",    "chinh",
                                                  "sai",   "nham", "change",  "edit",
                                                  "wrong", "fix",  "correct", "instead"};
  std::string rest;
  bool verb = false;
  const auto words = plain_words(typed);
  for (std::size_t i = 0; i < words.size(); ++i) {
    const bool innovation = words[i] == "doi" && i + 1 < words.size() && words[i + 1] == "moi";
    const bool back = words[i] == "quay" && i + 1 < words.size() && words[i + 1] == "lai";
    if ((std::find(kVerbs.begin(), kVerbs.end(), words[i]) != kVerbs.end() && !innovation) || back)
      verb = true;
    else
      rest += words[i] + " ";
  }
  return verb ? std::optional(rest) : std::nullopt;
}

// "không", "dạ không có gì ạ", "ko", "no": nothing to add, said to an optional text question
// (stored as no answer, as the skip button does, not as the word "không").
bool says_nothing(std::string_view typed) {
  static const std::set<std::string> kPolite = {"da", "a",  "thoi", "nha", "nhe",    "roi",  "oi",
                                                "ad", "em", "minh", "toi", "thanks", "thank"};
  static const std::set<std::string> kNothing = {
      "khong",       "ko",        "k",       "kh",      "khg",          "hong",
      "hok",         "khong co",  "ko co",   "k co",    "khong co gi",  "ko co gi",
      "k co gi",     "khong can", "ko can",  "chua co", "het",          "khong co cau hoi",
      "no",          "none",      "nothing", "nope",    "nothing else", "khong co y kien",
      "ko co y kien"};
  std::string rest;
  for (const auto& w : plain_words(typed))
    if (!kPolite.contains(w))
      rest += (rest.empty() ? "" : " ") + w;
  return kNothing.contains(rest);
}

// "sửa số điện thoại", "đổi giờ khác", "sai tên": the step named in what follows the word of
// change (`rest`, from change_asked).
std::optional<std::string> named_step(const Turn& turn,
                                      const content::Flow& flow,
                                      const std::string& rest) {
  std::vector<ChoiceOption> options = steps_by_name(turn, flow);
  // A step's other names come from the content (`also:`: "giờ" for the time); a choice's own
  // words name its step too ("sửa thành trực tuyến").
  for (std::size_t i = 0; i < flow.steps.size(); ++i)
    for (const auto& c : flow.steps[i].choices) {
      options[i].names.push_back(turn.content.ui(turn.lang(), c.label));
      options[i].names.insert(options[i].names.end(), c.also.begin(), c.also.end());
    }
  const ChoiceMatch m = match_choice(rest, options, reader_of(turn));
  if (m.kind != ChoiceMatch::Kind::kOne)
    return std::nullopt;
  return m.value;
}

}  // namespace

std::string FlowEngine::expiry_key(std::int64_t person_id) {
  return "flow:" + std::to_string(person_id);
}

void FlowEngine::on_complete(std::string flow_id, Complete fn) {
  complete_[std::move(flow_id)] = std::move(fn);
}

void FlowEngine::on_step(std::string kind, CustomStep step) {
  custom_[std::move(kind)] = std::move(step);
}

void FlowEngine::start(Turn& turn,
                       storage::Store& tx,
                       std::string_view flow_id,
                       nlohmann::json answers,
                       std::string note) {
  const content::Flow* flow = turn.content.flow(flow_id);
  if (flow == nullptr || flow->steps.empty()) {
    turn.outcome = "missing_flow";
    turn.say(turn.ui("error.apology"));
    return;
  }
  turn.state.clear_flow();
  turn.state.flow = flow->id;
  turn.state.set_form_data(std::move(answers));
  int first = 0;
  while (first + 1 < static_cast<int>(flow->steps.size()) &&
         turn.state.data.contains(flow->steps[static_cast<std::size_t>(first)].id))
    ++first;
  ask(turn, tx, *flow, first, std::move(note));
}

void FlowEngine::reopen(Turn& turn,
                        storage::Store& tx,
                        std::string_view flow_id,
                        nlohmann::json answers,
                        std::string_view step_id,
                        std::string note) {
  const content::Flow* flow = turn.content.flow(flow_id);
  if (flow == nullptr || flow->index_of(step_id) < 0)
    return start(turn, tx, flow_id, std::move(answers));
  turn.state.clear_flow();
  turn.state.flow = flow->id;
  turn.state.set_form_data(std::move(answers));
  turn.state.data[std::string(kResume)] = true;  // after this step, back to the summary
  ask(turn, tx, *flow, flow->index_of(step_id), std::move(note));
}

void FlowEngine::ask(Turn& turn,
                     storage::Store& tx,
                     const content::Flow& flow,
                     int index,
                     std::string note,
                     std::vector<Button> offer,
                     bool note_is_prompt) {
  const content::FlowStep& step = flow.steps[static_cast<std::size_t>(index)];
  turn.state.step = step.id;
  std::string message;
  if (note_is_prompt && !note.empty()) {
    message = std::move(note);
  } else {
    message = note.empty() ? std::string{} : note + "\n\n";
    message += turn.ui(step.prompt);
  }
  // "(Bước 2/8)" only on the way through: not when coming back to one step from the summary
  // or after a seat was lost, where the other answers are kept.
  if (flow.steps.size() > 1 && !turn.state.data.contains(kResume))
    message += "\n" + turn.ui("flow.step_of", {{"n", std::to_string(index + 1)},
                                               {"total", std::to_string(flow.steps.size())}});
  std::vector<Button> buttons = std::move(offer);
  if (buttons.empty()) {
    if (auto custom = custom_.find(step.kind); custom != custom_.end() && custom->second.choices)
      buttons = custom->second.choices(turn, tx, turn.state.data);
    for (const content::Choice& c : step.choices)
      buttons.push_back(turn.button(c.label, "flow:choice:" + c.value));
  }
  if (step.optional)
    buttons.push_back(turn.button("flow.skip", "flow:skip"));
  if (index > 0)
    buttons.push_back(turn.button("flow.back", "flow:back"));
  buttons.push_back(turn.button("flow.cancel", "flow:cancel"));
  turn.say(std::move(message), std::move(buttons));
  touch_expiry(turn, tx);
}

void FlowEngine::touch_expiry(Turn& turn, storage::Store& tx) {
  turn.state.expires_at = turn.now_ms + turn.options.form_expiry_ms;
  tx.jobs.schedule(FlowExpiryJob{turn.person.id}, turn.state.expires_at, expiry_key(turn.person.id),
                   turn.now_ms);
}

void FlowEngine::abandon(Turn& turn, storage::Store& tx) {
  if (!turn.state.in_flow())
    return;
  turn.state.clear_flow();
  tx.jobs.cancel(expiry_key(turn.person.id));
}

bool FlowEngine::expire_if_due(Turn& turn, storage::Store& tx) {
  if (!turn.state.in_flow() || turn.state.expires_at == 0 || turn.now_ms < turn.state.expires_at)
    return false;
  abandon(turn, tx);
  turn.say(turn.ui("flow.expired"), {turn.button("explainer.menu", "menu")});
  return true;
}

void FlowEngine::handle(Turn& turn, storage::Store& tx, std::string_view payload) {
  const content::Flow* flow = turn.content.flow(turn.state.flow);
  if (flow == nullptr || flow->steps.empty()) {  // the flow was removed from content
    abandon(turn, tx);
    turn.outcome = "missing_flow";
    turn.say(turn.ui("flow.expired"), {turn.button("explainer.menu", "menu")});
    return;
  }
  turn.handler = "flow." + flow->id;
  if (payload == "flow:cancel") {
    abandon(turn, tx);
    turn.outcome = "cancelled";
    turn.say(turn.ui(flow->cancelled), {turn.button("explainer.menu", "menu")});
    return;
  }
  if (payload == "flow:restart") {
    turn.state.set_form_data(nlohmann::json::object());
    return ask(turn, tx, *flow, 0);
  }
  const int last = static_cast<int>(flow->steps.size()) - 1;
  if (payload.starts_with("flow:edit:")) {  // from the summary: change one answer, come back
    const int target = flow->index_of(payload.substr(10));
    if (target >= 0) {
      turn.state.data[std::string(kResume)] = true;
      turn.outcome = "edit";
      return ask(turn, tx, *flow, target);
    }
  }
  if (turn.state.step == kConfirmStep) {
    if (payload == "flow:confirm")
      return finish(turn, tx, *flow);
    if (payload == "flow:back")
      return ask(turn, tx, *flow, last);
    if (payload == "flow:resume")
      return show_confirm(turn, tx, *flow);
    if (payload.empty()) {
      // "sửa số điện thoại", "à quên, cho mình online", "make it 2:30pm instead".
      if (const int k = edit_target(turn, *flow, last + 1, turn.event.text); k >= 0)
        return change(turn, tx, *flow, k);
    }
    turn.say(turn.ui("flow.confirm_or_edit"));
    return show_confirm(turn, tx, *flow);
  }
  int index = flow->index_of(turn.state.step);
  if (index < 0) {
    turn.state.set_form_data(nlohmann::json::object());
    return ask(turn, tx, *flow, 0);
  }
  const content::FlowStep& step = flow->steps[static_cast<std::size_t>(index)];
  if (payload == "flow:resume") {
    turn.outcome = "resumed";
    return ask(turn, tx, *flow, index);
  }
  if (payload == "flow:back") {
    if (index == 0)
      return ask(turn, tx, *flow, 0, turn.ui("flow.nothing_before"));
    return ask(turn, tx, *flow, index - 1);
  }
  if (payload.empty()) {  // "quay lại, mình muốn đổi hình thức" typed at a later step
    if (const int target = earlier_edit(turn, *flow, index, turn.event.text); target >= 0)
      return change(turn, tx, *flow, target);
  }
  if (payload == "flow:skip") {
    if (!step.optional)
      return ask(turn, tx, *flow, index, turn.ui("flow.empty"));
    turn.state.data.erase(step.id);
    return advance(turn, tx, *flow, index + 1);
  }
  const std::string invalid = step.invalid.empty() ? std::string{} : turn.ui(step.invalid);
  const std::string typed(text::trim(turn.event.text));
  nlohmann::json value;
  if (auto custom = custom_.find(step.kind); custom != custom_.end()) {
    std::string_view chosen;
    if (payload.starts_with("flow:choice:"))
      chosen = payload.substr(12);
    else if (!payload.empty())
      return ask(turn, tx, *flow, index, turn.ui("flow.invalid_choice"));
    StepAnswer answer = custom->second.read(turn, tx, chosen, typed, turn.state.data);
    if (!answer.value) {
      turn.outcome = "invalid_answer";
      return ask(turn, tx, *flow, index, std::move(answer.note), std::move(answer.offer),
                 answer.note_is_prompt);
    }
    value = std::move(*answer.value);
  } else if (step.kind == "choice") {
    std::string chosen;
    if (payload.starts_with("flow:choice:")) {
      chosen = std::string(payload.substr(12));
    } else if (payload.empty() && !typed.empty()) {
      const ChoiceMatch m = match_choice(typed, options_of(turn, step), reader_of(turn));
      if (m.kind == ChoiceMatch::Kind::kAmbiguous) {  // ask back rather than guess
        turn.outcome = "ambiguous";
        std::vector<Button> offer;
        for (const auto& c : step.choices)
          if (std::find(m.values.begin(), m.values.end(), c.value) != m.values.end())
            offer.push_back(turn.button(c.label, "flow:choice:" + c.value));
        return ask(turn, tx, *flow, index, turn.ui("flow.which_one"), std::move(offer), true);
      }
      chosen = m.value;
    }
    const bool known = std::any_of(step.choices.begin(), step.choices.end(),
                                   [&](const content::Choice& c) { return c.value == chosen; });
    if (!known) {
      turn.outcome = "invalid_answer";
      return ask(turn, tx, *flow, index,
                 invalid.empty() ? turn.ui("flow.invalid_choice") : invalid);
    }
    value = chosen;
  } else if (!payload.empty()) {  // a button that is not an answer to a typed step
    turn.outcome = "invalid_answer";
    return ask(turn, tx, *flow, index, turn.ui("flow.invalid_choice"));
  } else if (step.kind == "number") {
    const auto n = parse_number(typed);
    if (!n)
      return ask(turn, tx, *flow, index, invalid.empty() ? turn.ui("flow.not_a_number") : invalid);
    if (*n < step.min || *n > step.max)
      return ask(turn, tx, *flow, index,
                 turn.ui("flow.number_range",
                         {{"min", std::to_string(step.min)}, {"max", std::to_string(step.max)}}));
    value = *n;
  } else if (step.kind == "name") {
    const auto name = read_name(typed);
    if (!name || names_a_choice(turn, *flow, typed)) {
      turn.outcome = "invalid_answer";
      return ask(turn, tx, *flow, index, invalid.empty() ? turn.ui("flow.not_a_name") : invalid);
    }
    value = *name;
  } else {  // text
    const auto length = static_cast<int>(text::code_points(typed));
    if (step.optional && (typed.empty() || says_nothing(typed))) {
      turn.state.data.erase(step.id);
      return advance(turn, tx, *flow, index + 1);
    }
    if (length < std::max(step.min_length, 1))
      return ask(turn, tx, *flow, index,
                 typed.empty()
                     ? turn.ui("flow.empty")
                     : turn.ui("flow.too_short", {{"min", std::to_string(step.min_length)}}));
    if (length > step.max_length)
      return ask(turn, tx, *flow, index,
                 turn.ui("flow.too_long", {{"max", std::to_string(step.max_length)}}));
    value = typed;
  }
  turn.state.data[step.id] = std::move(value);
  advance(turn, tx, *flow, index + 1);
}

bool FlowEngine::names_a_choice(const Turn& turn,
                                const content::Flow& flow,
                                std::string_view typed) const {
  // Only the choices of other steps, said with nothing else: names are made of ordinary words
  // ("Thu", "Sang", "Minh"), so a day or a topic word inside a name proves nothing.
  for (const auto& other : flow.steps)
    if (other.kind == "choice" &&
        match_choice(typed, options_of(turn, other), plain_words, true).kind !=
            ChoiceMatch::Kind::kNone &&
        !ordinal(typed))
      return true;
  return false;
}

Fit FlowEngine::fit(const Turn& turn, std::string_view typed) const {
  const content::Flow* flow = turn.content.flow(turn.state.flow);
  if (flow == nullptr)
    return Fit::kNotAnswer;
  if (turn.state.step == kConfirmStep)
    return edit_target(turn, *flow, static_cast<int>(flow->steps.size()), typed) >= 0
               ? Fit::kAnswer
               : Fit::kNotAnswer;
  const int index = flow->index_of(turn.state.step);
  if (index < 0)
    return Fit::kNotAnswer;
  const Fit own = step_fit(turn, *flow, flow->steps[static_cast<std::size_t>(index)], typed);
  if (own != Fit::kAnswer && earlier_edit(turn, *flow, index, typed) >= 0)
    return Fit::kAnswer;
  return own;
}

Fit FlowEngine::step_fit(const Turn& turn,
                         const content::Flow& flow,
                         const content::FlowStep& step,
                         std::string_view typed) const {
  if (auto custom = custom_.find(step.kind); custom != custom_.end())
    return custom->second.fits ? custom->second.fits(turn, typed, turn.state.data) : Fit::kFree;
  if (step.kind == "choice")
    return match_choice(typed, options_of(turn, step), reader_of(turn)).kind ==
                   ChoiceMatch::Kind::kNone
               ? Fit::kNotAnswer
               : Fit::kAnswer;
  if (step.kind == "number")
    return parse_number(typed) ? Fit::kAnswer : Fit::kNotAnswer;
  if (step.kind == "name")
    return read_name(typed) && !names_a_choice(turn, flow, typed) ? Fit::kAnswer : Fit::kNotAnswer;
  return step.takes_questions ? Fit::kAnswer : Fit::kFree;
}

int FlowEngine::other_choice(const Turn& turn,
                             const content::Flow& flow,
                             int index,
                             std::string_view typed) const {
  if (looks_like_question(typed))
    return -1;
  for (int k = index - 1; k >= 0; --k) {
    const content::FlowStep& earlier = flow.steps[static_cast<std::size_t>(k)];
    if (earlier.kind != "choice")
      continue;
    const ChoiceMatch m = match_choice(typed, options_of(turn, earlier), reader_of(turn));
    if (m.kind == ChoiceMatch::Kind::kOne && !m.weak &&
        turn.state.data.value(earlier.id, "") != m.value)
      return k;
  }
  return -1;
}

int FlowEngine::earlier_edit(const Turn& turn,
                             const content::Flow& flow,
                             int index,
                             std::string_view typed) const {
  // Free text ("Công ty Đổi Mới", a description that mentions a change) is the step's own.
  const content::FlowStep& step = flow.steps[static_cast<std::size_t>(index)];
  if (step.kind == "text")
    return -1;
  // The step's own answer comes first, unless it is only a guess from the words' vote and the
  // message asks for a change ("khoan, cho em dời qua thứ 4 ngày 23/12" at the mode).
  if (step_fit(turn, flow, step, typed) == Fit::kAnswer &&
      !(step.kind == "choice" && change_asked(typed) &&
        match_choice(typed, options_of(turn, step), reader_of(turn)).weak))
    return -1;
  return edit_target(turn, flow, index, typed);
}

int FlowEngine::edit_target(const Turn& turn,
                            const content::Flow& flow,
                            int index,
                            std::string_view typed) const {
  const auto rest = change_asked(typed);
  if (!rest)
    return other_choice(turn, flow, index, typed);
  const auto target = named_step(turn, flow, *rest);
  const int at = target ? flow.index_of(*target) : -1;
  if (at >= 0 && at < index)
    return at;
  // "ấy nhầm, cho mình quay lại chọn sở hữu trí tuệ", "can we make it 2:30pm instead?": no
  // step named, but an earlier one reads the new answer (the nearest; names and free text read
  // anything, so not those).
  for (int k = index - 1; k >= 0; --k) {
    const content::FlowStep& earlier = flow.steps[static_cast<std::size_t>(k)];
    if (earlier.kind != "name" && earlier.kind != "text" &&
        step_fit(turn, flow, earlier, typed) == Fit::kAnswer)
      return k;
  }
  return -1;
}

void FlowEngine::change(Turn& turn, storage::Store& tx, const content::Flow& flow, int index) {
  turn.state.data[std::string(kResume)] = true;  // then on to the first step not answered
  turn.outcome = "edit";
  const content::FlowStep& target = flow.steps[static_cast<std::size_t>(index)];
  if (gives_new_answer(turn, tx, flow, target)) {
    turn.state.step = target.id;
    return handle(turn, tx, "");
  }
  ask(turn, tx, flow, index);
}

bool FlowEngine::gives_new_answer(Turn& turn,
                                  storage::Store& tx,
                                  const content::Flow& flow,
                                  const content::FlowStep& target) const {
  // "sửa tên" is no name, "sửa mô tả" no description: those are asked for.
  if (target.kind == "name" || target.kind == "text")
    return false;
  const std::string& typed = turn.event.text;
  const nlohmann::json old = turn.state.data.value(target.id, nlohmann::json());
  if (target.kind == "choice") {  // "sửa hình thức gặp, chị bận không đi được": not the old one
    const ChoiceMatch m = match_choice(typed, options_of(turn, target), reader_of(turn));
    return m.kind == ChoiceMatch::Kind::kOne && old != m.value;
  }
  if (step_fit(turn, flow, target, typed) != Fit::kAnswer)
    return false;
  // "đổi giờ giúp mình, 8h sớm quá": the time said is the one to change, not the new one.
  if (auto custom = custom_.find(target.kind); custom != custom_.end()) {
    nlohmann::json scratch = turn.state.data;
    const StepAnswer dry = custom->second.read(turn, tx, "", typed, scratch);
    return !dry.value || old != *dry.value;
  }
  return true;
}

void FlowEngine::say_kept(Turn& turn) const {
  if (!turn.state.in_flow())
    return;
  turn.say(turn.ui("flow.kept"), {turn.button("flow.resume", "flow:resume")});
}

void FlowEngine::advance(Turn& turn, storage::Store& tx, const content::Flow& flow, int index) {
  if (turn.state.data.contains(kResume))  // reopened: skip the steps already answered
    while (index < static_cast<int>(flow.steps.size()) &&
           turn.state.data.contains(flow.steps[static_cast<std::size_t>(index)].id))
      ++index;
  if (index < static_cast<int>(flow.steps.size()))
    return ask(turn, tx, flow, index);
  if (flow.confirm.empty())
    return finish(turn, tx, flow);
  show_confirm(turn, tx, flow);
}

std::string FlowEngine::display_value(const Turn& turn,
                                      const content::FlowStep& step,
                                      const nlohmann::json& value) const {
  if (value.is_null())
    return "—";
  if (auto custom = custom_.find(step.kind); custom != custom_.end() && custom->second.display)
    return custom->second.display(turn, value);
  if (step.kind == "choice") {
    for (const auto& c : step.choices)
      if (value.is_string() && value.get<std::string>() == c.value)
        return turn.ui(c.label);
  }
  return value.is_string() ? value.get<std::string>() : value.dump();
}

void FlowEngine::show_confirm(Turn& turn, storage::Store& tx, const content::Flow& flow) {
  turn.state.step = std::string(kConfirmStep);
  Vars vars;
  for (const auto& step : flow.steps) {
    auto it = turn.state.data.find(step.id);
    vars[step.id] = display_value(turn, step, it == turn.state.data.end() ? nlohmann::json() : *it);
  }
  for (const auto& [key, value] : turn.state.data.items())  // values given at start (a booking ref)
    if (value.is_string() && !vars.contains(key))
      vars[key] = value.get<std::string>();
  turn.say(
      turn.ui(flow.confirm, vars),
      {turn.button("flow.confirm", "flow:confirm"), turn.button("flow.back", "flow:back"),
       turn.button("flow.restart", "flow:restart"), turn.button("flow.cancel", "flow:cancel")});
  touch_expiry(turn, tx);
}

void FlowEngine::finish(Turn& turn, storage::Store& tx, const content::Flow& flow) {
  const nlohmann::json answers = turn.state.form_answers();
  abandon(turn, tx);
  turn.outcome = "completed";
  if (!flow.done.empty())
    turn.say(turn.ui(flow.done), {turn.button("explainer.menu", "menu")});
  auto it = complete_.find(flow.id);
  if (it == complete_.end())  // a family of flows built from content ("events_<id>")
    it = complete_.find(flow.id.substr(0, flow.id.find('_') + 1));
  if (it != complete_.end())
    it->second(turn, tx, answers);
}

}  // namespace outreach::handlers

namespace outreach::handlers {

bool run_flow_expiry_job(storage::Store& tx,
                         const content::Snapshot& content,
                         std::int64_t person_id,
                         std::int64_t now_ms) {
  auto person = tx.people.get(person_id);
  if (!person)
    return false;
  storage::ConversationState state = tx.conversations.load(person_id);
  if (!state.in_flow() || state.expires_at == 0 || state.expires_at > now_ms)
    return false;
  state.clear_flow();
  OutboundMessage notice;
  notice.text = content.ui(person->language, "flow.expired");
  notice.buttons.push_back({content.ui(person->language, "explainer.menu"), "menu", {}});
  state.choices = {"menu"};
  tx.conversations.save(person_id, state, now_ms);
  tx.outbox.enqueue(person_id, MessageKind::kNotice, notice, now_ms);
  return true;
}

}  // namespace outreach::handlers
