#include "bot/app/config.hpp"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <type_traits>

#include <yaml-cpp/yaml.h>

#include "bot/core/local_time.hpp"
#include "content/yaml_check.hpp"

namespace outreach::app {
namespace {

using namespace std::chrono_literals;
using content::key_path;

// --- The schema: what each key may hold -------------------------------------------------------

struct Text {};  // any text but empty

struct OneOf {
  std::set<std::string> values;
};

struct Url {
  bool may_be_empty = false;  // "" is kept as "not set"
};

struct Range {  // a whole number
  long long min;
  long long max;
  std::string note = {};  // printed after the value by check-config
};

struct Within {  // a duration, written with its unit: 500ms, 30s, 5m, 2h, 1d
  Ms min;
  Ms max;
};

struct Flag {};  // true or false

struct Hours {};  // opening hours: "mon-fri 07:30-11:30 13:30-17:00"

struct QuietHours {};  // "21:00-07:00" (local; may wrap past midnight) or "none"

struct AccountId {};  // required; a-z, 0-9 and -, at most 32; unique in its list

struct Digits {  // required; a platform's id, digits kept as text (they exceed 2^53)
  const char* what;
};

// One `fields` per section: every key once, in the order check-config prints them. Visitors:
// Parser (YAML → Config), Printer (Config → YAML), KeyLister (the key paths, for tests). Each
// has section(key, s), field(key, member, kind) and accounts(key, list).

template <class V>
void fields(V& v, Config::Listen& s) {
  v.field("address", s.address, Text{});
  v.field("port", s.port, Range{0, 65535});
}

template <class V>
void fields(V& v, Config::Database& s) {
  v.field("path", s.path, Text{});
  v.field("synchronous", s.synchronous, OneOf{{"normal", "full"}});
  v.field("busy_timeout", s.busy_timeout, Within{0ms, 1min});
}

template <class V>
void fields(V& v, Config::Http& s) {
  v.field("body_limit", s.body_limit, Range{1024, 64ll << 20});
  v.field("header_timeout", s.header_timeout, Within{100ms, 1h});
  v.field("body_timeout", s.body_timeout, Within{100ms, 1h});
  v.field("idle_timeout", s.idle_timeout, Within{100ms, 1h});
  v.field("write_timeout", s.write_timeout, Within{100ms, 1h});
  v.field("max_connections", s.max_connections, Range{1, 100'000});
  v.field("public_url", s.public_url, Url{.may_be_empty = true});  // "": from listen
}

template <class V>
void fields(V& v, Config::Log& s) {
  v.field("level", s.level, OneOf{{"debug", "info", "warn", "error", "off"}});
}

template <class V>
void fields(V& v, Config::Privacy& s) {
  v.field("store_message_text", s.store_message_text, Flag{});
  v.field("retention_days", s.retention_days, Range{1, 3650});
}

template <class V>
void fields(V& v, Config::Conversation& s) {
  v.field("form_expiry", s.form_expiry, Within{10s, 7 * 24h});
}

template <class V>
void fields(V& v, sender::SenderOptions& s) {
  v.field("max_attempts", s.max_attempts, Range{1, 100});
  v.field("backoff_base", s.backoff_base, Within{1ms, 1h});
  v.field("backoff_max", s.backoff_max, Within{1ms, 24h});
  v.field("concurrency", s.concurrency, Range{1, 1024});
}

template <class V>
void fields(V& v, console::ConsoleOptions& s) {
  v.field("enabled", s.enabled, Flag{});
  v.field("secure_cookie", s.secure_cookie, OneOf{{"auto", "always", "never"}});
  v.field("idle_timeout", s.idle_timeout, Within{1min, 24h});
  v.field("absolute_timeout", s.absolute_timeout, Within{10min, 7 * 24h});
  v.field("common_passwords", s.common_passwords, Text{});
  v.field("handoff_hours", s.handoff_hours, Hours{});
  v.field("handoff_reply_minutes", s.handoff_reply_minutes, Range{1, 24 * 60});
}

template <class V>
void fields(V& v, handlers::BroadcastOptions& s) {
  v.field("quiet_hours", s.quiet_hours, QuietHours{});
  v.field("weekly_cap", s.weekly_cap, Range{0, 100, "0 = no cap"});
  v.field("rate_per_minute", s.rate_per_minute, Range{1, 1'000'000});
  v.field("max_backlog", s.max_backlog, Range{1, 1'000'000});
  v.field("zalo_paid_cs_vnd", s.zalo_paid_cs_vnd, Range{0, 1'000'000, "0 = not set"});
  v.field("zalo_template_vnd", s.zalo_template_vnd, Range{0, 1'000'000, "0 = not set"});
  v.field("messenger_utility", s.messenger_utility, Flag{});
}

template <class V>
void fields(V& v, Config::WebChat& s) {
  v.field("enabled", s.enabled, Flag{});
  v.field("poll_timeout", s.poll_timeout, Within{100ms, 2min});
  v.field("max_text", s.max_text, Range{1, 20'000});
}

template <class V>
void fields(V& v, Config::ZaloAccount& a) {
  v.field("id", a.id, AccountId{});
  v.field("oa_id", a.oa_id, Digits{"the OA id"});
  v.field("app_id", a.app_id, Digits{"the Zalo app id"});
  v.field("name", a.name, Text{});
}

template <class V>
void fields(V& v, Config::Zalo& s) {
  v.field("api_base_url", s.api_base_url, Url{});
  v.field("oauth_base_url", s.oauth_base_url, Url{});
  v.field("timestamp_skew", s.timestamp_skew, Within{1s, 24h});
  v.field("retry_window", s.retry_window, Within{1s, 24h});
  v.field("rate_per_minute", s.rate_per_minute, Range{1, 1'000'000});
  v.field("human_quiet", s.human_quiet, Within{0ms, 7 * 24h});
  v.field("refresh_ahead", s.refresh_ahead, Within{1min, 24h});
  v.field("template_recipient", s.template_recipient, OneOf{{"user_id", "recipient"}});
  v.accounts("accounts", s.accounts);
}

template <class V>
void fields(V& v, Config::MessengerAccount& a) {
  v.field("id", a.id, AccountId{});
  v.field("page_id", a.page_id, Digits{"the page id"});
  v.field("name", a.name, Text{});
}

template <class V>
void fields(V& v, Config::Messenger& s) {
  v.field("api_base_url", s.api_base_url, Url{});
  v.field("rate_per_second", s.rate_per_second, Range{1, 100'000});
  v.field("human_quiet", s.human_quiet, Within{0ms, 7 * 24h});
  v.field("accept_sha1", s.accept_sha1, Flag{});
  v.accounts("accounts", s.accounts);
}

template <class V>
void fields(V& v, Config& c) {
  v.section("listen", c.listen);
  v.field(
      "io_threads", c.io_threads,
      Range{0, 64,
            "0 = one per core (" + std::to_string(std::thread::hardware_concurrency()) + " here)"});
  v.section("database", c.database);
  v.field("content_dir", c.content_dir, Text{});
  v.field("default_language", c.default_language, OneOf{{"vi", "en"}});
  v.section("http", c.http);
  v.field("shutdown_grace", c.shutdown_grace, Within{0ms, 5min});
  v.section("log", c.log);
  v.section("privacy", c.privacy);
  v.section("conversation", c.conversation);
  v.section("sender", c.sender);
  v.section("webchat", c.webchat);
  v.section("zalo", c.zalo);
  v.section("messenger", c.messenger);
  v.section("console", c.console);
  v.section("broadcast", c.broadcast);
}

// --- Reading ----------------------------------------------------------------------------------

bool valid_account_id(std::string_view id) {
  return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
  });
}

bool digits(std::string_view v) {
  return !v.empty() &&
         std::all_of(v.begin(), v.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

std::string list_text(const std::set<std::string>& values) {
  std::string out;
  for (const auto& a : values) out += (out.empty() ? "" : ", ") + a;
  return out;
}

// Reads one mapping into a section through its `fields`, collecting every problem (with the
// key's path: "zalo.accounts[0].oa_id") instead of stopping at the first, and refusing keys the
// section does not declare.
class Parser {
 public:
  Parser(content::YamlChecker& check, YAML::Node node, std::string path)
      : check_(check), node_(std::move(node)), path_(std::move(path)) {}

  template <class S>
  void read(S& s) {
    if (!node_.IsDefined() || node_.IsNull())
      return;
    if (!node_.IsMap())
      return problem(node_, path_.empty() ? "(top level)" : path_, "must be a mapping of keys");
    fields(*this, s);
    check_.known_keys(node_, path_, names_);
  }

  template <class S>
  void section(std::string_view key, S& s) {
    names_.push_back(key);
    Parser(check_, child(key), key_path(path_, key)).read(s);
  }

  template <class T, class Kind>
  void field(std::string_view key, T& out, const Kind& kind) {
    names_.push_back(key);
    const YAML::Node n = child(key);
    if (n.IsDefined())
      value(n, key_path(path_, key), out, kind);
    else if constexpr (std::is_same_v<Kind, AccountId> || std::is_same_v<Kind, Digits>)
      value(node_, key_path(path_, key), out, kind);  // required: checked as empty, at the mapping
  }

  template <class Account>
  void accounts(std::string_view key, std::vector<Account>& out) {
    names_.push_back(key);
    const YAML::Node n = child(key);
    const std::string path = key_path(path_, key);
    if (!n.IsDefined() || n.IsNull())
      return;
    if (!n.IsSequence())
      return problem(n, path, "must be a list of accounts");
    out.clear();
    std::set<std::string> ids;
    for (std::size_t i = 0; i < n.size(); ++i) {
      const std::string at = content::item_path(path, i);
      if (!n[i].IsMap()) {
        problem(n[i], at, "must be a mapping of keys");
        continue;
      }
      Account a;
      Parser(check_, n[i], at).read(a);
      const YAML::Node id = n[i]["id"];
      if (id.IsScalar() && !ids.insert(id.Scalar()).second)
        problem(id, at + ".id", "'" + id.Scalar() + "' is used twice");
      out.push_back(std::move(a));
    }
  }

 private:
  YAML::Node child(std::string_view key) const {
    const YAML::Node& map = node_;  // const: a missing key is not added
    return map[std::string(key)];
  }

  void problem(const YAML::Node& at, const std::string& key, const std::string& what) {
    check_.error(at, key + ": " + what);
  }

  void value(const YAML::Node& n, const std::string& key, std::string& out, const Text&) {
    if (!n.IsScalar())
      return problem(n, key, "must be a text value");
    if (n.Scalar().empty())
      return problem(n, key, "must not be empty");
    out = n.Scalar();
  }

  void value(const YAML::Node& n, const std::string& key, std::string& out, const OneOf& kind) {
    if (!n.IsScalar())
      return problem(n, key, "must be a text value");
    if (!kind.values.contains(n.Scalar()))
      return problem(n, key, "'" + n.Scalar() + "' is not one of: " + list_text(kind.values));
    out = n.Scalar();
  }

  void value(const YAML::Node& n, const std::string& key, std::string& out, const Url& kind) {
    if (!n.IsScalar())
      return problem(n, key, "must be a URL");
    std::string v = n.Scalar();
    if (kind.may_be_empty && v.empty())
      return out.clear();
    if (!(v.starts_with("https://") || v.starts_with("http://")) || v.size() < 10)
      return problem(n, key, "'" + v + "' is not an http(s) URL");
    while (v.ends_with("/")) v.pop_back();
    out = v;
  }

  void value(const YAML::Node& n, const std::string& key, std::string& out, const Hours&) {
    const std::string v = n.IsScalar() ? n.Scalar() : std::string();
    if (!local_time::parse_office_hours(v))
      return problem(n, key,
                     "'" + v + "' is not opening hours like \"mon-fri 07:30-11:30 13:30-17:00\"");
    out = v;
  }

  void value(const YAML::Node& n, const std::string& key, std::string& out, const QuietHours&) {
    const std::string v = n.IsScalar() ? n.Scalar() : std::string();
    if (!handlers::parse_quiet_hours(v))
      return problem(n, key, "'" + v + "' is not quiet hours like \"21:00-07:00\" (or \"none\")");
    out = v;
  }

  void value(const YAML::Node& n, const std::string& key, std::string& out, const AccountId&) {
    const std::string v = n.IsScalar() ? n.Scalar() : std::string();
    if (!valid_account_id(v))
      return problem(n, key, "'" + v + "' must use a-z, 0-9 and - (at most 32)");
    out = v;
  }

  void value(const YAML::Node& n, const std::string& key, std::string& out, const Digits& kind) {
    const std::string v = n.IsScalar() ? n.Scalar() : std::string();
    if (!digits(v))
      return problem(n, key, std::string("must be ") + kind.what + " (digits, in quotes)");
    out = v;
  }

  template <class Int>
  void value(const YAML::Node& n, const std::string& key, Int& out, const Range& kind) {
    long long v = 0;
    if (!n.IsScalar() || !YAML::convert<long long>::decode(n, v))
      return problem(n, key, "must be a whole number");
    if (v < kind.min || v > kind.max)
      return problem(n, key,
                     std::to_string(v) + " is out of range [" + std::to_string(kind.min) + ", " +
                         std::to_string(kind.max) + "]");
    out = static_cast<Int>(v);
  }

  void value(const YAML::Node& n, const std::string& key, bool& out, const Flag&) {
    bool v = false;
    if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v))
      return problem(n, key, "must be true or false");
    out = v;
  }

  void value(const YAML::Node& n, const std::string& key, Ms& out, const Within& kind) {
    if (!n.IsScalar())
      return problem(n, key, "must be a duration such as 30s");
    const std::string v = n.Scalar();
    std::size_t count = 0;
    while (count < v.size() && std::isdigit(static_cast<unsigned char>(v[count]))) ++count;
    const std::string unit = v.substr(count);
    long long mult = 0;
    if (unit == "ms")
      mult = 1;
    else if (unit == "s")
      mult = 1000;
    else if (unit == "m")
      mult = 60'000;
    else if (unit == "h")
      mult = 3'600'000;
    else if (unit == "d")
      mult = 86'400'000;
    if (count == 0 || count > 12 || mult == 0)
      return problem(n, key, "'" + v + "' is not a duration (write e.g. 500ms, 30s, 5m, 2h, 1d)");
    const Ms d{std::stoll(v.substr(0, count)) * mult};
    if (d < kind.min || d > kind.max)
      return problem(n, key,
                     "'" + v + "' is out of range [" + std::to_string(kind.min.count()) + "ms, " +
                         std::to_string(kind.max.count()) + "ms]");
    out = d;
  }

  content::YamlChecker& check_;
  YAML::Node node_;
  std::string path_;
  std::vector<std::string_view> names_;  // the keys `fields` declared: the only ones allowed
};

// --- Printing ---------------------------------------------------------------------------------

std::string ms_text(Ms d) {
  const auto v = d.count();
  if (v % 3'600'000 == 0 && v != 0)
    return std::to_string(v / 3'600'000) + "h";
  if (v % 60'000 == 0 && v != 0)
    return std::to_string(v / 60'000) + "m";
  if (v % 1000 == 0 && v != 0)
    return std::to_string(v / 1000) + "s";
  return std::to_string(v) + "ms";
}

// A YAML scalar that reads back as the same text: plain when that is safe, else double-quoted.
std::string yaml_text(const std::string& v, bool quote = false) {
  const auto plain_char = [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) ||
           std::string_view("._/:+-").find(ch) != std::string_view::npos;
  };
  quote = quote || v.empty() || v == "null" || v == "Null" || v == "NULL" ||
          !std::isalnum(static_cast<unsigned char>(v.front())) || v.back() == ':' ||
          !std::all_of(v.begin(), v.end(), plain_char);
  if (!quote)
    return v;
  std::string out = "\"";
  for (char ch : v) {
    if (ch == '"' || ch == '\\')
      out += '\\';
    if (ch == '\n')
      out += "\\n";
    else if (ch == '\t')
      out += "\\t";
    else
      out += ch;
  }
  return out + "\"";
}

std::string indented(const std::string& text, std::size_t by) {
  std::string out(by, ' ');
  for (char ch : text) {
    out += ch;
    if (ch == '\n')
      out.append(by, ' ');
  }
  return out;
}

// Writes a section as `key: value` items: on one line ({ a: 1, b: 2 }) unless it holds a list,
// then one item per line, each with its note as a comment (a flow line has no room for one).
class Printer {
 public:
  template <class S>
  void section(std::string_view key, S& s) {
    Printer sub;
    fields(sub, s);
    items_.push_back({std::string(key) + (sub.lines_ ? ":\n" + indented(sub.block(), 2)
                                                     : ": { " + sub.flow() + " }"),
                      {}});
  }

  template <class T, class Kind>
  void field(std::string_view key, T& value, const Kind& kind) {
    items_.push_back({std::string(key) + ": " + text(value, kind), note(kind)});
  }

  template <class Account>
  void accounts(std::string_view key, std::vector<Account>& list) {
    lines_ = true;
    std::string out = std::string(key) + ":" + (list.empty() ? " []" : "");
    for (auto& a : list) {
      Printer item;
      fields(item, a);
      out += "\n  - { " + item.flow() + " }";
    }
    items_.push_back({out, {}});
  }

  // One item per line (no newline after the last).
  std::string block() const {
    std::string out;
    for (const auto& [text, comment] : items_)
      out += (out.empty() ? "" : "\n") + text + (comment.empty() ? "" : "   # " + comment);
    return out;
  }

 private:
  std::string flow() const {
    std::string out;
    for (const auto& item : items_) out += (out.empty() ? "" : ", ") + item.text;
    return out;
  }

  static std::string text(const std::string& v, const Digits&) { return yaml_text(v, true); }

  template <class Kind>
  static std::string text(const std::string& v, const Kind&) {
    return yaml_text(v);
  }

  template <class Int>
  static std::string text(Int v, const Range&) {
    return std::to_string(v);
  }

  static std::string text(Ms v, const Within&) { return ms_text(v); }

  static std::string text(bool v, const Flag&) { return v ? "true" : "false"; }

  static std::string note(const Range& r) { return r.note; }

  template <class Kind>
  static std::string note(const Kind&) {
    return {};
  }

  struct Item {
    std::string text;
    std::string note;
  };

  std::vector<Item> items_;
  bool lines_ = false;  // holds a list: printed one item per line
};

// Lists the key paths the schema knows.
class KeyLister {
 public:
  KeyLister(std::string path, std::vector<std::string>& out) : path_(std::move(path)), out_(out) {}

  template <class S>
  void section(std::string_view key, S& s) {
    KeyLister sub(key_path(path_, key), out_);
    fields(sub, s);
  }

  template <class T, class Kind>
  void field(std::string_view key, T&, const Kind&) {
    out_.push_back(key_path(path_, key));
  }

  template <class Account>
  void accounts(std::string_view key, std::vector<Account>&) {
    Account a;
    KeyLister sub(key_path(path_, key) + "[]", out_);
    fields(sub, a);
  }

 private:
  std::string path_;
  std::vector<std::string>& out_;
};

// "file:line: message", in the order of the file's lines; problems of no line last.
std::vector<std::string> problem_lines(std::vector<content::Problem> found) {
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return (a.line == 0 ? INT_MAX : a.line) < (b.line == 0 ? INT_MAX : b.line);
  });
  std::vector<std::string> out;
  for (const auto& p : found)
    out.push_back(p.file + (p.line > 0 ? ":" + std::to_string(p.line) : "") + ": " + p.message);
  return out;
}

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

}  // namespace

std::string env_name(std::string_view platform, std::string_view account, std::string_view what) {
  std::string out = "OUTREACH_";
  for (std::string_view part : {platform, account, what}) {
    for (char ch : part)
      out += ch == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    out += '_';
  }
  out.pop_back();
  return out;
}

std::string env_secret(std::string_view platform, std::string_view account, std::string_view what) {
  const char* v = std::getenv(
      env_name(platform, account, what).c_str());  // NOLINT(concurrency-mt-unsafe): start-up
  return v ? std::string(v) : std::string();
}

ConfigError::ConfigError(std::vector<std::string> problems)
    : std::runtime_error(join(problems)), problems_(std::move(problems)) {}

Config parse_config(const std::string& yaml_text, const std::string& origin) {
  std::vector<content::Problem> found;
  content::YamlChecker check(found, origin);
  Config c;
  if (const auto root = check.parse(yaml_text))
    Parser(check, *root, "").read(c);
  if (c.sender.backoff_max < c.sender.backoff_base)
    check.add(0, "sender.backoff_max: must not be smaller than sender.backoff_base", false);
  if (!found.empty())
    throw ConfigError(problem_lines(std::move(found)));
  return c;
}

Config load_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ConfigError({path + ": cannot open the config file (does it exist and is it readable?)"});
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), path);
}

Secrets load_secrets() {
  Secrets s;
  if (const char* v = std::getenv("OUTREACH_LOG_HASH_KEY"))
    s.log_hash_key = v;  // NOLINT(concurrency-mt-unsafe): read at start-up
  if (const char* v = std::getenv("OUTREACH_ADMIN_TOKEN"))
    s.admin_token = v;  // NOLINT(concurrency-mt-unsafe): read at start-up
  return s;
}

std::string to_yaml(const Config& c) {
  Config copy = c;  // the schema's visitors take sections by reference
  Printer p;
  fields(p, copy);
  return p.block() + "\n";
}

std::vector<std::string> config_keys() {
  Config c;
  std::vector<std::string> out;
  KeyLister lister("", out);
  fields(lister, c);
  return out;
}

}  // namespace outreach::app
