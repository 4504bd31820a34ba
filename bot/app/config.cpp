#include "bot/app/config.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <thread>

#include <yaml-cpp/yaml.h>

namespace outreach::app {
namespace {

// Walks a YAML mapping against the known keys, collecting every problem instead of stopping at
// the first, so `check-config` can show them all at once.
class Reader {
 public:
  Reader(const std::string& origin, std::vector<std::string>& problems)
      : origin_(origin), problems_(problems) {}

  void problem(const YAML::Node& at, const std::string& key, const std::string& what) {
    std::ostringstream m;
    m << origin_;
    if (at.IsDefined() && !at.Mark().is_null())
      m << ":" << at.Mark().line + 1;
    m << ": " << key << ": " << what;
    problems_.push_back(m.str());
  }

  // Visits `node` (a mapping) calling fields[key] for each known key, reporting unknown ones.
  void map(const YAML::Node& node,
           const std::string& prefix,
           const std::vector<
               std::pair<std::string, std::function<void(const YAML::Node&, const std::string&)>>>&
               fields) {
    if (!node.IsDefined() || node.IsNull())
      return;
    if (!node.IsMap()) {
      problem(node, prefix.empty() ? "(top level)" : prefix, "must be a mapping of keys");
      return;
    }
    for (const auto& kv : node) {
      const std::string key = kv.first.as<std::string>();
      const std::string full = prefix.empty() ? key : prefix + "." + key;
      bool known = false;
      for (const auto& [name, fn] : fields) {
        if (name == key) {
          known = true;
          fn(kv.second, full);
        }
      }
      if (!known)
        problem(kv.first, full,
                "unknown key (check the spelling; see deploy/outreach-bot.example.yaml)");
    }
  }

  void string(const YAML::Node& n,
              const std::string& key,
              std::string& out,
              const std::set<std::string>& allowed = {}) {
    if (!n.IsScalar())
      return problem(n, key, "must be a text value");
    const auto v = n.as<std::string>();
    if (!allowed.empty() && !allowed.contains(v)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return problem(n, key, "'" + v + "' is not one of: " + list);
    }
    if (allowed.empty() && v.empty())
      return problem(n, key, "must not be empty");
    out = v;
  }

  void url(const YAML::Node& n, const std::string& key, std::string& out) {
    if (!n.IsScalar())
      return problem(n, key, "must be a URL");
    std::string v = n.as<std::string>();
    if (!(v.starts_with("https://") || v.starts_with("http://")) || v.size() < 10)
      return problem(n, key, "'" + v + "' is not an http(s) URL");
    while (v.ends_with("/")) v.pop_back();
    out = v;
  }

  template <class Int>
  void integer(
      const YAML::Node& n, const std::string& key, Int& out, long long min, long long max) {
    long long v = 0;
    if (!n.IsScalar() || !YAML::convert<long long>::decode(n, v))
      return problem(n, key, "must be a whole number");
    if (v < min || v > max)
      return problem(n, key,
                     std::to_string(v) + " is out of range [" + std::to_string(min) + ", " +
                         std::to_string(max) + "]");
    out = static_cast<Int>(v);
  }

  void boolean(const YAML::Node& n, const std::string& key, bool& out) {
    bool v = false;
    if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v))
      return problem(n, key, "must be true or false");
    out = v;
  }

  // Durations are written with a unit: 250ms, 30s, 5m, 2h.
  void duration(const YAML::Node& n, const std::string& key, Ms& out, Ms min, Ms max) {
    if (!n.IsScalar())
      return problem(n, key, "must be a duration such as 30s");
    const std::string v = n.as<std::string>();
    std::size_t digits = 0;
    while (digits < v.size() && std::isdigit(static_cast<unsigned char>(v[digits]))) ++digits;
    const std::string unit = v.substr(digits);
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
    if (digits == 0 || digits > 12 || mult == 0)
      return problem(n, key, "'" + v + "' is not a duration (write e.g. 500ms, 30s, 5m, 2h, 1d)");
    const Ms d{std::stoll(v.substr(0, digits)) * mult};
    if (d < min || d > max)
      return problem(n, key,
                     "'" + v + "' is out of range [" + std::to_string(min.count()) + "ms, " +
                         std::to_string(max.count()) + "ms]");
    out = d;
  }

 private:
  const std::string& origin_;
  std::vector<std::string>& problems_;
};

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

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

bool valid_account_id(std::string_view id) {
  return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
  });
}

bool digits(std::string_view v) {
  return !v.empty() &&
         std::all_of(v.begin(), v.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

// Accounts: a list of mappings; ids unique; platform ids digits (kept as text: they exceed 2^53).
template <class Account, class Fields>
void parse_accounts(Reader& r,
                    const YAML::Node& n,
                    const std::string& key,
                    std::vector<Account>& out,
                    Fields fields) {
  if (!n.IsDefined() || n.IsNull())
    return;
  if (!n.IsSequence())
    return r.problem(n, key, "must be a list of accounts");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string at = key + "[" + std::to_string(i) + "]";
    Account a;
    fields(n[i], at, a);
    if (!valid_account_id(a.id))
      r.problem(n[i], at + ".id", "'" + a.id + "' must use a-z, 0-9 and - (at most 32)");
    if (!ids.insert(a.id).second)
      r.problem(n[i], at + ".id", "'" + a.id + "' is used twice");
    out.push_back(std::move(a));
  }
}

void parse_zalo(Reader& r, const YAML::Node& n, const std::string& k, Config::Zalo& z) {
  using N = const YAML::Node&;
  using K = const std::string&;
  r.map(n, k,
        {
            {"api_base_url",
             [&](N v, K kk) {
               r.url(v, kk, z.api_base_url);
             }},
            {"oauth_base_url",
             [&](N v, K kk) {
               r.url(v, kk, z.oauth_base_url);
             }},
            {"timestamp_skew",
             [&](N v, K kk) {
               r.duration(v, kk, z.timestamp_skew, Ms{1000}, Ms{86'400'000});
             }},
            {"retry_window",
             [&](N v, K kk) {
               r.duration(v, kk, z.retry_window, Ms{1000}, Ms{86'400'000});
             }},
            {"rate_per_minute",
             [&](N v, K kk) {
               r.integer(v, kk, z.rate_per_minute, 1, 1'000'000);
             }},
            {"human_quiet",
             [&](N v, K kk) {
               r.duration(v, kk, z.human_quiet, Ms{0}, Ms{7 * 86'400'000ll});
             }},
            {"refresh_ahead",
             [&](N v, K kk) {
               r.duration(v, kk, z.refresh_ahead, Ms{60'000}, Ms{24 * 3'600'000});
             }},
            {"accounts",
             [&](N v, K kk) {
               parse_accounts(r, v, kk, z.accounts, [&](N a, K at, Config::ZaloAccount& acc) {
                 r.map(a, at,
                       {
                           {"id",
                            [&](N x, K kx) {
                              r.string(x, kx, acc.id);
                            }},
                           {"oa_id",
                            [&](N x, K kx) {
                              r.string(x, kx, acc.oa_id);
                            }},
                           {"app_id",
                            [&](N x, K kx) {
                              r.string(x, kx, acc.app_id);
                            }},
                           {"name",
                            [&](N x, K kx) {
                              r.string(x, kx, acc.name);
                            }},
                       });
                 if (!digits(acc.oa_id))
                   r.problem(a, at + ".oa_id", "must be the OA id (digits, in quotes)");
                 if (!digits(acc.app_id))
                   r.problem(a, at + ".app_id", "must be the Zalo app id (digits, in quotes)");
               });
             }},
        });
}

void parse_messenger(Reader& r, const YAML::Node& n, const std::string& k, Config::Messenger& m) {
  using N = const YAML::Node&;
  using K = const std::string&;
  r.map(n, k,
        {
            {"api_base_url",
             [&](N v, K kk) {
               r.url(v, kk, m.api_base_url);
             }},
            {"rate_per_second",
             [&](N v, K kk) {
               r.integer(v, kk, m.rate_per_second, 1, 100'000);
             }},
            {"human_quiet",
             [&](N v, K kk) {
               r.duration(v, kk, m.human_quiet, Ms{0}, Ms{7 * 86'400'000ll});
             }},
            {"accept_sha1",
             [&](N v, K kk) {
               r.boolean(v, kk, m.accept_sha1);
             }},
            {"accounts",
             [&](N v, K kk) {
               parse_accounts(r, v, kk, m.accounts, [&](N a, K at, Config::MessengerAccount& acc) {
                 r.map(a, at,
                       {
                           {"id",
                            [&](N x, K kx) {
                              r.string(x, kx, acc.id);
                            }},
                           {"page_id",
                            [&](N x, K kx) {
                              r.string(x, kx, acc.page_id);
                            }},
                           {"name",
                            [&](N x, K kx) {
                              r.string(x, kx, acc.name);
                            }},
                       });
                 if (!digits(acc.page_id))
                   r.problem(a, at + ".page_id", "must be the page id (digits, in quotes)");
               });
             }},
        });
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
  Config c;
  std::vector<std::string> problems;
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    throw ConfigError(
        {origin + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg});
  }
  Reader r(origin, problems);
  using N = const YAML::Node&;
  using K = const std::string&;
  const Ms kMaxWait{3'600'000};
  r.map(root, "",
        {
            {"listen",
             [&](N n, K k) {
               r.map(n, k,
                     {
                         {"address",
                          [&](N v, K kk) {
                            r.string(v, kk, c.listen.address);
                          }},
                         {"port",
                          [&](N v, K kk) {
                            r.integer(v, kk, c.listen.port, 0, 65535);
                          }},
                     });
             }},
            {"io_threads",
             [&](N n, K k) {
               r.integer(n, k, c.io_threads, 0, 64);
             }},
            {"database",
             [&](N n, K k) {
               r.map(n, k,
                     {
                         {"path",
                          [&](N v, K kk) {
                            r.string(v, kk, c.database.path);
                          }},
                         {"synchronous",
                          [&](N v, K kk) {
                            r.string(v, kk, c.database.synchronous, {"normal", "full"});
                          }},
                         {"busy_timeout",
                          [&](N v, K kk) {
                            r.duration(v, kk, c.database.busy_timeout, Ms{0}, Ms{60'000});
                          }},
                     });
             }},
            {"content_dir",
             [&](N n, K k) {
               r.string(n, k, c.content_dir);
             }},
            {"default_language",
             [&](N n, K k) {
               r.string(n, k, c.default_language, {"vi", "en"});
             }},
            {"http",
             [&](N n, K k) {
               r.map(n, k,
                     {
                         {"body_limit",
                          [&](N v, K kk) {
                            r.integer(v, kk, c.http.body_limit, 1024, 64ll << 20);
                          }},
                         {"header_timeout",
                          [&](N v, K kk) {
                            r.duration(v, kk, c.http.header_timeout, Ms{100}, kMaxWait);
                          }},
                         {"body_timeout",
                          [&](N v, K kk) {
                            r.duration(v, kk, c.http.body_timeout, Ms{100}, kMaxWait);
                          }},
                         {"idle_timeout",
                          [&](N v, K kk) {
                            r.duration(v, kk, c.http.idle_timeout, Ms{100}, kMaxWait);
                          }},
                         {"write_timeout",
                          [&](N v, K kk) {
                            r.duration(v, kk, c.http.write_timeout, Ms{100}, kMaxWait);
                          }},
                         {"max_connections",
                          [&](N v, K kk) {
                            r.integer(v, kk, c.http.max_connections, 1, 100'000);
                          }},
                         {"public_url",
                          [&](N v, K kk) {
                            if (v.IsScalar() && v.as<std::string>().empty())
                              c.http.public_url.clear();  // derived from listen
                            else
                              r.url(v, kk, c.http.public_url);
                          }},
                     });
             }},
            {"shutdown_grace",
             [&](N n, K k) {
               r.duration(n, k, c.shutdown_grace, Ms{0}, Ms{300'000});
             }},
            {"log",
             [&](N n, K k) {
               r.map(n, k,
                     {
                         {"level",
                          [&](N v, K kk) {
                            r.string(v, kk, c.log.level, {"debug", "info", "warn", "error", "off"});
                          }},
                     });
             }},
            {"privacy",
             [&](N n, K k) {
               r.map(n, k,
                     {
                         {"store_message_text",
                          [&](N v, K kk) {
                            r.boolean(v, kk, c.privacy.store_message_text);
                          }},
                         {"retention_days",
                          [&](N v, K kk) {
                            r.integer(v, kk, c.privacy.retention_days, 1, 3650);
                          }},
                     });
             }},
            {"conversation",
             [&](N n, K k) {
               r.map(n, k,
                     {
                         {"form_expiry",
                          [&](N v, K kk) {
                            r.duration(v, kk, c.conversation.form_expiry, Ms{10'000},
                                       Ms{7 * 86'400'000ll});
                          }},
                     });
             }},
            {"sender",
             [&](N n, K k) {
               r.map(n, k,
                     {
                         {"max_attempts",
                          [&](N v, K kk) {
                            r.integer(v, kk, c.sender.max_attempts, 1, 100);
                          }},
                         {"backoff_base",
                          [&](N v, K kk) {
                            r.duration(v, kk, c.sender.backoff_base, Ms{1}, kMaxWait);
                          }},
                         {"backoff_max",
                          [&](N v, K kk) {
                            r.duration(v, kk, c.sender.backoff_max, Ms{1}, Ms{86'400'000});
                          }},
                         {"concurrency",
                          [&](N v, K kk) {
                            r.integer(v, kk, c.sender.concurrency, 1, 1024);
                          }},
                     });
             }},
            {"webchat",
             [&](N n, K k) {
               r.map(n, k,
                     {
                         {"enabled",
                          [&](N v, K kk) {
                            r.boolean(v, kk, c.webchat.enabled);
                          }},
                         {"poll_timeout",
                          [&](N v, K kk) {
                            r.duration(v, kk, c.webchat.poll_timeout, Ms{100}, Ms{120'000});
                          }},
                         {"max_text",
                          [&](N v, K kk) {
                            r.integer(v, kk, c.webchat.max_text, 1, 20'000);
                          }},
                     });
             }},
            {"zalo",
             [&](N n, K k) {
               parse_zalo(r, n, k, c.zalo);
             }},
            {"messenger",
             [&](N n, K k) {
               parse_messenger(r, n, k, c.messenger);
             }},
        });
  if (c.sender.backoff_max < c.sender.backoff_base)
    problems.push_back(origin +
                       ": sender.backoff_max: must not be smaller than sender.backoff_base");
  if (!problems.empty())
    throw ConfigError(std::move(problems));
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
  std::ostringstream o;
  o << "listen: { address: " << c.listen.address << ", port: " << c.listen.port << " }\n"
    << "io_threads: " << c.io_threads << "   # 0 = one per core ("
    << std::thread::hardware_concurrency() << " here)\n"
    << "database: { path: " << c.database.path << ", synchronous: " << c.database.synchronous
    << ", busy_timeout: " << ms_text(c.database.busy_timeout) << " }\n"
    << "content_dir: " << c.content_dir << "\n"
    << "default_language: " << c.default_language << "\n"
    << "http: { body_limit: " << c.http.body_limit
    << ", header_timeout: " << ms_text(c.http.header_timeout)
    << ", body_timeout: " << ms_text(c.http.body_timeout)
    << ", idle_timeout: " << ms_text(c.http.idle_timeout)
    << ", write_timeout: " << ms_text(c.http.write_timeout)
    << ", max_connections: " << c.http.max_connections
    << ", public_url: " << (c.http.public_url.empty() ? "\"\"" : c.http.public_url) << " }\n"
    << "shutdown_grace: " << ms_text(c.shutdown_grace) << "\n"
    << "log: { level: " << c.log.level << " }\n"
    << "privacy: { store_message_text: " << (c.privacy.store_message_text ? "true" : "false")
    << ", retention_days: " << c.privacy.retention_days << " }\n"
    << "conversation: { form_expiry: " << ms_text(c.conversation.form_expiry) << " }\n"
    << "sender: { max_attempts: " << c.sender.max_attempts
    << ", backoff_base: " << ms_text(c.sender.backoff_base)
    << ", backoff_max: " << ms_text(c.sender.backoff_max)
    << ", concurrency: " << c.sender.concurrency << " }\n"
    << "webchat: { enabled: " << (c.webchat.enabled ? "true" : "false")
    << ", poll_timeout: " << ms_text(c.webchat.poll_timeout) << ", max_text: " << c.webchat.max_text
    << " }\n";
  o << "zalo:\n  api_base_url: " << c.zalo.api_base_url
    << "\n  oauth_base_url: " << c.zalo.oauth_base_url
    << "\n  timestamp_skew: " << ms_text(c.zalo.timestamp_skew)
    << "\n  retry_window: " << ms_text(c.zalo.retry_window)
    << "\n  rate_per_minute: " << c.zalo.rate_per_minute
    << "\n  human_quiet: " << ms_text(c.zalo.human_quiet)
    << "\n  refresh_ahead: " << ms_text(c.zalo.refresh_ahead)
    << "\n  accounts:" << (c.zalo.accounts.empty() ? " []" : "") << "\n";
  for (const auto& a : c.zalo.accounts)
    o << "    - { id: " << a.id << ", oa_id: \"" << a.oa_id << "\", app_id: \"" << a.app_id
      << "\", name: \"" << a.name << "\" }\n";
  o << "messenger:\n  api_base_url: " << c.messenger.api_base_url
    << "\n  rate_per_second: " << c.messenger.rate_per_second
    << "\n  human_quiet: " << ms_text(c.messenger.human_quiet)
    << "\n  accept_sha1: " << (c.messenger.accept_sha1 ? "true" : "false")
    << "\n  accounts:" << (c.messenger.accounts.empty() ? " []" : "") << "\n";
  for (const auto& a : c.messenger.accounts)
    o << "    - { id: " << a.id << ", page_id: \"" << a.page_id << "\", name: \"" << a.name
      << "\" }\n";
  return o.str();
}

}  // namespace outreach::app
