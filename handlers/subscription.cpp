#include "handlers/subscription.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "bot/core/text.hpp"
#include "bot/text/unicode.hpp"
#include "handlers/handlers.hpp"

namespace outreach::handlers {
namespace {

using Words = std::vector<std::string>;

constexpr std::string_view kFlow = "subscribe";
constexpr std::string_view kTopicsStep = "subscribe_topics";

enum class NameKind { kTopic, kWard, kAudience };

struct Name {
  Words words;
  NameKind kind;
  std::string value;
};

// A single syllable with marks ("dân", "trường", "khác") or a word of two letters is too common
// to be taken as a name inside a longer message; at the form's own step it still is one.
bool too_common(std::string_view written, const Words& words) {
  if (words.size() != 1)
    return false;
  return words.front().size() <= 2 || text::fold(text::lower(written)) != text::lower(written);
}

void add_names(std::vector<Name>& out,
               const std::vector<std::string>& written,
               NameKind kind,
               const std::string& value) {
  for (const auto& w : written) {
    Words words = plain_words(w);
    if (words.empty() || too_common(w, words))
      continue;
    out.push_back({std::move(words), kind, value});
  }
}

const content::TopicGroup* group(const content::Snapshot& c, std::string_view id) {
  for (const auto& g : c.topic_groups)
    if (g.id == id)
      return &g;
  return nullptr;
}

// Every name the message may say, longest first.
std::vector<Name> names_of(const content::Snapshot& c) {
  std::vector<Name> out;
  for (const auto& g : c.topic_groups) {
    if (!g.news)
      continue;
    std::vector<std::string> written = {g.title.vi, g.title.en};
    written.insert(written.end(), g.also.begin(), g.also.end());
    add_names(out, written, NameKind::kTopic, g.id);
  }
  for (const auto& [id, t] : c.topics) {
    const auto* g = group(c, t.group);
    if (t.kind == "explainer" && g != nullptr && g->news)
      add_names(out, {t.title.vi, t.title.en}, NameKind::kTopic, g->id);
  }
  if (const content::Flow* flow = c.flow(kFlow)) {
    for (const auto& [step, kind] :
         {std::pair{"ward", NameKind::kWard}, std::pair{"audience", NameKind::kAudience}}) {
      const content::FlowStep* s = flow->step(step);
      if (s == nullptr)
        continue;
      for (const auto& choice : s->choices) {
        std::vector<std::string> written = {c.ui(content::kVi, choice.label),
                                            c.ui(content::kEn, choice.label)};
        written.insert(written.end(), choice.also.begin(), choice.also.end());
        add_names(out, written, kind, choice.value);
      }
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Name& a, const Name& b) { return a.words.size() > b.words.size(); });
  return out;
}

// Words that say "send me news" and the little words around, never a topic.
const std::set<std::string, std::less<>>& request_words() {
  static const std::set<std::string, std::less<>> kWords = {"dang",
                                                            "ky",
                                                            "ki",
                                                            "nhan",
                                                            "tin",
                                                            "tuc",
                                                            "thong",
                                                            "bao",
                                                            "ban",
                                                            "gui",
                                                            "theo",
                                                            "doi",
                                                            "ve",
                                                            "cho",
                                                            "toi",
                                                            "minh",
                                                            "em",
                                                            "e",
                                                            "tui",
                                                            "muon",
                                                            "mun",
                                                            "can",
                                                            "xin",
                                                            "nhe",
                                                            "nha",
                                                            "a",
                                                            "ah",
                                                            "oi",
                                                            "di",
                                                            "giup",
                                                            "gium",
                                                            "dum",
                                                            "ho",
                                                            "duoc",
                                                            "dc",
                                                            "khong",
                                                            "ko",
                                                            "k",
                                                            "co",
                                                            "thi",
                                                            "la",
                                                            "cua",
                                                            "moi",
                                                            "nhat",
                                                            "hang",
                                                            "tuan",
                                                            "qua",
                                                            "zalo",
                                                            "messenger",
                                                            "facebook",
                                                            "fb",
                                                            "bot",
                                                            "ad",
                                                            "i",
                                                            "me",
                                                            "my",
                                                            "to",
                                                            "the",
                                                            "about",
                                                            "on",
                                                            "for",
                                                            "of",
                                                            "news",
                                                            "updates",
                                                            "update",
                                                            "subscribe",
                                                            "please",
                                                            "pls",
                                                            "want",
                                                            "like",
                                                            "would",
                                                            "get",
                                                            "receive",
                                                            "send",
                                                            "notifications",
                                                            "notification",
                                                            "announcements",
                                                            "tb",
                                                            "lai",
                                                            "mot",
                                                            "cac",
                                                            "nhung",
                                                            "chung",
                                                            "phuong",
                                                            "p",
                                                            "o",
                                                            "tai",
                                                            "vs",
                                                            "nua",
                                                            "chi",
                                                            "thoi",
                                                            "list",
                                                            "add",
                                                            "sign",
                                                            "up",
                                                            "yes",
                                                            "ok",
                                                            "lien",
                                                            "quan",
                                                            "den",
                                                            "new",
                                                            "latest",
                                                            "info",
                                                            "information",
                                                            "nhan",
                                                            "nhat",
                                                            "sang",
                                                            "gio",
                                                            "ngay",
                                                            "bat",
                                                            "ghi",
                                                            "danh",
                                                            "sach",
                                                            "vao",
                                                            "keo",
                                                            "ping",
                                                            "follow",
                                                            "them",
                                                            "more",
                                                            "with",
                                                            "and",
                                                            "or",
                                                            "us",
                                                            "we",
                                                            "our",
                                                            "tips",
                                                            "ca",
                                                            "tat"};
  return kWords;
}

// Words that join two topics ("sở hữu trí tuệ và tiết kiệm điện").
bool joins(std::string_view w) {
  return w == "va" || w == "voi" || w == "and" || w == "hoac" || w == "or" || w == "vs" ||
         w == "cung";
}

std::string joined(const Words& w) {
  std::string out;
  for (const auto& x : w) out += (out.empty() ? "" : " ") + x;
  return out;
}

bool has_run(const Words& words, const Words& run) {
  return std::search(words.begin(), words.end(), run.begin(), run.end()) != words.end();
}

// The news group of the explainers a text asks about: all of them in one group, or none.
std::string group_of_explainers(const content::Snapshot& c, const std::vector<std::string>& ids) {
  std::string found;
  for (const auto& id : ids) {
    const content::Explainer* e = c.explainer(id, content::kVi);
    if (e == nullptr || e->topics.empty())
      return {};
    auto t = c.topics.find(e->topics.front());
    if (t == c.topics.end())
      return {};
    const content::TopicGroup* g = group(c, t->second.group);
    if (g == nullptr || !g->news || (!found.empty() && found != g->id))
      return {};
    found = g->id;
  }
  return found;
}

// Marks every occurrence of the names in `words` (longest first, no overlap).
void find_names(const std::vector<Name>& names,
                const Words& words,
                std::vector<bool>& used,
                SubscriptionRequest& out,
                std::set<std::string>& topics) {
  // Who the person is may also be a topic ("startup bên mình muốn nhận tin khởi nghiệp"): an
  // audience name may take words a topic took, never words another audience or a ward took.
  std::vector<bool> audience_used = used;
  for (const Name& n : names) {
    const std::size_t len = n.words.size();
    auto& taken = n.kind == NameKind::kAudience ? audience_used : used;
    for (std::size_t i = 0; i + len <= words.size(); ++i) {
      const auto from = static_cast<long>(i);
      const auto to = static_cast<long>(i + len);
      if (!std::equal(n.words.begin(), n.words.end(), words.begin() + from) ||
          std::any_of(taken.begin() + from, taken.begin() + to, [](bool b) { return b; }))
        continue;
      std::fill(used.begin() + from, used.begin() + to, true);
      if (n.kind != NameKind::kTopic)
        std::fill(audience_used.begin() + from, audience_used.begin() + to, true);
      if (n.kind == NameKind::kTopic)
        topics.insert(n.value);
      else if (n.kind == NameKind::kWard && out.ward.empty())
        out.ward = n.value;
      else if (n.kind == NameKind::kAudience && out.audience.empty())
        out.audience = n.value;
    }
  }
}

bool is_request(const Words& plain) {
  static const std::vector<Words> kAsks = {{"muon"},          {"mun"},
                                           {"cho", "minh"},   {"cho", "toi"},
                                           {"cho", "em"},     {"cho", "e"},
                                           {"cho", "tui"},    {"giup"},
                                           {"gium"},          {"dum"},
                                           {"xin"},           {"please"},
                                           {"pls"},           {"want"},
                                           {"like", "to"},    {"d", "like"},
                                           {"duoc", "khong"}, {"dc", "ko"},
                                           {"duoc", "ko"},    {"dc", "khong"},
                                           {"sign", "me"},    {"subscribe", "me"}};
  return std::any_of(kAsks.begin(), kAsks.end(), [&](const Words& a) { return has_run(plain, a); });
}

// "tại sao phường gửi thông báo này", "ai gửi tin này cho tôi": asks why or who, never a request.
bool asks_why_or_who(const Words& plain) {
  static const std::vector<Words> kWhy = {{"tai", "sao"}, {"vi", "sao"}, {"why"},       {"who"},
                                          {"o", "dau"},   {"ai", "gui"}, {"ai", "nhan"}};
  return (!plain.empty() && (plain.front() == "ai" || plain.front() == "sao")) ||
         std::any_of(kWhy.begin(), kWhy.end(), [&](const Words& a) { return has_run(plain, a); });
}

// "hủy", "hủy đăng ký giùm em", "cancel": a word of cancelling that names nothing to cancel
// (no word of announcements, no STOP). From someone with a session booked or an event ticket it
// may mean either of those as well as the announcements.
bool cancels_without_naming(std::string_view text) {
  static const std::set<std::string, std::less<>> kAnnouncements = {
      "tin",      "thong",  "bao",           "theo",         "nhan",          "gui",
      "dung",     "ngung",  "stop",          "unsubscribe",  "unsub",         "subscription",
      "news",     "update", "updates",       "notification", "notifications", "message",
      "messages", "list",   "announcements", "announcement", "alerts",        "newsletter"};
  const Words w = plain_words(text);
  bool cancels = false;
  for (const std::string& word : w) {
    if (kAnnouncements.contains(word))
      return false;
    cancels = cancels || word == "huy" || word == "cancel";
  }
  return cancels;
}

}  // namespace

bool asks_about_stopping(std::string_view text) {
  if (!looks_like_question(text))
    return false;
  const Words w = plain_words(text);
  return has_run(w, {"neu"}) || has_run(w, {"if"}) || asks_why_or_who(w);
}

SubscriptionRequest read_subscription(std::string_view text,
                                      const content::Snapshot& content,
                                      const WordReader& read,
                                      const ExplainerFinder& find) {
  SubscriptionRequest out;
  const Words plain = plain_words(text);
  const Words words = read ? read(text) : plain;
  const std::vector<Name> names = names_of(content);
  std::set<std::string> topics;
  std::vector<bool> used(words.size(), false);
  find_names(names, words, used, out, topics);
  if (out.ward.empty() || out.audience.empty()) {  // a place name the reader took for a typo
    std::vector<bool> plain_used(plain.size(), false);
    SubscriptionRequest again;
    std::set<std::string> ignored;
    find_names(names, plain, plain_used, again, ignored);
    if (out.ward.empty())
      out.ward = again.ward;
    if (out.audience.empty())
      out.audience = again.audience;
  }
  // What is left, cut at the names found and at "và", "với": each piece ranked like a question.
  if (find) {
    Words piece;
    auto rank = [&] {
      Words kept;
      for (const auto& w : piece)
        if (!request_words().contains(w) &&
            !std::all_of(w.begin(), w.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
          kept.push_back(w);
      piece.clear();
      if (kept.empty())
        return;
      if (auto g = group_of_explainers(content, find(joined(kept))); !g.empty())
        topics.insert(g);
    };
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (used[i] || joins(words[i])) {
        rank();
        continue;
      }
      piece.push_back(words[i]);
    }
    rank();
  }
  for (const auto& g : content.topic_groups)  // in topics.yaml order
    if (topics.contains(g.id))
      out.topics.push_back(g.id);
  out.all_topics = out.topics.empty() &&
                   (has_run(plain, {"tat", "ca"}) || has_run(plain, {"moi", "chu", "de"}) ||
                    has_run(plain, {"all"}) || has_run(plain, {"everything"}));
  out.asks_about = looks_like_question(text) && !is_request(plain);
  if (looks_like_question(text) && asks_why_or_who(plain)) {
    out.asks_about = true;
    out.topics.clear();
    out.all_topics = false;
  }
  return out;
}

std::string consent_version(std::string_view lang, std::string_view wording) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char ch : wording) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return std::string(lang) + "-" + hex;
}

namespace {

struct Answers {
  std::vector<std::string> topics;
  std::string ward;
  std::string audience;
  std::string consent;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Answers, topics, ward, audience, consent)

std::string topics_label(const Turn& turn, const std::vector<std::string>& topics) {
  if (topics.empty())
    return turn.ui("subscribe.all_topics");
  std::string out;
  for (const auto& id : topics) {
    const content::TopicGroup* g = group(turn.content, id);
    if (!out.empty())
      out += ", ";
    out += g != nullptr ? g->title.in(turn.lang()) : id;
  }
  return out;
}

std::string choice_label(const Turn& turn, std::string_view prefix, const std::string& value) {
  return value.empty() ? turn.ui("subscribe.not_said") : turn.ui(std::string(prefix) + value);
}

Vars subscription_vars(const Turn& turn, const storage::Subscription& s) {
  return {{"topics", topics_label(turn, s.topics)},
          {"ward", choice_label(turn, "ward.", s.ward)},
          {"audience", choice_label(turn, "audience.", s.audience)},
          {"since", format_local_time(turn, s.consent_at)}};
}

// Group ids in the order of topics.yaml.
std::vector<std::string> in_topics_order(const content::Snapshot& c,
                                         const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  for (const auto& g : c.topic_groups)
    if (std::find(ids.begin(), ids.end(), g.id) != ids.end())
      out.push_back(g.id);
  return out;
}

// The request as the finder of the turn reads it.
SubscriptionRequest request_in(const Turn& turn, std::string_view typed) {
  return read_subscription(typed, turn.content, turn.read_words, turn.find_explainer);
}

class SubscribeHandler final : public Handler {
 public:
  explicit SubscribeHandler(FlowEngine& flows) : flows_(flows) {
    flows_.on_step(std::string(kTopicsStep), topics_step());
    flows_.on_complete<Answers>(std::string(kFlow),
                                [](Turn& turn, storage::Store& tx, const Answers& a) {
                                  record(turn, tx, a, "form");
                                  show_current(turn, tx);
                                });
  }

  std::string_view name() const override { return kSubscribe; }

  void handle(Turn& turn, storage::Store& tx, std::string_view arg) override {
    turn.handler = "subscribe";
    const auto current = tx.subscriptions.get(turn.person.id);
    if (arg == "about")
      return about(turn, tx);
    if (arg == "edit")
      return start(turn, tx, nlohmann::json::object());
    if (arg == "more") {
      nlohmann::json known = nlohmann::json::object();
      if (current)
        known["topics"] = current->topics;
      return start(turn, tx, std::move(known));
    }
    const bool typed = turn.event.kind == EventKind::kMessage && turn.event.payload.empty();
    if (!typed)
      return current ? show_current(turn, tx) : start(turn, tx, nlohmann::json::object());
    const SubscriptionRequest req = request_in(turn, turn.event.text);
    if (req.asks_about && req.topics.empty())
      return about(turn, tx);
    if (!req.topics.empty() || req.all_topics) {
      // "nhận tin về sở hữu trí tuệ": said in one message, recorded at once.
      Answers a{req.topics, req.ward, req.audience, turn.ui("subscribe.consent")};
      if (current) {  // adds to what was chosen; what this message does not say stays as it was
        if (current->topics.empty() || req.all_topics) {
          a.topics.clear();  // all topics stay all
        } else {
          for (const auto& t : current->topics)
            if (std::find(a.topics.begin(), a.topics.end(), t) == a.topics.end())
              a.topics.push_back(t);
          a.topics = in_topics_order(turn.content, a.topics);
        }
        a.ward = a.ward.empty() ? current->ward : a.ward;
        a.audience = a.audience.empty() ? current->audience : a.audience;
      }
      record(turn, tx, a, "message");
      turn.outcome = "subscribed";
      auto vars = subscription_vars(turn, *tx.subscriptions.get(turn.person.id));
      vars["consent"] = a.consent;
      std::vector<Button> buttons;
      if (a.ward.empty() || a.audience.empty())
        buttons.push_back(turn.button("subscribe.more", "subscribe:more"));
      buttons.push_back(turn.button("subscribe.stop", "unsubscribe"));
      buttons.push_back(turn.button("explainer.menu", "menu"));
      turn.say(turn.ui("subscribe.recorded", vars), std::move(buttons));
      return;
    }
    if (current && req.ward.empty() && req.audience.empty())
      return show_current(turn, tx);
    nlohmann::json known = nlohmann::json::object();
    if (!req.ward.empty())
      known["ward"] = req.ward;
    if (!req.audience.empty())
      known["audience"] = req.audience;
    start(turn, tx, std::move(known));
  }

 private:
  void start(Turn& turn, storage::Store& tx, nlohmann::json known) {
    known["consent"] = turn.ui("subscribe.consent");
    flows_.start(turn, tx, kFlow, std::move(known));
  }

  static void record(Turn& turn, storage::Store& tx, const Answers& a, std::string source) {
    const std::string wording = a.consent.empty() ? turn.ui("subscribe.consent") : a.consent;
    const std::string version = consent_version(turn.lang(), wording);
    tx.subscriptions.record_wording(version, turn.lang(), wording, turn.now_ms);
    storage::Subscription s;
    s.person_id = turn.person.id;
    s.topics = a.topics;
    s.ward = a.ward;
    s.audience = a.audience;
    s.consent_at = turn.now_ms;
    s.consent_version = version;
    s.source = std::move(source);
    s.updated_at = turn.now_ms;
    tx.subscriptions.put(s);
  }

  static void show_current(Turn& turn, storage::Store& tx) {
    const auto s = tx.subscriptions.get(turn.person.id);
    if (!s)
      return about(turn, tx);
    turn.say(turn.ui("subscribe.current", subscription_vars(turn, *s)),
             {turn.button("subscribe.edit", "subscribe:edit"),
              turn.button("subscribe.stop", "unsubscribe"), turn.button("explainer.menu", "menu")});
  }

  static void about(Turn& turn, storage::Store& tx) {
    turn.outcome = "about";
    const auto s = tx.subscriptions.get(turn.person.id);
    std::string text = turn.ui("subscribe.about");
    if (s)
      text += "\n\n" + turn.ui("subscribe.current", subscription_vars(turn, *s));
    std::vector<Button> buttons;
    if (s) {
      buttons.push_back(turn.button("subscribe.edit", "subscribe:edit"));
      buttons.push_back(turn.button("subscribe.stop", "unsubscribe"));
    } else {
      buttons.push_back(turn.button("subscribe.subscribe", "subscribe:edit"));
    }
    buttons.push_back(turn.button("explainer.menu", "menu"));
    turn.say(std::move(text), std::move(buttons));
  }

  static CustomStep topics_step() {
    CustomStep step;
    step.choices = [](Turn& turn, storage::Store&, const nlohmann::json&) {
      std::vector<Button> out = {turn.button("subscribe.all_topics", "flow:choice:all")};
      for (const auto& g : turn.content.topic_groups)
        if (g.news)
          out.push_back(Button{g.title.in(turn.lang()), "flow:choice:" + g.id, {}});
      return out;
    };
    step.read = [](Turn& turn, storage::Store&, std::string_view chosen, std::string_view typed,
                   nlohmann::json&) {
      StepAnswer answer;
      if (chosen == "all") {
        answer.value = nlohmann::json::array();
      } else if (!chosen.empty()) {
        const content::TopicGroup* g = group(turn.content, chosen);
        if (g != nullptr && g->news)
          answer.value = nlohmann::json::array({g->id});
      } else {
        const SubscriptionRequest req = request_in(turn, typed);
        if (!req.topics.empty())
          answer.value = req.topics;
        else if (req.all_topics)
          answer.value = nlohmann::json::array();
      }
      if (!answer.value)
        answer.note = turn.ui("subscribe.pick_topics");
      return answer;
    };
    step.fits = [](const Turn& turn, std::string_view typed, const nlohmann::json&) {
      const SubscriptionRequest req = request_in(turn, typed);
      return !req.topics.empty() || req.all_topics ? Fit::kAnswer : Fit::kNotAnswer;
    };
    step.display = [](const Turn& turn, const nlohmann::json& value) {
      return topics_label(turn, value.is_array() ? value.get<std::vector<std::string>>()
                                                 : std::vector<std::string>{});
    };
    return step;
  }

  FlowEngine& flows_;
};

class UnsubscribeHandler final : public Handler {
 public:
  std::string_view name() const override { return kUnsubscribe; }

  void handle(Turn& turn, storage::Store& tx, std::string_view) override {
    turn.handler = "unsubscribe";
    // "nếu tôi hủy nhận tin thì sau này đăng ký lại được không": a question about stopping.
    const bool typed = turn.event.kind == EventKind::kMessage && turn.event.payload.empty();
    if (typed && asks_about_stopping(turn.event.text)) {
      turn.outcome = "about";
      turn.say(turn.ui("subscribe.about"), {turn.button("explainer.menu", "menu")});
      return;
    }
    if (typed && cancels_without_naming(turn.event.text) && asked_what_to_cancel(turn, tx))
      return;
    // Announcements already queued for them do not go out either.
    tx.outbox.skip_pending(turn.person.id, MessageKind::kBroadcast, "unsubscribed");
    if (tx.subscriptions.remove(turn.person.id)) {
      turn.outcome = "unsubscribed";
      turn.say(turn.ui("unsubscribe.done"), {turn.button("subscribe.subscribe", "subscribe:edit"),
                                             turn.button("explainer.menu", "menu")});
      return;
    }
    turn.outcome = "not_subscribed";
    add_main_menu(turn, turn.say(turn.ui("unsubscribe.none")));
  }

 private:
  // Someone with a session booked or an event ticket is asked which of them to cancel, with a
  // button for each thing they have; nothing is changed yet. False when they have neither.
  static bool asked_what_to_cancel(Turn& turn, storage::Store& tx) {
    const std::int64_t id = turn.person.id;
    const bool booked =
        !tx.bookings.upcoming_for(id, turn.now_ms).empty() || !tx.bookings.waiting_for(id).empty();
    const bool ticket = !tx.events.live_of(id).empty();
    if (!booked && !ticket)
      return false;
    std::vector<Button> buttons;
    if (booked)
      buttons.push_back(turn.button("booking.mine", "booking:mine"));
    if (ticket)
      buttons.push_back(turn.button("events.mine", "events:mine"));
    if (tx.subscriptions.get(id))
      buttons.push_back(turn.button("subscribe.stop", "unsubscribe"));
    buttons.push_back(turn.button("explainer.menu", "menu"));
    turn.outcome = "which";
    turn.say(turn.ui("unsubscribe.which"), std::move(buttons));
    return true;
  }
};

}  // namespace

std::string subscription_summary(const Turn& turn, storage::Store& tx) {
  const auto s = tx.subscriptions.get(turn.person.id);
  if (!s)
    return turn.ui("subscribe.none_line");
  return turn.ui("subscribe.line", subscription_vars(turn, *s));
}

std::unique_ptr<Handler> make_subscribe_handler(FlowEngine& flows) {
  return std::make_unique<SubscribeHandler>(flows);
}

std::unique_ptr<Handler> make_unsubscribe_handler() {
  return std::make_unique<UnsubscribeHandler>();
}

}  // namespace outreach::handlers
