#include "handlers/broadcast.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <sstream>
#include <unordered_set>

#include "bot/core/local_time.hpp"
#include "storage/subscription_repo.hpp"

namespace outreach::handlers {
namespace {

using Json = nlohmann::json;
using Problems = std::vector<std::string>;

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::int64_t kZaloFree = 48 * kHour;
constexpr std::int64_t kZaloWindow = 7 * kDay;
constexpr std::int64_t kMessengerWindow = 24 * kHour;
constexpr std::int64_t kTick = 1000;  // the fan-out queues a batch a second
constexpr std::size_t kMaxText = 2000;
constexpr int kMaxButtons = 3;
constexpr std::size_t kMaxParamName = 30;
constexpr std::size_t kMaxParamValue = 200;
constexpr std::size_t kMaxUtilityParams = 10;
constexpr std::size_t kMaxTemplateParams = 20;

std::optional<int> minute_of_day(std::string_view hhmm) {
  if (hhmm.size() != 5 || hhmm[2] != ':')
    return std::nullopt;
  int h = 0;
  int m = 0;
  if (std::from_chars(hhmm.data(), hhmm.data() + 2, h).ptr != hhmm.data() + 2 ||
      std::from_chars(hhmm.data() + 3, hhmm.data() + 5, m).ptr != hhmm.data() + 5 || h > 23 ||
      m > 59)
    return std::nullopt;
  return h * 60 + m;
}

// "2026-12-10 09:00" (local) → UTC ms.
std::optional<std::int64_t> local_instant(std::string_view text) {
  if (text.size() != 16 || text[10] != ' ')
    return std::nullopt;
  const auto day = local_time::parse_date(text.substr(0, 10));
  const auto minute = minute_of_day(text.substr(11));
  if (!day || !minute)
    return std::nullopt;
  return local_time::unix_ms(*day, *minute);
}

std::string local_text(std::int64_t ms) {
  return local_time::iso_date(local_time::day_of(ms)) + " " + local_time::hhmm(ms);
}

bool in_quiet(std::pair<int, int> quiet, std::int64_t ms) {
  const int m = local_time::minute_of(ms);
  if (quiet.first == quiet.second)
    return false;
  return quiet.first < quiet.second ? (m >= quiet.first && m < quiet.second)
                                    : (m >= quiet.first || m < quiet.second);
}

// The first instant at or after `ms` outside the quiet hours.
std::int64_t after_quiet(std::pair<int, int> quiet, std::int64_t ms) {
  if (!in_quiet(quiet, ms))
    return ms;
  std::int64_t day = local_time::day_of(ms);
  if (local_time::minute_of(ms) >= quiet.second)
    ++day;  // quiet until tomorrow morning
  return local_time::unix_ms(day, quiet.second);
}

std::pair<int, int> quiet_of(const BroadcastOptions& o) {
  return parse_quiet_hours(o.quiet_hours).value_or(std::pair<int, int>{0, 0});
}

// --- Reading the document --------------------------------------------------------------------

struct Reader {
  Problems problems;

  void problem(const std::string& where, const std::string& what) {
    problems.push_back(where + ": " + what);
  }

  void known(const Json& obj, const std::string& where, std::initializer_list<const char*> keys) {
    for (const auto& [k, _] : obj.items()) {
      if (std::none_of(keys.begin(), keys.end(), [&](const char* x) { return k == x; })) {
        std::string list;
        for (const char* x : keys) list += (list.empty() ? "" : ", ") + std::string(x);
        problem(where.empty() ? k : where + "." + k, "unknown key (use " + list + ")");
      }
    }
  }

  std::string text(
      const Json& obj, const char* key, const std::string& where, std::size_t max, bool required) {
    const std::string at = where.empty() ? key : where + "." + key;
    if (!obj.contains(key) || obj[key].is_null()) {
      if (required)
        problem(at, "missing");
      return {};
    }
    if (!obj[key].is_string()) {
      problem(at, "must be text");
      return {};
    }
    std::string v = obj[key].get<std::string>();
    if (required && v.find_first_not_of(" \t\r\n") == std::string::npos)
      problem(at, "is empty");
    if (v.size() > max)
      problem(at, "longer than " + std::to_string(max) + " bytes");
    return v;
  }

  // A text in both languages: "…" (Vietnamese) or {vi: …, en: …}.
  std::pair<std::string, std::string> bilingual(
      const Json& obj, const char* key, const std::string& where, std::size_t max, bool required) {
    const std::string at = where.empty() ? key : where + "." + key;
    if (obj.contains(key) && obj[key].is_object()) {
      known(obj[key], at, {"vi", "en"});
      return {text(obj[key], "vi", at, max, required), text(obj[key], "en", at, max, false)};
    }
    return {text(obj, key, where, max, required), {}};
  }

  std::vector<std::string> list(const Json& obj,
                                const char* key,
                                const std::string& where,
                                const std::set<std::string>& allowed,
                                const std::string& what) {
    const std::string at = where + "." + key;
    std::vector<std::string> out;
    if (!obj.contains(key) || obj[key].is_null())
      return out;
    const Json& v = obj[key];
    if (!v.is_array()) {
      problem(at, "must be a list");
      return out;
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::string item_at = at + "[" + std::to_string(i) + "]";
      if (!v[i].is_string()) {
        problem(item_at, "must be text");
        continue;
      }
      const std::string s = v[i].get<std::string>();
      if (!allowed.empty() && !allowed.contains(s)) {
        std::string known_values;
        for (const auto& a : allowed) known_values += (known_values.empty() ? "" : ", ") + a;
        problem(item_at, "no " + what + " '" + s + "' (known: " + known_values + ")");
        continue;
      }
      out.push_back(s);
    }
    return out;
  }

  std::optional<std::int64_t> instant(const Json& obj, const char* key) {
    if (!obj.contains(key) || obj[key].is_null())
      return std::nullopt;
    const auto v = obj[key].is_string() ? local_instant(obj[key].get<std::string>()) : std::nullopt;
    if (!v)
      problem(key, "must be a local time like \"2026-12-10 09:00\"");
    return v;
  }
};

std::set<std::string> choice_values(const content::Snapshot& c, std::string_view step) {
  std::set<std::string> out;
  const auto f = c.flows.find("subscribe");
  if (f == c.flows.end())
    return out;
  if (const content::FlowStep* s = f->second.step(step))
    for (const auto& ch : s->choices) out.insert(ch.value);
  return out;
}

bool is_http_url(const std::string& url) {
  return (url.starts_with("https://") || url.starts_with("http://")) && url.size() > 10 &&
         url.find_first_of(" \t\r\n\"<>") == std::string::npos;
}

void read_buttons(Reader& r, const Json& doc, const content::Snapshot& c, Announcement& a) {
  if (!doc.contains("buttons") || doc["buttons"].is_null())
    return;
  const Json& b = doc["buttons"];
  if (!b.is_array()) {
    r.problem("buttons", "must be a list");
    return;
  }
  if (b.size() > kMaxButtons)
    r.problem("buttons", "at most " + std::to_string(kMaxButtons) +
                             " (\"Dừng nhận tin\" is added to every announcement)");
  for (std::size_t i = 0; i < b.size(); ++i) {
    const std::string at = "buttons[" + std::to_string(i) + "]";
    if (!b[i].is_object()) {
      r.problem(at, "must be {explainer: ID}, {link: URL, title: …} or {menu: true}");
      continue;
    }
    r.known(b[i], at, {"explainer", "link", "menu", "title"});
    Announcement::ButtonSpec spec;
    if (b[i].contains("explainer")) {
      spec.kind = "explainer";
      spec.target = r.text(b[i], "explainer", at, 100, true);
      if (!spec.target.empty() && !c.explainer(spec.target, "vi"))
        r.problem(at + ".explainer", "no explainer '" + spec.target + "'");
    } else if (b[i].contains("link")) {
      spec.kind = "link";
      spec.target = r.text(b[i], "link", at, 1000, true);
      if (!spec.target.empty() && !is_http_url(spec.target))
        r.problem(at + ".link", "'" + spec.target + "' is not an http(s) URL");
      if (!b[i].contains("title"))
        r.problem(at + ".title", "missing (a link needs the words on its button)");
    } else if (b[i].contains("menu")) {
      spec.kind = "menu";
    } else {
      r.problem(at, "must be {explainer: ID}, {link: URL, title: …} or {menu: true}");
      continue;
    }
    std::tie(spec.title_vi, spec.title_en) = r.bilingual(b[i], "title", at, 40, false);
    a.buttons.push_back(std::move(spec));
  }
}

void read_segment(Reader& r, const Json& doc, const content::Snapshot& c, Announcement& a) {
  if (!doc.contains("segment") || doc["segment"].is_null())
    return;
  const Json& s = doc["segment"];
  if (!s.is_object()) {
    r.problem("segment", "must be a map");
    return;
  }
  r.known(s, "segment",
          {"topics", "wards", "audiences", "channels", "accounts", "booked_within_days",
           "registered_for_event"});
  std::set<std::string> topics;
  for (const auto& g : c.topic_groups)
    if (g.news)
      topics.insert(g.id);
  a.segment.topics = r.list(s, "topics", "segment", topics, "topic group");
  a.segment.wards = r.list(s, "wards", "segment", choice_values(c, "ward"), "ward");
  a.segment.audiences = r.list(s, "audiences", "segment", choice_values(c, "audience"), "audience");
  a.segment.channels =
      r.list(s, "channels", "segment", {"zalo", "messenger", "web"}, "channel for announcements");
  a.segment.accounts = r.list(s, "accounts", "segment", {}, "account");
  if (s.contains("booked_within_days")) {
    const Json& d = s["booked_within_days"];
    if (!d.is_number_integer() || d.get<int>() < 1 || d.get<int>() > 365)
      r.problem("segment.booked_within_days", "must be a number of days from 1 to 365");
    else
      a.segment.booked_within_days = d.get<int>();
  }
  if (s.contains("registered_for_event")) {
    const Json& e = s["registered_for_event"];
    if (!e.is_string() || c.event(e.get<std::string>()) == nullptr) {
      std::string known;
      for (const auto& [id, ev] : c.events)
        if (ev.registers())
          known += (known.empty() ? "" : ", ") + id;
      r.problem("segment.registered_for_event",
                "must name an event of content/events that takes registrations (" +
                    (known.empty() ? std::string("none yet") : known) + ")");
    } else {
      a.segment.registered_for_event = e.get<std::string>();
    }
  }
}

// A template parameter's name: snake_case, as Zalo's review asks, up to 30 characters.
bool is_param_name(const std::string& s) {
  return !s.empty() && s.size() <= kMaxParamName && std::all_of(s.begin(), s.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
  });
}

void read_zalo_template(Reader& r, const Json& t, const BroadcastOptions& o, Announcement& a) {
  const std::string at = "beyond_free_window.zalo_template";
  if (!t.is_object()) {
    r.problem(at, "must be {template_id: …, data: {name: value, …}, budget_vnd: N}");
    return;
  }
  r.known(t, at, {"template_id", "data", "budget_vnd"});
  Announcement::ZaloTemplate z;
  if (t.contains("template_id") && t["template_id"].is_number_integer() &&
      t["template_id"].get<std::int64_t>() > 0)
    z.template_id = std::to_string(t["template_id"].get<std::int64_t>());
  else
    z.template_id = r.text(t, "template_id", at, 40, true);
  if (!z.template_id.empty() && z.template_id.find_first_not_of("0123456789") != std::string::npos)
    r.problem(at + ".template_id", "must be the template's number from Zalo (digits)");
  if (!t.contains("data") || !t["data"].is_object() || t["data"].empty()) {
    r.problem(at + ".data", "must map each of the template's parameters to a value");
  } else if (t["data"].size() > kMaxTemplateParams) {
    r.problem(at + ".data", "at most " + std::to_string(kMaxTemplateParams) + " parameters");
  } else {
    for (const auto& [k, v] : t["data"].items()) {
      if (!is_param_name(k))
        r.problem(at + ".data." + k, "a parameter name is snake_case, at most 30 characters");
      else if (!v.is_string() && !v.is_number())
        r.problem(at + ".data." + k, "must be text");
      else if (const std::string s = v.is_string() ? v.get<std::string>() : v.dump();
               s.size() > kMaxParamValue)
        r.problem(at + ".data." + k, "longer than " + std::to_string(kMaxParamValue) + " bytes");
      else
        z.data.emplace_back(k, s);
    }
  }
  if (!t.contains("budget_vnd") || !t["budget_vnd"].is_number_integer() ||
      t["budget_vnd"].get<std::int64_t>() <= 0)
    r.problem(at + ".budget_vnd", "must be the most to spend on template messages (whole đồng)");
  else
    z.budget_vnd = t["budget_vnd"].get<std::int64_t>();
  if (o.zalo_template_vnd <= 0)
    r.problem(at,
              "the price of a template message is not set: put the price in your Zalo "
              "contract in the configuration (broadcast.zalo_template_vnd) first");
  a.zalo_template = std::move(z);
}

void read_utility_template(Reader& r, const Json& t, const BroadcastOptions& o, Announcement& a) {
  const std::string at = "beyond_free_window.messenger_utility";
  if (!t.is_object()) {
    r.problem(at, "must be {template: NAME, language: vi, parameters: [ … ]}");
    return;
  }
  r.known(t, at, {"template", "language", "parameters"});
  Announcement::UtilityTemplate u;
  u.name = r.text(t, "template", at, 100, true);
  if (u.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos)
    r.problem(at + ".template", "a template name is lower case letters, digits and _");
  if (t.contains("language"))
    u.language = r.text(t, "language", at, 10, true);
  if (t.contains("parameters")) {
    const Json& p = t["parameters"];
    if (!p.is_array() || p.size() > kMaxUtilityParams) {
      r.problem(at + ".parameters",
                "must be a list of at most " + std::to_string(kMaxUtilityParams) + " texts");
    } else {
      for (std::size_t i = 0; i < p.size(); ++i) {
        const std::string item = at + ".parameters[" + std::to_string(i) + "]";
        if (!p[i].is_string())
          r.problem(item, "must be text");
        else if (p[i].get<std::string>().size() > kMaxParamValue)
          r.problem(item, "longer than " + std::to_string(kMaxParamValue) + " bytes");
        else
          u.parameters.push_back(p[i].get<std::string>());
      }
    }
  }
  if (!o.messenger_utility)
    r.problem(at,
              "Messenger utility templates are off in the configuration "
              "(broadcast.messenger_utility): turn them on after a test with your page");
  a.messenger_utility = std::move(u);
}

void read_beyond(Reader& r, const Json& doc, const BroadcastOptions& o, Announcement& a) {
  if (!doc.contains("beyond_free_window") || doc["beyond_free_window"].is_null())
    return;
  const Json& b = doc["beyond_free_window"];
  if (!b.is_object()) {
    r.problem("beyond_free_window", "must be a map");
    return;
  }
  r.known(b, "beyond_free_window", {"zalo_paid_cs", "zalo_template", "messenger_utility"});
  if (b.contains("zalo_paid_cs")) {
    const Json& p = b["zalo_paid_cs"];
    if (!p.is_object() || !p.contains("budget_vnd") || !p["budget_vnd"].is_number_integer() ||
        p["budget_vnd"].get<std::int64_t>() < 0) {
      r.problem("beyond_free_window.zalo_paid_cs", "must be {budget_vnd: N} (whole đồng, ≥ 0)");
    } else {
      r.known(p, "beyond_free_window.zalo_paid_cs", {"budget_vnd"});
      a.zalo_paid_budget_vnd = p["budget_vnd"].get<std::int64_t>();
      if (a.zalo_paid_budget_vnd > 0 && o.zalo_paid_cs_vnd <= 0)
        r.problem("beyond_free_window.zalo_paid_cs",
                  "the price of a paid message is not set: put the price in your Zalo contract in "
                  "the configuration (broadcast.zalo_paid_cs_vnd) first");
    }
  }
  if (b.contains("zalo_template"))
    read_zalo_template(r, b["zalo_template"], o, a);
  if (b.contains("messenger_utility"))
    read_utility_template(r, b["messenger_utility"], o, a);
}

// --- Planning --------------------------------------------------------------------------------

bool any_of_list(const std::vector<std::string>& want, const std::string& have) {
  return want.empty() || std::find(want.begin(), want.end(), have) != want.end();
}

bool wants_topics(const std::vector<std::string>& segment, const std::string& joined) {
  if (segment.empty() || joined.empty())  // no topic asked, or subscribed to every topic
    return true;
  for (const auto& t : storage::split_topics(joined))
    if (std::find(segment.begin(), segment.end(), t) != segment.end())
      return true;
  return false;
}

struct PathChoice {
  const char* path = nullptr;  // nullptr: unreachable
  const char* reason = "";
};

// What is left to spend beyond the free windows while planning.
struct Allowance {
  std::int64_t paid_left = 0;      // paid consultation messages
  bool zalo_template = false;      // a ZBS template is named…
  std::int64_t template_left = 0;  // …and this many more fit its budget
  bool messenger_utility = false;  // a utility template is named
};

// free CS → paid CS (allowed, within budget) → template (named, within budget) → unreachable.
PathChoice path_for(const storage::Subscriber& s, std::int64_t at, const Allowance& left) {
  const std::int64_t since = at - s.last_interaction_at;
  if (s.channel == "zalo") {
    if (since <= kZaloFree)
      return {"zalo_cs_free", ""};
    if (since <= kZaloWindow && left.paid_left > 0)
      return {"zalo_cs_paid", ""};
    if (left.template_left > 0)
      return {"zalo_template", ""};
    if (left.zalo_template)
      return {nullptr, "zalo_template_budget_spent"};
    return {nullptr, since <= kZaloWindow ? "zalo_paid_not_allowed" : "zalo_outside_7_days"};
  }
  if (s.channel == "messenger") {
    if (since <= kMessengerWindow)
      return {"messenger_standard", ""};
    return left.messenger_utility ? PathChoice{"messenger_utility", ""}
                                  : PathChoice{nullptr, "messenger_outside_24_hours"};
  }
  if (s.channel == "web")
    return {"webchat_next_visit", ""};
  return {nullptr, "channel_without_announcements"};
}

Announcement stored_announcement(const storage::Broadcast& b) {
  const Json j = Json::parse(b.document, nullptr, false);
  Announcement a;
  if (!j.is_object())
    return a;
  a.title = j.value("title", "");
  a.text_vi = j.value("text_vi", "");
  a.text_en = j.value("text_en", "");
  a.image_url = j.value("image", "");
  for (const auto& x : j.value("buttons", Json::array()))
    a.buttons.push_back({x.value("kind", ""), x.value("target", ""), x.value("title_vi", ""),
                         x.value("title_en", "")});
  const Json seg = j.value("segment", Json::object());
  a.segment.topics = seg.value("topics", std::vector<std::string>{});
  a.segment.wards = seg.value("wards", std::vector<std::string>{});
  a.segment.audiences = seg.value("audiences", std::vector<std::string>{});
  a.segment.channels = seg.value("channels", std::vector<std::string>{});
  a.segment.accounts = seg.value("accounts", std::vector<std::string>{});
  a.segment.booked_within_days = seg.value("booked_within_days", 0);
  a.segment.registered_for_event = seg.value("registered_for_event", std::string());
  a.send_at = b.send_at;
  a.expires_at = b.expires_at;
  a.zalo_paid_budget_vnd = j.value("zalo_paid_budget_vnd", std::int64_t{0});
  if (const auto z = j.find("zalo_template"); z != j.end() && z->is_object()) {
    Announcement::ZaloTemplate t;
    t.template_id = z->value("template_id", "");
    t.data = z->value("data", std::vector<std::pair<std::string, std::string>>{});
    t.budget_vnd = z->value("budget_vnd", std::int64_t{0});
    a.zalo_template = std::move(t);
  }
  if (const auto u = j.find("messenger_utility"); u != j.end() && u->is_object())
    a.messenger_utility =
        Announcement::UtilityTemplate{u->value("template", ""), u->value("language", "vi"),
                                      u->value("parameters", std::vector<std::string>{})};
  return a;
}

// --- The message -----------------------------------------------------------------------------

OutboundMessage message_for(std::int64_t id,
                            const Announcement& a,
                            const content::Snapshot& c,
                            const std::string& lang) {
  const bool en = lang == "en" && !a.text_en.empty();
  const std::string shown = en ? "en" : "vi";
  OutboundMessage m;
  m.text = en ? a.text_en : a.text_vi;
  m.image_url = a.image_url;
  for (const auto& b : a.buttons) {
    std::string title = en && !b.title_en.empty() ? b.title_en : b.title_vi;
    if (b.kind == "explainer") {
      const content::Explainer* e = c.explainer(b.target, shown);
      if (e == nullptr)
        continue;  // removed from the content since: the rest of the message still goes
      m.buttons.push_back(Button{title.empty() ? e->title : title, "ex:" + b.target, {}});
    } else if (b.kind == "link") {
      m.buttons.push_back(Button{title, {}, b.target});
    } else if (b.kind == "menu") {
      m.buttons.push_back(
          Button{title.empty() ? c.ui(shown, "explainer.menu") : title, "menu", {}});
    }
  }
  m.buttons.push_back(Button{c.ui(shown, "subscribe.stop"), "unsubscribe", {}});
  // A press is counted for this broadcast, then handled as the button itself.
  const std::string tag = std::string(kClickPrefix) + std::to_string(id) + ":";
  for (auto& b : m.buttons)
    if (!b.payload.empty())
      b.payload = tag + b.payload;
  return m;
}

std::string with_title(std::string value, const std::string& title) {
  static constexpr std::string_view kTitle = "{title}";
  for (auto at = value.find(kTitle); at != std::string::npos;
       at = value.find(kTitle, at + title.size()))
    value.replace(at, kTitle.size(), title);
  return value;
}

// The message by its planned path: a template path carries the template (the platform sends
// only that; the text stays for our records).
OutboundMessage message_on_path(std::int64_t id,
                                const Announcement& a,
                                const content::Snapshot& c,
                                const std::string& lang,
                                const std::string& path) {
  OutboundMessage m = message_for(id, a, c, lang);
  if (path == "zalo_template" && a.zalo_template) {
    PlatformTemplate t{a.zalo_template->template_id, {}, {}};
    for (const auto& [k, v] : a.zalo_template->data)
      t.params.emplace_back(k, with_title(v, a.title));
    m.platform_template = std::move(t);
  } else if (path == "messenger_utility" && a.messenger_utility) {
    PlatformTemplate t{a.messenger_utility->name, a.messenger_utility->language, {}};
    for (const auto& v : a.messenger_utility->parameters)
      t.params.emplace_back(std::string{}, with_title(v, a.title));
    m.platform_template = std::move(t);
  }
  return m;
}

}  // namespace

std::optional<std::pair<std::int64_t, std::string>> broadcast_click(std::string_view payload) {
  if (!payload.starts_with(kClickPrefix))
    return std::nullopt;
  payload.remove_prefix(kClickPrefix.size());
  const auto colon = payload.find(':');
  std::int64_t id = 0;
  if (colon == std::string_view::npos ||
      std::from_chars(payload.data(), payload.data() + colon, id).ptr != payload.data() + colon ||
      id <= 0 || colon + 1 >= payload.size())
    return std::nullopt;
  return std::pair{id, std::string(payload.substr(colon + 1))};
}

std::optional<std::pair<int, int>> parse_quiet_hours(std::string_view text) {
  if (text.empty() || text == "none")
    return std::pair<int, int>{0, 0};
  if (text.size() != 11 || text[5] != '-')
    return std::nullopt;
  const auto from = minute_of_day(text.substr(0, 5));
  const auto to = minute_of_day(text.substr(6));
  if (!from || !to)
    return std::nullopt;
  return std::pair<int, int>{*from, *to};
}

Result<Announcement, std::vector<std::string>> read_announcement(const Json& doc,
                                                                 const content::Snapshot& c,
                                                                 const BroadcastOptions& o,
                                                                 std::int64_t now_ms) {
  Reader r;
  Announcement a;
  if (!doc.is_object())
    return Problems{"the announcement must be a map (title, text, segment…)"};
  r.known(doc, "",
          {"title", "text", "image", "buttons", "segment", "send_at", "expires_at",
           "beyond_free_window"});
  a.title = r.text(doc, "title", "", 200, true);
  std::tie(a.text_vi, a.text_en) = r.bilingual(doc, "text", "", kMaxText, true);
  a.image_url = r.text(doc, "image", "", 1000, false);
  if (!a.image_url.empty() && !a.image_url.starts_with("https://"))
    r.problem("image", "must be an https URL the platforms can fetch");
  read_buttons(r, doc, c, a);
  read_segment(r, doc, c, a);
  read_beyond(r, doc, o, a);
  if (auto at = r.instant(doc, "send_at")) {
    if (*at < now_ms - 60'000)
      r.problem("send_at", local_text(*at) + " has passed (leave it out to send at once)");
    a.send_at = *at;
  }
  a.expires_at = r.instant(doc, "expires_at");
  if (a.expires_at && *a.expires_at <= std::max(now_ms, a.send_at))
    r.problem("expires_at", "must be after the send time and after now");
  if (!r.problems.empty())
    return r.problems;
  return a;
}

Json to_json(const Announcement& a) {
  Json buttons = Json::array();
  for (const auto& b : a.buttons)
    buttons.push_back({{"kind", b.kind},
                       {"target", b.target},
                       {"title_vi", b.title_vi},
                       {"title_en", b.title_en}});
  return {{"title", a.title},
          {"text_vi", a.text_vi},
          {"text_en", a.text_en},
          {"image", a.image_url},
          {"buttons", buttons},
          {"segment",
           {{"topics", a.segment.topics},
            {"wards", a.segment.wards},
            {"audiences", a.segment.audiences},
            {"channels", a.segment.channels},
            {"accounts", a.segment.accounts},
            {"booked_within_days", a.segment.booked_within_days},
            {"registered_for_event", a.segment.registered_for_event}}},
          {"send_at", a.send_at == 0 ? Json(nullptr) : Json(local_text(a.send_at))},
          {"expires_at", a.expires_at ? Json(local_text(*a.expires_at)) : Json(nullptr)},
          {"zalo_paid_budget_vnd", a.zalo_paid_budget_vnd},
          {"zalo_template", a.zalo_template ? Json{{"template_id", a.zalo_template->template_id},
                                                   {"data", a.zalo_template->data},
                                                   {"budget_vnd", a.zalo_template->budget_vnd}}
                                            : Json(nullptr)},
          {"messenger_utility", a.messenger_utility
                                    ? Json{{"template", a.messenger_utility->name},
                                           {"language", a.messenger_utility->language},
                                           {"parameters", a.messenger_utility->parameters}}
                                    : Json(nullptr)}};
}

Json to_json(const BroadcastPlan& p) {
  Json paths = Json::object();
  for (const char* k : kBroadcastPaths) paths[k] = p.paths.contains(k) ? p.paths.at(k) : 0;
  return {{"total", p.total},
          {"paths", paths},
          {"unreachable", p.unreachable},
          {"by_account", p.by_account},
          {"cost_vnd", p.cost_vnd},
          {"starts_at", local_text(p.starts_at)}};
}

Result<std::int64_t, std::vector<std::string>> create_broadcast(storage::Store& tx,
                                                                const content::Snapshot& c,
                                                                const BroadcastOptions& o,
                                                                const Json& doc,
                                                                const BroadcastActor& by,
                                                                std::int64_t now_ms) {
  auto a = read_announcement(doc, c, o, now_ms);
  using Out = Result<std::int64_t, Problems>;
  if (!a)
    return Out(boost::system::in_place_error, a.error());
  const std::int64_t id =
      tx.broadcasts.create(a->title, to_json(*a).dump(), by.actor,
                           a->send_at == 0 ? now_ms : a->send_at, a->expires_at, now_ms);
  tx.staff.audit(now_ms, by.actor, "broadcast_create", "broadcast " + std::to_string(id),
                 by.address, a->title);
  return Out(boost::system::in_place_value, id);
}

Result<BroadcastPlan, Problem> plan_broadcast(storage::Store& tx,
                                              const BroadcastOptions& o,
                                              std::int64_t id,
                                              const BroadcastActor& by,
                                              std::int64_t now_ms) {
  const auto b = tx.broadcasts.get(id);
  if (!b)
    return Problem{Errc::kNotFound, "no broadcast " + std::to_string(id)};
  if (b->status != "draft" && b->status != "planned")
    return Problem{Errc::kConflict, "broadcast " + std::to_string(id) + " is " + b->status +
                                        "; only a draft or planned broadcast is planned"};
  const Announcement a = stored_announcement(*b);
  BroadcastPlan plan;
  for (const char* k : kBroadcastPaths) plan.paths[k] = 0;
  plan.starts_at = after_quiet(quiet_of(o), std::max(now_ms, b->send_at));
  const auto recent = tx.broadcasts.queued_since(plan.starts_at - 7 * kDay);
  std::unordered_set<std::int64_t> booked;
  if (a.segment.booked_within_days > 0)
    booked = tx.broadcasts.booked_since(now_ms - a.segment.booked_within_days * kDay);
  std::unordered_set<std::int64_t> registered;
  if (!a.segment.registered_for_event.empty())
    for (const auto& r : tx.events.live_of_event(a.segment.registered_for_event))
      if (r.person_id)
        registered.insert(*r.person_id);
  const std::int64_t paid_price = o.zalo_paid_cs_vnd;
  const std::int64_t template_price = o.zalo_template_vnd;
  Allowance left;
  left.paid_left = paid_price > 0 ? a.zalo_paid_budget_vnd / paid_price : 0;
  left.zalo_template = a.zalo_template.has_value();
  left.template_left =
      a.zalo_template && template_price > 0 ? a.zalo_template->budget_vnd / template_price : 0;
  left.messenger_utility = a.messenger_utility.has_value() && o.messenger_utility;
  tx.broadcasts.clear_recipients(id);
  tx.broadcasts.for_each_subscriber([&](const storage::Subscriber& s) {
    if (!wants_topics(a.segment.topics, s.topics) || !any_of_list(a.segment.wards, s.ward) ||
        !any_of_list(a.segment.audiences, s.audience) ||
        !any_of_list(a.segment.channels, s.channel) ||
        !any_of_list(a.segment.accounts, s.account) ||
        (a.segment.booked_within_days > 0 && !booked.contains(s.person_id)) ||
        (!a.segment.registered_for_event.empty() && !registered.contains(s.person_id)))
      return;
    ++plan.total;
    PathChoice choice;
    if (const auto it = recent.find(s.person_id);
        o.weekly_cap > 0 && it != recent.end() && it->second >= o.weekly_cap)
      choice = {nullptr, "weekly_cap"};
    else
      choice = path_for(s, plan.starts_at, left);
    const std::string account = s.channel + ":" + s.account;
    if (choice.path == nullptr) {
      ++plan.unreachable[choice.reason];
      ++plan.by_account[account]["unreachable"];
      tx.broadcasts.add_recipient(id, s.person_id, "unreachable", choice.reason);
      return;
    }
    if (std::string_view(choice.path) == "zalo_cs_paid") {
      --left.paid_left;
      plan.cost_vnd += paid_price;
    } else if (std::string_view(choice.path) == "zalo_template") {
      --left.template_left;
      plan.cost_vnd += template_price;
    }
    ++plan.paths[choice.path];
    ++plan.by_account[account][choice.path];
    tx.broadcasts.add_recipient(id, s.person_id, choice.path, {});
  });
  tx.broadcasts.save_plan(id, to_json(plan).dump(), now_ms);
  tx.staff.audit(now_ms, by.actor, "broadcast_plan", "broadcast " + std::to_string(id), by.address,
                 std::to_string(plan.total) + " recipients");
  return plan;
}

Result<storage::Broadcast, Problem> broadcast_action(storage::Store& tx,
                                                     std::int64_t id,
                                                     std::string_view action,
                                                     const BroadcastActor& by,
                                                     std::int64_t now_ms) {
  auto b = tx.broadcasts.get(id);
  if (!b)
    return Problem{Errc::kNotFound, "no broadcast " + std::to_string(id)};
  const auto refuse = [&](std::string_view needs) {
    return Problem{Errc::kConflict, "broadcast " + std::to_string(id) + " is " + b->status + "; " +
                                        std::string(action) + " needs one that is " +
                                        std::string(needs)};
  };
  if (action == "send" || action == "resume") {
    if (action == "send" && b->status != "planned")
      return b->status == "draft"
                 ? Problem{Errc::kConflict, "broadcast " + std::to_string(id) +
                                                " has no plan yet: run plan first and check it"}
                 : refuse("planned");
    if (action == "resume" && b->status != "paused")
      return refuse("paused");
    tx.broadcasts.set_status(id, "sending", now_ms);
    const int generation = tx.broadcasts.next_generation(id);
    const std::int64_t start = std::max(now_ms, b->send_at);
    tx.jobs.schedule(BroadcastJob{id, generation, 0, start}, start,
                     "broadcast:" + std::to_string(id) + ":" + std::to_string(generation) + ":0",
                     now_ms);
  } else if (action == "pause") {
    if (b->status != "sending")
      return refuse("sending");
    tx.broadcasts.set_status(id, "paused", now_ms);
  } else if (action == "cancel") {
    if (b->status == "done" || b->status == "cancelled")
      return refuse("not finished");
    tx.broadcasts.skip_planned(id, "cancelled");
    tx.broadcasts.set_status(id, "cancelled", now_ms);
  } else {
    return Problem{Errc::kInvalidInput,
                   "unknown action '" + std::string(action) + "' (send, pause, resume, cancel)"};
  }
  tx.staff.audit(now_ms, by.actor, "broadcast_" + std::string(action),
                 "broadcast " + std::to_string(id), by.address, b->title);
  return *tx.broadcasts.get(id);
}

bool run_broadcast_job(storage::Store& tx,
                       const content::Snapshot& c,
                       const BroadcastOptions& o,
                       const BroadcastJob& job,
                       std::int64_t now_ms) {
  const auto b = tx.broadcasts.get(job.broadcast_id);
  if (!b || b->status != "sending" || b->generation != job.generation)
    return false;  // paused, cancelled, or a newer chain runs
  const auto next = [&](std::int64_t at) {
    tx.jobs.schedule(BroadcastJob{b->id, job.generation, job.seq + 1, at}, at,
                     "broadcast:" + std::to_string(b->id) + ":" + std::to_string(job.generation) +
                         ":" + std::to_string(job.seq + 1),
                     now_ms);
  };
  if (b->expires_at && now_ms >= *b->expires_at) {
    tx.broadcasts.skip_planned(b->id, "expired");
    tx.broadcasts.set_status(b->id, "done", now_ms);
    return false;
  }
  const auto quiet = quiet_of(o);
  if (in_quiet(quiet, now_ms)) {
    next(after_quiet(quiet, now_ms));
    return false;
  }
  // Live replies first: while the sender has a backlog, this batch waits a tick.
  if (tx.outbox.count_due(now_ms) >= o.max_backlog) {
    next(now_ms + kTick);
    return false;
  }
  // The pace is kept from when each run was due, so a late run does not slow the whole chain.
  const std::int64_t due = job.due_at > 0 ? job.due_at : now_ms;
  const int batch = std::max(1, static_cast<int>(std::int64_t{o.rate_per_minute} * kTick / 60'000));
  const Announcement a = stored_announcement(*b);
  std::map<std::string, OutboundMessage> by_lang;
  bool wrote = false;
  for (const auto& r : tx.broadcasts.next_batch(b->id, batch)) {
    if (!r.subscribed) {
      tx.broadcasts.mark_skipped(b->id, r.person_id, "unsubscribed");
      continue;
    }
    if (o.weekly_cap > 0 &&
        tx.broadcasts.queued_since(r.person_id, now_ms - 7 * kDay) >= o.weekly_cap) {
      tx.broadcasts.mark_skipped(b->id, r.person_id, "weekly_cap");
      continue;
    }
    const std::string key = r.language + "/" + r.path;
    auto it = by_lang.find(key);
    if (it == by_lang.end())
      it = by_lang.emplace(key, message_on_path(b->id, a, c, r.language, r.path)).first;
    const std::int64_t outbox =
        tx.outbox.enqueue(r.person_id, MessageKind::kBroadcast, it->second, now_ms);
    tx.broadcasts.mark_queued(b->id, r.person_id, outbox, now_ms);
    wrote = true;
  }
  if (tx.broadcasts.count_planned(b->id) == 0) {
    tx.broadcasts.set_status(b->id, "done", now_ms);
    return wrote;
  }
  next(std::max(due + kTick, now_ms));
  return wrote;
}

std::optional<BroadcastReport> broadcast_report(storage::Store& tx, std::int64_t id) {
  auto b = tx.broadcasts.get(id);
  if (!b)
    return std::nullopt;
  BroadcastReport r;
  r.broadcast = std::move(*b);
  r.clicks = tx.broadcasts.clicks(id);
  for (const auto& row : tx.broadcasts.report(id)) {
    r.total += row.count;
    std::string state;
    if (row.recipient_status == "planned") {
      state = "waiting";
      r.waiting += row.count;
    } else if (row.recipient_status == "skipped") {
      state = "skipped";
      r.skipped += row.count;
      r.skipped_reasons[row.reason.empty() ? "unknown" : row.reason] += row.count;
    } else if (row.outbox_status == "sent") {
      state = row.read ? "read" : row.delivered ? "delivered" : "sent";
      r.sent += row.count;
      r.delivered += row.delivered || row.read ? row.count : 0;
      r.read += row.read ? row.count : 0;
    } else if (row.outbox_status == "dead") {
      state = "failed";
      r.failed += row.count;
      r.failed_reasons[row.reason.empty() ? "unknown" : row.reason] += row.count;
    } else if (row.outbox_status == "skipped") {
      state = "skipped";
      r.skipped += row.count;
      r.skipped_reasons[row.reason.empty() ? "unknown" : row.reason] += row.count;
    } else {
      state = "queued";  // pending or sending, or purged by retention
      r.queued += row.count;
    }
    r.by_path[row.path][state] += row.count;
  }
  return r;
}

Json to_json(const BroadcastReport& r) {
  const auto& b = r.broadcast;
  return {{"id", b.id},
          {"title", b.title},
          {"status", b.status},
          {"created_by", b.created_by},
          {"send_at", local_text(b.send_at)},
          {"expires_at", b.expires_at ? Json(local_text(*b.expires_at)) : Json(nullptr)},
          {"plan", b.plan.empty() ? Json(nullptr) : Json::parse(b.plan, nullptr, false)},
          {"total", r.total},
          {"waiting", r.waiting},
          {"queued", r.queued},
          {"sent", r.sent},
          {"delivered", r.delivered},
          {"read", r.read},
          {"failed", r.failed},
          {"skipped", r.skipped},
          {"failed_reasons", r.failed_reasons},
          {"skipped_reasons", r.skipped_reasons},
          {"by_path", r.by_path},
          {"clicks", r.clicks}};
}

std::string broadcast_report_csv(const BroadcastReport& r) {
  std::ostringstream out;
  out << "path,state,count\r\n";
  for (const auto& [path, states] : r.by_path)
    for (const auto& [state, n] : states) out << path << "," << state << "," << n << "\r\n";
  out << "\r\nreason,state,count\r\n";
  const auto quoted = [](const std::string& s) {
    // A platform's error text that starts like a formula is not run by a spreadsheet.
    std::string q =
        !s.empty() && std::string_view("=+-@").find(s[0]) != std::string_view::npos ? "\"'" : "\"";
    for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
  };
  for (const auto& [reason, n] : r.skipped_reasons)
    out << quoted(reason) << ",skipped," << n << "\r\n";
  for (const auto& [reason, n] : r.failed_reasons)
    out << quoted(reason) << ",failed," << n << "\r\n";
  out << "\r\nbutton,people\r\n";
  for (const auto& [button, n] : r.clicks) out << quoted(button) << "," << n << "\r\n";
  return out.str();
}

}  // namespace outreach::handlers
