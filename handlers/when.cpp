#include "handlers/when.hpp"

#include <algorithm>
#include <map>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "bot/core/local_time.hpp"
#include "bot/text/unicode.hpp"

// A small reader of words, not a cascade of patterns: the text becomes words (folded: "tối" →
// "toi"), a misspelt word becomes the known word it was meant to be, and the reader goes from
// left to right, each rule taking the words it understands ("thứ 6 này", "9h30", "sáng mai").
// A rule owns the words that belong to it ("này" after a weekday is that weekday's, not today),
// so what matters is which rule reads a word first, not in what order patterns were written.

namespace outreach::handlers {
namespace {

using local_time::weekday_of;

// ---- Words -----------------------------------------------------------------------------------

// A run of letters, a run of digits, or one of / - : (which join numbers: "15/12", "9:30").
struct Token {
  std::string word;    // folded: "toi", "9", "/"
  std::string marked;  // lower case as typed, marks kept: "tối" (evening) is not "tôi" (I)
  bool glued = false;  // nothing between it and the token before: "9h30", "t6", "15/12"

  bool number() const { return !word.empty() && word[0] >= '0' && word[0] <= '9'; }

  bool unmarked() const {
    return std::all_of(marked.begin(), marked.end(), [](char c) { return (c & 0x80) == 0; });
  }

  bool has(std::string_view letter) const { return marked.find(letter) != std::string::npos; }
};

std::size_t utf8_length(unsigned char lead) {
  if ((lead & 0xE0) == 0xC0)
    return 2;
  if ((lead & 0xF0) == 0xE0)
    return 3;
  if ((lead & 0xF8) == 0xF0)
    return 4;
  return 1;
}

// The tokens of a text: lower case, split where it is neither a letter nor a digit, letters apart
// from digits ("9h30" is 9, h, 30).
std::vector<Token> split(std::string_view raw) {
  const std::string lowered = text::lower(raw);
  enum class Run { kNone, kLetters, kDigits };
  std::vector<Token> out;
  Run run = Run::kNone;
  bool gap = true;  // a space (or anything else that is not a word) since the last token
  for (std::size_t i = 0; i < lowered.size();) {
    const std::size_t n =
        std::min(utf8_length(static_cast<unsigned char>(lowered[i])), lowered.size() - i);
    const std::string_view ch(lowered.data() + i, n);
    i += n;
    const std::string base = n == 1 ? std::string(ch) : text::fold(ch);  // "ố" → "o"
    if (base.empty()) {  // a combining mark NFC could not compose: part of its letter
      if (run != Run::kNone)
        out.back().marked += ch;
      continue;
    }
    const char c = base.size() == 1 ? base[0] : '\0';
    const Run kind = c >= 'a' && c <= 'z'   ? Run::kLetters
                     : c >= '0' && c <= '9' ? Run::kDigits
                                            : Run::kNone;
    if (kind != Run::kNone && kind == run) {
      out.back().word += c;
      out.back().marked += ch;
    } else if (kind != Run::kNone || c == '/' || c == '-' || c == ':' || c == '.') {
      out.push_back({base, std::string(ch), !gap});
      run = kind;
      gap = false;
    } else {
      run = Run::kNone;
      gap = true;
    }
  }
  return out;
}

// The words the reader knows, folded: Vietnamese syllables, English words, names of days and
// months (0 = Sunday, 0 = January).
constexpr std::string_view kSyllables[] = {
    "hom",  "hum",  "bua",  "nay",  "hnay",  "ngay",  "mai",  "mot", "kia", "thu", "th",
    "t",    "chu",  "nhat", "cn",   "hai",   "ba",    "tu",   "nam", "sau", "bay", "tuan",
    "toi",  "cuoi", "sang", "trua", "chieu", "chiu",  "buoi", "h",   "g",   "gio", "p",
    "phut", "ruoi", "kem",  "luc",  "nua",   "thang", "thg",  "mung"};
constexpr std::string_view kEnglish[] = {
    "today",     "tonight", "tomorrow", "tmr",     "tmrw", "day",    "after", "next",
    "this",      "week",    "weekend",  "morning", "noon", "midday", "lunch", "lunchtime",
    "afternoon", "evening", "night",    "am",      "pm",   "at",     "of",    "st",
    "nd",        "rd",      "in",       "the",     "o",    "clock"};
constexpr std::string_view kWeekdays[] = {"sunday",   "monday", "tuesday", "wednesday",
                                          "thursday", "friday", "saturday"};
constexpr std::string_view kMonths[] = {"january",   "february", "march",    "april",
                                        "may",       "june",     "july",     "august",
                                        "september", "october",  "november", "december"};

// The syllables that may follow a syllable, for a slip in the follower: "tuan sua" is "tuần sau".
struct Followers {
  std::string_view word;
  std::string_view next[6];
};

constexpr Followers kFollowers[] = {{"tuan", {"sau", "toi", "nay"}},
                                    {"thu", {"hai", "ba", "tu", "nam", "sau", "bay"}},
                                    {"chu", {"nhat"}},
                                    {"hom", {"nay"}},
                                    {"hum", {"nay"}},
                                    {"bua", {"nay"}},
                                    {"ngay", {"mai", "mot", "kia"}},
                                    {"cuoi", {"tuan"}}};

// The index of `w` in `words`, or -1.
int index_in(std::span<const std::string_view> words, std::string_view w) {
  const auto it = std::find(words.begin(), words.end(), w);
  return it == words.end() ? -1 : static_cast<int>(it - words.begin());
}

// "friday" → 5; -1 otherwise.
int en_weekday(std::string_view w) {
  return index_in(kWeekdays, w);
}

// "wed", "thurs", "sat" → 3, 4, 6 (typed without marks: "sát" is a word of its own); -1
// otherwise. ("thu" is the Vietnamese "thứ".)
int en_weekday_short(std::string_view w) {
  static const std::map<std::string, int, std::less<>> kShort = {
      {"sun", 0},  {"mon", 1},  {"tue", 2},   {"tues", 2}, {"wed", 3},
      {"weds", 3}, {"thur", 4}, {"thurs", 4}, {"fri", 5},  {"sat", 6}};
  const auto it = kShort.find(w);
  return it == kShort.end() ? -1 : it->second;
}

// "december", "dec" → 12; 0 otherwise.
int en_month(std::string_view w) {
  if (w == "sept")
    return 9;
  for (int i = 0; i < 12; ++i)
    if (w == kMonths[i] || (w.size() == 3 && w == kMonths[i].substr(0, 3)))
      return i + 1;
  return 0;
}

// thứ "hai" → 1 (Monday) … "bay" → 6; -1 otherwise.
int vi_weekday(std::string_view w) {
  constexpr std::string_view kWords[] = {"hai", "ba", "tu", "nam", "sau", "bay"};
  const int i = index_in(kWords, w);
  return i < 0 ? -1 : i + 1;
}

bool known(std::string_view w) {
  return index_in(kSyllables, w) >= 0 || index_in(kEnglish, w) >= 0 || en_weekday(w) >= 0 ||
         en_month(w) > 0;
}

// Two neighbouring letters swapped: "sua" for "sau".
bool swapped(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
         a.substr(i + 2) == b.substr(i + 2);
}

// One letter changed, added or dropped, or two neighbours swapped: "tomorow", "firday".
bool one_slip_apart(std::string_view a, std::string_view b) {
  if (a.size() < b.size())
    std::swap(a, b);
  if (a.size() - b.size() > 1 || a == b)
    return false;
  std::size_t i = 0;
  while (i < b.size() && a[i] == b[i]) ++i;
  if (a.size() != b.size())
    return a.substr(i + 1) == b.substr(i);
  return a.substr(i + 1) == b.substr(i + 1) || swapped(a, b);
}

// The known word a misspelt word was meant to be, or the word itself.
// - Telex typed without its converter: a doubled vowel is a mark ("chieeu" = chiêu), a final s f
//   r x j is a tone ("sangs" = sáng), w is a horn or breve ("thuw" = thư); a doubled letter is
//   also a common slip ("nayy").
// - Two neighbouring letters swapped, in a syllable of four letters or more ("ngya"), or in a
//   syllable that follows a word it belongs to ("tuan sua"). A syllable with one letter changed
//   is usually another real word ("đang" is not "sáng", "chiếc" is not "chiều"), so no more.
// - One slip (a letter changed, added, dropped, or two swapped) in an English word of five
//   letters or more ("tomorow", "firday").
std::string repaired(const std::string& w, std::string_view before) {
  if (w.size() < 3 || known(w))
    return w;
  std::string t = w;
  t.erase(std::unique(t.begin(), t.end()), t.end());
  if (known(t))
    return t;
  if (std::string_view("sfrxj").find(t.back()) != std::string_view::npos && t.size() > 2) {
    t.pop_back();
    if (known(t))
      return t;
  }
  std::erase(t, 'w');
  if (known(t))
    return t;
  for (const Followers& f : kFollowers)
    for (const std::string_view next : f.next)
      if (f.word == before && swapped(w, next))
        return std::string(next);
  if (w.size() < 4)
    return w;
  for (const std::string_view s : kSyllables)
    if (s.size() >= 4 && swapped(w, s))
      return std::string(s);
  using Words = std::span<const std::string_view>;
  for (const Words list : {Words(kEnglish), Words(kWeekdays), Words(kMonths)})
    for (const std::string_view e : list)
      if (e.size() >= 5 && one_slip_apart(w, e))
        return std::string(e);
  return w;
}

// The words of a text, each as the reader knows it.
std::vector<Token> words(std::string_view raw) {
  std::vector<Token> tokens = split(raw);
  for (std::size_t i = 0; i < tokens.size(); ++i)
    if (!tokens[i].number())
      tokens[i].word = repaired(tokens[i].word, i > 0 ? tokens[i - 1].word : "");
  return tokens;
}

// ---- What the words say ----------------------------------------------------------------------

enum Part { kAnyTime, kMorning, kNoon, kAfternoon, kEvening };
enum class Week { kNone, kThis, kNext, kAfterNext };

// What a text says, each the first time it says it; read_days and read_time make a When of it.
struct Facts {
  std::optional<std::int64_t> date;  // a calendar date
  bool date_named = false;           // a date was written, possible or not ("31/2")
  int plus = -1;                     // days after today: hôm nay 0, mai 1, mốt 2
  int weekday = -1;                  // 0 = Sunday
  Week week = Week::kNone;           // "tuần này", "tuần sau", "tuần sau nữa"
  bool weekend = false;              // "cuối tuần": Saturday and Sunday
  Part part = kAnyTime;
  int hour = -1;
  int minute = 0;
  char meridiem = 0;  // 'a' or 'p'
};

std::int64_t monday_of(std::int64_t day) {
  return day - (weekday_of(day) + 6) % 7;
}

class Reader {
 public:
  Reader(std::vector<Token> tokens, std::int64_t today) : t_(std::move(tokens)), today_(today) {}

  // Each word is read by the first rule that understands it at its place; the others are
  // skipped ("em muốn đặt", "được không ạ").
  Facts read() {
    using Rule = std::size_t (Reader::*)(std::size_t);
    static constexpr Rule kRules[] = {&Reader::date,    &Reader::time, &Reader::day,
                                      &Reader::weekday, &Reader::week, &Reader::part};
    for (std::size_t i = 0; i < t_.size();) {
      std::size_t used = 0;
      for (const Rule rule : kRules)
        if ((used = (this->*rule)(i)) > 0)
          break;
      i += std::max<std::size_t>(used, 1);
    }
    return f_;
  }

 private:
  const Token& at(std::size_t i) const {
    static const Token kNone;
    return i < t_.size() ? t_[i] : kNone;
  }

  const std::string& word(std::size_t i) const { return at(i).word; }

  bool is(std::size_t i, std::string_view w) const { return word(i) == w; }

  bool glued(std::size_t i) const { return at(i).glued; }

  // The number of one or two digits at i, or -1.
  int small_number(std::size_t i) const {
    return at(i).number() && word(i).size() <= 2 ? std::stoi(word(i)) : -1;
  }

  // A year at i: 2026, or 26 when `short_ok`; -1 otherwise.
  int year(std::size_t i, bool short_ok) const {
    const std::size_t digits = at(i).number() ? word(i).size() : 0;
    if (digits == 4)
      return std::stoi(word(i));
    return short_ok && digits == 2 ? 2000 + std::stoi(word(i)) : -1;
  }

  // The weekday named at i in English, in full or short ("wed"), or -1.
  int english_weekday(std::size_t i) const {
    const int full = en_weekday(word(i));
    return full >= 0 || !at(i).unmarked() ? full : en_weekday_short(word(i));
  }

  // The month named at i in English ("dec", "december"), or 0; "máy", "sếp" are Vietnamese.
  int month(std::size_t i) const { return at(i).unmarked() ? en_month(word(i)) : 0; }

  // Whether an English ordinal suffix is at i: the "th" of "15th".
  bool ordinal(std::size_t i) const {
    return glued(i) && (is(i, "st") || is(i, "nd") || is(i, "rd") || is(i, "th"));
  }

  // A date separator glued between two numbers: the "/" of "15/12", the "." of "18.12".
  bool date_separator(std::size_t i) const {
    return (is(i, "/") || is(i, "-") || is(i, ".")) && glued(i) && glued(i + 1) &&
           small_number(i + 1) >= 0;
  }

  // "2.30pm", "10.45 am": an hour and minutes with a dot, as English writers put them.
  bool clock_with_dot(std::size_t i) const {
    return is(i + 1, ".") && word(i + 2).size() == 2 && small_number(i + 2) <= 59 &&
           (is(i + 3, "am") || is(i + 3, "pm")) && small_number(i) >= 0 && small_number(i) <= 12;
  }

  // The word at i and a neighbour say a day or a time: "toi" beside "nay", "8h", "t7".
  bool beside_when(std::size_t i) const {
    auto when_word = [&](std::size_t j) {
      return at(j).number() || (!word(j).empty() && known(word(j)));
    };
    return t_.size() == 1 || when_word(i + 1) || (i > 0 && when_word(i - 1));
  }

  void set_date(int d, int mo, int y) {
    if (f_.date_named)
      return;
    f_.date_named = true;
    const local_time::Date now = local_time::date_of(today_);
    const bool year_given = y > 0;
    auto found = local_time::day_from(year_given ? y : now.year, mo, d);
    if (found && !year_given && *found < today_)
      found = local_time::day_from(now.year + 1, mo, d);  // "15/1" in December is next January
    f_.date = found;
  }

  // "15/12", "15-12-2026", "15 tháng 12 năm 2026", "15 thg 12", "ngày 15", "dec 15", "15th of
  // december".
  std::size_t date(std::size_t i) {
    if (is(i, "ngay") || is(i, "mung") || is(i, "mong")) {  // "mùng 1", "mồng 2"
      if (const std::size_t used = date(i + 1))
        return used + 1;
      int d = small_number(i + 1);
      std::size_t used = 1;
      if (d < 1) {  // "ngày hai mươi tám", "ngày mười lăm tháng mười hai"
        std::tie(d, used) = number_in_words(i + 1, 31);
        // One word ("ngày mốt", "ngày một", "ngày hai") is another phrase unless a month
        // follows: "ngày hai tháng một".
        if (used == 1 && !is(i + 2, "thang"))
          d = -1;
      }
      if (d < 1)
        return 0;
      const std::size_t after = i + 1 + used;
      if (is(after, "thang")) {
        int mo = small_number(after + 1);
        std::size_t mo_used = 1;
        if (mo < 1)
          std::tie(mo, mo_used) = number_in_words(after + 1, 12);
        if (mo > 0) {
          set_date(d, mo, -1);
          return 1 + used + 1 + mo_used;
        }
      }
      set_day_of_month(d);
      return 1 + used;
    }
    if (const int mo = month(i); mo > 0) {
      const int d = small_number(i + 1);
      if (d < 1)
        return 0;
      const std::size_t j = i + 2 + ordinal(i + 2);
      const int y = year(j, false);
      set_date(d, mo, y);
      return j - i + (y > 0 ? 1 : 0);
    }
    const int d = small_number(i);
    if (d < 1)
      return 0;
    if (date_separator(i + 1) && !clock_with_dot(i)) {
      const bool with_year = is(i + 3, word(i + 1)) && glued(i + 3) && glued(i + 4);
      const int y = with_year ? year(i + 4, true) : -1;
      set_date(d, small_number(i + 2), y);
      return y > 0 ? 5 : 3;
    }
    // "15 th 12" is a month; the "th" of "26th, 10 am" is an English ordinal.
    const bool th_month = is(i + 1, "th") && !(ordinal(i + 1) && !glued(i + 2));
    if ((is(i + 1, "thang") || is(i + 1, "thg") || th_month) && small_number(i + 2) > 0) {
      const int y = is(i + 3, "nam") ? year(i + 4, false) : -1;
      set_date(d, small_number(i + 2), y);
      return y > 0 ? 5 : 3;
    }
    std::size_t j = i + 1 + ordinal(i + 1);
    if (is(j, "of"))
      ++j;
    if (const int mo = month(j); mo > 0) {
      const int y = year(j + 1, false);
      set_date(d, mo, y);
      return j + 1 - i + (y > 0 ? 1 : 0);
    }
    if (ordinal(i + 1)) {  // "the 12th", "on the 3rd": a day of this month or the next
      set_day_of_month(d);
      return 2;
    }
    return 0;
  }

  // The day `d` of this month, or of the next when it has gone by ("ngày 2" on the 3rd).
  void set_day_of_month(int d) {
    const local_time::Date now = local_time::date_of(today_);
    int mo = now.month;
    int y = now.year;
    if (d < now.day && ++mo > 12) {
      mo = 1;
      ++y;
    }
    set_date(d, mo, y);
  }

  // "9h", "9h30", "9 giờ 30 phút", "9 giờ rưỡi", "9 giờ kém 15", "9:30", "2pm", "2:30pm",
  // "lúc 9", "at 9".
  std::size_t time(std::size_t i) {
    int h = small_number(i);
    std::size_t j = i + 1;
    if (h < 0) {  // "ba giờ rưỡi", "mười một giờ"
      const auto [said, used] = hour_in_words(i);
      if (said < 0)
        return 0;
      h = said;
      j = i + used;
    }
    int m = 0;
    bool matched = false;
    if ((is(j, ":") || clock_with_dot(i)) && glued(j) && glued(j + 1) && word(j + 1).size() == 2 &&
        small_number(j + 1) >= 0) {
      m = small_number(j + 1);
      j += 2;
      matched = true;
    } else if (is(j, "h") || is(j, "g") || is(j, "gio")) {
      ++j;
      matched = true;
      const int mm = small_number(j);
      const bool unit = is(j + 1, "phut") || is(j + 1, "p");
      if (mm >= 0 && !date_separator(j + 1) && (glued(j) || word(j).size() == 2 || unit)) {
        m = mm;
        j += unit ? 2 : 1;
      } else if (is(j, "ruoi")) {
        m = 30;
        ++j;
      } else if (const auto [said, used] = number_in_words(j, 59);
                 said >= 10 && (used >= 2 || is(j + used, "phut"))) {
        m = said;  // "hai giờ ba mươi", "chín giờ mười lăm phút"
        j += used + (is(j + used, "phut") ? 1 : 0);
      } else if (is(j, "kem") && small_number(j + 1) > 0) {  // "9 giờ kém 15" is 8:45
        --h;
        m = 60 - small_number(j + 1);
        j += 2;
      }
    } else if (is(j, "ruoi")) {  // "2 rưỡi chiều"
      m = 30;
      ++j;
      matched = true;
    }
    if (is(j, "o") && is(j + 1, "clock")) {  // "9 o'clock"
      j += 2;
      matched = true;
    }
    // "9 in the morning": the hour; the part of the day is read after it.
    if (is(j, "in") && is(j + 1, "the") &&
        (is(j + 2, "morning") || is(j + 2, "afternoon") || is(j + 2, "evening")))
      matched = true;
    char meridiem = 0;
    if (is(j, "am") || is(j, "pm")) {
      meridiem = word(j)[0];
      ++j;
      matched = true;
    }
    const bool after_at = i > 0 && (is(i - 1, "luc") || is(i - 1, "at"));  // "lúc 9"
    if (!matched && !(after_at && !date_separator(j)))
      return 0;
    if (f_.hour < 0 && h >= 0 && h <= 23 && m >= 0 && m <= 59) {
      f_.hour = h;
      f_.minute = m;
      f_.meridiem = meridiem;
    }
    return j - i;
  }

  // An hour said in words just before "giờ" ("ba giờ rưỡi", "mười một giờ"): {hour, words};
  // {-1, 0} otherwise. "sau giờ làm" is "after work", not six o'clock.
  std::pair<int, std::size_t> hour_in_words(std::size_t i) const {
    const auto [h, used] = number_in_words(i, 12);
    if (h < 1 || !is(i + used, "gio") || (is(i, "sau") && is(i + 2, "lam")))
      return {-1, 0};
    return {h, used};
  }

  // A number from 1 to `most` said in words, as voice typing writes it: "ba", "mười một",
  // "hai mươi tám", "hai mươi mốt", "mười lăm", "hai mươi tư", "ba mươi": {value, words}.
  std::pair<int, std::size_t> number_in_words(std::size_t i, int most) const {
    static const std::map<std::string, int, std::less<>> kUnits = {
        {"mot", 1}, {"hai", 2}, {"ba", 3},  {"bon", 4}, {"nam", 5},
        {"sau", 6}, {"bay", 7}, {"tam", 8}, {"chin", 9}};
    auto unit = [&](std::size_t k, bool after_tens) {
      if (after_tens && (is(k, "lam") || is(k, "nham")))
        return 5;  // "mười lăm", "hai mươi lăm"
      if (after_tens && is(k, "tu"))
        return 4;  // "hai mươi tư"
      const auto it = kUnits.find(word(k));
      return it == kUnits.end() ? -1 : it->second;
    };
    int value = -1;
    std::size_t used = 0;
    if (is(i, "muoi")) {  // 10–19
      value = 10;
      used = 1;
    } else if (const int tens = unit(i, false); tens >= 2 && is(i + 1, "muoi")) {
      value = tens * 10;  // "hai mươi"
      used = 2;
    } else if (const int one = unit(i, false); one > 0) {
      return one <= most ? std::pair{one, std::size_t{1}} : std::pair{-1, std::size_t{0}};
    }
    if (value < 0)
      return {-1, 0};
    if (const int one = unit(i + used, true); one > 0) {
      value += one;
      ++used;
    }
    return value <= most ? std::pair{value, used} : std::pair{-1, std::size_t{0}};
  }

  // "hôm nay", "hnay", "nay", "ngày mai", "mai", "tmr", "ngày mốt", "mốt", "ngày kia", "the day
  // after tomorrow", "tonight", "this afternoon".
  std::size_t day(std::size_t i) {
    const std::string& w = word(i);
    auto plus = [&](int days, std::size_t used) {
      if (f_.plus < 0)
        f_.plus = days;
      return used;
    };
    if ((w == "hom" || w == "hum" || w == "bua") && is(i + 1, "nay"))
      return plus(0, 2);
    if (w == "hnay" || w == "today" || (w == "nay" && at(i).unmarked()))  // "này" is "this"
      return plus(0, 1);
    if (w == "ngay" && is(i + 1, "mai"))
      return plus(1, 2);
    if (w == "ngay" && ((is(i + 1, "mot") && !at(i + 1).has("ộ")) || is(i + 1, "kia")))
      return plus(2, 2);  // "ngày một" is not "ngày mốt"
    if ((w == "mai" && at(i).unmarked()) || w == "tomorrow" || w == "tmr" || w == "tmrw")
      return plus(1, 1);               // "mãi", "mái" are other words
    if (w == "mot" && at(i).has("ố"))  // "mốt" alone; "một" is one
      return plus(2, 1);
    if (w == "day" && is(i + 1, "after") && is(i + 2, "tomorrow"))
      return plus(2, 3);
    if (w == "tonight") {
      set_part(kEvening);
      return plus(0, 1);
    }
    if (w == "this" && (is(i + 1, "morning") || is(i + 1, "afternoon") || is(i + 1, "evening")))
      return plus(0, 1);  // the part is read next
    return 0;
  }

  // "thứ 6", "thứ sáu", "t6", "th6", "chủ nhật", "cn", "friday", "next friday", "this friday";
  // "này" after it is its own ("thứ 6 này": the nearest Friday, not today).
  std::size_t weekday(std::size_t i) {
    const std::string& w = word(i);
    int wd = -1;
    std::size_t j = i + 1;
    Week named = Week::kNone;
    if ((w == "thu" || w == "th" || w == "t") && small_number(i + 1) >= 2 &&
        small_number(i + 1) <= 7) {
      wd = small_number(i + 1) - 1;
      ++j;
    } else if (w == "thu" && vi_weekday(word(i + 1)) > 0) {
      wd = vi_weekday(word(i + 1));
      ++j;
    } else if (w == "chu" && is(i + 1, "nhat")) {
      wd = 0;
      ++j;
    } else if (w == "cn") {
      wd = 0;
    } else if ((w == "next" || w == "this") && english_weekday(i + 1) >= 0) {
      wd = english_weekday(i + 1);
      named = w == "next" ? Week::kNext : Week::kNone;
      ++j;
    } else {
      wd = english_weekday(i);
    }
    if (wd < 0)
      return 0;
    if (is(j, "nay"))
      ++j;
    if (f_.weekday < 0) {
      f_.weekday = wd;
      if (named != Week::kNone)
        f_.week = named;
    }
    return j - i;
  }

  // "sau", "tới", "next": next week; "sau nữa": the week after; "này", "this": this week. The
  // words it takes, 0 when none.
  std::size_t which_week(std::size_t j, Week& named) const {
    if (is(j, "sau") || is(j, "toi") || is(j, "next")) {
      named = is(j + 1, "nua") ? Week::kAfterNext : Week::kNext;
      return named == Week::kAfterNext ? 2 : 1;
    }
    if (is(j, "nay") || is(j, "this")) {
      named = Week::kThis;
      return 1;
    }
    return 0;
  }

  // "tuần sau", "tuần tới", "tuần sau nữa", "sang tuần", "tuần này", "next week", "cuối tuần
  // (này, sau)", "this weekend".
  std::size_t week(std::size_t i) {
    const std::string& w = word(i);
    Week named = Week::kNone;
    auto set = [&](bool weekend, std::size_t used) {
      if (f_.week == Week::kNone)
        f_.week = named;
      f_.weekend = f_.weekend || weekend;
      return used;
    };
    if (w == "tuan")
      if (const std::size_t used = which_week(i + 1, named))
        return set(false, 1 + used);
    if (w == "sang" && is(i + 1, "tuan") && which_week(i + 2, named) == 0) {
      named = Week::kNext;  // "sang tuần" (but "sáng tuần sau" is a morning)
      return set(false, 2);
    }
    if (w == "cuoi" && is(i + 1, "tuan"))
      return set(true, 2 + which_week(i + 2, named));
    if ((w == "next" || w == "this") && (is(i + 1, "week") || is(i + 1, "weekend"))) {
      which_week(i, named);
      return set(is(i + 1, "weekend"), 2);
    }
    if (w == "weekend")
      return set(true, 1);
    return 0;
  }

  void set_part(Part p) {
    if (f_.part == kAnyTime)
      f_.part = p;
  }

  // "sáng", "buổi trưa", "chiều", "chìu", "tối", "morning", "lunch"; "nay" or "mốt" after it:
  // "chiều nay" is this afternoon.
  std::size_t part(std::size_t i) {
    const bool buoi = is(i, "buoi");
    const std::size_t j = buoi ? i + 1 : i;
    const Token& t = at(j);
    // "toi", "chiu" without marks may be tôi (I) or chịu: a part of the day only after "buổi",
    // beside a day or a time, or alone.
    // "cho toi 9h", "lịch của toi": after these words an unmarked "toi" is "tôi" (I).
    const bool pronoun = !buoi && j > 0 &&
                         (is(j - 1, "cho") || is(j - 1, "cua") || is(j - 1, "voi") ||
                          is(j - 1, "giup") || is(j - 1, "gium") || is(j - 1, "la"));
    const bool plain_ok = t.unmarked() && !pronoun && (buoi || beside_when(j));
    Part p = kAnyTime;
    if (t.word == "sang" || t.word == "morning")
      p = kMorning;
    else if (t.word == "trua" || t.word == "noon" || t.word == "midday" || t.word == "lunch" ||
             t.word == "lunchtime")
      p = kNoon;
    else if (t.word == "chieu" || t.word == "afternoon" ||
             (t.word == "chiu" && (t.has("ì") || plain_ok)))
      p = kAfternoon;
    else if ((t.word == "toi" && (t.has("ố") || plain_ok)) || t.word == "evening" ||
             t.word == "night")
      p = kEvening;
    if (p == kAnyTime)
      return 0;
    set_part(p);
    std::size_t used = j + 1 - i;
    if (is(j + 1, "nay") || (is(j + 1, "mot") && !at(j + 1).has("ộ"))) {
      if (f_.plus < 0)
        f_.plus = is(j + 1, "nay") ? 0 : 2;
      ++used;
    }
    return used;
  }

  std::vector<Token> t_;
  std::int64_t today_;
  Facts f_;
};

// The day or days the facts name, into `w`; false when they name none.
bool read_days(const Facts& f, std::int64_t today, When& w) {
  const std::int64_t monday = monday_of(today);
  const std::int64_t week_start = f.week == Week::kAfterNext ? monday + 14
                                  : f.week == Week::kNext    ? monday + 7
                                                             : monday;
  std::int64_t first = 0;
  std::int64_t last = 0;
  if (f.date) {
    first = last = *f.date;
  } else if (f.date_named) {
    return false;  // "31/2": no such day, and no other day is meant
  } else if (f.plus >= 0) {
    first = last = today + f.plus;
  } else if (f.weekday >= 0) {
    const int after_monday = (f.weekday + 6) % 7;
    if (f.week == Week::kNone)
      first = today + (f.weekday - weekday_of(today) + 7) % 7;  // the nearest, today included
    else
      first = week_start + after_monday;
    last = first;
  } else if (f.weekend) {
    first = std::max(week_start + 5, today);
    last = week_start + 6;
  } else if (f.week != Week::kNone) {
    first = f.week == Week::kThis ? today : week_start;
    last = week_start + 6;
  } else {
    return false;
  }
  w.first_day = first;
  w.last_day = last;
  w.past = first < today;
  return true;
}

// The time the facts name, into `w`: an exact minute, or a part of the day.
bool read_time(const Facts& f, When& w) {
  if (f.hour >= 0) {
    int h = f.hour;
    if (f.meridiem == 'p' && h < 12)
      h += 12;
    else if (f.meridiem == 'a' && h == 12)
      h = 0;
    else if (f.meridiem == 0 && (f.part == kAfternoon || f.part == kEvening) && h < 12)
      h += 12;  // "7h tối"
    else if (f.meridiem == 0 && f.part == kNoon && h < 11)
      h += 12;  // "1h trưa"
    else if (f.meridiem == 0 && f.part == kAnyTime && h >= 1 && h <= 6)
      h += 12;  // "lúc 2h": offices are not open at 2 in the morning
    if (h > 23)
      return false;
    w.minute = h * 60 + f.minute;
    return true;
  }
  // Slots starting in [from, to): morning, noon, afternoon, evening.
  static constexpr int kFrom[] = {0, 0, 11 * 60, 13 * 60, 18 * 60};
  static constexpr int kTo[] = {24 * 60, 12 * 60, 13 * 60 + 30, 18 * 60, 24 * 60};
  w.from_minute = kFrom[f.part];
  w.to_minute = kTo[f.part];
  return f.part != kAnyTime;
}

}  // namespace

std::optional<When> parse_when(std::string_view raw, std::int64_t today) {
  // A day and a time fit in a short phrase; a long message is something else.
  if (raw.size() > kMaxWhenText)
    return std::nullopt;
  const Facts facts = Reader(words(raw), today).read();
  When w;
  const bool named_day = read_days(facts, today, w);
  const bool named_time = read_time(facts, w);
  if (!named_day && !named_time)
    return std::nullopt;
  return w;
}

}  // namespace outreach::handlers
