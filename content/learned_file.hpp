#pragma once
// Writing the content files staff teach the bot with from the console (/console/questions):
// learned.yaml (a whole question attached to its answer) and lexicon.yaml (an everyday phrase
// for one of the content's terms). Both are ordinary content (loaded by load_content, checked
// by check-content, versioned with the rest); these add one entry without touching the rest of
// the file, comments and hand edits included.
// Thread-safety: every function here is safe from any thread (one writer at a time); they do
// file I/O, so call them off the io threads.

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

// Adds `phrase` to `term`'s list in `dir`/lexicon.yaml: into the term's existing list (a flow
// list `[a, b]` or a block list of `- a` lines) when the file has the term, as a new line
// `term: [phrase]` at the end when not (the file is created with its header when missing). The
// new text must read back as the old mapping plus exactly this phrase under this term, or
// nothing is written. Written as append_learned() writes.
// Errors: kInvalidInput (the file is not a plain mapping, or the edit would not read back as
// meant: the message says to add it by hand), kStorageFailed.
Result<void, outreach::Problem> add_lexicon_phrase(const std::string& dir,
                                                   const std::string& term,
                                                   const std::string& phrase);

// Puts back `text` as the whole of `dir`/`file` (used when a reload refuses what was added).
Result<void, outreach::Problem> write_content_file(const std::string& dir,
                                                   std::string_view file,
                                                   const std::string& text);

// The current text of `dir`/`file` ('' when it does not exist).
std::string read_content_file(const std::string& dir, std::string_view file);

// A personal detail that must not become content: a run of 8 or more digits (a phone or an ID
// number, spaces and dots between the digits included) or an email address. What was found,
// described for staff; nullopt when none.
std::optional<std::string> personal_detail(std::string_view question);

}  // namespace outreach::content
