#include "content/store.hpp"

#include <set>

#include "bot/text/unicode.hpp"

namespace outreach::content {

const FlowStep* Flow::step(std::string_view step_id) const {
  for (const auto& s : steps)
    if (s.id == step_id)
      return &s;
  return nullptr;
}

int Flow::index_of(std::string_view step_id) const {
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (steps[i].id == step_id)
      return static_cast<int>(i);
  return -1;
}

const std::string& Snapshot::ui(std::string_view lang, std::string_view key) const {
  if (lang == kEn) {
    if (auto it = ui_en.find(key); it != ui_en.end())
      return it->second;
  }
  if (auto it = ui_vi.find(key); it != ui_vi.end())
    return it->second;
  static const std::string kMissing = "[?]";
  return kMissing;
}

const Explainer* Snapshot::explainer(std::string_view id, std::string_view lang) const {
  if (lang == kEn) {
    if (auto it = explainers_en.find(id); it != explainers_en.end())
      return &it->second;
  }
  auto it = explainers_vi.find(id);
  return it == explainers_vi.end() ? nullptr : &it->second;
}

const Flow* Snapshot::flow(std::string_view id) const {
  auto it = flows.find(id);
  return it == flows.end() ? nullptr : &it->second;
}

const BookingTopic* BookingSetup::topic(std::string_view id) const {
  for (const auto& t : topics)
    if (t.id == id)
      return &t;
  return nullptr;
}

const Advisor* BookingSetup::advisor(std::string_view id) const {
  for (const auto& a : advisors)
    if (a.id == id)
      return &a;
  return nullptr;
}

const std::vector<std::string_view>& custom_step_kinds() {
  static const std::vector<std::string_view> kKinds = {"phone", "booking_topic", "booking_slot",
                                                       "subscribe_topics"};
  return kKinds;
}

const Office* Snapshot::office(std::string_view id) const {
  auto it = offices.find(id);
  return it == offices.end() ? nullptr : &it->second;
}

const Event* Snapshot::event(std::string_view id) const {
  auto it = events.find(id);
  return it == events.end() ? nullptr : &it->second;
}

const Referral* Snapshot::referral(std::string_view id) const {
  auto it = referrals.find(id);
  return it == referrals.end() ? nullptr : &it->second;
}

std::string Snapshot::word_not_in_content(std::string_view term) const {
  std::set<std::string, std::less<>> used;  // folded words of every title and keyword
  for (const auto* table : {&explainers_vi, &explainers_en})
    for (const auto& [id, e] : *table) {
      for (auto& w : text::words(text::fold(e.title))) used.insert(std::move(w));
      for (const auto& k : e.keywords)
        for (auto& w : text::words(text::fold(k))) used.insert(std::move(w));
    }
  for (const auto& w : text::words(text::fold(term)))
    if (!used.contains(w))
      return w;
  return {};
}

std::string learned_answer_payload(std::string_view answer) {
  if (answer == "off-topic")
    return "fallback:smalltalk";
  for (const auto& [prefix, payload] : {std::pair{std::string_view("explainer:"), "ex:"},
                                        std::pair{std::string_view("referral:"), "referral:"}})
    if (answer.starts_with(prefix) && answer.size() > prefix.size())
      return payload + std::string(answer.substr(prefix.size()));
  return {};
}

const std::vector<std::string_view>& required_ui_keys() {
  static const std::vector<std::string_view> kKeys = {"greeting",
                                                      "greeting_named",
                                                      "menu.prompt",
                                                      "help.text",
                                                      "language.switched",
                                                      "fallback.text",
                                                      "fallback.smalltalk",
                                                      "fallback.thanks",
                                                      "fallback.share",
                                                      "fallback.share_note",
                                                      "question.shared",
                                                      "question.gone",
                                                      "referral.text",
                                                      "error.apology",
                                                      "handoff.text",
                                                      "policies.prompt",
                                                      "policies.group",
                                                      "explainer.more",
                                                      "explainer.next_page",
                                                      "explainer.sources",
                                                      "explainer.contact",
                                                      "explainer.updating",
                                                      "explainer.menu",
                                                      "explainer.not_found",
                                                      "flow.back",
                                                      "flow.cancel",
                                                      "flow.restart",
                                                      "flow.skip",
                                                      "flow.confirm",
                                                      "flow.edit",
                                                      "flow.expired",
                                                      "flow.nothing_before",
                                                      "flow.invalid_choice",
                                                      "flow.too_short",
                                                      "flow.too_long",
                                                      "flow.number_range",
                                                      "flow.not_a_number",
                                                      "flow.empty",
                                                      "flow.step_of",
                                                      "privacy.summary",
                                                      "privacy.delete_confirm",
                                                      "privacy.deleted",
                                                      "privacy.kept",
                                                      "privacy.yes_delete",
                                                      "privacy.no_keep",
                                                      "privacy.channel.web",
                                                      "privacy.channel.cli",
                                                      "privacy.channel.zalo",
                                                      "privacy.channel.messenger",
                                                      "privacy.language.vi",
                                                      "privacy.language.en",
                                                      "unsupported.attachment",
                                                      "understanding.read_as",
                                                      "understanding.did_you_mean",
                                                      "understanding.follow_up",
                                                      "understanding.none_of_these",
                                                      "info.booking",
                                                      "subscribe.ask_topics",
                                                      "subscribe.pick_topics",
                                                      "subscribe.all_topics",
                                                      "subscribe.not_said",
                                                      "subscribe.consent",
                                                      "subscribe.recorded",
                                                      "subscribe.current",
                                                      "subscribe.about",
                                                      "subscribe.subscribe",
                                                      "subscribe.edit",
                                                      "subscribe.more",
                                                      "subscribe.stop",
                                                      "subscribe.none_line",
                                                      "subscribe.line",
                                                      "unsubscribe.done",
                                                      "unsubscribe.none",
                                                      "number.hint",
                                                      "explainer.back_to_topics",
                                                      "menu.policies",
                                                      "date.datetime",
                                                      "date.weekday.0",
                                                      "date.weekday.1",
                                                      "date.weekday.2",
                                                      "date.weekday.3",
                                                      "date.weekday.4",
                                                      "date.weekday.5",
                                                      "date.weekday.6",
                                                      "web.title",
                                                      "web.subtitle",
                                                      "web.placeholder",
                                                      "web.send",
                                                      "web.offline",
                                                      "web.restart",
                                                      "web.you",
                                                      "web.bot",
                                                      "web.menu"};
  return kKeys;
}

ContentStore::ContentStore(std::string dir, const Clock& clock)
    : dir_(std::move(dir)), clock_(clock) {}

LoadReport ContentStore::reload() {
  std::lock_guard one_at_a_time(reload_mu_);
  LoadReport report = load_content(dir_, local_time::day_of(clock_.now_ms()));
  if (report.snapshot) {
    auto s = std::const_pointer_cast<Snapshot>(report.snapshot);
    s->loaded_at_ms = clock_.now_ms();
    publish(report.snapshot);
  }
  return report;
}

std::shared_ptr<const Snapshot> ContentStore::snapshot() const {
  std::lock_guard lock(mu_);
  return current_;
}

void ContentStore::publish(std::shared_ptr<const Snapshot> s) {
  std::lock_guard lock(mu_);
  current_ = std::move(s);
}

}  // namespace outreach::content
