#pragma once
// Problem: one fault found in a hand-written file (content or config), with where it is.
// A plain value; the loaders and the YAML checker collect them in a vector.

#include <string>

namespace outreach::content {

struct Problem {
  std::string file;  // relative to the content folder (for the config: the config file)
  int line = 0;      // 1-based; 0 when the whole file is concerned
  std::string message;
  bool warning = false;

  // "file:line: error: message" (or "warning:").
  std::string to_string() const;
};

}  // namespace outreach::content
