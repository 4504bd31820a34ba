#include "bot/core/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <random>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace outreach::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};

spdlog::logger& sink() {
  // Never destroyed: logging may happen during static destruction of other objects.
  static auto* logger = [] {
    auto* l = new spdlog::logger("outreach", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    l->set_pattern("%v");
    l->set_level(spdlog::level::trace);
    l->flush_on(spdlog::level::trace);
    return l;
  }();
  return *logger;
}

struct HashKey {
  std::mutex mu;
  std::string key;
};

HashKey& hash_key() {
  static auto* k = [] {
    auto* h = new HashKey;
    std::random_device rd;
    h->key = std::to_string(rd()) + ":" + std::to_string(rd());
    return h;
  }();
  return *k;
}

std::string_view level_name(Level l) {
  switch (l) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
    case Level::kOff:
      return "off";
  }
  return "info";
}

bool needs_quotes(std::string_view v) {
  if (v.empty())
    return true;
  for (char c : v)
    if (c == ' ' || c == '"' || c == '=' || c == '\n' || c == '\t')
      return true;
  return false;
}

void append_value(std::string& out, std::string_view v) {
  if (!needs_quotes(v)) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  out += '"';
}

std::string timestamp() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  const std::time_t t = system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace

Value::Value(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  text_ = buf;
}

void set_level(Level level) {
  g_level.store(static_cast<int>(level));
}

bool enabled(Level level) {
  return static_cast<int>(level) >= g_level.load();
}

std::optional<Level> parse_level(std::string_view name) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError, Level::kOff})
    if (level_name(l) == name)
      return l;
  return std::nullopt;
}

void set_hash_key(std::string key) {
  HashKey& h = hash_key();
  std::lock_guard lock(h.mu);
  h.key = std::move(key);
}

std::string user_hash(std::string_view platform_user_id) {
  // FNV-1a over key ‖ id: a pseudonym for log correlation, not a security boundary.
  std::uint64_t x = 1469598103934665603ull;
  auto mix = [&x](std::string_view s) {
    for (unsigned char c : s) {
      x ^= c;
      x *= 1099511628211ull;
    }
  };
  {
    HashKey& h = hash_key();
    std::lock_guard lock(h.mu);
    mix(h.key);
  }
  mix("\x1f");
  mix(platform_user_id);
  char buf[16];
  std::snprintf(buf, sizeof buf, "h:%08x", static_cast<unsigned>(x ^ (x >> 32)));
  return buf;
}

void write(Level level, std::string_view comp, std::string_view ev, Fields fields) {
  std::string line;
  line.reserve(160);
  line += "ts=";
  line += timestamp();
  line += " level=";
  line += level_name(level);
  line += " comp=";
  line += comp;
  line += " ev=";
  line += ev;
  for (const Field& f : fields) {
    line += ' ';
    line += f.key;
    line += '=';
    append_value(line, f.value.text());
  }
  sink().info(line);
}

}  // namespace outreach::log

namespace outreach::log {

void exception(std::string_view comp, std::string_view ev, std::exception_ptr ep) {
  if (!ep)
    return;
  try {
    std::rethrow_exception(ep);
  } catch (const std::exception& e) {
    error(comp, ev, {{"what", std::string_view(e.what())}});
  } catch (...) {
    error(comp, ev, {{"what", "unknown exception"}});
  }
}

}  // namespace outreach::log
