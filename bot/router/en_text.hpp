#pragma once
// English as people type it to the bot, on folded tokens (see bot/text/unicode.hpp):
//   - is_english_stopword(): English function words that say nothing about the topic, for the
//     English index (Vietnamese folded words such as "the" (thế), "can" (cần, cân), "do" (đo)
//     or "an" (an toàn) are content there, so the two languages keep separate lists);
//   - english_stem(): a light stemmer for the English index: plurals and -ing/-ed endings
//     ("startups", "registered", "labelling" → "startup", "register", "label"); Vietnamese
//     folded syllables never end that way, so they pass through unchanged;
//   - looks_english(): whether a message is written in English, which picks the index that
//     ranks it. Vietnamese typed without diacritics stays Vietnamese ("dang ky nhan hieu");
//     language_evidence() gives the counts it weighs, to tell a message of both languages;
//   - is_english_word(): whether a word is in Debian's English word list (cracklib-runtime's
//     /usr/share/dict/cracklib-small, already installed for the console's password check): such
//     a word is meant as typed, never a typo of one of the content's ("parent" is not "patent").
//     Without the list, no word is known and typos are mended as before.
// Thread-safety: pure functions; the word list is read once, on first use.

#include <string>
#include <string_view>
#include <vector>

namespace outreach::router {

bool is_english_stopword(std::string_view folded);

std::string english_stem(std::string_view folded);

bool is_english_word(std::string_view folded);

// How much of a message speaks for each language: a word only English has counts 2, one
// neither list knows 1; words both languages use count for neither.
struct LanguageEvidence {
  int english = 0;
  int vietnamese = 0;
};

// `typed` are the message's words in lower case as typed (diacritics kept).
LanguageEvidence language_evidence(const std::vector<std::string>& typed);

inline bool looks_english(const std::vector<std::string>& typed) {
  const LanguageEvidence e = language_evidence(typed);
  return e.english > e.vietnamese;
}

}  // namespace outreach::router
