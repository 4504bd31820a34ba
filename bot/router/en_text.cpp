#include "bot/router/en_text.hpp"

#include <algorithm>
#include <fstream>
#include <unordered_set>

#include "bot/router/vi_text.hpp"
#include "bot/text/unicode.hpp"

namespace outreach::router {
namespace {

// Words that are English and never a Vietnamese word a resident would type folded (so not "the",
// "can", "do", "an", "to", "me", "ban", "in"): each one is evidence of English.
const std::unordered_set<std::string_view>& english_only() {
  static const std::unordered_set<std::string_view> k = {
      "is",    "are",  "was",  "were", "does",   "did",    "how",   "what",  "where",  "when",
      "which", "who",  "why",  "you",  "your",   "we",     "our",   "they",  "their",  "for",
      "of",    "and",  "or",   "with", "about",  "there",  "any",   "this",  "these",  "have",
      "has",   "need", "want", "get",  "should", "will",   "would", "could", "please", "hello",
      "help",  "from", "if",   "by",   "much",   "many",   "its",   "i",     "some",   "whats",
      "wanna", "just", "know", "tell", "anyone", "someone"};
  return k;
}

constexpr const char* kEnglishWords = "/usr/share/dict/cracklib-small";
constexpr std::size_t kMaxEnglishWords = 200000;  // the list has about 55,000

}  // namespace

bool is_english_word(std::string_view w) {
  static const std::unordered_set<std::string> words = [] {
    std::unordered_set<std::string> out;
    std::ifstream in(kEnglishWords);
    for (std::string line; out.size() < kMaxEnglishWords && std::getline(in, line);)
      if (line.size() >= 2 &&
          std::all_of(line.begin(), line.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        out.insert(line);
    return out;
  }();
  return words.contains(std::string(w));
}

bool is_english_stopword(std::string_view w) {
  static const std::unordered_set<std::string_view> kStop = {
      "the", "a", "an", "is", "are", "was", "were", "be", "been", "am", "do", "does", "did", "how",
      "what", "where", "when", "which", "who", "why", "i", "im", "my", "me", "you", "your", "we",
      "our", "us", "they", "their", "it", "its", "this", "that", "these", "those", "to", "of", "in",
      "on", "at", "for", "with", "about", "from", "by", "and", "or", "if", "so", "can", "could",
      "would", "will", "should", "shall", "there", "any", "some", "have", "has", "had", "get",
      "got", "need", "want", "please", "just", "also", "than", "then", "as", "into", "out", "up",
      "all", "much", "many", "more", "q", "hi", "hey", "ok", "s", "t", "d", "ll", "ve", "re",
      // as chats spell them
      "wat", "wut", "pls", "plz", "u", "ur", "whats", "hows", "wheres", "whos", "dont", "doesnt",
      "cant", "isnt", "ive", "wanna", "gonna"};
  return kStop.contains(w);
}

std::string english_stem(std::string_view w) {
  std::string s(w);
  if (is_english_stopword(w))
    return s;  // "does", "this", "was" stay function words
  auto ends = [&](std::string_view suffix) {
    return s.size() > suffix.size() &&
           std::string_view(s).substr(s.size() - suffix.size()) == suffix;
  };
  auto vowel = [](char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
  };
  if (s.size() >= 5 && ends("ies")) {
    s.replace(s.size() - 3, 3, "y");  // "companies", "verified" below
  } else if (ends("sses")) {
    s.erase(s.size() - 2);  // "businesses"
  } else if (s.size() >= 4 && ends("s") && !ends("ss") && !ends("us") && !ends("is") &&
             s != "news") {  // "news" is not "new" ("get new one" asks for no news)
    s.pop_back();            // "startups", "scales"
  } else if (s.size() >= 6 && (ends("ing") || ends("ied") || ends("ed"))) {
    const bool ied = ends("ied");
    const std::size_t cut = ends("ing") ? 3 : 2;
    const std::string stem = s.substr(0, s.size() - cut);
    if (ied) {
      s = stem.substr(0, stem.size() - 1) + "y";  // "verified" → "verify"
    } else if (std::any_of(stem.begin(), stem.end(), vowel) && stem.size() >= 3) {
      s = stem;
      // "labelling", "shipping": one of a doubled final consonant, if a word is left.
      if (s.size() >= 5 && s[s.size() - 1] == s[s.size() - 2] && !vowel(s.back()) &&
          s.back() != 's' && s.back() != 'z')
        s.pop_back();
    }
  }
  // A silent final "e" goes, so that a word and its -ed/-ing/-s forms meet: "double", "doubled"
  // and "doubles" are all "doubl" ("scale", "scales", "licensed", "prices" alike).
  if (s.size() >= 5 && s.back() == 'e' && !vowel(s[s.size() - 2]))
    s.pop_back();
  // British and American spellings meet: "recognise", "recognised" and "recognized" are all
  // "recogniz" ("digitalise", "organisation" alike).
  if (s.size() >= 6 && ends("is"))
    s.back() = 'z';
  else if (s.size() >= 9 && ends("isation"))
    s.replace(s.size() - 7, 7, "ization");
  return s;
}

LanguageEvidence language_evidence(const std::vector<std::string>& typed) {
  // Words both languages' chats use as they are ("ok cam on ad nhe" is Vietnamese): no evidence.
  static const std::unordered_set<std::string_view> kEither = {
      "ok", "oke", "okie", "okay", "ad", "admin", "bot", "shop", "online", "app", "zalo", "fb"};
  LanguageEvidence e;
  for (const std::string& w : typed) {
    const std::string folded = text::fold(w);
    if (folded != w) {  // typed with diacritics: Vietnamese (or a Vietnamese name)
      ++e.vietnamese;
      continue;
    }
    if (kEither.contains(folded))
      continue;
    if (english_only().contains(folded))
      e.english += 2;
    else if (!is_syllable(folded) && !is_syllable(repair_telex(folded)))
      ++e.english;  // "trademark", "registr", "electricity"; not Telex leftovers ("nhaan", "kys")
    else if (!is_english_word(folded))
      ++e.vietnamese;
    // else: both ("the", "cut", "tips", "day"): it says nothing of the language
  }
  return e;
}

}  // namespace outreach::router
