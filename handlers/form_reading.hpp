#pragma once
// How a form reads what people type at a step, the way the rest of the bot reads them: words
// folded (no case, no diacritics), abbreviations expanded and Telex leftovers repaired (the
// turn's reader, the same as for questions), small typos forgiven.
//   - match_choice: a choice typed as part of its label, the label without diacritics or with a
//     typo, another way of saying it from the content (`also:`), or its position ("cái đầu",
//     "số 2", "the second"); two choices that fit equally well are ambiguous (ask back).
//   - read_name: a person's name, not a question, not a choice of another step, tidied up.
//   - looks_like_question: whether a text asks something (then a form step that does not
//     take questions lets the bot answer it while the form waits).
// Thread-safety: pure functions.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace outreach::handlers {

// The folded words of a text as the bot reads it.
using WordReader = std::function<std::vector<std::string>(std::string_view)>;

// Folded words, nothing else rewritten (the reader when no better one is at hand).
std::vector<std::string> plain_words(std::string_view text);

struct ChoiceOption {
  std::string value;
  std::vector<std::string> names;  // the label in each language and the content's other names
};

struct ChoiceMatch {
  enum class Kind { kNone, kOne, kAmbiguous };
  Kind kind = Kind::kNone;
  std::string value;                // kOne
  std::vector<std::string> values;  // kAmbiguous: the choices that fit equally, in option order
  bool weak = false;  // found only by the words' vote (no name said): a guess, not a naming
};

// `whole_message`: every word of the message must be a word of the choice, exactly (no typo,
// no choice found inside a longer message), for telling whether a name is rather a choice.
ChoiceMatch match_choice(std::string_view typed,
                         const std::vector<ChoiceOption>& options,
                         const WordReader& read = plain_words,
                         bool whole_message = false);

// The position a text names ("2", "số 2", "cái thứ hai", "cái đầu", "cuối cùng", "the first"):
// 1-based, -1 for the last; nullopt when the text is not a position.
std::optional<int> ordinal(std::string_view typed);

// Whether the text says "the n-th one" in so many words ("cái thứ hai", "số 2", "the second"),
// not just a number a step could read as its own ("thứ 2" is also Monday).
bool names_a_place(std::string_view typed);

// The name in "Tên mình là Nguyễn Thị Mai ạ" ("Nguyễn Thị Mai"), each word capitalised; nullopt
// when the text does not look like a person's name (digits, a question, more than seven words,
// symbols, or fewer than two letters).
std::optional<std::string> read_name(std::string_view typed);

bool looks_like_question(std::string_view typed);

}  // namespace outreach::handlers
