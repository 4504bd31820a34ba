#pragma once
// Vietnamese text as people type it in chats, on folded tokens (lower case, no diacritics,
// đ → d; see bot/text/unicode.hpp):
//   - is_syllable(): could this be a Vietnamese syllable (onset, vowels, final)?
//   - repair_telex(): "kys" → "ky", "dangd" → "dang", "nhaan" → "nhan", "truwowngf" → "truong",
//     "kieerm" → "kiem" (a tone key before the final consonant):
//     leftovers of the Telex input method on words that are not syllables;
//   - is_stopword(): function words that say nothing about the topic.
// Thread-safety: pure functions.

#include <string>
#include <string_view>
#include <vector>

namespace outreach::router {

bool is_syllable(std::string_view folded);

// The token with Telex keystrokes removed if that makes it a syllable; otherwise unchanged.
std::string repair_telex(std::string_view folded);

bool is_stopword(std::string_view folded);

// Stopwords, and function words whose folded form is also a content word: such a word is kept
// as a word but joins no bigram. `written` is the word with its diacritics when known (then
// "chợ" is not the function word "cho"); empty when only the folded form is known.
bool breaks_bigram(std::string_view folded, std::string_view written = {});

// A particle closing a question, written with its diacritics ("vậy"), whose folded form is also
// a content word ("vay", a loan): it ranks nothing.
bool is_written_particle(std::string_view written);

// The same particle typed without diacritics where only the particle fits: the message's last
// word, right after a question word ("phi bao nhieu vay").
bool is_closing_particle(const std::vector<std::string>& folded, std::size_t i);

}  // namespace outreach::router
