#pragma once
// Writing content/learned.yaml: the questions staff attach to their answers in the console
// (/console/questions). The file is ordinary content (loaded by load_content, checked by
// check-content, versioned with the rest); this adds one entry without touching the rest of
// it, comments and hand edits included.
// Thread-safety: append_learned() is safe from any thread (one writer at a time); it does file
// I/O, so call it off the io threads.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bot/core/errc.hpp"

namespace outreach::content {

struct LearnedEntry {
  std::string question;
  std::string answer;    // "explainer:<id>", "referral:<id>" or "off-topic"
  std::int64_t day = 0;  // local day it was added (the `added:` date)
};

// Appends `e` to `dir`/learned.yaml (created with its explaining header when missing). The new
// text must read back as a list whose last entry is `e`, or nothing is written (a hand edit
// that made the file something else is named in the error). Written to a temporary file,
// synced and renamed over: a crash leaves the old file or the new one, never half of one.
// Errors: kInvalidInput (the file is not a plain list), kStorageFailed (cannot write: the
// message names the path and the OS error).
Result<void, outreach::Problem> append_learned(const std::string& dir, const LearnedEntry& e);

// Puts back `text` as the whole file (used when a reload refuses what was appended).
Result<void, outreach::Problem> write_learned(const std::string& dir, const std::string& text);

// The file's current text ('' when it does not exist).
std::string read_learned(const std::string& dir);

// A personal detail that must not become content: a run of 8 or more digits (a phone or an ID
// number, spaces and dots between the digits included) or an email address. What was found,
// described for staff; nullopt when none.
std::optional<std::string> personal_detail(std::string_view question);

}  // namespace outreach::content
