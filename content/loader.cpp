#include "content/loader.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "bot/core/text.hpp"
#include "bot/text/unicode.hpp"
#include "content/markdown.hpp"
#include "content/yaml_check.hpp"

namespace outreach::content {
namespace fs = std::filesystem;

std::pair<std::string, std::string> lexicon_parts(std::string_view phrase) {
  for (const std::string_view gap : {std::string_view("…"), std::string_view("...")})
    if (const auto at = phrase.find(gap); at != std::string_view::npos)
      return {std::string(text::trim(phrase.substr(0, at))),
              std::string(text::trim(phrase.substr(at + gap.size())))};
  return {std::string(phrase), {}};
}

namespace {
// Words folded and joined by one space: how phrases and keys are compared ("Đăng  ký" = "dang ky").
std::string folded_key(std::string_view text) {
  std::string folded;
  for (const auto& w : text::words(text::fold(text))) folded += (folded.empty() ? "" : " ") + w;
  return folded;
}
}  // namespace

std::string lexicon_key(std::string_view phrase) {
  const auto [said, then] = lexicon_parts(phrase);
  const std::string folded = folded_key(said);
  if (said.size() == phrase.size())  // lexicon_parts cut nothing: no "…"
    return folded;
  const std::string rest = folded_key(then);
  if (folded.empty() || rest.empty() || then.find("…") != std::string::npos ||
      then.find("...") != std::string::npos)
    return {};
  return folded + " … " + rest;
}

namespace {

constexpr std::size_t kMaxTitle = 80;
constexpr std::size_t kMaxSummary = 600;
constexpr std::size_t kMaxPage = 1000;
constexpr std::size_t kMaxBody = 3000;
constexpr std::size_t kMaxUiString = 2000;

bool read_file(const fs::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in)
    return false;
  std::ostringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

std::optional<YAML::Node> load_yaml_file(std::vector<Problem>& problems,
                                         const fs::path& dir,
                                         const std::string& rel,
                                         bool required) {
  std::string text;
  if (!read_file(dir / rel, text)) {
    if (required)
      problems.push_back({rel, 0, "file is missing", false});
    return std::nullopt;
  }
  YamlChecker c(problems, rel);
  return c.parse(text);
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64)
    return false;
  return std::all_of(id.begin(), id.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
  });
}

void flatten_ui(YamlChecker& c,
                const YAML::Node& n,
                const std::string& prefix,
                std::map<std::string, std::string, std::less<>>& out) {
  if (n.IsMap()) {
    for (const auto& kv : n) {
      const std::string key = kv.first.as<std::string>();
      flatten_ui(c, kv.second, prefix.empty() ? key : prefix + "." + key, out);
    }
  } else if (n.IsScalar()) {
    std::string v = n.as<std::string>();
    c.check_text(n, prefix, v, kMaxUiString);
    out[prefix] = std::move(v);
  } else {
    c.error(n, prefix + ": must be text or a mapping of texts");
  }
}

void load_ui(std::vector<Problem>& problems, const fs::path& dir, Snapshot& s) {
  bool parsed[2] = {false, false};
  for (int i = 0; i < 2; ++i) {
    const std::string_view lang = i == 0 ? kVi : kEn;
    const std::string rel = "ui/" + std::string(lang) + ".yaml";
    auto root = load_yaml_file(problems, dir, rel, true);
    if (!root)
      continue;
    YamlChecker c(problems, rel);
    if (!root->IsMap()) {
      c.error(*root, "must be a mapping of keys to texts");
      continue;
    }
    flatten_ui(c, *root, "", lang == kVi ? s.ui_vi : s.ui_en);
    parsed[i] = true;
  }
  // Compare keys only between files that parsed: one syntax error is one problem, not hundreds.
  const auto& required = required_ui_keys();
  auto is_required = [&](std::string_view k) {
    return std::find(required.begin(), required.end(), k) != required.end();
  };
  for (int i = 0; i < 2; ++i) {
    if (!parsed[i])
      continue;
    const auto& mine = i == 0 ? s.ui_vi : s.ui_en;
    const auto& other = i == 0 ? s.ui_en : s.ui_vi;
    const std::string file = i == 0 ? "ui/vi.yaml" : "ui/en.yaml";
    const std::string other_file = i == 0 ? "ui/en.yaml" : "ui/vi.yaml";
    for (std::string_view key : required)
      if (!mine.contains(key))
        problems.push_back(
            {file, 0, "missing key '" + std::string(key) + "' (the bot uses it)", false});
    if (!parsed[1 - i])
      continue;
    for (const auto& [k, v] : other)
      if (!mine.contains(k) && !is_required(k))
        problems.push_back(
            {file, 0, "missing key '" + k + "' (present in " + other_file + ")", false});
  }
}

void need_ui_key(YamlChecker& c, const YAML::Node& at, const Snapshot& s, const std::string& key) {
  if (key.empty())
    return;
  if (!s.ui_vi.empty() && !s.ui_vi.contains(key))
    c.error(at, "UI key '" + key + "' is not in ui/vi.yaml");
  if (!s.ui_en.empty() && !s.ui_en.contains(key))
    c.error(at, "UI key '" + key + "' is not in ui/en.yaml");
}

// map[key] as { vi: …, en: … }; `path` is the path of `map`, for an unknown key's message.
Bilingual bilingual(YamlChecker& c,
                    const YAML::Node& map,
                    std::string_view path,
                    const char* key,
                    bool required = true) {
  Bilingual b;
  const YAML::Node n = map[key];
  if (!n.IsDefined() || n.IsNull()) {
    if (required)
      c.error(map, std::string("missing '") + key + "' (with vi: and en:)");
    return b;
  }
  if (!n.IsMap()) {
    c.error(n, std::string("'") + key + "' must have vi: and en:");
    return b;
  }
  c.known_keys(n, key_path(path, key), {"vi", "en"});
  b.vi = c.text(n, "vi", required, 600);
  b.en = c.text(n, "en", required, 600);
  return b;
}

// Calls `f(id, node)` for each entry of a file that maps ids to mappings (offices.yaml,
// referrals.yaml), reporting a bad id or an entry that is not a mapping.
template <class F>
void each_entry(std::vector<Problem>& problems,
                const fs::path& dir,
                const std::string& file,
                bool required,
                const std::string& what,
                F f) {
  auto root = load_yaml_file(problems, dir, file, required);
  if (!root || (!required && root->IsNull()))
    return;
  YamlChecker c(problems, file);
  if (!root->IsMap())
    return c.error(*root, "must be a mapping of " + what + " ids");
  for (const auto& kv : *root) {
    const std::string id = kv.first.as<std::string>();
    if (!valid_id(id))
      c.error(kv.first, what + " id '" + id + "' must use a-z, 0-9 and -");
    if (!kv.second.IsMap()) {
      c.error(kv.second, what + " '" + id + "' must be a mapping");
      continue;
    }
    f(c, id, kv.second);
  }
}

void load_offices(std::vector<Problem>& problems, const fs::path& dir, Snapshot& s) {
  each_entry(problems, dir, "offices.yaml", true, "office",
             [&](YamlChecker& c, const std::string& id, const YAML::Node& n) {
               c.known_keys(n, id, {"name", "how", "address", "phone", "hours", "url"});
               Office o;
               o.id = id;
               o.name = bilingual(c, n, id, "name");
               o.how = bilingual(c, n, id, "how");
               o.address = c.text(n, "address", false, 200);
               o.phone = c.text(n, "phone", false, 40);
               o.hours = c.text(n, "hours", false, 200);
               o.url = c.text(n, "url", false, 300);
               if (!o.url.empty() && !o.url.starts_with("https://"))
                 c.error(n["url"], "url must start with https://");
               s.offices[o.id] = std::move(o);
             });
}

// referrals.yaml (optional): subjects outside the service and the office that handles each.
void load_referrals(std::vector<Problem>& problems, const fs::path& dir, Snapshot& s) {
  each_entry(problems, dir, "referrals.yaml", false, "referral",
             [&](YamlChecker& c, const std::string& id, const YAML::Node& n) {
               Referral r;
               r.id = id;
               c.known_keys(n, id, {"subject", "office", "keywords", "examples", "unless"});
               r.subject = bilingual(c, n, id, "subject");
               r.office = c.text(n, "office", true, 64);
               if (!r.office.empty() && !s.offices.contains(r.office))
                 c.error(n["office"], "unknown office '" + r.office + "' (see offices.yaml)");
               r.keywords = c.list(n, "keywords", 2, 40);
               r.examples = c.list(n, "examples", 0, 40, false);
               r.unless = c.list(n, "unless", 0, 40, false);
               s.referrals[r.id] = std::move(r);
             });
}

// lexicon.yaml (optional): the content's terms, each with the everyday phrases that mean it.
// A term must be words the content uses (in some explainer's title or keywords), or it could
// not help ranking; a phrase belongs to one term.
void load_lexicon(std::vector<Problem>& problems, const fs::path& dir, Snapshot& s) {
  auto root = load_yaml_file(problems, dir, "lexicon.yaml", false);
  if (!root || root->IsNull())
    return;
  YamlChecker c(problems, "lexicon.yaml");
  if (!root->IsMap())
    return c.error(*root, "must map the content's terms to lists of everyday phrases");
  std::map<std::string, int> seen;   // folded phrase → line
  std::map<std::string, int> terms;  // folded term → line (YAML itself lets a key repeat)
  for (const auto& kv : *root) {
    const std::string term = kv.first.as<std::string>();
    c.check_text(kv.first, "term", term, 80);
    if (auto [it, fresh] = terms.emplace(text::fold(term), c.line_of(kv.first)); !fresh) {
      c.error(kv.first, "term '" + term + "' is already listed on line " +
                            std::to_string(it->second) + ": add the phrases there");
      continue;
    }
    if (!kv.second.IsSequence() || kv.second.size() == 0) {
      c.error(kv.second, "'" + term + "': give 1 to " + std::to_string(kMaxLexiconPhrases) +
                             " everyday phrases as a list");
      continue;
    }
    if (kv.second.size() > kMaxLexiconPhrases) {
      c.error(kv.second, "'" + term + "' has " + std::to_string(kv.second.size()) +
                             " phrases, at most " + std::to_string(kMaxLexiconPhrases) +
                             ": move the more specific ones under a narrower term");
      continue;
    }
    for (const auto& p : kv.second) {
      if (!p.IsScalar()) {
        c.error(p, "phrases must be text");
        continue;
      }
      const std::string phrase = p.as<std::string>();
      c.check_text(p, "phrase", phrase, 80);
      const std::string folded = lexicon_key(phrase);
      if (folded.empty()) {
        if (phrase.find("…") != std::string::npos || phrase.find("...") != std::string::npos)
          c.error(p, "'" + phrase + "': a phrase said apart has words on both sides of one '…'");
        continue;
      }
      if (auto [it, fresh] = seen.emplace(folded, c.line_of(p)); !fresh) {
        c.error(p, "'" + phrase + "' is already listed on line " + std::to_string(it->second) +
                       " (phrases are compared without case or diacritics)");
        continue;
      }
      s.lexicon.push_back({phrase, term});
    }
  }
}

// wards.yaml (optional): the ward each old ward of Gò Vấp belongs to now.
void load_wards(std::vector<Problem>& problems, const fs::path& dir, Snapshot& s) {
  auto root = load_yaml_file(problems, dir, "wards.yaml", false);
  if (!root || root->IsNull())
    return;
  YamlChecker c(problems, "wards.yaml");
  if (!root->IsMap())
    return c.error(*root, "must have explainer:, asked_by: and old_wards:");
  c.known_keys(*root, "wards.yaml", {"explainer", "asked_by", "old_wards"});
  s.old_wards.explainer = c.text(*root, "explainer", true, 64);
  s.old_wards.asked_by = c.list(*root, "asked_by", 1, 60);
  const YAML::Node wards = (*root)["old_wards"];
  if (!wards.IsMap() || wards.size() == 0)
    return c.error(wards.IsDefined() ? wards : *root,
                   "old_wards: must map old ward numbers to the ward each belongs to now");
  for (const auto& kv : wards) {
    int number = 0;
    const std::string key = kv.first.Scalar();
    const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), number);
    if (ec != std::errc{} || end != key.data() + key.size() || number < 1 || number > 99) {
      c.error(kv.first, "'" + key + "': an old ward is a number from 1 to 99");
      continue;
    }
    s.old_wards.now[number] = bilingual(c, wards, key, key.c_str());
  }
}

// "08:00" → 480; -1 when malformed.
int minute_of_day(std::string_view hm) {
  if (hm.size() != 5 || hm[2] != ':')
    return -1;
  int h = 0;
  int m = 0;
  auto [p1, e1] = std::from_chars(hm.data(), hm.data() + 2, h);
  auto [p2, e2] = std::from_chars(hm.data() + 3, hm.data() + 5, m);
  if (e1 != std::errc{} || e2 != std::errc{} || p1 != hm.data() + 2 || p2 != hm.data() + 5 ||
      h > 24 || m > 59 || (h == 24 && m != 0))
    return -1;
  return h * 60 + m;
}

int bounded_int(
    YamlChecker& c, const YAML::Node& map, const char* key, int fallback, int lo, int hi) {
  const YAML::Node n = map[key];
  if (!n.IsDefined() || n.IsNull())
    return fallback;
  int v = fallback;
  try {
    v = n.as<int>();
  } catch (const YAML::Exception&) {
    c.error(n, std::string("'") + key + "' must be a whole number");
    return fallback;
  }
  if (v < lo || v > hi)
    c.error(n, std::string("'") + key + "' must be between " + std::to_string(lo) + " and " +
                   std::to_string(hi));
  return v;
}

// booking.yaml: optional; without it the booking capability says how to book by phone.
void load_booking(std::vector<Problem>& problems, const fs::path& dir, Snapshot& s) {
  auto root = load_yaml_file(problems, dir, "booking.yaml", false);
  if (!root)
    return;
  YamlChecker c(problems, "booking.yaml");
  if (!root->IsMap())
    return c.error(*root, "must be a mapping (office, place, topics, advisors, rules…)");
  BookingSetup& b = s.booking;
  const YAML::Node& r = *root;
  c.known_keys(r, "",
               {"office", "place", "online", "map_url", "slot_minutes", "buffer_minutes",
                "min_notice_hours", "max_days_ahead", "rules", "topics", "advisors", "holidays"});
  b.office = c.text(r, "office");
  if (!b.office.empty() && !s.offices.contains(b.office))
    c.error(r["office"], "unknown office '" + b.office + "' (see offices.yaml)");
  b.place = bilingual(c, r, "", "place");
  b.online = bilingual(c, r, "", "online", false);
  b.map_url = c.text(r, "map_url", false, 300);
  if (!b.map_url.empty() && !b.map_url.starts_with("https://"))
    c.error(r["map_url"], "map_url must start with https://");
  b.slot_minutes = bounded_int(c, r, "slot_minutes", 45, 10, 240);
  b.buffer_minutes = bounded_int(c, r, "buffer_minutes", 15, 0, 120);
  b.min_notice_hours = bounded_int(c, r, "min_notice_hours", 12, 0, 24 * 14);
  b.max_days_ahead = bounded_int(c, r, "max_days_ahead", 30, 1, 180);
  const YAML::Node rules = r["rules"];
  if (rules.IsDefined() && !rules.IsMap())
    c.error(rules, "'rules' must be a mapping");
  if (rules.IsMap()) {
    c.known_keys(rules, "rules",
                 {"late_cancel_hours", "max_active_per_person", "max_reschedules",
                  "waitlist_offer_minutes", "reminders_minutes_before"});
    b.late_cancel_hours = bounded_int(c, rules, "late_cancel_hours", 4, 0, 24 * 7);
    b.max_active = bounded_int(c, rules, "max_active_per_person", 2, 1, 20);
    b.max_reschedules = bounded_int(c, rules, "max_reschedules", 2, 0, 20);
    b.waitlist_offer_minutes = bounded_int(c, rules, "waitlist_offer_minutes", 120, 5, 24 * 60);
    if (const YAML::Node rem = rules["reminders_minutes_before"]; rem.IsDefined()) {
      b.reminder_minutes.clear();
      if (!rem.IsSequence())
        c.error(rem, "'reminders_minutes_before' must be a list of minutes");
      for (const auto& v : rem) {
        const int minutes = v.as<int>(-1);
        if (minutes < 5 || minutes > 14 * 24 * 60)
          c.error(v, "a reminder must be 5 minutes to 14 days before the session");
        else
          b.reminder_minutes.push_back(minutes);
      }
    }
  }
  std::size_t i = 0;
  for (const auto& t : r["topics"]) {
    const std::string at = item_path("topics", i++);
    c.known_keys(t, at, {"id", "title", "also"});
    BookingTopic topic{c.text(t, "id"), bilingual(c, t, at, "title"),
                       c.list(t, "also", 0, 30, false)};
    if (!valid_id(topic.id))
      c.error(t, "topic id '" + topic.id + "' must use a-z, 0-9, - and _");
    for (const std::string* title : {&topic.title.vi, &topic.title.en})
      if (text::code_points(*title) > 20)
        c.warning(t, "topic '" + topic.id + "': title '" + *title +
                         "' is longer than 20 characters and is cut on Messenger's buttons");
    b.topics.push_back(std::move(topic));
  }
  if (b.topics.empty() || b.topics.size() > 10)
    c.error(r, "'topics' must list 1–10 topics (they become buttons)");
  static constexpr std::string_view kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  i = 0;
  for (const auto& n : r["advisors"]) {
    const std::string at = item_path("advisors", i++);
    c.known_keys(n, at, {"id", "name", "topics", "seats", "hours", "staff"});
    Advisor a;
    a.id = c.text(n, "id");
    if (!valid_id(a.id))
      c.error(n, "advisor id '" + a.id + "' must use a-z, 0-9, - and _");
    a.name = bilingual(c, n, at, "name");
    a.topics = c.list(n, "topics", 1, 10);
    for (const auto& t : a.topics)
      if (b.topic(t) == nullptr)
        c.error(n["topics"], "advisor '" + a.id + "': unknown topic '" + t + "'");
    a.seats = bounded_int(c, n, "seats", 1, 1, 100);
    for (auto email : c.list(n, "staff", 0, 20, /*required=*/false)) {
      for (char& ch : email)
        if (ch >= 'A' && ch <= 'Z')
          ch = static_cast<char>(ch - 'A' + 'a');
      if (email.find('@') == std::string::npos || email.find(' ') != std::string::npos)
        c.error(n["staff"],
                "advisor '" + a.id + "': staff lists console emails, not '" + email + "'");
      a.staff.push_back(std::move(email));
    }
    const YAML::Node hours = n["hours"];
    if (!hours.IsMap())
      c.error(n,
              "advisor '" + a.id + "': 'hours' must map mon…sun to lists like [\"08:00-11:30\"]");
    c.known_keys(hours, key_path(at, "hours"), kDays);
    for (int d = 0; d < 7 && hours.IsMap(); ++d) {
      for (const auto& span : hours[std::string(kDays[d])]) {
        const std::string text = span.as<std::string>("");
        const int from =
            text.size() == 11 && text[5] == '-' ? minute_of_day(text.substr(0, 5)) : -1;
        const int to = from < 0 ? -1 : minute_of_day(text.substr(6, 5));
        if (from < 0 || to <= from) {
          c.error(span, "advisor '" + a.id + "': hours must look like \"08:00-11:30\"");
          continue;
        }
        a.hours[d].emplace_back(from, to);
      }
    }
    if (b.advisor(a.id) != nullptr)
      c.error(n, "duplicate advisor id '" + a.id + "'");
    b.advisors.push_back(std::move(a));
  }
  if (b.advisors.empty())
    c.error(r, "'advisors' must list at least one advisor");
  for (const auto& t : b.topics)
    if (std::none_of(b.advisors.begin(), b.advisors.end(), [&](const Advisor& a) {
          return std::find(a.topics.begin(), a.topics.end(), t.id) != a.topics.end();
        }))
      c.warning(r["topics"], "no advisor takes topic '" + t.id + "'");
  i = 0;
  for (const auto& h : r["holidays"]) {
    const std::string at = item_path("holidays", i++);
    c.known_keys(h, at, {"date", "name"});
    const std::string date = c.text(h, "date");
    const auto day = parse_date(date);
    if (!day)
      c.error(h, "holiday date '" + date + "' must be YYYY-MM-DD");
    else
      b.holidays[*day] = bilingual(c, h, at, "name");
  }
  b.enabled = c.errors() == 0;
}

void load_topics(std::vector<Problem>& problems, const fs::path& dir, Snapshot& s) {
  auto root = load_yaml_file(problems, dir, "topics.yaml", true);
  if (!root)
    return;
  YamlChecker c(problems, "topics.yaml");
  c.known_keys(*root, "", {"groups", "topics"});
  std::set<std::string> groups;
  std::size_t i = 0;
  for (const auto& g : (*root)["groups"]) {
    c.known_keys(g, item_path("groups", i++), {"id", "vi", "en", "also", "news"});
    TopicGroup tg;
    tg.id = c.text(g, "id");
    tg.title = {c.text(g, "vi", true, 60), c.text(g, "en", true, 60)};
    tg.also = c.list(g, "also", 0, 40, false);
    if (const auto news = g["news"]) {
      const std::string flag = news.IsScalar() ? news.Scalar() : std::string();
      if (flag != "true" && flag != "false")
        c.error(news, "news: must be true or false");
      tg.news = flag != "false";
    }
    if (!groups.insert(tg.id).second)
      c.error(g, "duplicate group id '" + tg.id + "'");
    s.topic_groups.push_back(std::move(tg));
  }
  i = 0;
  for (const auto& t : (*root)["topics"]) {
    c.known_keys(t, item_path("topics", i++), {"id", "kind", "group", "vi", "en"});
    Topic topic;
    topic.id = c.text(t, "id");
    topic.kind = c.text(t, "kind");
    topic.group = c.text(t, "group", topic.kind == "explainer");
    topic.title = {c.text(t, "vi", true, 80), c.text(t, "en", true, 80)};
    if (topic.kind != "explainer" && topic.kind != "intent")
      c.error(t, "topic '" + topic.id + "': kind must be explainer or intent");
    if (!topic.group.empty() && !groups.contains(topic.group))
      c.error(t, "topic '" + topic.id + "': unknown group '" + topic.group + "'");
    if (s.topics.contains(topic.id))
      c.error(t, "duplicate topic id '" + topic.id + "'");
    s.topic_order.push_back(topic.id);
    s.topics[topic.id] = std::move(topic);
  }
  if (s.topics.empty())
    c.add(0, "no topics defined", false);
}

void load_menu(std::vector<Problem>& problems, const fs::path& dir, Snapshot& s) {
  auto root = load_yaml_file(problems, dir, "menu.yaml", true);
  if (!root)
    return;
  YamlChecker c(problems, "menu.yaml");
  c.known_keys(*root, "", {"main"});
  const YAML::Node main = (*root)["main"];
  if (!main.IsDefined() || !main.IsSequence() || main.size() == 0)
    return c.error(*root, "'main' must be a non-empty list");
  std::size_t i = 0;
  for (const auto& item : main) {
    c.known_keys(item, item_path("main", i++), {"id", "label", "payload"});
    MenuItem m{c.text(item, "id"), c.text(item, "label"), c.text(item, "payload")};
    need_ui_key(c, item, s, m.label);
    s.main_menu.push_back(std::move(m));
  }
  if (s.main_menu.size() > 10)
    c.error(main, "at most 10 main menu items (platform limits)");
}

void load_intents(std::vector<Problem>& problems, const fs::path& dir, Snapshot& s) {
  auto root = load_yaml_file(problems, dir, "intents.yaml", true);
  if (!root)
    return;
  YamlChecker c(problems, "intents.yaml");
  if (!root->IsMap())
    return c.error(*root, "must map intent ids to their phrases");
  auto phrases = [&](const YAML::Node& list, const std::string& id, std::vector<std::string>& out,
                     bool several_words) {
    if (!list.IsDefined() || list.IsNull())
      return;
    if (!list.IsSequence())
      return c.error(list, "'" + id + "': phrases must be a list");
    for (const auto& p : list) {
      if (!p.IsScalar()) {
        c.error(p, "phrases must be text");
        continue;
      }
      std::string v = p.as<std::string>();
      c.check_text(p, "phrase", v, 120);
      if (several_words && text::words(v).size() < 2)
        c.error(
            p,
            "'" + v +
                "': a phrase matched anywhere needs two words or more (put one word under whole:)");
      out.push_back(std::move(v));
    }
  };
  for (const auto& kv : *root) {
    Intent in;
    in.id = kv.first.as<std::string>();
    const YAML::Node& v = kv.second;
    if (in.id == "_negations") {
      phrases(v, in.id, s.negations, false);
      continue;
    }
    if (in.id == "_not_this") {
      phrases(v, in.id, s.not_this, true);
      continue;
    }
    if (v.IsSequence()) {
      phrases(v, in.id, in.phrases, false);
    } else if (v.IsMap()) {
      c.known_keys(v, in.id,
                   {"whole", "anywhere", "negated", "unless", "ranked", "together", "in_chat"});
      for (const auto& [key, flag] : {std::pair{"ranked", &in.ranked}, {"in_chat", &in.in_chat}})
        if (const auto r = v[key]) {
          const std::string value = r.IsScalar() ? r.Scalar() : std::string();
          if (value != "true" && value != "false")
            c.error(r, "'" + in.id + "': " + key + ": must be true or false");
          *flag = value != "false";
        }
      if (v["negated"])
        in.negated = c.text(v, "negated", false, 40);
      phrases(v["whole"], in.id, in.phrases, false);
      phrases(v["anywhere"], in.id, in.anywhere, true);
      phrases(v["unless"], in.id, in.unless, false);
      if (const auto t = v["together"]) {
        if (!t.IsSequence() || t.size() < 2 || t.size() > 4)
          c.error(t, "'" + in.id + "': together: must be a list of 2 to 4 lists of phrases");
        else
          for (const auto& group : t) {
            in.together.emplace_back();
            phrases(group, in.id, in.together.back(), false);
            if (in.together.back().empty())
              c.error(group, "'" + in.id + "': each group of together: needs a phrase");
          }
      }
      if (!in.unless.empty() && in.anywhere.empty() && in.together.empty())
        c.error(v["unless"], "'" + in.id +
                                 "': unless: rules out phrases found anywhere or together; this "
                                 "intent has neither anywhere: nor together: phrases");
    } else {
      c.error(v, "intent '" + in.id + "' must be a list of phrases or have whole: / anywhere:");
      continue;
    }
    s.intents.push_back(std::move(in));
  }
  for (const Intent& in : s.intents) {
    if (in.negated.empty())
      continue;
    const bool known = std::any_of(s.intents.begin(), s.intents.end(),
                                   [&](const Intent& o) { return o.id == in.negated; });
    if (!known)
      problems.push_back({"intents.yaml", 0,
                          "'" + in.id + "': negated: '" + in.negated + "' is not an intent here",
                          false});
  }
}

void load_abbreviations(std::vector<Problem>& problems, const fs::path& dir, Snapshot& s) {
  auto root = load_yaml_file(problems, dir, "abbreviations.yaml", true);
  if (!root)
    return;
  YamlChecker c(problems, "abbreviations.yaml");
  if (root->IsNull())
    return;
  if (!root->IsMap())
    return c.error(*root, "must map abbreviations to what they mean");
  std::map<std::string, int> seen;  // folded key → line
  for (const auto& kv : *root) {
    // "dk: đăng ký", or with the English meaning: "cds: {vi: chuyển đổi số, en: digital
    // transformation}".
    const bool both = kv.second.IsMap();
    const YAML::Node vi = both ? kv.second["vi"] : kv.second;
    const YAML::Node en = both ? kv.second["en"] : YAML::Node();
    const auto text_at = [](const YAML::Node& n) {
      return n.IsDefined() && n.IsScalar();
    };
    if (!text_at(vi) || (both && (!text_at(en) || kv.second.size() != 2))) {
      c.error(kv.second, "the meaning must be text, or 'vi:' and 'en:' texts");
      continue;
    }
    Abbreviation a{kv.first.as<std::string>(), vi.as<std::string>(),
                   both ? en.as<std::string>() : std::string{}};
    c.check_text(kv.first, "abbreviation", a.key, 40);
    c.check_text(vi, "meaning", a.expansion, 120);
    if (both)
      c.check_text(en, "English meaning", a.english, 120);
    a.capitals = text::lower(a.key) != a.key;
    const std::string folded = folded_key(a.key);
    if (folded.empty() || text::words(text::fold(a.expansion)).empty() ||
        (both && text::words(text::fold(a.english)).empty())) {
      c.error(kv.first, "'" + a.key + "': both the abbreviation and its meaning need letters");
      continue;
    }
    if (auto [it, fresh] = seen.emplace(folded, c.line_of(kv.first)); !fresh) {
      c.error(kv.first, "'" + a.key + "' is the same key as line " + std::to_string(it->second) +
                            " (keys are compared without case or diacritics)");
      continue;
    }
    s.abbreviations.push_back(std::move(a));
  }
}

// A list of words or phrases (neutral.yaml, chat_words.yaml), each ≤ 80 characters.
void load_phrases(std::vector<Problem>& problems,
                  const fs::path& dir,
                  const char* file,
                  std::vector<std::string>& out) {
  auto root = load_yaml_file(problems, dir, file, false);
  if (!root || root->IsNull())
    return;
  YamlChecker c(problems, file);
  if (!root->IsSequence())
    return c.error(*root, "must be a list of words or phrases");
  for (const auto& n : *root) {
    if (!n.IsScalar()) {
      c.error(n, "items must be text");
      continue;
    }
    std::string v = n.as<std::string>();
    c.check_text(n, "phrase", v, 80);
    out.push_back(std::move(v));
  }
}

// learned.yaml (optional): questions people asked, attached by staff to their answer. A list
// of {question, answer, added}; loaded after the explainers and referrals it names.
void load_learned(std::vector<Problem>& problems, const fs::path& dir, Snapshot& s) {
  auto root = load_yaml_file(problems, dir, std::string(kLearnedFile), false);
  if (!root || root->IsNull())
    return;
  YamlChecker c(problems, std::string(kLearnedFile));
  if (!root->IsSequence())
    return c.error(*root, "must be a list of {question, answer} entries");
  std::map<std::string, int> seen;  // the question, lower-cased → its line
  for (std::size_t i = 0; i < root->size(); ++i) {
    const YAML::Node n = (*root)[i];
    const std::string at = item_path("", i);
    if (!n.IsMap()) {
      c.error(n, at + ": must be a mapping with question: and answer:");
      continue;
    }
    c.known_keys(n, at, {"question", "answer", "added"});
    LearnedQuestion q;
    q.line = c.line_of(n);
    q.question = c.text(n, "question", true, kMaxLearnedQuestion);
    q.answer = c.text(n, "answer", true, 80);
    const std::string added = c.text(n, "added", false, 10);
    if (!added.empty() && !parse_date(added))
      c.error(n["added"], at + ".added: not a date (YYYY-MM-DD)");
    if (q.question.empty() || q.answer.empty())
      continue;
    q.payload = learned_answer_payload(q.answer);
    const auto colon = q.answer.find(':');
    const std::string kind = q.answer.substr(0, colon);
    const std::string id = colon == std::string::npos ? "" : q.answer.substr(colon + 1);
    if (q.payload.empty()) {
      c.error(n["answer"],
              at + ".answer: '" + q.answer + "' is not explainer:<id>, referral:<id> or off-topic");
      continue;
    }
    if (kind == "explainer" && !s.explainers_vi.contains(id)) {
      c.error(n["answer"], at + ".answer: no explainer '" + id + "' (content/explainers)");
      continue;
    }
    if (kind == "referral" && !s.referrals.contains(id)) {
      c.error(n["answer"], at + ".answer: no referral '" + id + "' (referrals.yaml)");
      continue;
    }
    const std::string key = text::lower(q.question);
    if (const auto [it, fresh] = seen.emplace(key, q.line); !fresh) {
      c.error(n["question"], at + ".question: asked already on line " + std::to_string(it->second) +
                                 " (one answer per question)");
      continue;
    }
    s.learned.push_back(std::move(q));
  }
}

void load_flow(std::vector<Problem>& problems,
               const fs::path& dir,
               const std::string& rel,
               Snapshot& s) {
  auto root = load_yaml_file(problems, dir, rel, true);
  if (!root)
    return;
  YamlChecker c(problems, rel);
  c.known_keys(*root, "", {"id", "steps", "confirm", "done", "cancelled"});
  Flow f;
  f.file = rel;
  f.id = c.text(*root, "id");
  if (fs::path(rel).stem().string() != f.id)
    c.error((*root)["id"], "id '" + f.id + "' must match the file name");
  f.confirm = c.text(*root, "confirm", false);
  f.done = c.text(*root, "done", false);
  f.cancelled = c.text(*root, "cancelled");
  for (const std::string* key : {&f.confirm, &f.done, &f.cancelled}) need_ui_key(c, *root, s, *key);
  const YAML::Node steps = (*root)["steps"];
  if (!steps.IsDefined() || !steps.IsSequence() || steps.size() == 0) {
    c.error(*root, "'steps' must be a non-empty list");
    return;
  }
  std::set<std::string> ids;
  std::size_t i = 0;
  for (const auto& n : steps) {
    const std::string at = item_path("steps", i++);
    c.known_keys(n, at,
                 {"id", "kind", "prompt", "invalid", "optional", "choices", "min_length",
                  "max_length", "min", "max", "takes_questions", "also"});
    FlowStep st;
    st.id = c.text(n, "id");
    st.kind = c.text(n, "kind");
    st.prompt = c.text(n, "prompt");
    st.invalid = c.text(n, "invalid", false);
    need_ui_key(c, n, s, st.prompt);
    need_ui_key(c, n, s, st.invalid);
    if (!ids.insert(st.id).second)
      c.error(n, "duplicate step id '" + st.id + "'");
    if (n["optional"])
      st.optional = n["optional"].as<bool>(false);
    if (n["takes_questions"])
      st.takes_questions = n["takes_questions"].as<bool>(false);
    st.also = c.list(n, "also", 0, 30, /*required=*/false);
    if (st.kind == "choice") {
      std::size_t j = 0;
      for (const auto& ch : n["choices"]) {
        c.known_keys(ch, item_path(key_path(at, "choices"), j++), {"value", "label", "also"});
        Choice choice{c.text(ch, "value"), c.text(ch, "label"), c.list(ch, "also", 0, 30, false)};
        need_ui_key(c, ch, s, choice.label);
        st.choices.push_back(std::move(choice));
      }
      if (st.choices.empty() || st.choices.size() > 10)
        c.error(n, "step '" + st.id + "': a choice step needs 1–10 choices");
    } else if (st.kind == "text" || st.kind == "name") {
      st.min_length = n["min_length"].as<int>(1);
      st.max_length = n["max_length"].as<int>(500);
      if (st.min_length < 0 || st.max_length < st.min_length || st.max_length > 2000)
        c.error(n, "step '" + st.id + "': need 0 ≤ min_length ≤ max_length ≤ 2000");
    } else if (st.kind == "number") {
      st.min = n["min"].as<std::int64_t>(0);
      st.max = n["max"].as<std::int64_t>(0);
      if (st.max < st.min)
        c.error(n, "step '" + st.id + "': max must be ≥ min");
    } else if (std::find(custom_step_kinds().begin(), custom_step_kinds().end(), st.kind) ==
               custom_step_kinds().end()) {
      std::string kinds = "choice, text, number, name";
      for (auto k : custom_step_kinds()) kinds += ", " + std::string(k);
      c.error(n, "step '" + st.id + "': kind must be one of " + kinds);
    }
    f.steps.push_back(std::move(st));
  }
  if (s.flows.contains(f.id))
    c.error(*root, "duplicate flow id '" + f.id + "'");
  s.flows[f.id] = std::move(f);
}

// "2026-12-16 08:00" (local time) → unix ms; nullopt when malformed.
std::optional<std::int64_t> local_datetime(std::string_view text) {
  if (text.size() != 16 || text[10] != ' ')
    return std::nullopt;
  const auto day = parse_date(text.substr(0, 10));
  const int minute = minute_of_day(text.substr(11));
  if (!day || minute < 0 || minute >= 24 * 60)
    return std::nullopt;
  return local_time::unix_ms(*day, minute);
}

// map[key] as a local date and time; `fallback` when absent and not required.
std::int64_t event_time(
    YamlChecker& c, const YAML::Node& map, const char* key, bool required, std::int64_t fallback) {
  const YAML::Node n = map[key];
  if (!n.IsDefined() || n.IsNull()) {
    if (required)
      c.error(map, std::string("missing '") + key + "' (YYYY-MM-DD HH:MM, local time)");
    return fallback;
  }
  const auto t = n.IsScalar() ? local_datetime(n.Scalar()) : std::nullopt;
  if (!t) {
    c.error(n, std::string("'") + key + "' must be a local date and time: YYYY-MM-DD HH:MM");
    return fallback;
  }
  return *t;
}

bool event_flag(YamlChecker& c, const YAML::Node& map, const char* key, bool fallback) {
  const YAML::Node n = map[key];
  if (!n.IsDefined() || n.IsNull())
    return fallback;
  const std::string v = n.IsScalar() ? n.Scalar() : std::string();
  if (v != "true" && v != "false")
    c.error(n, std::string("'") + key + "' must be true or false");
  return v == "true" || (v != "false" && fallback);
}

// "1d", "2h", "30m" → ms before the start; 0 when malformed.
std::int64_t reminder_offset(std::string_view text) {
  if (text.size() < 2)
    return 0;
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, n);
  if (ec != std::errc{} || p != text.data() + text.size() - 1 || n <= 0)
    return 0;
  const char unit = text.back();
  const std::int64_t minute = 60'000;
  const std::int64_t ms = unit == 'd'   ? n * 1440 * minute
                          : unit == 'h' ? n * 60 * minute
                          : unit == 'm' ? n * minute
                                        : 0;
  return ms <= 30LL * 1440 * minute ? ms : 0;
}

bool valid_step_id(std::string_view id) {
  return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
  });
}

// The registration form of `e` (flow "events_<id>"): name, phone, then the event's questions,
// with their texts as UI strings "event.<id>.*" in both languages (English falls back to
// Vietnamese), and a summary naming the event.
void add_event_flow(const Event& e, Snapshot& s) {
  Flow f;
  f.id = e.flow_id();
  f.file = e.file;
  f.cancelled = "events.form_cancelled";
  const std::string base = "event." + e.id;
  auto put = [&](const std::string& key, const Bilingual& text) {
    s.ui_vi[key] = text.vi;
    s.ui_en[key] = text.en.empty() ? text.vi : text.en;
  };
  FlowStep name;
  name.id = "name";
  name.kind = "name";
  name.prompt = "events.ask_name";
  name.min_length = 2;
  name.max_length = 100;
  name.also = {"tên", "họ tên", "name"};
  FlowStep phone;
  phone.id = "phone";
  phone.kind = "phone";
  phone.prompt = "events.ask_phone";
  phone.also = {"sđt", "số điện thoại", "điện thoại", "phone", "number"};
  f.steps = {name, phone};
  std::string summary_vi = "- " + s.ui(kVi, "events.label.name") + ": {name}\n- " +
                           s.ui(kVi, "events.label.phone") + ": {phone}";
  std::string summary_en = "- " + s.ui(kEn, "events.label.name") + ": {name}\n- " +
                           s.ui(kEn, "events.label.phone") + ": {phone}";
  for (const EventQuestion& q : e.questions) {
    FlowStep st;
    st.id = q.id;
    st.kind = q.kind;
    st.prompt = base + ".q." + q.id;
    st.optional = q.optional;
    put(st.prompt, q.text);
    if (q.kind == "text") {
      st.min_length = 1;
      st.max_length = q.max_length;
      st.takes_questions = true;  // "hỏi giảng viên thủ tục thế nào?" is the answer
    }
    for (const auto& o : q.choices) {
      const std::string label = base + ".c." + q.id + "." + o.value;
      put(label, o.label);
      st.choices.push_back({o.value, label, o.also});
    }
    summary_vi += "\n- " + q.text.vi + " → {" + q.id + "}";
    summary_en += "\n- " + q.text.in(kEn) + " → {" + q.id + "}";
    f.steps.push_back(std::move(st));
  }
  f.confirm = base + ".confirm";
  s.ui_vi[f.confirm] =
      text::fill(s.ui(kVi, "events.confirm"), {{"title", e.title.vi}, {"answers", summary_vi}});
  s.ui_en[f.confirm] = text::fill(s.ui(kEn, "events.confirm"),
                                  {{"title", e.title.in(kEn)}, {"answers", summary_en}});
  s.flows[f.id] = std::move(f);
}

void load_event(std::vector<Problem>& problems,
                const fs::path& dir,
                const std::string& rel,
                Snapshot& s) {
  auto root = load_yaml_file(problems, dir, rel, true);
  if (!root)
    return;
  YamlChecker c(problems, rel);
  if (!root->IsMap())
    return c.error(*root, "must be a mapping (id, title, starts, ends, place…; see FORMAT.md)");
  const YAML::Node& r = *root;
  c.known_keys(r, "",
               {"id",
                "example",
                "status",
                "title",
                "summary",
                "starts",
                "ends",
                "place",
                "map_url",
                "online",
                "online_url",
                "organiser",
                "topics",
                "audience",
                "capacity",
                "registration_opens",
                "registration_closes",
                "waitlist",
                "offer_hours",
                "cancel_until_hours",
                "reminders",
                "questions"});
  Event e;
  e.file = rel;
  e.id = c.text(r, "id");
  if (!valid_id(e.id))
    c.error(r["id"], "id '" + e.id + "' must use a-z, 0-9 and -");
  if (fs::path(rel).stem().string() != e.id)
    c.error(r["id"], "id '" + e.id + "' must match the file name");
  e.example = event_flag(c, r, "example", false);
  e.status = r["status"] ? c.text(r, "status") : std::string("published");
  if (e.status != "published" && e.status != "cancelled" && e.status != "draft")
    c.error(r["status"], "status must be published, cancelled or draft");
  if (r["title"].IsMap()) {
    c.known_keys(r["title"], "title", {"vi", "en"});
    e.title.vi = c.text(r["title"], "vi", true, 120);
    e.title.en = c.text(r["title"], "en", false, 120);
  } else {
    c.error(r, "'title' must have vi: (and en:)");
  }
  e.summary = bilingual(c, r, "", "summary", false);
  e.starts_at = event_time(c, r, "starts", true, 0);
  e.ends_at = event_time(c, r, "ends", true, e.starts_at);
  if (e.ends_at <= e.starts_at && e.starts_at != 0)
    c.error(r["ends"], "'ends' must be after 'starts'");
  e.online = event_flag(c, r, "online", false);
  if (r["place"]) {
    if (r["place"].IsMap()) {
      c.known_keys(r["place"], "place", {"vi", "en"});
      e.place.vi = c.text(r["place"], "vi", true, 200);
      e.place.en = c.text(r["place"], "en", false, 200);
    } else {
      c.error(r["place"], "'place' must have vi: (and en:)");
    }
  } else if (!e.online) {
    c.error(r, "missing 'place' (or online: true)");
  }
  for (const auto* key : {"map_url", "online_url"}) {
    std::string url = c.text(r, key, false, 300);
    if (!url.empty() && !url.starts_with("https://"))
      c.error(r[key], std::string(key) + " must start with https://");
    (std::string_view(key) == "map_url" ? e.map_url : e.online_url) = std::move(url);
  }
  e.organiser = c.text(r, "organiser");
  if (!e.organiser.empty() && !s.offices.contains(e.organiser))
    c.error(r["organiser"], "unknown office '" + e.organiser + "' (see offices.yaml)");
  e.topics = c.list(r, "topics", 1, 10);
  for (const auto& t : e.topics) {
    const bool group = std::any_of(s.topic_groups.begin(), s.topic_groups.end(),
                                   [&](const TopicGroup& g) { return g.id == t; });
    if (!group && !s.topics.contains(t))
      c.error(r["topics"], "unknown topic '" + t + "' (a group or topic id of topics.yaml)");
  }
  e.audience = c.list(r, "audience", 0, 5, false);
  for (const auto& a : e.audience)
    if (a != "resident" && a != "household" && a != "company" && a != "startup" && a != "school")
      c.error(r["audience"],
              "unknown audience '" + a + "' (resident, household, company, startup, school)");
  e.capacity = bounded_int(c, r, "capacity", -1, 0, 100'000);
  if (!r["capacity"])
    c.error(r, "missing 'capacity' (seats; 0 = information only)");
  e.registration_opens = event_time(c, r, "registration_opens", false, 0);
  e.registration_closes = event_time(c, r, "registration_closes", false, e.starts_at);
  if (e.registration_closes > e.starts_at)
    c.error(r["registration_closes"], "'registration_closes' must not be after 'starts'");
  if (e.registration_opens >= e.registration_closes && r["registration_opens"])
    c.error(r["registration_opens"], "'registration_opens' must be before registration closes");
  e.waitlist = event_flag(c, r, "waitlist", false);
  e.offer_hours = bounded_int(c, r, "offer_hours", 4, 1, 72);
  e.cancel_until_hours = bounded_int(c, r, "cancel_until_hours", 2, 0, 720);
  if (r["reminders"]) {
    e.reminders_ms.clear();
    for (const auto& text : c.list(r, "reminders", 0, 3)) {
      const std::int64_t ms = reminder_offset(text);
      if (ms == 0)
        c.error(r["reminders"], "reminder '" + text + "' must be Nd, Nh or Nm (at most 30d)");
      else
        e.reminders_ms.push_back(ms);
    }
  }
  std::set<std::string> qids;
  std::size_t i = 0;
  for (const auto& q : r["questions"]) {
    const std::string at = item_path("questions", i++);
    c.known_keys(q, at, {"id", "kind", "text", "optional", "choices", "max_length"});
    EventQuestion eq;
    eq.id = c.text(q, "id");
    if (!valid_step_id(eq.id) || eq.id == "name" || eq.id == "phone" || eq.id == "event")
      c.error(q, at + ": id '" + eq.id + "' must use a-z, 0-9, _ and not be name or phone");
    if (!qids.insert(eq.id).second)
      c.error(q, at + ": duplicate question id '" + eq.id + "'");
    eq.kind = c.text(q, "kind");
    if (eq.kind != "choice" && eq.kind != "text")
      c.error(q, at + ": kind must be choice or text");
    if (q["text"].IsMap()) {
      c.known_keys(q["text"], key_path(at, "text"), {"vi", "en"});
      eq.text.vi = c.text(q["text"], "vi", true, 300);
      eq.text.en = c.text(q["text"], "en", false, 300);
    } else {
      c.error(q, at + ": 'text' must have vi: (and en:)");
    }
    eq.optional = event_flag(c, q, "optional", false);
    eq.max_length = bounded_int(c, q, "max_length", 300, 1, 1000);
    std::size_t j = 0;
    for (const auto& o : q["choices"]) {
      const std::string oat = item_path(key_path(at, "choices"), j++);
      c.known_keys(o, oat, {"value", "label", "also"});
      EventQuestion::Option opt;
      opt.value = c.text(o, "value", true, 64);
      if (!valid_step_id(opt.value))
        c.error(o, oat + ": value must use a-z, 0-9 and _");
      if (o["label"].IsMap()) {
        c.known_keys(o["label"], key_path(oat, "label"), {"vi", "en"});
        opt.label.vi = c.text(o["label"], "vi", true, 80);
        opt.label.en = c.text(o["label"], "en", false, 80);
      } else {
        c.error(o, oat + ": 'label' must have vi: (and en:)");
      }
      opt.also = c.list(o, "also", 0, 30, false);
      eq.choices.push_back(std::move(opt));
    }
    if (eq.kind == "choice" && (eq.choices.size() < 2 || eq.choices.size() > 10))
      c.error(q, at + ": a choice question needs 2–10 choices");
    if (eq.kind == "text" && !eq.choices.empty())
      c.error(q, at + ": a text question has no choices");
    e.questions.push_back(std::move(eq));
  }
  if (e.questions.size() > 8)
    c.error(r["questions"], "at most 8 questions (name and phone are always asked)");
  if (c.errors() > 0)
    return;
  add_event_flow(e, s);
  s.events[e.id] = std::move(e);
}

// Splits "---\n<yaml>\n---\n<body>"; returns false when there is no front matter.
bool split_front_matter(const std::string& text,
                        std::string& yaml,
                        std::string& body,
                        int& body_line) {
  if (!text.starts_with("---\n") && !text.starts_with("---\r\n"))
    return false;
  const std::size_t start = text.find('\n') + 1;
  std::size_t pos = start;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos)
      nl = text.size();
    std::string_view line(text.data() + pos, nl - pos);
    if (line == "---" || line == "---\r") {
      yaml = text.substr(start, pos - start);
      body = nl < text.size() ? text.substr(nl + 1) : std::string{};
      body_line =
          static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(nl), '\n')) +
          2;
      return true;
    }
    pos = nl + 1;
  }
  return false;
}

void load_explainer(std::vector<Problem>& problems,
                    const fs::path& dir,
                    const std::string& rel,
                    std::string_view lang,
                    std::int64_t today,
                    Snapshot& s) {
  std::string raw;
  if (!read_file(dir / rel, raw)) {
    problems.push_back({rel, 0, "cannot read the file", false});
    return;
  }
  YamlChecker c(problems, rel, 1);
  std::string yaml;
  std::string body;
  int body_line = 0;
  if (!split_front_matter(raw, yaml, body, body_line)) {
    c.add(1, "must start with a YAML front matter between two '---' lines", false);
    return;
  }
  auto root = c.parse(yaml);
  if (!root)
    return;
  if (!root->IsMap())
    return c.add(2, "the front matter must be a mapping of fields", false);
  const YAML::Node& m = *root;
  c.known_keys(m, "",
               {"id", "lang", "title", "topics", "keywords", "examples", "summary", "sources",
                "reviewed_on", "review_by", "contact", "related", "unless"});
  Explainer e;
  e.file = rel;
  e.id = c.text(m, "id");
  if (!valid_id(e.id))
    c.error(m["id"], "id '" + e.id + "' must use only a-z, 0-9 and -");
  if (fs::path(rel).stem().string() != e.id)
    c.error(m["id"], "id '" + e.id + "' must match the file name (" +
                         fs::path(rel).filename().string() + ")");
  e.lang = c.text(m, "lang");
  if (!e.lang.empty() && e.lang != lang)
    c.error(m["lang"],
            "lang is '" + e.lang + "' but the file is in the " + std::string(lang) + " folder");
  e.title = c.text(m, "title", true, kMaxTitle);
  e.topics = c.list(m, "topics", 1, 5);
  e.keywords = c.list(m, "keywords", 4, 20);
  e.examples = c.list(m, "examples", 2, 8);
  // The first message, in the chat's plain text like the pages ("**bắt buộc**" shows "bắt buộc").
  e.summary = markdown_to_chat(text::trim(c.text(m, "summary", true, kMaxSummary)));
  e.reviewed_on = c.text(m, "reviewed_on");
  e.review_by = c.text(m, "review_by");
  e.contact = c.text(m, "contact");
  e.related = c.list(m, "related", 0, 3, false);
  e.unless = c.list(m, "unless", 0, 12, false);
  for (const auto& t : e.topics) {
    auto it = s.topics.find(t);
    if (it == s.topics.end())
      c.error(m["topics"], "unknown topic '" + t + "' (see topics.yaml)");
    else if (it->second.kind != "explainer")
      c.error(m["topics"], "topic '" + t + "' is an intent, not an explainer topic");
  }
  if (!e.contact.empty() && !s.offices.contains(e.contact))
    c.error(m["contact"], "unknown office '" + e.contact + "' (see offices.yaml)");
  const auto reviewed = parse_date(e.reviewed_on);
  const auto review_by = parse_date(e.review_by);
  if (!e.reviewed_on.empty() && !reviewed)
    c.error(m["reviewed_on"], "reviewed_on must be a date YYYY-MM-DD");
  if (!e.review_by.empty() && !review_by)
    c.error(m["review_by"], "review_by must be a date YYYY-MM-DD");
  if (reviewed && review_by && *review_by < *reviewed)
    c.error(m["review_by"], "review_by is before reviewed_on");
  if (reviewed && *reviewed > today)
    c.error(m["reviewed_on"], "reviewed_on is in the future");
  if (review_by) {
    e.review_by_day = *review_by;
    if (*review_by < today)
      c.warning(m["review_by"],
                "past its review date (" + e.review_by + "): the bot says it is being updated");
  }
  const YAML::Node sources = m["sources"];
  if (!sources.IsDefined() || !sources.IsSequence() || sources.size() == 0) {
    c.error(m, "'sources' must list at least one document (title with its number, date)");
  } else {
    std::size_t i = 0;
    for (const auto& src : sources) {
      c.known_keys(src, item_path("sources", i++), {"title", "date", "url"});
      Source so{c.text(src, "title", true, 300), c.text(src, "date"),
                c.text(src, "url", false, 400)};
      if (!parse_date(so.date))
        c.error(src, "source date must be YYYY-MM-DD");
      if (!so.url.empty() && !so.url.starts_with("https://") && !so.url.starts_with("http://"))
        c.error(src, "source url must start with https://");
      e.sources.push_back(std::move(so));
    }
  }
  if (!text::valid_utf8(body) || !text::is_nfc(body))
    c.add(body_line, "the body is not NFC UTF-8 text", false);
  e.pages = split_pages(body);
  std::size_t total = 0;
  for (const Page& p : e.pages) {
    const std::size_t n = text::code_points(p.body) + text::code_points(p.heading);
    total += n;
    if (n > kMaxPage)
      c.add(body_line,
            "page '" + p.heading + "' has " + std::to_string(n) + " characters; at most " +
                std::to_string(kMaxPage),
            false);
  }
  if (total > kMaxBody)
    c.add(body_line,
          "the body has " + std::to_string(total) + " characters; at most " +
              std::to_string(kMaxBody) + " (about three phone screens)",
          false);
  auto& target = lang == kEn ? s.explainers_en : s.explainers_vi;
  if (target.contains(e.id))
    c.error(m["id"], "duplicate explainer id '" + e.id + "'");
  target[e.id] = std::move(e);
}

std::vector<std::string> files_in(const fs::path& dir,
                                  const std::string& sub,
                                  const std::string& ext) {
  std::vector<std::string> out;
  std::error_code ec;
  const fs::path base = dir / sub;
  if (!fs::is_directory(base, ec))
    return out;
  for (const auto& entry : fs::directory_iterator(base, ec)) {
    if (!entry.is_regular_file())
      continue;
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ext)
      continue;
    // Upper-case names (FORMAT.md, README.md) are documentation for editors.
    if (std::all_of(name.begin(), name.end() - static_cast<long>(ext.size()),
                    [](char ch) { return (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '-'; }))
      continue;
    out.push_back(sub + "/" + name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

void cross_check(std::vector<Problem>& problems, Snapshot& s) {
  for (const auto* table : {&s.explainers_vi, &s.explainers_en}) {
    for (const auto& [id, e] : *table) {
      for (const auto& r : e.related)
        if (!s.explainers_vi.contains(r))
          problems.push_back({e.file, 0, "related explainer '" + r + "' does not exist", false});
    }
  }
  {
    std::set<std::string> told;
    for (const LexiconEntry& l : s.lexicon)
      if (told.insert(l.term).second)
        if (const std::string w = s.word_not_in_content(l.term); !w.empty())
          problems.push_back({"lexicon.yaml", 0,
                              "term '" + l.term + "': '" + w +
                                  "' is in no explainer's title or keywords, so it cannot help",
                              false});
  }
  if (!s.old_wards.explainer.empty() && !s.explainers_vi.contains(s.old_wards.explainer))
    problems.push_back(
        {"wards.yaml", 0, "explainer '" + s.old_wards.explainer + "' does not exist", false});
  for (const auto& [id, e] : s.explainers_en)
    if (!s.explainers_vi.contains(id))
      problems.push_back(
          {e.file, 0, "English explainer '" + id + "' has no Vietnamese original", false});
  for (const auto& [id, t] : s.topics) {
    if (t.kind != "explainer")
      continue;
    const bool covered =
        std::any_of(s.explainers_vi.begin(), s.explainers_vi.end(), [&](const auto& kv) {
          return std::find(kv.second.topics.begin(), kv.second.topics.end(), id) !=
                 kv.second.topics.end();
        });
    if (!covered)
      problems.push_back({"topics.yaml", 0, "topic '" + id + "' has no explainer yet", true});
  }
}

}  // namespace

std::size_t LoadReport::errors() const {
  return static_cast<std::size_t>(
      std::count_if(problems.begin(), problems.end(), [](const Problem& p) { return !p.warning; }));
}

std::size_t LoadReport::warnings() const {
  return problems.size() - errors();
}

LoadReport load_content(const std::string& dir_text, std::int64_t today_day) {
  LoadReport report;
  const fs::path dir(dir_text);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    report.problems.push_back(
        {dir_text, 0, "content folder not found (content_dir in the config)", false});
    return report;
  }
  auto s = std::make_shared<Snapshot>();
  s->dir = dir_text;
  auto& pr = report.problems;
  try {
    load_ui(pr, dir, *s);
    load_offices(pr, dir, *s);
    load_referrals(pr, dir, *s);
    load_topics(pr, dir, *s);
    load_menu(pr, dir, *s);
    load_intents(pr, dir, *s);
    load_abbreviations(pr, dir, *s);
    load_phrases(pr, dir, "neutral.yaml", s->neutral_words);
    load_phrases(pr, dir, "chat_words.yaml", s->chat_words);
    load_wards(pr, dir, *s);
    load_lexicon(pr, dir, *s);
    load_booking(pr, dir, *s);
    for (const auto& rel : files_in(dir, "flows", ".yaml")) load_flow(pr, dir, rel, *s);
    for (const auto& rel : files_in(dir, "explainers", ".md"))
      load_explainer(pr, dir, rel, kVi, today_day, *s);
    for (const auto& rel : files_in(dir, "explainers/en", ".md"))
      load_explainer(pr, dir, rel, kEn, today_day, *s);
    for (const auto& rel : files_in(dir, "events", ".yaml")) load_event(pr, dir, rel, *s);
    load_learned(pr, dir, *s);
    cross_check(pr, *s);
  } catch (const YAML::Exception& e) {
    pr.push_back({"(content)", e.mark.is_null() ? 0 : e.mark.line + 1,
                  "unexpected YAML shape: " + e.msg, false});
  }
  std::stable_sort(pr.begin(), pr.end(), [](const Problem& a, const Problem& b) {
    return std::tie(a.file, a.line) < std::tie(b.file, b.line);
  });
  if (report.errors() == 0)
    report.snapshot = std::move(s);
  return report;
}

}  // namespace outreach::content
