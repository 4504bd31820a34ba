#pragma once
// Loading content/ into a Snapshot and checking it: required fields, lengths, ids that exist,
// dates, NFC text, both languages present. Every problem names its file and line.
// Problems are errors (the snapshot is refused) or warnings (e.g. an explainer past its
// review date: it is served with an "being updated" note and listed by check-content).
// Thread-safety: pure function of the files; call it off the io threads (it reads files).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "content/model.hpp"
#include "content/problem.hpp"

namespace outreach::content {

// The file of questions staff attached to their answers (content/learned.yaml).
inline constexpr std::string_view kLearnedFile = "learned.yaml";
// Everyday phrases for the content's terms (content/lexicon.yaml).
inline constexpr std::string_view kLexiconFile = "lexicon.yaml";
inline constexpr std::size_t kMaxLearnedQuestion = 500;  // code points

struct LoadReport {
  std::shared_ptr<const Snapshot> snapshot;  // null when there are errors
  std::vector<Problem> problems;

  bool ok() const { return snapshot != nullptr; }

  std::size_t errors() const;
  std::size_t warnings() const;
};

// Loads `dir`. `today_day` (days since 1970-01-01, Asia/Ho_Chi_Minh) decides which explainers
// are past their review date.
LoadReport load_content(const std::string& dir, std::int64_t today_day);

}  // namespace outreach::content
