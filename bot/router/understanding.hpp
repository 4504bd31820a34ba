#pragma once
// Understanding: what a message asks for, the way people really type it. Built once per
// content snapshot.
//
// Reading a message: NFC → lower case → fold (no diacritics, đ → d) → words; abbreviations and
// teencode from content/abbreviations.yaml ("dk" → đăng ký); Telex leftovers repaired on words
// that are not syllables ("kys" → ky); one-letter typos corrected against the vocabulary.
//
// Deciding, in order:
//   1. flow commands (back, cancel…) — only asked for while a form is in progress;
//   2. a fixed intent (content/intents.yaml), when the whole message is one of its phrases, or a
//      phrase of two or more words sits in a short message;
//   3. ranking explainers and intents with BM25F over titles, keywords, example questions,
//      summaries and bodies (SearchIndex); a clear winner that covers the question is an
//      answer, a plausible one is a "did you mean…?" with the best three, anything else is the
//      honest fallback — never a random explainer. Subjects other offices handle
//      (content/referrals.yaml) rank alongside: a clear one is the intent "referral:<id>", which
//      names that office; they do not count in the index's statistics.
// When the message came without diacritics or was rewritten, `reading` shows how it was read,
// with diacritics restored from the content's own words.
// Thread-safety: immutable after construction; share freely.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/router/en_text.hpp"
#include "bot/router/search_index.hpp"
#include "content/model.hpp"

namespace outreach::router {

struct Candidate {
  std::string explainer;
  std::vector<std::string> topics;
  double score = 0;
  int key_words = 0;  // words of its longest key phrase found whole (SearchIndex::Hit)
};

struct Interpretation {
  enum class Kind {
    kNothing,    // no words at all
    kIntent,     // a fixed reply or a form: payload says which
    kExplainer,  // a confident answer: payload is "ex:<id>"
    kClarify,    // plausible explainers, not sure: ask "did you mean…?" with `candidates`
    kFallback,   // not something this service answers
  };
  Kind kind = Kind::kNothing;
  std::string payload;
  std::string explainer;  // best explainer (kExplainer, kClarify)
  double score = 0;
  double coverage = 0;
  double rival = 0;                   // score of the best hit that would be a different answer
  int key_words = 0;                  // the best hit's longest key phrase found whole
  std::string rival_payload;          // what that rival would be
  std::string best_payload;           // what the ranking put first (an explainer or an intent)
  std::vector<Candidate> candidates;  // best first, at most 3 (kExplainer, kClarify)
  std::string reading;   // the message as read, with diacritics, when that differs from the input
  bool english = false;  // written in English
  bool chat = false;     // holds words of everyday chat (chat_words.yaml)
};

std::string_view to_string(Interpretation::Kind k);

// One line of `outreach-bot ask --json`: {"intent", "topics", "explainer", "score", "confident",
// "reading", "candidates": [{"id", "topics", "score"}]}. intent is "explainer" when an explainer
// answers (or is offered first in a "did you mean"), else an intent id of topics.tsv
// (menu, handoff, booking, events, subscribe, unsubscribe, fallback).
nlohmann::json describe(const Interpretation& meant, const content::Snapshot& snapshot);

class Understanding {
 public:
  explicit Understanding(const content::Snapshot& snapshot);

  Interpretation interpret(std::string_view text) const;

  // A short question asked soon after the explainer `previous` was shown, that names no subject
  // of its own ("phí bao nhiêu vậy", "nộp ở đâu", "how long does it take"): the page, of that
  // explainer, of another of its first topic or of one it lists as related, that the aspect it
  // asks about (fees, time, documents…) points to. None when the question is long, is chat, is
  // understood alone (`alone`: how it was read by itself), asks no aspect, or no page stands out.
  struct FollowUp {
    std::string explainer;
    std::size_t page = 0;  // 1-based, as in "ex:<id>:<page>"
  };

  std::optional<FollowUp> follow_up(std::string_view text,
                                    std::string_view previous,
                                    const Interpretation& alone) const;

  std::optional<FollowUp> follow_up(std::string_view text, std::string_view previous) const {
    return follow_up(text, previous, interpret(text));
  }

  // The explainers `text` asks about: the one a confident answer gives, or the candidates of a
  // "did you mean"; none when the text is not about an explainer (Turn::find_explainer).
  std::vector<std::string> explainers_for(std::string_view text) const;

  // Flow commands (flow:back, flow:cancel, flow:restart, flow:skip, flow:confirm, flow:resume)
  // typed as the whole message, or one of their anywhere: phrases inside it ("thôi không đặt
  // nữa"); longest phrase first.
  std::optional<std::string> flow_command(std::string_view text) const;

  // The folded, space-joined words of `text` (no other rewriting).
  static std::string normalize(std::string_view text);

  // The words as read: folded, abbreviations expanded, Telex repaired, typos corrected.
  struct Reading {
    std::vector<std::string> folded;
    // Per word: its written form when the person typed it with diacritics (or it came from an
    // abbreviation's meaning); empty when only the folded form is known.
    std::vector<std::string> shown;
    std::vector<bool> as_typed;  // per word: the word typed, neither expanded nor mended
    bool rewritten = false;      // anything beyond folding happened
    bool english = false;        // written in English (ranked in the English index)
    std::string typed;           // the message folded, words as typed (set only when rewritten)
    LanguageEvidence evidence;   // what chose `english`
  };

  Reading read(std::string_view text) const { return read(text, std::nullopt); }

  std::size_t documents() const { return vi_.index.size(); }

 private:
  struct Expansion {
    std::vector<std::string> folded;
    std::vector<std::string> shown;    // with diacritics
    std::vector<std::string> english;  // its meaning in an English message; empty: none given
    std::string capitals;  // non-empty: only typed exactly so ("AI"), words joined by spaces
  };

  // How folded words are written in the content, to put diacritics back for `reading`.
  struct Forms {
    using Counts = std::unordered_map<std::string, int>;
    std::unordered_map<std::string, Counts> word;  // folded → written form → count
    std::unordered_map<std::string, int> after;    // "written a|written b" → count of the pair
  };

  std::string restore(const std::vector<std::string>& words) const;
  void learn_forms(std::string_view text);

  // How much of the message speaks for each language, teencode counted as the Vietnamese it
  // stands for ("dc r ạ" is "được rồi ạ"). `typed`: its words, lower case as typed.
  LanguageEvidence evidence_of(const std::vector<std::string>& typed) const;

  // read() and interpret() in the language given, or the one the message looks written in.
  Reading read(std::string_view text, std::optional<bool> english) const;
  Interpretation interpret_in(std::string_view text, std::optional<bool> english) const;

  // One index per language: explainers in that language (with the other language's titles and
  // keywords, for mixed messages), and the same referrals and intents in both. A message is
  // ranked in the index of the language it is written in (looks_english), so English text
  // does not dilute Vietnamese ranking, nor the reverse.
  struct Ranker {
    Ranker(SearchIndex::StopwordFn stop, SearchIndex::StemFn stem);
    SearchIndex index;
    std::vector<std::string> payload;  // index doc → "ex:<id>", "referral:<id>" or an intent
    std::vector<std::vector<std::string>> topics;  // index doc → topics (explainers)
    std::vector<bool> unless;                      // index doc → its intent has unless: words
  };

  Ranker vi_;
  Ranker en_;

  // The explainers' pages, one document each (heading, body), per language: what a follow-up
  // question is matched against; `near_` lists, per explainer, those a follow-up may move to.
  struct Pages {
    Pages(SearchIndex::StopwordFn stop, SearchIndex::StemFn stem);
    SearchIndex index;
    std::vector<FollowUp> page;  // index doc → explainer and page
  };

  Pages pages_vi_;
  Pages pages_en_;
  std::unordered_map<std::string, std::vector<std::string>> near_;

  const Ranker& ranker(bool english) const { return english ? en_ : vi_; }

  std::unordered_map<std::string, std::string> exact_;  // folded phrase → payload

  // A phrase looked for in the message as read (" folded words "), with the diacritics of its
  // words as written when they are as many: a word typed with diacritics must have the phrase's
  // own ("nhắn tin" is not "nhận tin", "về sở" is not "vé số").
  struct Marked {
    std::string padded;
    std::size_t words = 0;
    std::vector<std::string> marks;  // text::marks of each word as written; empty: not checked
  };

  static Marked marked(const std::string& phrase, std::string folded);

  struct Contained : Marked {
    std::string payload;
    std::string negated;  // payload when a negation precedes the phrase
    // Also looked for in the message as typed: the phrase's words are not in the index, so the
    // typo corrector may have read them as content words ("play a song").
    bool as_typed_too = false;
    bool in_chat = true;  // content::Intent::in_chat
    std::string stemmed;  // " english stems ": an English message is matched by stems too
  };

  // Whether the intent, referral or explainer `payload` is ruled out in a message: one of its
  // unless: phrases (" folded words ", with their diacritics) is `in_message`.
  bool ruled_out(const std::string& payload,
                 const std::function<bool(const Marked&)>& in_message) const;

  std::vector<Contained> contained_;  // longest first

  // Intents said by a phrase of each group (content::Intent::together), each " folded ".
  struct Together {
    std::string payload;
    std::vector<std::vector<Marked>> groups;
  };

  std::vector<Together> together_;

  // The lexicon (content::LexiconEntry), longest phrase first: folded phrase → the term's
  // folded and written words. Its phrases' words are never "corrected" into content words.
  struct Synonym {
    std::vector<std::string> phrase;
    std::vector<std::string> term;
    std::vector<std::string> term_shown;
    std::vector<std::string> stems;  // the phrase's English stems ("show prices" = "show price")
    std::vector<std::string> marks;  // text::marks of each word as written; empty: not known
    // Words said apart ("tiền điện … giảm"): these must follow the phrase, a few words later.
    std::vector<std::string> then;
    std::vector<std::string> then_stems;
  };

  std::vector<Synonym> lexicon_;  // longest phrases first
  // Positions in lexicon_ by a phrase's first word, and by its first English stem (in order).
  std::unordered_map<std::string, std::vector<std::size_t>> lexicon_by_first_word_;
  std::unordered_map<std::string, std::vector<std::size_t>> lexicon_by_first_stem_;
  std::unordered_set<std::string> lexicon_words_;
  // Old wards (content::OldWards): their numbers, and " folded " words that ask where one is now.
  std::vector<int> old_wards_;
  std::vector<std::string> ward_asked_by_;
  // Those of ward_asked_by_ that name a ward or its being ("phường gì", "does that ward still
  // exist"): they ask which ward even beside another office's subject; "giờ" alone does not.
  std::vector<std::string> ward_asked_which_;
  std::string ward_explainer_;

  // "phường 7", "p7", "P.7", "ward 7": an old ward named in `words` (number 0 when none), and
  // the words that name it, [from, to).
  struct OldWardNamed {
    int number = 0;
    std::size_t from = 0;
    std::size_t to = 0;
  };

  OldWardNamed old_ward_in(const std::vector<std::string>& words) const;
  std::unordered_set<std::string> greeting_words_;  // words of the menu's short greetings
  std::unordered_map<std::string, std::vector<Marked>> unless_;  // payload → its unless: phrases
  std::vector<std::string> negations_;                           // folded
  std::vector<std::string> padded_negations_;                    // " chua tung "
  std::vector<std::vector<std::string>> not_this_;               // folded words
  std::optional<std::string> command_in(const std::vector<std::string>& words) const;
  // A command phrase anywhere in a short message (flow_anywhere_), as typed or as read.
  std::optional<std::string> anywhere_in(std::string_view text) const;
  // Leaving the form said in one short clause of a longer message ("thôi k đặt nữa, …").
  std::optional<std::string> leaving_in(std::string_view clause) const;

  std::unordered_map<std::string, std::string> flow_commands_;
  std::vector<std::pair<std::string, std::string>> flow_anywhere_;  // " phrase " → payload
  std::unordered_map<std::string, Expansion> abbreviations_;  // folded key (words joined) → meaning
  std::vector<std::vector<std::string>> neutral_;             // folded phrases ignored when ranking
  std::vector<Marked> chat_;                                  // chat_words
  // Positions in chat_ by a phrase's first folded word: only those a message's words start.
  std::unordered_map<std::string, std::vector<std::size_t>> chat_by_first_word_;
  std::size_t longest_abbreviation_ = 1;
  // Adjacent folded word pairs of the content ("so hong"): a one-word abbreviation inside one of
  // them is the content's word, not teencode ("sổ hồng" is not "sổ không").
  std::unordered_set<std::string> content_pairs_;
  // The same pairs with how their words are written there: folded pair → "marks|marks" of each
  // way (text::marks of the two words), to tell the content's pair from the same letters read
  // as other words ("dieu kien" is "điều kiện", whose "điều" is not the "điêu" of "cân điêu").
  std::unordered_map<std::string, std::vector<std::string>> content_pair_marks_;
  // Neighbouring words of the lexicon's phrases, folded ("tem kd"): an abbreviation there is the
  // phrase's word ("tem kđ" is a verification sticker, not "tem kinh doanh").
  std::unordered_set<std::string> lexicon_pairs_;
  Forms forms_;
};

// The Understanding of the current content snapshot, built once per snapshot. Building takes
// tens of milliseconds (seconds with a thousand explainers), so the app builds it right after a
// (re)load, on the reloading thread, and turns find it ready.
// Thread-safety: get() is safe from any thread (a mutex guards the cached pair; the build itself
// runs outside it).
class UnderstandingCache {
 public:
  std::shared_ptr<const Understanding> get(
      const std::shared_ptr<const content::Snapshot>& snapshot);

 private:
  std::mutex mu_;
  std::shared_ptr<const content::Snapshot> snapshot_;  // guarded by mu_
  std::shared_ptr<const Understanding> value_;         // guarded by mu_
};

}  // namespace outreach::router
