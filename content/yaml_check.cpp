#include "content/yaml_check.hpp"

#include <algorithm>

#include "bot/core/text.hpp"
#include "bot/text/unicode.hpp"

namespace outreach::content {

std::string Problem::to_string() const {
  std::string out = file;
  if (line > 0)
    out += ":" + std::to_string(line);
  out += warning ? ": warning: " : ": error: ";
  out += message;
  return out;
}

std::string key_path(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : std::string(path) + "." + std::string(key);
}

std::string item_path(std::string_view path, std::size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

YamlChecker::YamlChecker(std::vector<Problem>& out, std::string file, int line_offset)
    : out_(out), file_(std::move(file)), offset_(line_offset) {}

std::optional<YAML::Node> YamlChecker::parse(const std::string& text) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    add(e.mark.is_null() ? 0 : e.mark.line + 1 + offset_, "not valid YAML: " + e.msg, false);
    return std::nullopt;
  }
}

int YamlChecker::line_of(const YAML::Node& n) const {
  return n.IsDefined() && !n.Mark().is_null() ? n.Mark().line + 1 + offset_ : 0;
}

void YamlChecker::add(int line, std::string msg, bool warn) {
  out_.push_back({file_, line, std::move(msg), warn});
  if (!warn)
    ++errors_;
}

void YamlChecker::known_keys(const YAML::Node& map,
                             std::string_view path,
                             std::span<const std::string_view> known) {
  if (!map.IsMap())
    return;
  for (const auto& kv : map) {
    const std::string key = kv.first.Scalar();
    if (std::find(known.begin(), known.end(), key) != known.end())
      continue;
    std::string use;
    for (std::size_t i = 0; i < known.size(); ++i)
      use += (i == 0 ? "" : i + 1 == known.size() ? " and " : ", ") + std::string(known[i]) + ":";
    error(kv.first, key_path(path, key) + ": unknown key (use " + use + ")");
  }
}

std::string YamlChecker::text(const YAML::Node& map,
                              const char* key,
                              bool required,
                              std::size_t max_chars) {
  const YAML::Node n = map[key];
  if (!n.IsDefined() || n.IsNull()) {
    if (required)
      error(map, std::string("missing '") + key + "'");
    return {};
  }
  if (!n.IsScalar()) {
    error(n, std::string("'") + key + "' must be text");
    return {};
  }
  std::string v = n.as<std::string>();
  check_text(n, key, v, max_chars);
  if (required && text::trim(v).empty())
    error(n, std::string("'") + key + "' is empty");
  return v;
}

void YamlChecker::check_text(const YAML::Node& at,
                             std::string_view what,
                             const std::string& v,
                             std::size_t max_chars) {
  if (!text::valid_utf8(v)) {
    error(at, std::string(what) + ": not valid UTF-8");
    return;
  }
  if (!text::is_nfc(v))
    error(at, std::string(what) +
                  ": text is not in NFC form (re-save it as NFC; some "
                  "editors on macOS write decomposed accents)");
  if (max_chars != 0 && text::code_points(v) > max_chars)
    error(at, std::string(what) + ": " + std::to_string(text::code_points(v)) +
                  " characters, more than the " + std::to_string(max_chars) + " allowed");
}

std::vector<std::string> YamlChecker::list(
    const YAML::Node& map, const char* key, std::size_t min, std::size_t max, bool required) {
  std::vector<std::string> out;
  const YAML::Node n = map[key];
  if (!n.IsDefined() || n.IsNull()) {
    if (required)
      error(map, std::string("missing '") + key + "'");
    return out;
  }
  if (!n.IsSequence()) {
    error(n, std::string("'") + key + "' must be a list");
    return out;
  }
  for (const auto& item : n) {
    if (!item.IsScalar()) {
      error(item, std::string("'") + key + "' items must be text");
      continue;
    }
    std::string v = item.as<std::string>();
    check_text(item, key, v, 300);
    out.push_back(std::move(v));
  }
  if (out.size() < min || out.size() > max)
    error(n, std::string("'") + key + "' has " + std::to_string(out.size()) + " items; " +
                 std::to_string(min) + "–" + std::to_string(max) + " expected");
  return out;
}

}  // namespace outreach::content
