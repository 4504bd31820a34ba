#pragma once
// Structured logging: one `key=value` line per event on stderr (journald collects it):
//   ts=… level=info comp=router ev=turn_done ch=web user=h:9a41c2e0 handler=menu ms=3
// Rules (STYLE.md §3.4): at info never log message text, phone numbers, tokens or raw platform
// user ids — use user_hash(); full payloads only at debug.
// Thread-safety: every function is safe from any thread (spdlog's mutex sink underneath).

#include <cstdint>
#include <exception>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace outreach::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kOff = 4 };

// A field value: text, a number or a flag.
class Value {
 public:
  Value(std::string_view s) : text_(s) {}  // NOLINT(google-explicit-constructor)

  Value(const std::string& s) : text_(s) {}  // NOLINT(google-explicit-constructor)

  Value(const char* s) : text_(s) {}  // NOLINT(google-explicit-constructor)

  Value(long long v) : text_(std::to_string(v)) {}  // NOLINT(google-explicit-constructor)

  Value(long v) : text_(std::to_string(v)) {}  // NOLINT(google-explicit-constructor)

  Value(int v) : text_(std::to_string(v)) {}  // NOLINT(google-explicit-constructor)

  Value(unsigned long v) : text_(std::to_string(v)) {}  // NOLINT(google-explicit-constructor)

  Value(unsigned v) : text_(std::to_string(v)) {}  // NOLINT(google-explicit-constructor)

  Value(double v);  // NOLINT(google-explicit-constructor)

  Value(bool v) : text_(v ? "true" : "false") {}  // NOLINT(google-explicit-constructor)

  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

struct Field {
  std::string_view key;
  Value value;
};

using Fields = std::initializer_list<Field>;

void set_level(Level level);
bool enabled(Level level);
std::optional<Level> parse_level(std::string_view name);

// Key for user_hash(); without one a random per-process key is used.
void set_hash_key(std::string key);

// A short keyed hash ("h:1f2e3d4c") that lets log lines about one person be correlated
// without writing the platform's id of that person.
std::string user_hash(std::string_view platform_user_id);

void write(Level level, std::string_view comp, std::string_view ev, Fields fields);

// Logs the exception held by `ep` (if any) at error level: the completion handler of every
// co_spawn, so that no exception disappears silently.
void exception(std::string_view comp, std::string_view ev, std::exception_ptr ep);

inline void debug(std::string_view comp, std::string_view ev, Fields f = {}) {
  if (enabled(Level::kDebug))
    write(Level::kDebug, comp, ev, f);
}

inline void info(std::string_view comp, std::string_view ev, Fields f = {}) {
  if (enabled(Level::kInfo))
    write(Level::kInfo, comp, ev, f);
}

inline void warn(std::string_view comp, std::string_view ev, Fields f = {}) {
  if (enabled(Level::kWarn))
    write(Level::kWarn, comp, ev, f);
}

inline void error(std::string_view comp, std::string_view ev, Fields f = {}) {
  if (enabled(Level::kError))
    write(Level::kError, comp, ev, f);
}

}  // namespace outreach::log
