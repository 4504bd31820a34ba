#include "bot/router/dispatcher.hpp"

#include <charconv>

#include "bot/core/text.hpp"
#include "bot/text/unicode.hpp"
#include "handlers/form_reading.hpp"
#include "handlers/handlers.hpp"
#include "handlers/handoff.hpp"

namespace outreach::router {
namespace {

std::optional<std::size_t> bare_number(std::string_view s) {
  s = text::trim(s);
  while (!s.empty() && (s.back() == '.' || s.back() == ')')) s.remove_suffix(1);
  if (s.empty() || s.size() > 2)
    return std::nullopt;
  std::size_t n = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc{} || p != s.data() + s.size())
    return std::nullopt;
  return n;
}

// True when the form in progress waits on a choice and `typed` is literally one of its values
// ("5" as a rating), which must not be read as "press button 5".
bool literal_choice(const handlers::Turn& turn, std::string_view typed) {
  if (!turn.state.in_flow())
    return false;
  const content::Flow* flow = turn.content.flow(turn.state.flow);
  const content::FlowStep* step = flow ? flow->step(turn.state.step) : nullptr;
  if (step == nullptr || step->kind != "choice")
    return false;
  const std::string t(text::trim(typed));
  return std::any_of(step->choices.begin(), step->choices.end(),
                     [&](const content::Choice& c) { return c.value == t; });
}

}  // namespace

std::vector<std::string> numbered_choices(const OutboundMessage& m) {
  std::vector<std::string> out;
  for (const auto& i : m.items) out.push_back(i.payload);
  for (const auto& b : m.buttons)
    if (!b.payload.empty())
      out.push_back(b.payload);
  return out;
}

Dispatcher::Dispatcher(std::vector<std::unique_ptr<handlers::Handler>> handlers,
                       handlers::FlowEngine& flows)
    : flows_(flows) {
  for (auto& h : handlers) {
    std::string name(h->name());
    handlers_.emplace(std::move(name), std::move(h));
  }
}

void Dispatcher::run(handlers::Turn& turn, storage::Store& tx, std::string_view payload) {
  const auto [name, arg] = handlers::split_payload(payload);
  auto it = handlers_.find(name);
  if (it == handlers_.end()) {
    // A button or link the bot does not know (another tool's Get Started payload, an old m.me
    // ref): the person typed nothing, so they get the greeting, not "I did not understand".
    it = handlers_.find(turn.event.kind == EventKind::kPostback ? handlers::kMenu
                                                                : handlers::kFallback);
    it->second->handle(turn, tx, {});
    return;
  }
  it->second->handle(turn, tx, arg);
}

void Dispatcher::in_form(handlers::Turn& turn,
                         storage::Store& tx,
                         const Understanding& understanding) {
  using handlers::Fit;
  const std::string& text = turn.event.text;
  const bool at_summary = turn.state.step == "_confirm";
  if (auto cmd = understanding.flow_command(text); cmd && (*cmd != "flow:confirm" || at_summary))
    return flows_.handle(turn, tx, *cmd);
  const Fit fit = flows_.fit(turn, text);
  // "cái đầu", "số 2", "the second one": a button by its place, unless the step reads the words
  // its own way ("thứ 2" is a Monday at the time step; "cái thứ hai" is still the second).
  const bool by_place =
      handlers::ordinal(text) && (fit != Fit::kAnswer || handlers::names_a_place(text));
  if (fit == Fit::kAnswer && !by_place)
    return flows_.handle(turn, tx, "");
  if (auto n = handlers::ordinal(text); by_place && !turn.state.choices.empty()) {
    const auto count = static_cast<int>(turn.state.choices.size());
    const int index = *n < 0 ? count - 1 : *n - 1;
    const std::string& pressed =
        turn.state.choices[static_cast<std::size_t>(std::clamp(index, 0, count - 1))];
    if (index >= 0 && index < count && pressed.starts_with("flow:choice:"))
      return flows_.handle(turn, tx, pressed);
  }
  const Interpretation meant = understanding.interpret(text);
  if (meant.payload == handlers::kMenu) {  // the menu, and the form waits
    run(turn, tx, handlers::kMenu);
    return flows_.say_kept(turn);
  }
  const bool understood =
      meant.kind == Interpretation::Kind::kIntent || meant.kind == Interpretation::Kind::kExplainer;
  if (fit == Fit::kFree && !(understood && handlers::looks_like_question(text)))
    return flows_.handle(turn, tx, "");  // a company name that mentions "đặt lịch" is a name
  const auto owner = handlers::split_payload(meant.payload).first;
  if (meant.kind == Interpretation::Kind::kIntent &&
      turn.state.flow.substr(0, turn.state.flow.find('_')) == owner) {
    // "đặt lịch" while booking: carry on with the form rather than start it again.
    return flows_.handle(turn, tx, "flow:resume");
  }
  // A question in the middle of a form: answered, and the form waits where it was. A word or two
  // that the step cannot read ("18.12" at a time step) is a try at an answer, not a question.
  const bool asks = meant.kind == Interpretation::Kind::kIntent ||
                    handlers::looks_like_question(text) || handlers::plain_words(text).size() >= 3;
  if (understood && asks) {
    const std::string step = turn.state.step;
    answer(turn, tx, meant);
    if (turn.state.in_flow() && turn.state.step == step)
      flows_.say_kept(turn);
    return;
  }
  flows_.handle(turn, tx, "");  // the step takes it, or says what it expects
}

void Dispatcher::dispatch(handlers::Turn& turn,
                          storage::Store& tx,
                          const Understanding& understanding) {
  const InboundEvent& ev = turn.event;
  turn.read_words = [&understanding](std::string_view t) {
    return understanding.read(t).folded;
  };
  turn.find_explainer = [&understanding](std::string_view t) {
    return understanding.explainers_for(t);
  };
  if (ev.kind == EventKind::kOther)
    return platform_event(turn, tx);
  if (ev.kind == EventKind::kUnfollow) {
    turn.handler = "ignored";
    turn.outcome = std::string(to_string(ev.kind));
    return;
  }
  if (turn.state.human_until > turn.now_ms) {
    // A staff member is answering this person on the platform: the bot keeps out of the way.
    turn.handler = "staff_active";
    turn.outcome = "quiet";
    return;
  }
  if (auto h = tx.handoffs.active(turn.person.id)) {
    // Staff have this conversation: what the person types goes to the inbox, the bot is quiet;
    // "back to the assistant" ends it, typed or pressed, and so do the words that leave a form
    // ("quay lại", "thôi khỏi", "hủy"); "menu" shows the menu; other buttons still work.
    if (ev.payload.empty() && !text::trim(ev.text).empty()) {
      const auto command = understanding.flow_command(ev.text);
      if (command == "flow:back" || command == "flow:cancel" ||
          understanding.interpret(ev.text).payload == "handoff:leave")
        return run(turn, tx, "handoff:leave");
      if (text::fold(text::trim(ev.text)) == "menu") {
        run(turn, tx, handlers::kMenu);
        return handlers::say_waiting(turn);
      }
    }
    if (handlers::handoff_turn(turn, tx, *h))
      return;
  }
  if (ev.kind == EventKind::kFollow) {
    flows_.abandon(turn, tx);
    return run(turn, tx, handlers::kMenu);
  }
  const bool expired = flows_.expire_if_due(turn, tx);
  std::string payload = ev.payload;
  if (payload.empty() && !turn.state.choices.empty() && !literal_choice(turn, ev.text)) {
    if (auto n = bare_number(ev.text); n && *n >= 1 && *n <= turn.state.choices.size())
      payload = turn.state.choices[*n - 1];
  }
  if (payload.empty() && text::trim(ev.text).empty()) {
    turn.handler = "unsupported";
    turn.outcome = "attachment";
    handlers::add_main_menu(turn, turn.say(turn.ui("unsupported.attachment")));
    return;
  }
  if (turn.state.in_flow()) {
    if (payload.empty())
      return in_form(turn, tx, understanding);
    if (payload.starts_with("flow:"))
      return flows_.handle(turn, tx, payload);
    // Another button (the menu, an explainer): answered, and the form waits where it was.
    const std::string flow = turn.state.flow;
    const std::string step = turn.state.step;
    run(turn, tx, payload);
    if (turn.state.flow == flow && turn.state.step == step)
      flows_.say_kept(turn);
    return;
  }
  if (payload.starts_with("flow:")) {
    // A button of a form that is over (expired, finished or cancelled).
    turn.handler = "flow";
    turn.outcome = "stale_button";
    if (!expired)
      handlers::add_main_menu(turn, turn.say(turn.ui("flow.expired")));
    return;
  }
  if (payload.empty()) {
    const Interpretation meant = understanding.interpret(ev.text);
    if (meant.kind == Interpretation::Kind::kFallback && follow_up(turn, tx, understanding, meant))
      return;
    return answer(turn, tx, meant);
  }
  run(turn, tx, payload);
}

bool Dispatcher::follow_up(handlers::Turn& turn,
                           storage::Store& tx,
                           const Understanding& understanding,
                           const Interpretation& meant) {
  const auto& last = turn.state.data.find(handlers::kLastExplainer);
  if (last == turn.state.data.end() || !last->is_object())
    return false;
  const std::string id = last->value("id", "");
  const std::int64_t at = last->value("at", std::int64_t{0});
  if (id.empty() || turn.now_ms - at > kFollowUpWithinMs || turn.now_ms < at)
    return false;
  const auto found = understanding.follow_up(turn.event.text, id, meant);
  if (!found)
    return false;
  const content::Explainer* e = turn.content.explainer(found->explainer, turn.lang());
  if (e == nullptr)
    return false;
  follow_language(turn, tx, meant);
  turn.state.data.erase(handlers::kMisses);  // understood: the count of misses starts again
  turn.say(turn.ui("understanding.follow_up", {{"title", e->title}}));
  run(turn, tx, "ex:" + found->explainer + ":" + std::to_string(found->page));
  return true;
}

void Dispatcher::follow_language(handlers::Turn& turn,
                                 storage::Store& tx,
                                 const Interpretation& meant) {
  // A sentence, not a word ("ok", "menu", "startup" are typed in either language).
  const std::string& text = turn.event.text;
  if (meant.kind == Interpretation::Kind::kNothing || meant.payload.starts_with("lang:") ||
      handlers::plain_words(text).size() < kLanguageWords)
    return;
  // The language the bot read the message in. Most people type Vietnamese without its marks,
  // so that is Vietnamese too, unless the person chose English themselves: then only marks
  // switch back (unmarked words may be an English speaker's place names).
  const bool marked = text::fold(text) != text::lower(text);
  const bool chosen = turn.state.data.value(handlers::kLanguageChosen, false);
  const std::string_view lang = meant.english       ? content::kEn
                                : marked || !chosen ? content::kVi
                                                    : std::string_view(turn.person.language);
  if (lang == turn.person.language)
    return;
  turn.person.language = std::string(lang);
  tx.people.set_language(turn.person.id, turn.person.language);
}

void Dispatcher::platform_event(handlers::Turn& turn, storage::Store& tx) {
  const InboundEvent& ev = turn.event;
  turn.handler = fact_name(ev.fact);
  turn.outcome = ev.platform_event.empty() ? "other" : ev.platform_event;

  struct Record {
    Dispatcher& self;
    handlers::Turn& turn;
    storage::Store& tx;

    void operator()(const Receipt& r) const {
      const bool read = r.kind == Receipt::Kind::kRead;
      const auto kind = read ? storage::ReceiptKind::kRead : storage::ReceiptKind::kDelivered;
      int changed = r.ids.empty() ? 0 : tx.outbox.record_receipt(kind, r.ids, turn.now_ms);
      if (r.watermark > 0)
        changed += tx.outbox.record_receipt_until(kind, turn.person.id, r.watermark, turn.now_ms);
      turn.outcome = std::string(read ? "read:" : "delivered:") + std::to_string(changed);
    }

    void operator()(const StaffReply& reply) const {
      // In the inbox's thread too, when the person has a conversation with staff there.
      if (auto h = tx.handoffs.active(turn.person.id); h && !reply.text.empty())
        tx.handoffs.add_message(h->id, "platform", "", reply.text, turn.now_ms);
      const std::int64_t quiet = turn.event.channel == ChannelKind::kZalo
                                     ? turn.options.human_quiet_zalo_ms
                                     : turn.options.human_quiet_messenger_ms;
      turn.state.human_until = turn.now_ms + quiet;
      // A person is handling it; a half-filled form would only confuse.
      self.flows_.abandon(turn, tx);
      turn.outcome = "bot_quiet";
    }

    void operator()(const SharedInfo& info) const {
      tx.people.set_shared(turn.person.id, info.name, info.phone, info.address, turn.now_ms);
      turn.outcome = "stored";
    }

    void operator()(const Reaction&) const {}

    void operator()(const Standby&) const {}

    void operator()(const UnknownEvent&) const {}
  };

  std::visit(Record{*this, turn, tx}, ev.fact);
}

void Dispatcher::answer(handlers::Turn& turn, storage::Store& tx, const Interpretation& meant) {
  using Kind = Interpretation::Kind;
  follow_language(turn, tx, meant);
  if (meant.kind == Kind::kIntent || meant.kind == Kind::kExplainer) {
    if (!turn.state.in_flow())
      turn.state.data.erase(handlers::kMisses);  // understood: the count of misses starts again
    turn.guess_score = meant.score;  // listed for staff when the handler leaves it unanswered
    if (!meant.reading.empty())
      turn.say(turn.ui("understanding.read_as", {{"reading", meant.reading}}));
    return run(turn, tx, meant.payload);
  }
  if (meant.kind == Kind::kClarify) {
    // The first explainer offered is what the person is likely reading about: a follow-up
    // ("phí bao nhiêu") right after a "did you mean" is about it.
    if (!turn.state.in_flow())
      turn.state.data[handlers::kLastExplainer] = {{"id", meant.explainer}, {"at", turn.now_ms}};
    turn.handler = "clarify";
    turn.outcome = meant.explainer;
    turn.unanswered = "clarify";
    turn.best_guess = meant.explainer;
    turn.guess_score = meant.score;
    std::string text;
    if (!meant.reading.empty())
      text = turn.ui("understanding.read_as", {{"reading", meant.reading}}) + "\n";
    OutboundMessage& m = turn.say(text + turn.ui("understanding.did_you_mean"));
    for (const Candidate& c : meant.candidates) {
      if (const content::Explainer* e = turn.content.explainer(c.explainer, turn.lang()))
        m.items.push_back({e->title, {}, "ex:" + c.explainer});
    }
    m.buttons.push_back(
        turn.button("understanding.none_of_these", std::string(handlers::kFallback)));
    m.buttons.push_back(turn.button("explainer.menu", std::string(handlers::kMenu)));
    return;
  }
  turn.unanswered = "fallback";
  turn.best_guess = meant.candidates.empty() ? std::string{} : meant.candidates.front().explainer;
  turn.guess_score = meant.score;
  run(turn, tx, handlers::kFallback);
}

}  // namespace outreach::router
