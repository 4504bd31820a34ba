#pragma once
// English as people type it to the bot, on folded tokens (see bot/text/unicode.hpp):
//   - is_english_stopword(): English function words that say nothing about the topic, for the
//     English index (Vietnamese folded words such as "the" (thế), "can" (cần, cân), "do" (đo)
//     or "an" (an toàn) are content there, so the two languages keep separate lists);
//   - english_stem(): a light stemmer for the English index: plurals and -ing/-ed endings
//     ("startups", "registered", "labelling" → "startup", "register", "label"); Vietnamese
//     folded syllables never end that way, so they pass through unchanged;
//   - looks_english(): whether a message is written in English, which picks the index that
//     ranks it. Vietnamese typed without diacritics stays Vietnamese ("dang ky nhan hieu").
// Thread-safety: pure functions.

#include <string>
#include <string_view>
#include <vector>

namespace outreach::router {

bool is_english_stopword(std::string_view folded);

std::string english_stem(std::string_view folded);

// `typed` are the message's words in lower case as typed (diacritics kept).
bool looks_english(const std::vector<std::string>& typed);

}  // namespace outreach::router
