#include "bot/router/vi_text.hpp"

#include <algorithm>
#include <array>
#include <unordered_set>

namespace outreach::router {
namespace {

bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

// Folded vowel groups that occur in Vietnamese syllables.
const std::unordered_set<std::string_view>& vowel_groups() {
  static const std::unordered_set<std::string_view> kGroups = {
      "a",   "e",   "i",   "o",   "u",   "y",   "ai",  "ao",  "au",  "ay",  "eo",
      "eu",  "ia",  "ie",  "iu",  "oa",  "oe",  "oi",  "oo",  "ua",  "ue",  "ui",
      "uo",  "uu",  "uy",  "ya",  "ye",  "iai", "ieu", "oai", "oao", "oay", "oeo",
      "uai", "uay", "uoi", "uou", "uya", "uye", "uyu", "yeu", "uao", "uau"};
  return kGroups;
}

constexpr std::array<std::string_view, 26> kOnsets = {
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c",
    "d",   "g",  "h",  "k",  "l",  "m",  "n",  "p",  "r",  "s",  "t",  "v", "x"};

constexpr std::array<std::string_view, 8> kCodas = {"ng", "nh", "ch", "c", "m", "n", "p", "t"};

}  // namespace

bool is_syllable(std::string_view s) {
  if (s.empty() || s.size() > 7)
    return false;
  std::string_view rest = s;
  for (std::string_view onset : kOnsets) {
    if (rest.starts_with(onset) && rest.size() > onset.size()) {
      // "gi" and "qu" are onsets only when a vowel follows ("gi" alone is g + i).
      rest.remove_prefix(onset.size());
      break;
    }
  }
  std::size_t v = 0;
  while (v < rest.size() && is_vowel(rest[v])) ++v;
  if (v == 0) {
    // "gi" + coda (gin, gìn) and "qu" words whose vowel was eaten by the onset.
    return false;
  }
  const std::string_view vowels = rest.substr(0, v);
  const std::string_view coda = rest.substr(v);
  if (!vowel_groups().contains(vowels))
    return false;
  if (coda.empty())
    return true;
  return std::find(kCodas.begin(), kCodas.end(), coda) != kCodas.end();
}

std::string repair_telex(std::string_view folded) {
  if (folded.size() < 2 || is_syllable(folded))
    return std::string(folded);
  std::string r(folded);
  // A tone key typed after the word: s (sắc), f (huyền), r (hỏi), x (ngã), j (nặng).
  if (std::string_view("sfrxj").find(r.back()) != std::string_view::npos)
    r.pop_back();
  // …or before the final consonant, right after the vowels ("kieerm" is kiểm, "dduowcj" được).
  for (const std::string_view final : {"ch", "nh", "ng", "c", "m", "n", "p", "t"}) {
    const std::size_t at = r.size() - std::min(r.size(), final.size() + 1);
    if (at > 0 && r.ends_with(final) &&
        std::string_view("sfrxj").find(r[at]) != std::string_view::npos &&
        std::string_view("aeiouy").find(r[at - 1]) != std::string_view::npos) {
      r.erase(at, 1);
      break;
    }
  }
  // w makes ư / ơ / ă.
  // w makes ư / ơ / ă, typed after the vowel it changes ("truwowngf"); a w elsewhere is not
  // Telex ("what").
  for (std::size_t i = 1; i < r.size();) {
    if (r[i] == 'w' && (r[i - 1] == 'u' || r[i - 1] == 'o' || r[i - 1] == 'a')) {
      r.erase(i, 1);
    } else {
      ++i;
    }
  }
  // aa → â, ee → ê, oo → ô (the doubled vowel is the modifier).
  for (const char* twice : {"aa", "ee", "oo"}) {
    if (auto at = r.find(twice); at != std::string::npos)
      r.erase(at, 1);
  }
  // dd → đ at the start, or d typed at the end of the word ("dangd" = đang).
  if (r.starts_with("dd")) {
    r.erase(0, 1);
  } else if (r.size() > 2 && r.front() == 'd' && r.back() == 'd') {
    r.pop_back();
  }
  return is_syllable(r) ? r : std::string(folded);
}

bool is_stopword(std::string_view w) {
  // Folded forms are ambiguous ("ban" is bạn and bán, "can" is cần and cân, "ho" is họ and hộ),
  // so only words whose every reading carries no topic are here; bigrams keep them anyway.
  // Folded forms are ambiguous ("cho" is cho and chợ, "minh" is mình and minh, "thi" is thì and
  // thi, "anh" is anh and ảnh), so only words that carry no topic in any reading are here.
  static const std::unordered_set<std::string_view> kStop = {
      "a",   "ad",   "ah",  "ak",  "cac",  "cua", "duoc",  "em",  "gi",   "khi",   "khong", "la",
      "mot", "muon", "nay", "neu", "nhe",  "nhi", "nhung", "o",   "oi",   "phai",  "va",    "voi",
      "xin", "to",   "of",  "in",  "and",  "or",  "is",    "are", "does", "how",   "what",  "i",
      "my",  "me",   "for", "on",  "with", "it",  "be",    "you", "your", "there", "any"};
  return kStop.contains(w);
}

bool breaks_bigram(std::string_view w, std::string_view written) {
  // Function words that are also content words once folded ("cho" chợ, "minh" minh, "thi" thi):
  // kept as words, but a pair with one of them ("cho tôi", "thì nộp") is not a phrase.
  static const std::unordered_set<std::string_view> kGlue = {
      "cho", "toi", "minh", "anh", "thi", "co", "ve",  "nao", "sao", "hay", "nha",
      "roi", "vao", "rat",  "nua", "se",  "oi", "nhe", "u",   "ha",  "vay", "the"};
  static const std::unordered_set<std::string_view> kGlueWritten = {
      "cho", "tôi", "mình", "anh", "thì", "có",  "về",    "nào", "sao",
      "hay", "nha", "nhé",  "rồi", "vào", "rất", "nữa",   "sẽ",  "ơi",
      "u",   "hả",  "vậy",  "thế", "ừ",   "mà",  "nhưng", "vì",  "hoặc"};
  if (is_stopword(w))
    return true;
  return written.empty() ? kGlue.contains(w) : kGlueWritten.contains(written);
}

bool is_written_particle(std::string_view written) {
  return written == "vậy";
}

bool is_closing_particle(const std::vector<std::string>& folded, std::size_t i) {
  static const std::unordered_set<std::string_view> kAsking = {
      "nhieu", "sao", "gi", "j", "nao", "dau", "khong", "ko", "k", "hong", "hok", "chua"};
  return i > 0 && i + 1 == folded.size() && folded[i] == "vay" && kAsking.contains(folded[i - 1]);
}

}  // namespace outreach::router
