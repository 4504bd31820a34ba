// Menu, greeting, help, language, handoff, fallback, referrals to other offices, and where an
// old ward is now.
#include <charconv>

#include "bot/core/local_time.hpp"
#include "content/store.hpp"
#include "handlers/handlers.hpp"
#include "handlers/handoff.hpp"

namespace outreach::handlers {
namespace {

class MenuHandler final : public Handler {
 public:
  std::string_view name() const override { return kMenu; }

  void handle(Turn& turn, storage::Store&, std::string_view) override {
    turn.handler = "menu";
    const bool first = turn.event.kind == EventKind::kFollow || turn.person.is_new;
    std::string text;
    if (first) {
      text = turn.person.display_name.empty()
                 ? turn.ui("greeting")
                 : turn.ui("greeting_named", {{"name", turn.person.display_name}});
      turn.outcome = "greeted";
    } else {
      text = turn.ui("menu.prompt");
    }
    add_main_menu(turn, turn.say(std::move(text)));
  }
};

class HelpHandler final : public Handler {
 public:
  std::string_view name() const override { return kHelp; }

  void handle(Turn& turn, storage::Store&, std::string_view) override {
    turn.handler = "help";
    add_main_menu(turn, turn.say(turn.ui("help.text")));
  }
};

class LanguageHandler final : public Handler {
 public:
  std::string_view name() const override { return kLanguage; }

  void handle(Turn& turn, storage::Store& tx, std::string_view arg) override {
    turn.handler = "language";
    std::string lang(arg);
    if (lang != content::kVi && lang != content::kEn)
      lang = turn.person.language == content::kVi ? content::kEn : content::kVi;
    if (lang != turn.person.language) {
      turn.person.language = lang;
      tx.people.set_language(turn.person.id, lang);
    }
    turn.state.data[kLanguageChosen] = true;  // kept by forms, never one of their answers
    turn.outcome = lang;
    add_main_menu(turn, turn.say(turn.ui("language.switched")));
  }
};

class HandoffHandler final : public Handler {
 public:
  std::string_view name() const override { return kHandoff; }

  void handle(Turn& turn, storage::Store& tx, std::string_view arg) override {
    if (arg == "leave")
      return leave_handoff(turn, tx);
    if (turn.options.handoff_enabled)
      return open_handoff(turn, tx, "asked");
    // No console to answer from: how to reach the office instead.
    turn.handler = "handoff";
    const content::Office* office = turn.content.office("economic-office");
    Vars vars;
    if (office != nullptr) {
      vars["office"] = office->name.in(turn.lang());
      vars["how"] = office->how.in(turn.lang());
    }
    add_main_menu(turn, turn.say(turn.ui("handoff.text", vars)));
  }
};

class FallbackHandler final : public Handler {
 public:
  std::string_view name() const override { return kFallback; }

  // `arg` "smalltalk": a request the bot is not for (a song, a joke), told so plainly; not a
  // gap in the content, so not listed for staff with the unanswered questions.
  void handle(Turn& turn, storage::Store& tx, std::string_view arg) override {
    turn.handler = "fallback";
    if (arg == kSmalltalk) {
      turn.outcome = "smalltalk";
      add_main_menu(turn, turn.say(turn.ui("fallback.smalltalk")));
      return;
    }
    // "cảm ơn", "ok": a friendly word back (understood, so no miss), not listed for staff.
    if (arg == kThanks) {
      turn.outcome = "thanks";
      add_main_menu(turn, turn.say(turn.ui("fallback.thanks")));
      return;
    }
    // Not understood twice in a row (outside a form): a person takes over.
    if (!turn.state.in_flow() && !turn.event.text.empty()) {
      const int misses = turn.state.data.value(kMisses, 0) + 1;
      turn.state.data[kMisses] = misses;
      if (misses >= 2 && turn.options.handoff_enabled) {
        turn.state.data.erase(kMisses);
        return open_handoff(turn, tx, "not_understood");
      }
    }
    turn.outcome = "not_understood";
    OutboundMessage& m = turn.say(turn.ui("fallback.text"));
    // The text is kept for staff only if the person says so (unless they consented to keeping
    // what they type, and the config allows it: then it is kept already).
    const bool kept = turn.options.store_message_text && turn.person.consent_store_text;
    if (!kept && !turn.event.text.empty() && turn.event.text.size() <= kMaxShared) {
      m.text += "\n" + turn.ui("fallback.share_note");
      m.buttons.push_back(turn.button("fallback.share", std::string(kQuestion) + ":share"));
      turn.offer_share = true;
    }
    add_main_menu(turn, m);
  }
};

// "Gửi câu hỏi cho cán bộ": the person agrees that the question the bot just missed is kept,
// with its text, for staff to answer it in the content (console, /console/questions).
class QuestionHandler final : public Handler {
 public:
  std::string_view name() const override { return kQuestion; }

  void handle(Turn& turn, storage::Store& tx, std::string_view) override {
    turn.handler = "question";
    const auto it = turn.state.data.find(kShareable);
    const bool shared = it != turn.state.data.end() && it->is_object() &&
                        tx.records.share_question(it->value("id", std::int64_t{0}), turn.person.id,
                                                  it->value("text", std::string{}));
    turn.outcome = shared ? "shared" : "gone";
    add_main_menu(turn, turn.say(turn.ui(shared ? "question.shared" : "question.gone")));
  }
};

// A subject another office handles (referrals.yaml): say so and name the office, rather than
// guess an explainer. Counted with the unanswered questions, so staff see what people ask.
class ReferralHandler final : public Handler {
 public:
  std::string_view name() const override { return kReferral; }

  void handle(Turn& turn, storage::Store&, std::string_view arg) override {
    const content::Referral* r = turn.content.referral(arg);
    const content::Office* office = r ? turn.content.office(r->office) : nullptr;
    turn.handler = "referral";
    turn.unanswered = "fallback";
    if (office == nullptr) {  // content changed under an old payload
      turn.outcome = "not_understood";
      add_main_menu(turn, turn.say(turn.ui("fallback.text")));
      return;
    }
    turn.outcome = r->id;
    turn.best_guess = std::string(kReferral) + ":" + r->id;
    std::string text = turn.ui("referral.text", {{"subject", r->subject.in(turn.lang())},
                                                 {"office", office->name.in(turn.lang())},
                                                 {"how", office->how.in(turn.lang())}});
    if (!office->url.empty())
      text += " " + office->url;
    add_main_menu(turn, turn.say(std::move(text)));
  }
};

// "Phường 7 cũ giờ là phường gì": the ward it belongs to now in one line, its legal source,
// and a button to the whole story (wards.yaml, the reorganisation explainer).
class OldWardHandler final : public Handler {
 public:
  std::string_view name() const override { return kOldWard; }

  void handle(Turn& turn, storage::Store&, std::string_view arg) override {
    turn.handler = "ward";
    const content::OldWards& wards = turn.content.old_wards;
    int number = 0;
    std::from_chars(arg.data(), arg.data() + arg.size(), number);
    const auto it = wards.now.find(number);
    const content::Explainer* e = turn.content.explainer(wards.explainer, turn.lang());
    if (it == wards.now.end() || e == nullptr) {  // content changed under an old payload
      turn.outcome = "not_understood";
      add_main_menu(turn, turn.say(turn.ui("fallback.text")));
      return;
    }
    turn.outcome = "old_ward";
    std::string text = turn.ui(
        "old_ward.now", {{"n", std::to_string(number)}, {"now", it->second.in(turn.lang())}});
    if (!e->sources.empty())
      text += "\n" + turn.ui("old_ward.source", {{"source", e->sources.front().title}});
    OutboundMessage& m = turn.say(std::move(text));
    m.buttons.push_back(turn.button("old_ward.more", "ex:" + wards.explainer));
    add_main_menu(turn, m);
  }
};

}  // namespace

void add_main_menu(const Turn& turn, OutboundMessage& message) {
  for (const content::MenuItem& item : turn.content.main_menu)
    message.buttons.push_back(turn.button(item.label, item.payload));
}

std::string format_local_time(const Turn& turn, std::int64_t unix_ms) {
  Vars vars = date_vars(turn.content, turn.lang(), local_time::day_of(unix_ms));
  vars["time"] = local_time::hhmm(unix_ms);
  return turn.ui("date.datetime", vars);
}

Vars date_vars(const content::Snapshot& content, std::string_view lang, std::int64_t day) {
  const local_time::Date c = local_time::date_of(day);
  return {{"weekday", content.ui(lang, "date.weekday." + std::to_string(c.weekday))},
          {"d", std::to_string(c.day)},
          {"m", std::to_string(c.month)},
          {"y", std::to_string(c.year)}};
}

std::vector<std::unique_ptr<Handler>> make_menu_handlers();
std::vector<std::unique_ptr<Handler>> make_explainer_handlers();
std::unique_ptr<Handler> make_feedback_handler(FlowEngine& flows);
std::unique_ptr<Handler> make_privacy_handler(FlowEngine& flows);
std::unique_ptr<Handler> make_booking_handler(FlowEngine& flows);
std::unique_ptr<Handler> make_subscribe_handler(FlowEngine& flows);
std::unique_ptr<Handler> make_unsubscribe_handler();
std::unique_ptr<Handler> make_events_handler(FlowEngine& flows);

std::vector<std::unique_ptr<Handler>> make_menu_handlers() {
  std::vector<std::unique_ptr<Handler>> out;
  out.push_back(std::make_unique<MenuHandler>());
  out.push_back(std::make_unique<HelpHandler>());
  out.push_back(std::make_unique<LanguageHandler>());
  out.push_back(std::make_unique<HandoffHandler>());
  out.push_back(std::make_unique<FallbackHandler>());
  out.push_back(std::make_unique<ReferralHandler>());
  out.push_back(std::make_unique<OldWardHandler>());
  out.push_back(std::make_unique<QuestionHandler>());
  return out;
}

std::vector<std::unique_ptr<Handler>> make_standard_handlers(FlowEngine& flows) {
  auto out = make_menu_handlers();
  for (auto& h : make_explainer_handlers()) out.push_back(std::move(h));
  out.push_back(make_feedback_handler(flows));
  out.push_back(make_privacy_handler(flows));
  out.push_back(make_booking_handler(flows));
  out.push_back(make_subscribe_handler(flows));
  out.push_back(make_unsubscribe_handler());
  out.push_back(make_events_handler(flows));
  return out;
}

}  // namespace outreach::handlers
