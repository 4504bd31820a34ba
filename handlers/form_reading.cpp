#include "handlers/form_reading.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>

#include "bot/core/text.hpp"
#include "bot/text/unicode.hpp"

namespace outreach::handlers {
namespace {

using Words = std::vector<std::string>;

// Words that carry no choice: who speaks, politeness, "I choose", "the one". Folded.
const std::set<std::string, std::less<>>& fillers() {
  static const std::set<std::string, std::less<>> k = {
      "minh", "em",    "e",    "toi",  "anh",    "chi",    "ban",    "ad",   "admin", "chon",
      "cai",  "la",    "nhe",  "nha",  "a",      "ah",     "ak",     "ha",   "di",    "the",
      "vay",  "roi",   "thi",  "oi",   "voi",    "muon",   "xin",    "duoc", "dc",    "nhu",
      "kieu", "cho",   "hinh", "thuc", "giai",   "doan",   "linh",   "vuc",  "ve",    "i",
      "want", "would", "like", "to",   "an",     "please", "choose", "pick", "my",    "it",
      "is",   "im",    "we",   "our",  "prefer", "option", "nhi",    "nhen", "hen",   "ne",
      "luon", "chau",  "con",  "bac",  "chu",    "co",     "nhe",    "lun",  "nhá",   "r"};
  return k;
}

bool one_edit_apart(std::string_view a, std::string_view b) {
  if (a.size() > b.size())
    std::swap(a, b);
  if (b.size() - a.size() > 1)
    return false;
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (a.size() == b.size()) {
    if (i == a.size())
      return true;
    // one letter changed, or two neighbours swapped
    if (a.substr(i + 1) == b.substr(i + 1))
      return true;
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
           a.substr(i + 2) == b.substr(i + 2);
  }
  return a.substr(i) == b.substr(i + 1);  // one letter more in b
}

// Whether a typed word stands for a word of a name: the same, a typo of it (words of four
// letters or more; of three when `short_typos`, i.e. other words of the message match exactly),
// or its beginning ("onl" for "online", three letters or more).
// `beginnings`: whether a beginning counts; it stands for a name of one word ("onl" for
// "online"), not for one word inside a longer name ("onl" is not "bán hàng online").
bool word_fits(std::string_view typed,
               std::string_view name,
               bool short_typos = false,
               bool beginnings = true) {
  if (typed == name)
    return true;
  const std::size_t least = short_typos ? 2 : 4;
  if (typed.size() >= least && name.size() >= least && one_edit_apart(typed, name))
    return true;
  return beginnings && typed.size() >= 3 && name.size() > typed.size() && name.starts_with(typed);
}

// Whether a word typed with diacritics is not the filler its folded form looks like: "bán"
// (sell) is not "bạn" (you), "có" (have) is kept only where fillers have it.
bool marked_otherwise(const std::string& marked) {
  static const std::set<std::string, std::less<>> kMarkedFillers = {
      "mình", "em",  "tôi",  "anh", "chị",  "bạn",  "chọn", "cái",  "là",   "nhé",  "nha",
      "ạ",    "à",   "ak",   "hả",  "đi",   "thế",  "vậy",  "rồi",  "thì",  "ơi",   "với",
      "muốn", "xin", "được", "đc",  "như",  "kiểu", "cho",  "hình", "thức", "giai", "đoạn",
      "lĩnh", "vực", "về",   "nhỉ", "nhen", "hen",  "nè",   "luôn", "cháu", "con",  "bác",
      "chú",  "cô",  "có",   "nhá", "ah",   "hà",   "lun",  "á",    "ấy",   "đó",   "hử"};
  const bool ascii = std::all_of(marked.begin(), marked.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  return !ascii && !kMarkedFillers.contains(marked);
}

// The words that may name a choice: fillers dropped. With `marked` (the same words as typed,
// lower case, with their diacritics), a word typed with other marks than a filler's is kept.
Words content_words(const Words& words, const Words* marked = nullptr) {
  const bool aligned = marked != nullptr && marked->size() == words.size();
  Words out;
  for (std::size_t i = 0; i < words.size(); ++i)
    if (!fillers().contains(words[i]) || (aligned && marked_otherwise((*marked)[i])))
      out.push_back(words[i]);
  return out;
}

// The same, where the words kept are those of `kept` (folded) among the fillers.
Words content_words(const Words& words, const std::set<std::string, std::less<>>& kept) {
  Words out;
  for (const auto& w : words)
    if (!fillers().contains(w) || kept.contains(w))
      out.push_back(w);
  return out;
}

bool is_negation(std::string_view folded) {
  static const std::set<std::string, std::less<>> kNot = {"khong", "ko",   "k",     "kg",  "hok",
                                                          "hong",  "chua", "chang", "not", "no",
                                                          "dont",  "cant", "never"};
  return kNot.contains(folded);
}

// Whether the words before position `at` put it under a negation ("ko lên văn phòng được",
// "không phải công ty"): a negation at most four words before, the reader having no commas.
bool negated_at(const Words& all, std::size_t at) {
  for (std::size_t back = 1; back <= 4 && back <= at; ++back)
    if (is_negation(all[at - back]))
      return true;
  return false;
}

// How well a message fits one option: 0 when it does not. Every word of `typed` (the message's
// content words) found among the option's words scores above 2 (more for covering more of one
// name); a name found whole among `all` (every word of the message) scores between 1 and 2.
double fit_score(const Words& typed,
                 const Words& all,
                 const std::vector<Words>& names,
                 bool exact_words) {
  if (typed.empty())
    return 0;
  std::set<std::string> vocabulary;
  std::set<std::string> one_word_names;  // where a beginning may stand for the name
  for (const auto& n : names) {
    vocabulary.insert(n.begin(), n.end());
    if (n.size() == 1)
      one_word_names.insert(n.front());
  }
  // A short word may be a typo ("sở hữu trí tệ") when every other word of the message is exact.
  const auto exact = std::count_if(typed.begin(), typed.end(),
                                   [&](const std::string& t) { return vocabulary.contains(t); });
  const bool short_typos = typed.size() >= 3 && exact + 1 >= static_cast<long>(typed.size());
  auto fits = [&](const std::string& t, const std::string& v) {
    return exact_words ? t == v : word_fits(t, v, short_typos, one_word_names.contains(v));
  };
  auto found = [&](const std::string& t) {
    return std::any_of(vocabulary.begin(), vocabulary.end(),
                       [&](const std::string& v) { return fits(t, v); });
  };
  const bool all_typed_found = std::all_of(typed.begin(), typed.end(), found);
  // Of two choices that take every word, the one that takes them as typed (not as typos) wins.
  const double exactness = static_cast<double>(exact) / static_cast<double>(typed.size());
  double best = 0;
  for (const auto& name : names) {
    if (name.empty())
      continue;
    const auto covered = std::count_if(name.begin(), name.end(), [&](const std::string& n) {
      return std::any_of(typed.begin(), typed.end(),
                         [&](const std::string& t) { return fits(t, n); });
    });
    const double share = static_cast<double>(covered) / static_cast<double>(name.size());
    if (all_typed_found && covered > 0) {
      best = std::max(best, 2.0 + 0.9 * share + 0.1 * exactness);
      continue;
    }
    // The whole name, its words in a row, inside a longer message ("đã có bản mẫu" does not
    // hold "đã bán").
    const auto at = std::search(all.begin(), all.end(), name.begin(), name.end());
    // One short word ("sàn") inside a long message is too weak a sign.
    const bool strong = name.size() >= 2 || name.front().size() >= 4 || all.size() <= 3;
    const bool said_not = at != all.end() && !is_negation(name.front()) &&
                          negated_at(all, static_cast<std::size_t>(at - all.begin()));
    if (at != all.end() && strong && !said_not) {
      // Vietnamese puts the head first: "bản quyền phần mềm" is about copyright, so of two
      // names found, the one that comes first wins a tie.
      const auto first = at - all.begin();
      const double early =
          0.001 * (1.0 - static_cast<double>(first) / static_cast<double>(all.size()));
      best = std::max(best, 1.0 +
                                std::min(1.0, static_cast<double>(name.size()) /
                                                  static_cast<double>(all.size())) *
                                    0.98 +
                                early);
    }
  }
  return best;
}

// The last way of reading a long answer ("đã có bản mẫu, đang cho 5 chủ trọ dùng thử"): each
// content word votes for the choices whose names hold it, a word shared by k choices giving each
// 1/k. Words keep their marks here ("bản" is not "bán", "thử" is not "thu"), unless typed
// without any. Words under a negation do not vote. The winner needs a word of its own and more
// votes than any other; its score stays below 1, under every other way of fitting.
std::vector<double> vote_scores(std::string_view typed, const std::vector<ChoiceOption>& options) {
  static const std::set<std::string, std::less<>> kTooCommon = {
      "da", "dang", "se", "lam", "mot", "nhung", "va", "cua", "khi", "nay", "do"};
  auto ascii = [](std::string_view w) {
    return std::all_of(w.begin(), w.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  };

  struct Word {
    std::string marked;  // lower case, with its diacritics
    std::string folded;
    bool whole_name;  // a name of one word: its beginning may stand for it ("onl")
  };

  std::vector<std::vector<Word>> vocabularies;
  for (const auto& o : options) {
    vocabularies.emplace_back();
    for (const auto& n : o.names) {
      auto words = text::words(text::lower(n));
      for (auto& w : words) vocabularies.back().push_back({w, text::fold(w), words.size() == 1});
    }
  }
  auto holds = [&](const std::vector<Word>& vocabulary, const std::string& marked,
                   const std::string& folded) {
    return std::any_of(vocabulary.begin(), vocabulary.end(), [&](const Word& v) {
      if (v.marked == marked)
        return true;
      if (!ascii(marked))
        return false;
      return v.folded == folded ||
             (folded.size() >= 3 && word_fits(folded, v.folded, false, v.whole_name));
    });
  };
  const Words marked = text::words(text::lower(typed));
  Words folded;
  for (const auto& w : marked) folded.push_back(text::fold(w));
  std::vector<double> votes(options.size(), 0);
  std::vector<bool> own_word(options.size(), false);
  bool head = true;  // Vietnamese puts the head first: "quỹ đổi mới sáng tạo" is a fund
  for (std::size_t k = 0; k < marked.size(); ++k) {
    const std::string& f = folded[k];
    if (is_negation(f) || negated_at(folded, k) || kTooCommon.contains(f) ||
        (fillers().contains(f) && !marked_otherwise(marked[k])))
      continue;
    const double weight = head ? 1.5 : 1.0;
    head = false;
    std::vector<std::size_t> holders;
    for (std::size_t i = 0; i < vocabularies.size(); ++i)
      if (holds(vocabularies[i], marked[k], f))
        holders.push_back(i);
    for (const auto i : holders) votes[i] += weight / static_cast<double>(holders.size());
    if (holders.size() == 1)
      own_word[holders.front()] = true;
  }
  std::vector<double> scores(options.size(), 0);
  const double top = *std::max_element(votes.begin(), votes.end());
  if (top <= 0 || std::count(votes.begin(), votes.end(), top) > 1)
    return scores;
  for (std::size_t i = 0; i < votes.size(); ++i)
    if (votes[i] == top && own_word[i])
      scores[i] = 0.5;
  return scores;
}

std::string joined(const Words& w) {
  std::string out;
  for (const auto& x : w) out += (out.empty() ? "" : " ") + x;
  return out;
}

}  // namespace

std::vector<std::string> plain_words(std::string_view text) {
  return text::words(text::fold(text));
}

std::optional<int> ordinal(std::string_view typed) {
  static const std::set<std::string, std::less<>> kLead = {
      "so", "cai", "muc",  "lua", "chon", "phuong", "an",  "option", "number", "no", "the", "thu",
      "la", "cho", "minh", "em",  "e",    "toi",    "nhe", "nha",    "a",      "ah", "di",  "one"};
  static const std::map<std::string, int, std::less<>> kPositions = {
      {"mot", 1},    {"nhat", 1},   {"dau", 1},   {"dau tien", 1},   {"first", 1},   {"hai", 2},
      {"second", 2}, {"two", 2},    {"ba", 3},    {"third", 3},      {"three", 3},   {"bon", 4},
      {"tu", 4},     {"fourth", 4}, {"four", 4},  {"nam", 5},        {"fifth", 5},   {"five", 5},
      {"sau", 6},    {"sixth", 6},  {"six", 6},   {"bay", 7},        {"seventh", 7}, {"tam", 8},
      {"chin", 9},   {"muoi", 10},  {"cuoi", -1}, {"cuoi cung", -1}, {"last", -1}};
  Words rest;
  for (const auto& w : plain_words(typed))
    if (!kLead.contains(w))
      rest.push_back(w);
  if (rest.empty() || rest.size() > 2)
    return std::nullopt;
  const std::string key = joined(rest);
  if (auto it = kPositions.find(key); it != kPositions.end())
    return it->second;
  int n = 0;
  auto [p, ec] = std::from_chars(key.data(), key.data() + key.size(), n);
  if (ec == std::errc{} && p == key.data() + key.size() && n >= 1 && n <= 10)
    return n;
  return std::nullopt;
}

bool names_a_place(std::string_view typed) {
  static const std::set<std::string, std::less<>> kPlaceWords = {
      "cai",   "so",     "lua",   "muc",  "phuong", "option", "number",
      "first", "second", "third", "last", "dau",    "cuoi"};
  if (!ordinal(typed))
    return false;
  const Words w = plain_words(typed);
  return std::any_of(w.begin(), w.end(),
                     [](const std::string& x) { return kPlaceWords.contains(x); });
}

ChoiceMatch match_choice(std::string_view typed,
                         const std::vector<ChoiceOption>& options,
                         const WordReader& read,
                         bool whole_message) {
  ChoiceMatch out;
  if (options.empty())
    return out;
  const std::string folded = joined(plain_words(typed));
  if (folded.empty())
    return out;
  std::vector<std::vector<Words>> names;
  for (const auto& o : options) {
    names.emplace_back();
    for (const auto& n : o.names) {
      names.back().push_back(plain_words(n));
      if (joined(names.back().back()) == folded) {  // said exactly
        out.kind = ChoiceMatch::Kind::kOne;
        out.value = o.value;
        return out;
      }
    }
  }
  if (auto n = ordinal(typed)) {
    const auto count = static_cast<int>(options.size());
    const int index = *n < 0 ? count - 1 : *n - 1;
    if (index >= 0 && index < count) {
      out.kind = ChoiceMatch::Kind::kOne;
      out.value = options[static_cast<std::size_t>(index)].value;
      return out;
    }
  }
  // As typed, and as the bot reads it (abbreviations, Telex): the better reading counts.
  const Words as_typed = plain_words(typed);
  const Words as_read = read(typed);
  // For a whole-message match every word counts: "Nguyễn Thị Thu" is not "nguyên mẫu thử".
  const Words marked = text::words(text::lower(typed));
  const Words typed_words = whole_message ? as_typed : content_words(as_typed, &marked);
  // The reading folds what it expands ("bán đc hàng r" reads "ban duoc hang roi"): a word typed
  // with other marks than a filler's ("bán", not "bạn") is kept there too.
  std::set<std::string, std::less<>> marked_words;
  for (std::size_t i = 0; i < as_typed.size() && i < marked.size(); ++i)
    if (marked_otherwise(marked[i]))
      marked_words.insert(as_typed[i]);
  const Words read_words = whole_message ? as_read : content_words(as_read, marked_words);
  std::vector<double> scores;
  for (const auto& n : names) {
    double score = std::max(fit_score(typed_words, as_typed, n, whole_message),
                            fit_score(read_words, as_read, n, whole_message));
    if (whole_message && score < 2)
      score = 0;
    scores.push_back(score);
  }
  // (A question names things it asks about, not a choice: "có chương trình nào hỗ trợ … không".)
  if (!whole_message && *std::max_element(scores.begin(), scores.end()) <= 0 &&
      !looks_like_question(typed)) {
    scores = vote_scores(typed, options);
    out.weak = true;
  }
  const double best = *std::max_element(scores.begin(), scores.end());
  if (best <= 0)
    return out;
  for (std::size_t i = 0; i < options.size(); ++i)
    if (scores[i] >= best - 1e-9)
      out.values.push_back(options[i].value);
  if (out.values.size() == 1) {
    out.kind = ChoiceMatch::Kind::kOne;
    out.value = out.values.front();
    out.values.clear();
  } else {
    out.kind = ChoiceMatch::Kind::kAmbiguous;
  }
  return out;
}

bool looks_like_question(std::string_view typed) {
  if (typed.find('?') != std::string_view::npos)
    return true;
  const Words w = plain_words(typed);
  if (w.empty())
    return false;
  static const std::set<std::string, std::less<>> kAsk = {"gi", "sao", "nao"};
  static const std::vector<std::string> kAskPairs = {" bao nhieu ", " bao lau ", " bao gio ",
                                                     " o dau ",     " la ai ",   " ai la ",
                                                     " dau vay ",   " khi nao "};
  static const std::set<std::string, std::less<>> kEnglish = {
      "what",  "how", "where", "when", "why", "which",  "who",  "can",
      "could", "do",  "does",  "is",   "are", "should", "will", "may"};
  static const std::set<std::string, std::less<>> kYesNo = {"khong", "ko", "k", "chua", "hok"};
  static const std::set<std::string, std::less<>> kParticles = {"a",   "ah", "ak",  "nhi", "nhe",
                                                                "vay", "ha", "the", "ad",  "z"};
  const bool ascii = std::all_of(typed.begin(), typed.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii && kEnglish.contains(w.front()) && w.size() >= 3)  // not "Đỗ Văn Quý"
    return true;
  // "Công ty Phần mềm Sao Mai": a word written with a capital inside the message is a name.
  const Words as_written = text::words(typed);
  const bool aligned = as_written.size() == w.size();
  for (std::size_t i = 0; i < w.size(); ++i) {
    const bool named = aligned && i > 0 && !as_written[i].empty() &&
                       std::isupper(static_cast<unsigned char>(as_written[i][0]));
    if (kAsk.contains(w[i]) && !named)
      return true;
  }
  const std::string padded = " " + joined(w) + " ";
  if (std::any_of(kAskPairs.begin(), kAskPairs.end(),
                  [&](const std::string& p) { return padded.find(p) != std::string::npos; }))
    return true;
  std::size_t last = w.size();
  while (last > 1 && kParticles.contains(w[last - 1])) --last;
  return w.size() >= 3 && kYesNo.contains(w[last - 1]);
}

std::optional<std::string> read_name(std::string_view typed) {
  if (looks_like_question(typed) || typed.size() > 200)
    return std::nullopt;
  // Words as written, with the punctuation around them taken off.
  std::vector<std::string> written;
  std::string cur;
  for (char c : std::string(text::trim(typed)) + " ") {
    if (c == ' ' || c == '\t' || c == '\n') {
      while (!cur.empty() && std::string_view(",.;:!\"'()").find(cur.back()) != std::string::npos)
        cur.pop_back();
      while (!cur.empty() && std::string_view(",.;:!\"'()").find(cur.front()) != std::string::npos)
        cur.erase(cur.begin());
      if (!cur.empty())
        written.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  std::vector<std::string> folded;
  for (const auto& w : written) folded.push_back(text::fold(w));
  auto drop = [&](std::size_t n) {
    written.erase(written.begin(), written.begin() + static_cast<long>(n));
    folded.erase(folded.begin(), folded.begin() + static_cast<long>(n));
  };
  auto at = [&](std::size_t i) -> const std::string& {
    static const std::string kNone;
    return i < folded.size() ? folded[i] : kNone;
  };
  // "Dạ …", "Vâng, …", "À …": a polite opening before two words or more.
  static const std::set<std::string, std::less<>> kOpenings = {"da", "vang", "a", "o", "um", "uhm"};
  while (folded.size() > 2 && kOpenings.contains(at(0))) drop(1);
  // "[họ và] tên [của] (mình|em|…) là …", "(mình|em|chị|…) [tên] là …", "họ tên: …",
  // "my name is …", "I am …". A pronoun counts only before "tên" or "là": "Chu Văn An" and
  // "La Văn Cầu" are names.
  static const std::set<std::string, std::less<>> kPronouns = {
      "minh", "em",  "e",    "toi", "tui", "t",  "chi", "anh", "chu",
      "co",   "bac", "chau", "con", "ong", "ba", "di",  "cau", "tao"};
  static const std::vector<Words> kEnglish = {
      {"my", "name", "is"}, {"name"}, {"i", "am"}, {"im"}, {"this", "is"}, {"it", "is"}, {"its"}};
  bool english = false;
  for (const auto& lead : kEnglish)
    if (lead.size() < folded.size() && std::equal(lead.begin(), lead.end(), folded.begin())) {
      drop(lead.size());
      english = true;
      break;
    }
  if (!english) {
    std::size_t i = 0;
    if (at(i) == "ho" && at(i + 1) == "va" && at(i + 2) == "ten")
      i += 3;
    else if (at(i) == "ho" && at(i + 1) == "ten")
      i += 2;
    if (kPronouns.contains(at(i)) && (at(i + 1) == "ten" || at(i + 1) == "la"))
      ++i;
    const bool named = at(i) == "ten";
    if (named)
      ++i;
    if (named && at(i) == "cua" && kPronouns.contains(at(i + 1)))
      i += 2;
    else if (named && kPronouns.contains(at(i)) && at(i + 1) == "la")
      ++i;
    // "là Lan", but "La Thị Bích Phượng" opens with a surname (written La, without a mark).
    const bool surname = i == 0 && i < written.size() && written[i] == "La";
    if (at(i) == "la" && (i > 0 || folded.size() > 3) && !surname)
      ++i;
    if (i > 0 && i < folded.size())
      drop(i);
  }
  static const std::set<std::string, std::less<>> kTrailing = {"ạ",  "nhé", "nha", "nhe",  "ak",
                                                               "ah", "nhá", "ạk",  "nhen", "đó"};
  while (written.size() > 1 && kTrailing.contains(text::lower(written.back()))) {
    written.pop_back();
    folded.pop_back();
  }
  if (written.empty() || written.size() > 7)
    return std::nullopt;
  std::size_t letters = 0;
  for (const auto& f : folded) {
    for (char c : f) {
      if (c >= 'a' && c <= 'z')
        ++letters;
      else if (c != '.' && c != '-' && c != '\'')
        return std::nullopt;  // digits, symbols, letters of another script
    }
  }
  if (letters < 2)
    return std::nullopt;
  static const std::set<std::string, std::less<>> kChat = {
      "ok",    "oke",  "okay",   "co",    "khong", "ko",    "k",     "vang", "da",   "u",
      "uh",    "um",   "yes",    "no",    "hi",    "hello", "alo",   "chao", "xin",  "menu",
      "cam",   "on",   "thanks", "thank", "test",  "abc",   "hihi",  "haha", "hmm",  "roi",
      "dung",  "sai",  "huy",    "thoi",  "tiep",  "tuc",   "quay",  "lai",  "bat",  "dau",
      "start", "stop", "help",   "giup",  "ban",   "ad",    "admin", "bot",  "minh", "em",
      "toi",   "nhe",  "nha",    "a",     "chua",  "biet",  "gi",    "sao",  "nay",  "do"};
  if (std::all_of(folded.begin(), folded.end(),
                  [](const std::string& f) { return kChat.contains(f); }))
    return std::nullopt;
  std::string name;
  for (const auto& w : written) name += (name.empty() ? "" : " ") + w;
  return text::capitalize_words(name);
}

}  // namespace outreach::handlers
