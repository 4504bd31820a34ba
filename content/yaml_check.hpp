#pragma once
// YamlChecker: the one checker of hand-written YAML, used for every content file
// (content/loader.cpp) and for the configuration (bot/app/config.cpp). It collects problems
// instead of stopping at the first, each with its file and line, and refuses keys a mapping
// does not know, naming the ones it does: a typo such as `phon:` is an error, not a phone
// number silently dropped.
// Thread-safety: one checker per file being read; it appends to the caller's vector.

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "content/problem.hpp"

namespace outreach::content {

// "economic-office" + "phone" → "economic-office.phone"; "" + "listen" → "listen".
std::string key_path(std::string_view path, std::string_view key);

// "steps" + 2 → "steps[2]".
std::string item_path(std::string_view path, std::size_t index);

class YamlChecker {
 public:
  // `line_offset` maps YAML lines to file lines (a Markdown front matter starts on line 2).
  YamlChecker(std::vector<Problem>& out, std::string file, int line_offset = 0);

  // Parses `text`; a syntax error is a problem with its line, and gives nullopt.
  std::optional<YAML::Node> parse(const std::string& text);

  // The file line of `n` (1-based), 0 when unknown.
  int line_of(const YAML::Node& n) const;

  void error(const YAML::Node& at, std::string msg) { add(line_of(at), std::move(msg), false); }

  void warning(const YAML::Node& at, std::string msg) { add(line_of(at), std::move(msg), true); }

  void add(int line, std::string msg, bool warn);

  int errors() const { return errors_; }

  const std::string& file() const { return file_; }

  // Every key of `map` that `known` does not list is an error at the key's line:
  // "<path>.<key>: unknown key (use a:, b: and c:)". Does nothing when `map` is not a mapping
  // (its shape is the caller's to check). Call it once for each mapping a reader reads.
  void known_keys(const YAML::Node& map,
                  std::string_view path,
                  std::span<const std::string_view> known);

  void known_keys(const YAML::Node& map,
                  std::string_view path,
                  std::initializer_list<std::string_view> known) {
    known_keys(map, path, std::span<const std::string_view>(known.begin(), known.size()));
  }

  // map[key] as NFC UTF-8 text of at most `max_chars` code points (0: any); missing or empty
  // is an error when `required`.
  std::string text(const YAML::Node& map,
                   const char* key,
                   bool required = true,
                   std::size_t max_chars = 0);

  // Checks a text value: valid UTF-8, NFC, at most `max_chars` code points (0: any).
  void check_text(const YAML::Node& at,
                  std::string_view what,
                  const std::string& v,
                  std::size_t max_chars);

  // map[key] as a list of min–max texts (each at most 300 code points).
  std::vector<std::string> list(const YAML::Node& map,
                                const char* key,
                                std::size_t min,
                                std::size_t max,
                                bool required = true);

 private:
  std::vector<Problem>& out_;
  std::string file_;
  int offset_ = 0;
  int errors_ = 0;
};

}  // namespace outreach::content
