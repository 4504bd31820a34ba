#include "bot/router/understanding.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "bot/router/en_text.hpp"
#include "bot/router/vi_text.hpp"
#include "bot/text/unicode.hpp"

namespace outreach::router {
namespace {

// Field weights for SearchIndex: title, keywords, examples, summary, body.
const std::vector<double> kFieldWeights = {2.5, 3.0, 2.0, 1.0, 0.4};

enum Field { kTitle = 0, kKeywords = 1, kExamples = 2, kSummary = 3, kBody = 4 };

// Field weights of the pages index (follow-up questions): heading, body.
const std::vector<double> kPageFieldWeights = {3.0, 1.0};
// A follow-up is a short question ("phí bao nhiêu", "how long does it take") that asks an aspect
// of the explainer just shown; a page answers it with this much evidence (calibrated on the
// follow-ups of tests/unit/understanding_test.cpp, chat and thanks checked to stay out).
constexpr std::size_t kFollowUpWords = 10;
constexpr double kFollowUpCoverage = 0.2;
constexpr double kFollowUpScore = 3.0;
constexpr double kFollowUpOwnPage = 1.1;  // the explainer shown outweighs its neighbours

constexpr double kKeywordPhraseWeight = 3.0;  // per word of a keyword found whole
constexpr double kIntentPhraseWeight = 4.0;   // per word of an intent's phrase found whole

// Decision thresholds, calibrated on ../shared/eval/questions-dev.tsv and on our own
// tests/fixtures/questions-own.tsv (bench/understanding prints both).
constexpr double kAnswerCoverage = 0.55;  // share of the question an answer must cover
// English questions spend more words around the subject ("do I need…", "is there any…"), and
// the English index has fewer documents in full, so an English answer may cover a smaller share
// (calibrated on tests/fixtures/questions-en.tsv).
constexpr double kAnswerCoverageEn = 0.45;
constexpr double kAnswerScore = 6.0;
// A message the index of its language cannot place is read in the other when that many of its
// words speak for the other (language_evidence: 2 for a word only one language has).
constexpr int kOtherLanguageEvidence = 4;
constexpr double kAnswerMargin = 1.15;  // best / best of another topic…
constexpr double kThinScore = 20.0;     // …and when the evidence is thin (a lower score),
constexpr double kThinMargin = 1.4;     // the winner must stand out more
constexpr double kClarifyCoverage = 0.30;
// Naming the office for another subject claims less than an answer does (a wrong one costs a
// polite redirect, not a wrong legal fact): a referral may cover as little as a "did you mean".
constexpr double kReferralCoverage = kClarifyCoverage;
// …or less still when it names its subject in a key phrase of three words or more, with strong
// evidence ("chứng thực chữ ký" in a long story about who collects the money): the coverage of a
// long message moves with every word added to the content, and 0.30 alone was a knife edge.
constexpr double kReferralKeyPhraseCoverage = 0.25;
constexpr double kClarifyScore = 20.0;
// The English documents are shorter (fewer keywords and examples), so an English question's
// best score runs lower for the same evidence (calibrated on tests/fixtures/questions-en.tsv and
// questions-en-blind-1.tsv, with English everyday chat checked to stay with the fallback).
constexpr double kClarifyScoreEn = 12.0;
constexpr double kClarifyStrongScore = 30.0;  // enough alone (a long key phrase matched)
// A command wrapped in polite words ("unsubscribe giùm em") has at most this many of its own.
constexpr std::size_t kMaxWrappedCommandWords = 3;
// A lexicon phrase said apart ("tiền điện … giảm"): at most this many words between its parts.
constexpr std::size_t kSaidApartWords = 8;
constexpr double kNamedReferralShare = 0.6;   // a named referral this close to the best wins
constexpr double kNamedReferralClose = 0.75;  // …even against a long key phrase of an explainer
// Evidence that outweighs a word of everyday chat in the question (see `overwhelming`).
constexpr double kChatOverwhelmingScore = 75.0;
constexpr double kConceptScore = 12.0;    // a named concept (key phrase of 2+ words) with this
constexpr double kNamedCloseShare = 0.9;  // an explainer naming its concept this close
constexpr std::size_t kShortQuestionWords = 8;  // "WHISE là sự kiện gì vậy ad"
constexpr std::size_t kNotThisWords = 4;  // words after "chứ không phải" that are left out
constexpr std::string_view kGreetingIntent = "menu";  // its short greetings mix freely

std::vector<std::string> folded_words(std::string_view text) {
  return text::words(text::fold(text));
}

// Folding one word at a time through ICU is the cost of building an index; content repeats its
// words, so remember them (per build, on one thread).
const std::string& fold_word(const std::string& w) {
  thread_local std::unordered_map<std::string, std::string> memo;
  if (memo.size() > 200'000)
    memo.clear();
  auto it = memo.find(w);
  if (it == memo.end())
    it = memo.emplace(w, text::fold(w)).first;
  return it->second;
}

// `b` is `a` with two neighbouring letters swapped ("lable", "label").
bool swapped_letters(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a == b)
    return false;
  std::size_t i = 0;
  while (a[i] == b[i]) ++i;
  return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
         a.substr(i + 2) == b.substr(i + 2);
}

bool all_digits(std::string_view w) {
  return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty())
      out += ' ';
    out += w;
  }
  return out;
}

// Appends the words of `text` to a field: folded, and as written.
struct FieldWords {
  std::vector<std::vector<std::string>> folded;
  std::vector<std::vector<std::string>> written;

  explicit FieldWords(std::size_t n) : folded(n), written(n) {}

  void append(std::size_t field, std::string_view text) {
    for (auto& w : text::words(text::lower(text))) {
      folded[field].push_back(fold_word(w));
      written[field].push_back(std::move(w));
    }
  }

  void separate(std::size_t field) {  // no bigram across this point
    folded[field].emplace_back("|");
    written[field].emplace_back("|");
  }

  bool empty(std::size_t field) const { return folded[field].empty(); }
};

bool share_topic(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const auto& t : a)
    if (std::find(b.begin(), b.end(), t) != b.end())
      return true;
  return false;
}

// Where the asked part of "X thì Y" begins (the word after "thì"); 0 when the message is not
// so built. Without diacritics "thi" is also an exam ("cuộc thi", "dự thi", "kỳ thi"), and a
// "thì" in the first two words or at the end opens no question.
std::size_t asked_after(const std::vector<std::string>& words,
                        const std::vector<std::string>& shown) {
  static const std::unordered_set<std::string_view> kExam = {"cuoc", "du",   "ky",   "bai", "de",
                                                             "hoi",  "phan", "vong", "giai"};
  std::size_t at = 0;
  for (std::size_t k = 2; k + 1 < words.size(); ++k) {
    if (words[k] != "thi")
      continue;
    if (!shown[k].empty() ? shown[k] == "thì" : !kExam.contains(words[k - 1]))
      at = k + 1;
  }
  return at;
}

// Words people wrap a command in: "ok em", "được rồi cháu", "hủy giúp em nhé", "cancel, sorry".
bool wrapping(const std::string& w) {
  static const std::unordered_set<std::string> k = {
      "a",      "ah",     "ak",    "ad",  "em",  "anh",      "chi",   "chau", "con",  "bac",
      "chu",    "co",     "da",    "roi", "nhe", "nha",      "nhen",  "oi",   "luon", "lun",
      "di",     "ha",     "vay",   "nhi", "ban", "minh",     "toi",   "giup", "gium", "dum",
      "please", "thanks", "thank", "you", "cam", "on",       "sorry", "xin",  "loi",  "nhá",
      "r",      "z",      "e",     "cho", "ay",  "actually", "this",  "it",   "just", "oh",
      "well",   "hey",    "that",  "s",   "is",  "all",      "pls",   "plz",  "bot"};
  return k.contains(w);
}

}  // namespace

std::string_view to_string(Interpretation::Kind k) {
  switch (k) {
    case Interpretation::Kind::kNothing:
      return "nothing";
    case Interpretation::Kind::kIntent:
      return "intent";
    case Interpretation::Kind::kExplainer:
      return "explainer";
    case Interpretation::Kind::kClarify:
      return "clarify";
    case Interpretation::Kind::kFallback:
      return "fallback";
  }
  return "nothing";
}

Understanding::Marked Understanding::marked(const std::string& phrase, std::string folded) {
  Marked m{" " + folded + " ", text::words(folded).size(), {}};
  const std::vector<std::string> written = text::words(text::lower(phrase));
  if (written.size() == m.words)
    for (const std::string& w : written) m.marks.push_back(text::marks(w));
  return m;
}

std::string Understanding::normalize(std::string_view text) {
  return join(folded_words(text));
}

void Understanding::learn_forms(std::string_view text) {
  const auto shown = text::words(text::lower(text));
  for (std::size_t i = 0; i < shown.size(); ++i) {
    ++forms_.word[fold_word(shown[i])][shown[i]];
    if (i + 1 < shown.size()) {
      ++forms_.after[shown[i] + "|" + shown[i + 1]];
      const std::string pair = fold_word(shown[i]) + " " + fold_word(shown[i + 1]);
      content_pairs_.insert(pair);
      const std::string written = text::marks(shown[i]) + "|" + text::marks(shown[i + 1]);
      auto& ways = content_pair_marks_[pair];
      if (std::find(ways.begin(), ways.end(), written) == ways.end())
        ways.push_back(written);
    }
  }
}

Understanding::Ranker::Ranker(SearchIndex::StopwordFn stop, SearchIndex::StemFn stem)
    : index(kFieldWeights, stop, stem) {}

Understanding::Pages::Pages(SearchIndex::StopwordFn stop, SearchIndex::StemFn stem)
    : index(kPageFieldWeights, stop, stem) {}

Understanding::Understanding(const content::Snapshot& snapshot)
    : vi_(nullptr, nullptr),
      en_(is_english_stopword, english_stem),
      pages_vi_(nullptr, nullptr),
      pages_en_(is_english_stopword, english_stem) {
  for (const auto& phrase : snapshot.neutral_words) {
    auto w = folded_words(phrase);
    if (!w.empty())
      neutral_.push_back(std::move(w));
  }
  for (const content::LexiconEntry& l : snapshot.lexicon) {
    const auto [said, then] = content::lexicon_parts(l.phrase);
    Synonym syn{folded_words(said),
                folded_words(l.term),
                text::words(text::lower(l.term)),
                {},
                {},
                folded_words(then),
                {}};
    for (const std::string& w : syn.phrase) syn.stems.push_back(english_stem(w));
    for (const std::string& w : syn.then) syn.then_stems.push_back(english_stem(w));
    if (const auto written = text::words(text::lower(said)); written.size() == syn.phrase.size()) {
      for (const std::string& w : written) syn.marks.push_back(text::marks(w));
      // How a phrase written with diacritics sets its words side by side helps restore() read
      // them back ("mo cua thu 7": "thứ 7"); its words alone stay the content's.
      if (text::fold(said) != text::lower(said))
        for (std::size_t i = 0; i + 1 < written.size(); ++i)
          ++forms_.after[written[i] + "|" + written[i + 1]];
    }
    if (syn.phrase.empty() || syn.term.empty() || (syn.then.empty() && !then.empty()))
      continue;
    for (const auto* part : {&syn.phrase, &syn.then}) {
      lexicon_words_.insert(part->begin(), part->end());
      for (std::size_t i = 0; i + 1 < part->size(); ++i)
        lexicon_pairs_.insert((*part)[i] + " " + (*part)[i + 1]);
    }
    lexicon_.push_back(std::move(syn));
  }
  std::stable_sort(lexicon_.begin(), lexicon_.end(), [](const Synonym& a, const Synonym& b) {
    return a.phrase.size() + a.then.size() > b.phrase.size() + b.then.size();
  });
  for (std::size_t k = 0; k < lexicon_.size(); ++k) {
    lexicon_by_first_word_[lexicon_[k].phrase.front()].push_back(k);
    lexicon_by_first_stem_[lexicon_[k].stems.front()].push_back(k);
  }
  for (const auto& [number, now] : snapshot.old_wards.now) old_wards_.push_back(number);
  for (const auto& phrase : snapshot.old_wards.asked_by)
    if (const std::string w = normalize(phrase); !w.empty())
      ward_asked_by_.push_back(" " + w + " ");
  for (const std::string& w : ward_asked_by_)
    if (w.find(" phuong ") != std::string::npos || w.find(" ward ") != std::string::npos ||
        w.find(" exist ") != std::string::npos)
      ward_asked_which_.push_back(w);
  ward_explainer_ = snapshot.old_wards.explainer;
  for (const auto& phrase : snapshot.chat_words)
    if (const std::string w = normalize(phrase); !w.empty()) {
      chat_by_first_word_[w.substr(0, w.find(' '))].push_back(chat_.size());
      chat_.push_back(marked(phrase, w));
    }
  for (const content::Abbreviation& a : snapshot.abbreviations) {
    const auto key = folded_words(a.key);
    Expansion e{folded_words(a.expansion), text::words(text::lower(a.expansion)),
                folded_words(a.english), a.capitals ? join(text::words(a.key)) : std::string{}};
    longest_abbreviation_ = std::max(longest_abbreviation_, key.size());
    abbreviations_.emplace(join(key), std::move(e));
  }

  // Explainers: one document per language. Each carries the other language's title and
  // keywords too ("đăng ký trademark", "how to register nhãn hiệu"); the bodies stay apart.
  for (const auto& [id, vi] : snapshot.explainers_vi) {
    const content::Explainer* en = snapshot.explainer(id, content::kEn);
    if (en->lang != content::kEn)
      en = nullptr;
    learn_forms(vi.title);
    for (const auto& k : vi.keywords) learn_forms(k);
    for (const auto& x : vi.examples) learn_forms(x);
    learn_forms(vi.summary);
    for (const auto& p : vi.pages) learn_forms(p.body);
    for (const bool english : {false, true}) {
      Ranker& rk = english ? en_ : vi_;
      // The document's own language in full; without an English version, the English index
      // gets the Vietnamese one (so every explainer can be found from either language).
      const content::Explainer& own = english && en ? *en : vi;
      const content::Explainer* other = english ? (en ? &vi : nullptr) : en;
      FieldWords fields(kFieldWeights.size());
      fields.append(kTitle, own.title);
      fields.separate(kTitle);
      for (const content::Explainer* e : {&own, other}) {
        if (e == nullptr)
          continue;
        for (const auto& k : e->keywords) {
          fields.append(kKeywords, k);
          fields.separate(kKeywords);  // no bigram across keywords
        }
      }
      if (other) {
        fields.append(kTitle, other->title);
        fields.separate(kTitle);
      }
      for (const auto& x : own.examples) {
        fields.append(kExamples, x);
        fields.separate(kExamples);
      }
      fields.append(kSummary, own.summary);
      for (const auto& p : own.pages) {
        fields.append(kBody, p.heading);
        fields.append(kBody, p.body);
      }
      for (const std::string& t : vi.topics) {  // the topic's own names help short questions
        if (auto it = snapshot.topics.find(t); it != snapshot.topics.end()) {
          fields.append(kTitle, it->second.title.en);
          fields.separate(kTitle);
        }
      }
      const int doc = rk.index.add("ex:" + id, fields.folded, fields.written);
      for (const content::Explainer* e : {&vi, en})
        if (e)
          for (const auto& k : e->keywords)
            rk.index.add_phrase(doc, folded_words(k), text::words(text::lower(k)),
                                kKeywordPhraseWeight);
      rk.payload.push_back("ex:" + id);
      rk.topics.push_back(vi.topics);
      rk.unless.resize(rk.payload.size());
      rk.unless.back() = !vi.unless.empty() || (en && !en->unless.empty());
    }
    for (const content::Explainer* e : {&vi, en})
      if (e)
        for (const std::string& phrase : e->unless)
          if (std::string folded = normalize(phrase); !folded.empty())
            unless_["ex:" + id].push_back(marked(phrase, std::move(folded)));
    exact_.emplace(normalize(vi.title), "ex:" + id);
    for (const auto& k : vi.keywords) exact_.emplace(normalize(k), "ex:" + id);
    if (en) {
      exact_.emplace(normalize(en->title), "ex:" + id);
      for (const auto& k : en->keywords) exact_.emplace(normalize(k), "ex:" + id);
    }
  }

  // Referrals: subjects of other offices. They rank like explainers, so a question about land
  // papers finds the land referral instead of the explainer that shares a word with it, and
  // they rival explainers in the margin test. Their answer is "ask this office".
  for (const auto& [id, ref] : snapshot.referrals) {
    const std::string payload = "referral:" + id;
    FieldWords fields(kFieldWeights.size());
    for (const std::string* subject : {&ref.subject.vi, &ref.subject.en}) {
      fields.append(kTitle, *subject);
      fields.separate(kTitle);
    }
    for (const auto& k : ref.keywords) {
      learn_forms(k);
      fields.append(kKeywords, k);
      fields.separate(kKeywords);
    }
    for (const auto& x : ref.examples) {
      learn_forms(x);
      fields.append(kExamples, x);
      fields.separate(kExamples);
    }
    // Not counted: the explainers score, and meet their calibrated thresholds, as without them.
    for (Ranker* rk : {&vi_, &en_}) {
      const int doc = rk->index.add(payload, fields.folded, fields.written, false);
      for (const auto& k : ref.keywords)
        rk->index.add_phrase(doc, folded_words(k), text::words(text::lower(k)),
                             kKeywordPhraseWeight);
      rk->payload.push_back(payload);
      rk->topics.push_back({payload});
      rk->unless.resize(rk->payload.size());
      rk->unless.back() = !ref.unless.empty();
    }
    for (const auto& k : ref.keywords) exact_.emplace(normalize(k), payload);
    for (const std::string& phrase : ref.unless)
      if (std::string folded = normalize(phrase); !folded.empty())
        unless_[payload].push_back(marked(phrase, std::move(folded)));
  }

  // Intents: their phrases are matched whole, and indexed as example questions so that longer
  // messages ("cho tôi đổi lịch tư vấn sang tuần sau") find them too.
  for (const content::Intent& intent : snapshot.intents) {
    FieldWords fields(kFieldWeights.size());
    const bool form_command = intent.id.starts_with("flow:");
    // "Not for us" (fallback:*) is said only when its own phrases are there, never because a
    // question shares a word with them ("bài hát" is a copyright word too): not ranked.
    const bool phrases_only = intent.id.starts_with("fallback:") || !intent.ranked;
    auto index_phrase = [&](const std::string& phrase) {
      if (phrases_only)
        return;
      learn_forms(phrase);
      fields.append(kExamples, phrase);
      fields.separate(kExamples);
    };
    for (const std::string& phrase : intent.phrases) {
      const std::string folded = normalize(phrase);
      if (folded.empty())
        continue;
      // Greetings of one or two words: their words, in any mix, are a greeting ("alo ad ơi").
      if (intent.id == kGreetingIntent &&
          folded.find(' ', folded.find(' ') + 1) == std::string::npos)
        for (auto& w : text::words(folded)) greeting_words_.insert(std::move(w));
      if (form_command) {
        flow_commands_.emplace(folded, intent.id);
        continue;
      }
      exact_.insert_or_assign(folded, intent.id);  // a fixed reply wins over a keyword
      index_phrase(phrase);
    }
    if (!intent.together.empty()) {
      Together t{intent.id, {}};
      for (const auto& group : intent.together) {
        t.groups.emplace_back();
        for (const std::string& phrase : group)
          if (std::string folded = normalize(phrase); !folded.empty())
            t.groups.back().push_back(marked(phrase, std::move(folded)));
      }
      together_.push_back(std::move(t));
    }
    for (const std::string& phrase : intent.unless)
      if (std::string folded = normalize(phrase); !folded.empty())
        unless_[intent.id].push_back(marked(phrase, std::move(folded)));
    for (const std::string& phrase : intent.anywhere) {
      const std::string folded = normalize(phrase);
      if (form_command) {  // "thôi không đặt nữa": only while a form is in progress
        if (!folded.empty())
          flow_anywhere_.push_back({" " + folded + " ", intent.id});
        continue;
      }
      exact_.insert_or_assign(folded, intent.id);
      std::string stemmed = " ";
      for (const std::string& w : text::words(folded)) stemmed += english_stem(w) + " ";
      contained_.push_back({marked(phrase, folded), intent.id, intent.negated, phrases_only,
                            intent.in_chat, std::move(stemmed)});
      index_phrase(phrase);
    }
    if (!form_command && !phrases_only && !fields.empty(kExamples)) {
      for (Ranker* rk : {&vi_, &en_}) {
        const int doc = rk->index.add(intent.id, fields.folded, fields.written);
        for (const std::string& phrase : intent.anywhere)
          rk->index.add_phrase(doc, folded_words(phrase), text::words(text::lower(phrase)),
                               kIntentPhraseWeight);
        rk->payload.push_back(intent.id);
        rk->unless.resize(rk->payload.size());
        rk->unless.back() = !intent.unless.empty();
        rk->topics.emplace_back();
      }
    }
  }
  for (const auto& [key, e] : abbreviations_) {
    for (std::size_t i = 0; i < e.folded.size(); ++i) ++forms_.word[e.folded[i]][e.shown[i]];
  }
  std::stable_sort(contained_.begin(), contained_.end(),
                   [](const auto& a, const auto& b) { return a.padded.size() > b.padded.size(); });
  std::stable_sort(flow_anywhere_.begin(), flow_anywhere_.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  for (const auto& phrase : snapshot.not_this)
    if (auto w = folded_words(phrase); !w.empty())
      not_this_.push_back(std::move(w));
  for (const auto& n : snapshot.negations)
    if (auto w = normalize(n); !w.empty()) {
      padded_negations_.push_back(" " + w + " ");
      negations_.push_back(std::move(w));
    }
  vi_.index.finish();
  en_.index.finish();

  // Pages, for follow-up questions; an explainer may be followed up by a page of its own, of
  // another explainer of its first topic, or of one it lists as related.
  std::unordered_map<std::string, std::vector<std::string>> by_topic;  // first topic → explainers
  for (const auto& [id, vi] : snapshot.explainers_vi) by_topic[vi.topics.front()].push_back(id);
  for (const auto& [id, vi] : snapshot.explainers_vi) {
    auto& near = near_[id];
    near.push_back(id);
    for (const auto& other : by_topic[vi.topics.front()])
      if (other != id)
        near.push_back(other);
    for (const auto& r : vi.related)
      if (std::find(near.begin(), near.end(), r) == near.end())
        near.push_back(r);
    for (const bool english : {false, true}) {
      const content::Explainer* own = english ? snapshot.explainer(id, content::kEn) : &vi;
      if (own == nullptr || (english && own->lang != content::kEn))
        continue;
      Pages& pages = english ? pages_en_ : pages_vi_;
      for (std::size_t k = 0; k < own->pages.size(); ++k) {
        FieldWords fields(kPageFieldWeights.size());
        fields.append(0, own->pages[k].heading);
        fields.append(1, own->pages[k].body);
        pages.index.add(id + ":" + std::to_string(k + 1), fields.folded, fields.written);
        pages.page.push_back({id, k + 1});
      }
    }
  }
  pages_vi_.index.finish();
  pages_en_.index.finish();
  // Debian's English word list is read now, once, not on a resident's first English message.
  is_english_word("");
  // Questions staff attached to their answers (learned.yaml): matched as the whole message,
  // read the way every message is read (abbreviations, Telex, typos), and folded only. They
  // are not ranking documents, so attaching one moves no other question's answer; a phrase
  // the bot already knows keeps its meaning.
  for (const content::LearnedQuestion& q : snapshot.learned) {
    if (text::fold(q.question) != text::lower(q.question))
      learn_forms(q.question);  // "muon" read back as "mượn" when the question says so
    for (std::string key : {join(read(q.question).folded), normalize(q.question)})
      if (!key.empty())
        exact_.emplace(std::move(key), q.payload);
  }
}

LanguageEvidence Understanding::evidence_of(const std::vector<std::string>& typed) const {
  // Teencode is Vietnamese, whatever its letters ("dc r ạ" is "được rồi ạ").
  std::vector<std::string> for_language = typed;
  for (std::string& w : for_language)
    if (auto it = abbreviations_.find(text::fold(w));
        it != abbreviations_.end() && !it->second.shown.empty() && it->second.capitals.empty())
      w = it->second.shown.front();
  return language_evidence(for_language);
}

Understanding::Reading Understanding::read(std::string_view text,
                                           std::optional<bool> english) const {
  Reading r;
  const std::string lowered = text::lower(text);
  const auto typed = text::words(lowered);
  r.evidence = evidence_of(typed);
  r.english = english.value_or(r.evidence.english > r.evidence.vietnamese);
  const SearchIndex& index = ranker(r.english).index;
  std::vector<std::string> words;
  words.reserve(typed.size());
  for (const auto& w : typed) words.push_back(text::fold(w));
  // A word joined to the next by a hyphen is part of a compound ("e-bike", "e-invoice"), not
  // teencode ("e" alone is "em").
  std::vector<bool> hyphened(typed.size(), false);
  for (std::size_t i = 0, at = 0; i < typed.size(); ++i) {
    at = lowered.find(typed[i], at);
    if (at == std::string::npos)
      break;
    at += typed[i].size();
    hyphened[i] = at + 1 < lowered.size() && lowered[at] == '-' && lowered[at + 1] != ' ';
  }
  // The words as typed, capitals kept, for the abbreviations that need them ("AI"); none in a
  // message typed all in capitals.
  const std::vector<std::string> cased = text::words(text);
  const bool in_capitals =
      cased.size() != typed.size() || std::none_of(cased.begin(), cased.end(), [](const auto& w) {
        return std::any_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; });
      });
  for (std::size_t i = 0; i < words.size();) {
    bool expanded = false;
    for (std::size_t n = std::min(longest_abbreviation_, words.size() - i); n >= 1 && !expanded;
         --n) {
      std::string key = words[i];
      for (std::size_t k = 1; k < n; ++k) key += " " + words[i + k];
      auto it = abbreviations_.find(key);
      if (it == abbreviations_.end())
        continue;
      // English reads "AI" as it is.
      if (const std::string& exact = it->second.capitals; !exact.empty()) {
        if (r.english)
          continue;
        std::string as_typed;
        for (std::size_t k = 0; k < n && !in_capitals; ++k)
          as_typed += (k ? " " : "") + cased[i + k];
        if (in_capitals || as_typed != exact)
          continue;
      }
      // In English, teencode for one Vietnamese word ("vs" for "với", "k" for "không") is the
      // English word it spells ("trademark vs patent"); an acronym of a term still reads as it,
      // but an English word stays English ("startup consultation" is not "khởi nghiệp …").
      // An acronym with an English meaning reads as that as well ("CĐS support" is digital
      // transformation support).
      const bool in_english = r.english && !it->second.english.empty();
      if (r.english && !in_english &&
          (it->second.folded.size() == 1 || (n == 1 && is_english_word(key))))
        continue;
      // A word that pairs with a neighbour as in the content means itself ("sổ hồng", "so hong"
      // are not "sổ không"; teencode is typed with diacritics too, so those do not decide). An
      // acronym typed in capitals is the acronym wherever it sits ("dùng AI để trả lời": "ai"
      // is also "who", as in the content's "hỏi ai").
      const auto pairs = [&](const std::string& pair) {
        return content_pairs_.contains(pair) || lexicon_pairs_.contains(pair);
      };
      if (n == 1 && it->second.capitals.empty() &&
          (hyphened[i] || (i > 0 && pairs(words[i - 1] + " " + words[i])) ||
           (i + 1 < words.size() && pairs(words[i] + " " + words[i + 1]))))
        continue;
      r.folded.insert(r.folded.end(), it->second.folded.begin(), it->second.folded.end());
      r.shown.insert(r.shown.end(), it->second.shown.begin(), it->second.shown.end());
      r.as_typed.insert(r.as_typed.end(), it->second.folded.size(), false);
      if (in_english) {  // and in Vietnamese too: the English documents carry both terms
        const auto& meaning = it->second.english;
        r.folded.insert(r.folded.end(), meaning.begin(), meaning.end());
        r.shown.insert(r.shown.end(), meaning.size(), std::string{});
        r.as_typed.insert(r.as_typed.end(), meaning.size(), false);
      }
      i += n;
      expanded = r.rewritten = true;
    }
    if (expanded)
      continue;
    std::string w = words[i];
    std::string shown = typed[i] != w ? typed[i] : std::string{};  // typed with diacritics
    bool mended = false;
    ++i;
    // A small English word ("where", "the") is never mended into a word of the content (the
    // index knows English words by their stems).
    // Nor is a word of the English word list ("parent" is not "patent").
    const bool known =
        r.english ? is_english_stopword(w) || index.known(w) || is_english_word(w) : index.known(w);
    if (!all_digits(w) && !known && !lexicon_words_.contains(w)) {
      std::string fixed = r.english ? w : repair_telex(w);
      // Not mended: a Vietnamese syllable typed with its diacritics ("triệu" is meant, not a
      // slip for "tiêu"); an English word of four letters or fewer only where two neighbouring
      // letters were swapped ("lable" is "label", "numbr" is "number"; "wnat" is "want").
      const bool meant = !r.english && !shown.empty() && is_syllable(w);
      const bool short_english = r.english && w.size() <= 4;
      if (fixed == w && !meant && !is_stopword(w) && (w.size() >= 4 || !is_syllable(w))) {
        // In Vietnamese a typo is mended into a Vietnamese syllable, never into a word of the
        // English text the index also holds ("cafe" is not "safe").
        if (auto c = index.correct(w);
            c && (r.english || is_syllable(*c)) && (!short_english || swapped_letters(w, *c)))
          fixed = *c;
      }
      if (fixed != w) {
        w = std::move(fixed);
        shown.clear();
        r.rewritten = mended = true;
      }
    }
    r.as_typed.push_back(!mended);
    r.folded.push_back(std::move(w));
    r.shown.push_back(std::move(shown));
  }
  if (r.rewritten)
    r.typed = join(words);
  return r;
}

std::string Understanding::restore(const std::vector<std::string>& words) const {
  // The written forms that fit together best over the whole message (a Viterbi pass): each
  // form scores how often the content writes it, and each pair of neighbouring forms how often
  // the content writes them side by side, so "quan toi" reads "quán tôi" as a whole rather than
  // a word at a time ("quản" for being common, then "tới" for following it).
  struct Cell {
    const std::string* form;
    double score;
    int from;
  };

  std::vector<std::vector<Cell>> cells(words.size());
  std::string pair;  // "a|b", reused
  auto pair_count = [&](const std::string& a, const std::string& b) {
    pair.assign(a).append(1, '|').append(b);
    const auto it = forms_.after.find(pair);
    return it == forms_.after.end() ? 0 : it->second;
  };
  // An English word between words the content never writes is English, as typed ("whats the
  // difference" keeps its "the", not "thể").
  auto unwritten = [&](std::size_t i) {
    return i >= words.size() || !forms_.word.contains(words[i]);
  };
  for (std::size_t i = 0; i < words.size(); ++i) {
    auto it = forms_.word.find(words[i]);
    if (it != forms_.word.end() && words.size() > 1 && (i == 0 || unwritten(i - 1)) &&
        unwritten(i + 1) && is_english_word(words[i]))
      it = forms_.word.end();
    if (it == forms_.word.end()) {  // a word the content never writes: as it is
      // A number or a word the content writes only beside others still says which form comes
      // before it ("thu 7" is "thứ 7", not the commoner "thủ").
      Cell c{&words[i], 0.0, 0};
      for (std::size_t k = 0; i > 0 && k < cells[i - 1].size(); ++k) {
        const Cell& p = cells[i - 1][k];
        const double via = p.score + 2.0 * std::log1p(pair_count(*p.form, words[i]));
        if (k == 0 || via > c.score) {
          c.score = via;
          c.from = static_cast<int>(k);
        }
      }
      cells[i].push_back(c);
      continue;
    }
    int total = 0;
    for (const auto& [written, count] : it->second) total += count;
    for (const auto& [written, count] : it->second) {
      // A form's own weight grows slowly with its count; a pair the content has outweighs it.
      const double own = std::log1p(count) / std::log1p(total + 1);
      Cell c{&written, own, 0};
      if (i) {
        double best = -1;
        for (std::size_t k = 0; k < cells[i - 1].size(); ++k) {
          const Cell& p = cells[i - 1][k];
          const double via = p.score + 2.0 * std::log1p(pair_count(*p.form, written));
          if (via > best ||
              (via == best && *p.form < *cells[i - 1][static_cast<std::size_t>(c.from)].form)) {
            best = via;
            c.from = static_cast<int>(k);
          }
        }
        c.score += best;
      }
      cells[i].push_back(c);
    }
    // Ties go to the alphabetically first form, so that the reading does not depend on hashing.
    std::sort(cells[i].begin(), cells[i].end(),
              [](const Cell& x, const Cell& y) { return *x.form < *y.form; });
  }
  if (words.empty())
    return {};
  std::vector<const std::string*> chosen(words.size());
  std::size_t at = 0;
  for (std::size_t k = 1; k < cells.back().size(); ++k)
    if (cells.back()[k].score > cells.back()[at].score)
      at = k;
  for (std::size_t i = words.size(); i-- > 0;) {
    chosen[i] = cells[i][at].form;
    at = static_cast<std::size_t>(cells[i][at].from);
  }
  std::string out;
  for (const std::string* w : chosen) out += (out.empty() ? "" : " ") + *w;
  return out;
}

Interpretation Understanding::interpret(std::string_view text) const {
  Interpretation meant = interpret_in(text, std::nullopt);
  // A message in both languages ("what is intellectual property, e moi mo tiem banh co can lo vu
  // nay k"), that one index cannot place, is read in the other when that one can: the words the
  // first did not know are the other's. Not chat, which is nobody's subject in either.
  if (meant.kind != Interpretation::Kind::kFallback || meant.chat)
    return meant;
  const LanguageEvidence e = evidence_of(text::words(text::lower(text)));
  const int other = meant.english ? e.vietnamese : e.english;
  if (other < kOtherLanguageEvidence)
    return meant;
  Interpretation in_other = interpret_in(text, !meant.english);
  return in_other.kind == Interpretation::Kind::kFallback || in_other.chat ? meant : in_other;
}

Interpretation Understanding::interpret_in(std::string_view text,
                                           std::optional<bool> english) const {
  Interpretation r;
  const Reading reading = read(text, english);
  const std::vector<std::string>& words = reading.folded;
  const bool rewritten = reading.rewritten;
  if (words.empty())
    return r;
  r.english = reading.english;
  const std::string folded = join(words);
  // Intent phrases are looked for in the message as read (telex typos repaired, words the
  // content knows corrected); those of intents that are not indexed also as typed, since the
  // corrector knows only the index's words and would read "play a song" as something else.
  const std::string padded = " " + folded + " ";
  const std::string padded_typed = rewritten ? " " + reading.typed + " " : std::string{};
  const auto typed_has = [&](const std::string& phrase) {
    return padded_typed.find(phrase) != std::string::npos;  // empty when not rewritten
  };
  const auto has = [&](const std::string& phrase) {
    return padded.find(phrase) != std::string::npos || typed_has(phrase);
  };
  const bool typed_without_diacritics = text::fold(text) == text::lower(text);
  // English is matched by stems too ("receive announcement" says "receive announcements"; a
  // mended typo is read as the index's stem).
  std::vector<std::string> stems;
  std::string padded_stems;
  if (reading.english) {
    for (const std::string& w : words) stems.push_back(english_stem(w));
    padded_stems = " " + join(stems) + " ";
  }
  // A phrase at words [i, end) whose edge word pairs with its neighbour as in the content means
  // that pair: "cần điều kiện" is not "cân điêu" followed by "kiện", "về sở hữu trí tuệ" not "vé
  // số" (a word alone keeps its meaning). A small word or a number beside it ("ở", "cho", "thì",
  // "7") pairs with anything: it takes no edge word. When the phrase's `marks` are known, only a
  // pair that writes the edge word otherwise takes it: in "tình trạng hồ sơ nộp online" the
  // content's "hồ sơ nộp" has the phrase's own "sơ", so both may hold it.
  const auto edge_taken = [&](std::size_t i, std::size_t end,
                              const std::vector<std::string>& marks) {
    const auto pairs_freely = [&](std::size_t k) {
      return all_digits(words[k]) || breaks_bigram(words[k], reading.shown[k]);
    };
    // The pair at words [k, k + 1) writes its word `side` (0, 1) unlike the phrase's word `own`.
    const auto taken = [&](std::size_t k, int side, std::size_t own) {
      const std::string pair = words[k] + " " + words[k + 1];
      if (!content_pairs_.contains(pair))
        return false;
      if (marks.size() != end - i)
        return true;
      const auto ways = content_pair_marks_.find(pair);
      return std::none_of(ways->second.begin(), ways->second.end(), [&](const std::string& w) {
        const auto bar = w.find('|');
        return (side == 0 ? w.substr(0, bar) : w.substr(bar + 1)) == marks[own];
      });
    };
    return (i > 0 && !pairs_freely(i - 1) && taken(i - 1, 1, 0)) ||
           (end < words.size() && !pairs_freely(end) && taken(end - 1, 0, end - i - 1));
  };
  // Where a phrase sits in the message as read, at a place where every word typed with
  // diacritics has the phrase's own ("nhắn tin" is not "nhận tin"); npos when nowhere. With
  // `whole_meaning`, also not where its edge word belongs to a pair of the content's.
  // The diacritics of each word typed with them, worked out once and only when asked.
  std::vector<std::optional<std::string>> shown_marks(reading.shown.size());
  const auto marks_at = [&](std::size_t i) -> const std::string& {
    if (!shown_marks[i])
      shown_marks[i] = text::marks(reading.shown[i]);
    return *shown_marks[i];
  };
  // Whether the words from `first` write, where typed with diacritics, those of `c`.
  const auto marks_agree = [&](const Marked& c, std::size_t first) {
    for (std::size_t k = 0; k < c.marks.size(); ++k) {
      const std::size_t i = first + k;
      if (i < reading.shown.size() && !reading.shown[i].empty() && marks_at(i) != c.marks[k])
        return false;
    }
    return true;
  };
  const auto word_at = [&](std::size_t at) {
    return static_cast<std::size_t>(
        std::count(padded.begin(), padded.begin() + static_cast<long>(at), ' '));
  };
  const auto contained_at = [&](const Marked& c, bool whole_meaning = false) {
    for (auto at = padded.find(c.padded); at != std::string::npos;
         at = padded.find(c.padded, at + 1)) {
      const std::size_t first = word_at(at);
      // A chat phrase yields to any pair of the content's, written alike or not ("thợ sửa xe"
      // is a trade, not "sửa xe" small talk).
      if ((!whole_meaning || c.words == 1 || !edge_taken(first, first + c.words, {})) &&
          marks_agree(c, first))
        return at;
    }
    return std::string::npos;
  };
  // An unless: phrase said ("tiểu thương tổ chức" does not say "thường tổ chức"). Also as typed
  // ("có bảo mật ko" before "ko" is read "không"), where no diacritics can disagree: the message
  // was typed without them, or the phrase is written without them.
  const auto says = [&](const Marked& c) {
    const bool unmarked =
        std::all_of(c.marks.begin(), c.marks.end(), [](const std::string& m) { return m.empty(); });
    return contained_at(c) != std::string::npos ||
           ((typed_without_diacritics || unmarked) && typed_has(c.padded));
  };
  // Said, and not right after a negation: "chứ không phải từ hộ kinh doanh" does not make a
  // question about a brand-new company one about a household business.
  // A negation may be of several words ("chưa từng có hộ kinh doanh").
  const auto says_plainly = [&](const Marked& c) {
    for (auto at = padded.find(c.padded); at != std::string::npos;
         at = padded.find(c.padded, at + 1)) {
      const std::size_t first = word_at(at);
      const std::size_t from = first > 3 ? first - 3 : 0;
      std::string before = " ";
      for (std::size_t k = from; k < first; ++k) before += words[k] + " ";
      if (marks_agree(c, first) &&
          std::none_of(padded_negations_.begin(), padded_negations_.end(),
                       [&](const std::string& n) { return before.find(n) != std::string::npos; }))
        return true;
    }
    return false;
  };
  // Everyday chat ("nấu ăn ngon", "người yêu"): no announcements asked for ("người yêu cũ nhắn tin
  // lại"), and only a question our content covers as an answer does is ours.
  // Where: a chat phrase's words are no evidence for an explainer ("tiết kiệm tiền mua nhà").
  std::vector<bool> chat_at(words.size(), false);
  bool chat = false;
  std::vector<std::size_t> chat_started;  // the chat phrases a word of the message starts
  for (const std::string& w : words)
    if (const auto it = chat_by_first_word_.find(w); it != chat_by_first_word_.end())
      chat_started.insert(chat_started.end(), it->second.begin(), it->second.end());
  std::sort(chat_started.begin(), chat_started.end());
  chat_started.erase(std::unique(chat_started.begin(), chat_started.end()), chat_started.end());
  // Words [from, from + n) inside a neutral idiom ("xài ngon": it works well) are not chat.
  const auto in_idiom = [&](std::size_t from, std::size_t n) {
    return std::any_of(neutral_.begin(), neutral_.end(), [&](const std::vector<std::string>& p) {
      for (std::size_t start = from + n >= p.size() ? from + n - p.size() : 0; start <= from;
           ++start)
        if (start + p.size() <= words.size() &&
            std::equal(p.begin(), p.end(), words.begin() + static_cast<long>(start)))
          return true;
      return false;
    });
  };
  for (const std::size_t k : chat_started) {
    const Marked& c = chat_[k];
    // A phrase of three words or more is chat wherever it sits ("tiết kiệm tiền mua nhà").
    const auto at = contained_at(c, c.words < 3);
    if (at == std::string::npos)
      continue;
    const auto first = static_cast<std::size_t>(
        std::count(padded.begin(), padded.begin() + static_cast<long>(at), ' '));
    if (in_idiom(first, c.words))
      continue;
    chat = r.chat = true;
    std::fill_n(chat_at.begin() + static_cast<long>(std::min(first, words.size())),
                std::min(c.words, words.size() - std::min(first, words.size())), true);
  }
  const bool greeting =
      words.size() <= 4 && std::all_of(words.begin(), words.end(), [&](const std::string& w) {
        return greeting_words_.contains(w);
      });
  // A command of a few words wrapped in polite ones ("STOP pls", "unsubscribe giùm e", "menu đi
  // ad"): the command, as if said alone. Only an intent's reply, never an explainer's keyword.
  // As read and, when the reading mended a word ("gium"), as typed.
  const auto command_wrapped_in = [&](const std::vector<std::string>& said) -> const std::string* {
    std::string core;
    std::size_t kept = 0;
    for (const std::string& w : said)
      if (!wrapping(w)) {
        core += (core.empty() ? "" : " ") + w;
        ++kept;
      }
    if (kept == 0 || kept == said.size() || kept > kMaxWrappedCommandWords)
      return nullptr;
    const auto it = exact_.find(core);
    return it == exact_.end() || it->second.starts_with("ex:") ? nullptr : &it->second;
  };
  const auto it = exact_.find(folded);
  const std::string* wrapped_command = nullptr;
  if (it == exact_.end() && !greeting) {
    wrapped_command = command_wrapped_in(words);
    if (wrapped_command == nullptr && rewritten)
      wrapped_command = command_wrapped_in(text::words(reading.typed));
  }
  if (it == exact_.end() && greeting) {
    r.kind = Interpretation::Kind::kIntent;
    r.payload = kGreetingIntent;
    r.score = 100;
    r.coverage = 1;
  } else if (it == exact_.end() && wrapped_command != nullptr) {
    r.kind = Interpretation::Kind::kIntent;
    r.payload = *wrapped_command;
    r.score = 100;
    r.coverage = 1;
  } else if (it != exact_.end()) {
    r.payload = it->second;
    r.kind = r.payload.starts_with("ex:") ? Interpretation::Kind::kExplainer
                                          : Interpretation::Kind::kIntent;
    r.score = 100;
    r.coverage = 1;
  } else {
    // An intent's phrase of two or more words, whole, anywhere in the message: a request to
    // do something ("đặt lịch tư vấn", "nhận tin", "gặp cán bộ"). The longest one wins.
    for (const Contained& c : contained_) {
      const auto at_read = contained_at(c);
      const auto at_stem = reading.english ? padded_stems.find(c.stemmed) : std::string::npos;
      const bool as_read = at_read != std::string::npos;
      const bool as_stems = !as_read && at_stem != std::string::npos;
      if ((!as_read && !as_stems && !(c.as_typed_too && typed_has(c.padded))) ||
          ruled_out(c.payload, says) || (chat && !c.in_chat))
        continue;
      const std::string& message = as_read ? padded : as_stems ? padded_stems : padded_typed;
      const auto at = as_read ? at_read : as_stems ? at_stem : message.find(c.padded);
      r.kind = Interpretation::Kind::kIntent;
      r.payload = c.payload;
      r.score = 50;
      r.coverage = 1;
      if (!c.negated.empty()) {
        // A negation among the four words before the phrase flips it ("đừng gửi tin").
        const std::string before = message.substr(0, at + 1);
        std::vector<std::string> prior = text::words(before);
        const std::size_t from = prior.size() > 4 ? prior.size() - 4 : 0;
        for (std::size_t k = from; k < prior.size(); ++k)
          if (std::find(negations_.begin(), negations_.end(), prior[k]) != negations_.end())
            r.payload = c.negated;
      }
      break;
    }
  }
  // A phrase of each group anywhere ("lớp tập huấn" … "tháng sau"): asked for in so many words.
  for (const Together& t : together_) {
    if (r.kind != Interpretation::Kind::kNothing)
      break;
    const bool all = std::all_of(t.groups.begin(), t.groups.end(), [&](const auto& group) {
      return std::any_of(group.begin(), group.end(), says);
    });
    if (all && !ruled_out(t.payload, says)) {
      r.kind = Interpretation::Kind::kIntent;
      r.payload = t.payload;
      r.score = 40;
      r.coverage = 1;
    }
  }

  // An old ward's name ("old ward 12", "phường 10 cũ", with the "old"/"cũ" next to it) says
  // where, not what: its words rank nothing ("we make helmets in old ward 12, which QCVN
  // applies"; "nhà ở phường 12 cũ, giờ muốn làm sổ hồng"). Whether the message asks where the
  // ward is now is decided after ranking, by words apart from the name.
  const OldWardNamed old_ward = old_ward_in(words);
  const auto asked_by_word = [&](const std::string& w) {
    return std::find(ward_asked_by_.begin(), ward_asked_by_.end(), " " + w + " ") !=
           ward_asked_by_.end();
  };
  std::size_t address_from = old_ward.from;
  std::size_t address_to = old_ward.to;
  if (address_from > 0 && asked_by_word(words[address_from - 1]))
    --address_from;
  if (address_to < words.size() && asked_by_word(words[address_to]))
    ++address_to;
  // The message's words apart from the ward's name, padded with spaces.
  std::string apart_from_the_name = " ";
  for (std::size_t k = 0; old_ward.number > 0 && k < words.size(); ++k)
    if (k < address_from || k >= address_to)
      apart_from_the_name += words[k] + " ";
  const auto asked_apart = [&](const std::string& w) {
    return apart_from_the_name.find(w) != std::string::npos;
  };
  const bool asks_apart_from_the_name =
      old_ward.number > 0 && std::any_of(ward_asked_by_.begin(), ward_asked_by_.end(), asked_apart);
  // Which ward, asked apart from the name (ward_asked_which_: "ghi phường gì"; "giờ" alone is
  // "now", as in "giờ muốn làm sổ hồng").
  const bool asks_which_ward =
      asks_apart_from_the_name &&
      std::any_of(ward_asked_which_.begin(), ward_asked_which_.end(), asked_apart);

  // Place names of the service area say where, not what: they do not rank explainers.
  std::vector<std::string> search_words;
  std::vector<std::string> search_shown;
  std::vector<bool> said_in_chat;  // per word of search_words: part of a chat phrase
  std::vector<bool> neutral_at(words.size(), false);  // a word of a place name or an idiom
  for (std::size_t i = 0; i < words.size();) {
    std::size_t skip = i >= address_from && i < address_to ? address_to - i : 0;
    // What the question is not about ("not the brand name"): the marker and a few words after.
    for (const auto& phrase : not_this_)
      if (i + phrase.size() <= words.size() &&
          std::equal(phrase.begin(), phrase.end(), words.begin() + static_cast<long>(i)))
        skip = std::min(words.size() - i, phrase.size() + kNotThisWords);
    for (const auto& phrase : neutral_) {
      if (phrase.size() > skip && i + phrase.size() <= words.size() &&
          std::equal(phrase.begin(), phrase.end(), words.begin() + static_cast<long>(i)))
        skip = phrase.size();
    }
    if (skip > 0) {
      std::fill_n(neutral_at.begin() + static_cast<long>(i), skip, true);
      i += skip;
      continue;
    }
    // "phí bao nhiêu vậy", "phi bao nhieu vay": the particle "vậy", not "vay" (a loan).
    if (is_written_particle(reading.shown[i]) || is_closing_particle(words, i)) {
      ++i;
      continue;
    }
    search_words.push_back(words[i]);
    search_shown.push_back(reading.shown[i]);
    said_in_chat.push_back(chat_at[i]);
    ++i;
  }
  // The message's own words end here; the lexicon's terms follow.
  const std::size_t message_words = search_words.size();
  // Everyday words for a concept (lexicon.yaml): the content's term joins what is ranked, and
  // the reading shows it after the words it stands for ("logo (nhãn hiệu)").
  std::vector<std::pair<std::size_t, std::string>> glosses;  // after word i → "(term)"
  std::vector<const Synonym*> terms_added;
  // The rest of a phrase said apart, within a few words after its start: "tiền điện tháng này
  // cao quá, có cách nào giảm" says "tiền điện … giảm".
  const auto said_later = [&](const Synonym& syn, std::size_t from) {
    const auto& part = reading.english ? syn.then_stems : syn.then;
    const auto& seen = reading.english ? stems : words;
    const std::size_t last = std::min(seen.size(), from + kSaidApartWords + part.size());
    for (std::size_t j = from; j + part.size() <= last; ++j)
      if (std::equal(part.begin(), part.end(), seen.begin() + static_cast<long>(j)) &&
          std::none_of(neutral_at.begin() + static_cast<long>(j),
                       neutral_at.begin() + static_cast<long>(j + part.size()),
                       [](bool n) { return n; }))
        return true;
    return false;
  };
  for (std::size_t i = 0; i < words.size();) {
    const Synonym* found = nullptr;
    const auto& by_first = reading.english ? lexicon_by_first_stem_ : lexicon_by_first_word_;
    const auto starting = by_first.find(reading.english ? stems[i] : words[i]);
    if (starting == by_first.end()) {
      ++i;
      continue;
    }
    for (const std::size_t k : starting->second) {
      const Synonym& syn = lexicon_[k];
      const std::size_t end = i + syn.phrase.size();
      if (end > words.size() ||
          !(reading.english ? std::equal(syn.stems.begin(), syn.stems.end(),
                                         stems.begin() + static_cast<long>(i))
                            : std::equal(syn.phrase.begin(), syn.phrase.end(),
                                         words.begin() + static_cast<long>(i))) ||
          std::any_of(neutral_at.begin() + static_cast<long>(i),
                      neutral_at.begin() + static_cast<long>(end), [](bool n) { return n; }))
        continue;
      if (syn.phrase.size() > 1 && edge_taken(i, end, syn.marks))
        continue;
      if (!syn.then.empty() && !said_later(syn, end))
        continue;
      found = &syn;
      break;
    }
    if (found == nullptr) {
      ++i;
      continue;
    }
    // A term is ranked once, however many of its phrases the message has ("bán online trên
    // shopee" is one concept, not twice the evidence for it).
    const bool first_time = std::none_of(terms_added.begin(), terms_added.end(),
                                         [&](const Synonym* t) { return t->term == found->term; });
    if (first_time) {
      terms_added.push_back(found);
      const bool from_chat = std::any_of(
          chat_at.begin() + static_cast<long>(i),
          chat_at.begin() + static_cast<long>(i + found->phrase.size()), [](bool c) { return c; });
      search_words.push_back("|");
      search_shown.emplace_back();
      search_words.insert(search_words.end(), found->term.begin(), found->term.end());
      search_shown.insert(search_shown.end(), found->term_shown.begin(), found->term_shown.end());
      said_in_chat.resize(search_words.size(), from_chat);
    }
    i += found->phrase.size();
    // A message that already says most of the term needs no gloss ("có làm việc không" is not
    // shown with "(giờ làm việc)", nor "tem kiểm định cân ở chợ" with "(kiểm định)"), and a term
    // is glossed once ("tên tiệm (nhãn hiệu) để khỏi bị nhái", not twice).
    if (!first_time)
      continue;
    const auto said = std::count_if(found->term.begin(), found->term.end(), [&](const auto& w) {
      return std::find(words.begin(), words.end(), w) != words.end();
    });
    if (2 * static_cast<std::size_t>(said) <= found->term.size())
      glosses.push_back({i - 1, "(" + join(found->term_shown) + ")"});
  }
  const Ranker& rk = ranker(reading.english);
  auto hits = rk.index.search(search_words, search_shown, 10);
  std::erase_if(hits, [&](const auto& h) {
    const auto doc = static_cast<std::size_t>(h.doc);
    return doc < rk.unless.size() && rk.unless[doc] && ruled_out(rk.payload[doc], says_plainly);
  });
  // Candidates: distinct explainers, best first.
  for (const auto& h : hits) {
    const std::string& p = rk.payload[static_cast<std::size_t>(h.doc)];
    if (!p.starts_with("ex:") || r.candidates.size() >= 3)
      continue;
    r.candidates.push_back(
        {p.substr(3), rk.topics[static_cast<std::size_t>(h.doc)], h.score, h.key_words});
  }
  if (r.kind == Interpretation::Kind::kExplainer)
    r.explainer = r.payload.substr(3);

  if (r.kind == Interpretation::Kind::kNothing && !hits.empty()) {
    const auto& best = hits.front();
    const std::string& payload = rk.payload[static_cast<std::size_t>(best.doc)];
    const auto& topics = rk.topics[static_cast<std::size_t>(best.doc)];
    // The runner-up that would be a different answer (another intent, or another topic).
    double rival = 0;
    int rival_key_words = 0;
    std::string rival_payload;
    for (std::size_t i = 1; i < hits.size(); ++i) {
      const auto& other_topics = rk.topics[static_cast<std::size_t>(hits[i].doc)];
      const std::string& other = rk.payload[static_cast<std::size_t>(hits[i].doc)];
      if (other == payload || (!topics.empty() && share_topic(topics, other_topics)))
        continue;
      rival = hits[i].score;
      rival_payload = other;
      rival_key_words = hits[i].key_words;
      break;
    }
    r.score = best.score;
    r.coverage = best.coverage;
    r.rival = rival;
    r.key_words = best.key_words;
    r.rival_payload = rival_payload;
    r.best_payload = payload;
    // A referral may cover less of the question than an answer (people wrap "sổ hồng" in a
    // long story), with the evidence a "did you mean" needs; but an explainer close behind it
    // means the question may well be ours, so it must stand out as thin evidence must.
    const bool referral = payload.starts_with("referral:");
    // A key phrase of three words or more found whole, with strong evidence, is an answer even
    // when the rest of the question is words the content does not have ("mã số mã vạch cho
    // bánh tráng").
    const bool covers =
        (best.coverage >= (reading.english ? kAnswerCoverageEn : kAnswerCoverage) &&
         best.score >= kAnswerScore) ||
        (best.key_words >= 3 && best.score >= kClarifyStrongScore &&
         best.coverage >= kClarifyCoverage) ||
        (referral && best.coverage >= kReferralCoverage && best.score >= kClarifyScore) ||
        (referral && best.key_words >= 3 && best.score >= kClarifyStrongScore &&
         best.coverage >= kReferralKeyPhraseCoverage);
    const bool clear =
        rival == 0 ||
        best.score >= rival * (best.score >= kThinScore && !referral ? kAnswerMargin : kThinMargin);
    // A referral close behind an explainer: the question may be the other office's ("bán hàng
    // trên shopee thì đóng thuế thế nào"), so no explainer is offered on thin evidence. Only when
    // the question names its subject: words its examples share with any procedure ("cần giấy
    // tờ gì") say nothing of whose it is.
    const bool referral_close = !referral && rival_payload.starts_with("referral:") &&
                                rival_key_words > 0 && best.score < rival * kAnswerMargin;
    // The question names one of the explainer's key phrases of two words or more ("bảng giá",
    // "chuyển đổi số"): enough for a "did you mean", even when the rest of a long question is
    // words the content does not have.
    // In English one word can name it ("patent", "trademark"), when nothing else comes close: an
    // English question is often a long story around it ("I made a new jig … can I get a patent").
    // A key phrase of another explainer of the same topic counts ("nhãn hiệu bị từ chối": the
    // steps explainer ranks first, the trademark explainer has the phrase).
    int topic_key_words = best.key_words;
    for (const auto& h : hits)
      if (!topics.empty() && share_topic(topics, rk.topics[static_cast<std::size_t>(h.doc)]))
        topic_key_words = std::max(topic_key_words, h.key_words);
    const bool names_concept =
        (topic_key_words >= 2 || ((reading.english || words.size() <= kShortQuestionWords) &&
                                  best.key_words >= 1 && clear)) &&
        best.score >= kConceptScore;
    // Another office's subject named in so many words ("đóng thuế", "sổ hồng") with evidence
    // near the explainer's: the question is likely that office's, whatever it is about besides
    // ("bán trên shopee thì đóng thuế thế nào"). Name the office, do not explain our topic.
    const SearchIndex::Hit* named_referral = nullptr;
    if (!referral)
      for (const auto& h : hits)
        if (rk.payload[static_cast<std::size_t>(h.doc)].starts_with("referral:") &&
            h.key_words >= 2 && h.score >= best.score * kNamedReferralShare) {
          named_referral = &h;
          break;
        }
    // Everyday chat is ours only when the words around it make an answer by themselves.
    const auto apart_from_chat = [&] {
      std::vector<std::string> rest;
      std::vector<std::string> rest_shown;
      for (std::size_t k = 0; k < search_words.size(); ++k)
        if (!said_in_chat[k]) {
          rest.push_back(search_words[k]);
          rest_shown.push_back(search_shown[k]);
        }
      for (const auto& h : rk.index.search(rest, rest_shown, 3)) {
        const auto doc = static_cast<std::size_t>(h.doc);
        if (doc < rk.unless.size() && rk.unless[doc] && ruled_out(rk.payload[doc], says_plainly))
          continue;
        return rk.payload[doc] == payload &&
               ((h.score >= kThinScore &&
                 h.coverage >= (reading.english ? kAnswerCoverageEn : kAnswerCoverage)) ||
                (h.key_words >= 2 && h.score >= kClarifyStrongScore));
      }
      return false;
    };
    // An explainer close behind the best that names one of its key phrases of three words or
    // more ("sạp rau muốn chuyển đổi số"): worth a "did you mean" when the best is not.
    const auto names_close_behind = [&]() -> const SearchIndex::Hit* {
      if (!payload.starts_with("ex:"))
        return nullptr;
      for (std::size_t i = 1; i < hits.size() && i < 3; ++i) {
        const std::string& p = rk.payload[static_cast<std::size_t>(hits[i].doc)];
        if (p.starts_with("ex:") && hits[i].key_words >= 3 && hits[i].score >= kClarifyScore &&
            hits[i].score >= best.score * kNamedCloseShare)
          return &hits[i];
      }
      return nullptr;
    };
    // Overwhelming evidence, a key phrase of three words or more found whole with a score few
    // questions reach, makes an answer of the words apart from the chat however much the chat
    // adds ("con gái tôi sáng tác được mấy bài hát, muốn đăng ký quyền tác giả cho cháu").
    const bool overwhelming = best.key_words >= 3 && best.score >= kChatOverwhelmingScore;
    if (chat && (((best.coverage < kAnswerCoverage || best.score < kThinScore) && !overwhelming) ||
                 !apart_from_chat())) {
      r.kind = Interpretation::Kind::kFallback;
    } else if (named_referral && payload.starts_with("ex:") &&
               (best.key_words < 3 || named_referral->score >= best.score * kNamedReferralClose)) {
      r.kind = Interpretation::Kind::kIntent;
      r.payload = rk.payload[static_cast<std::size_t>(named_referral->doc)];
    } else if (covers && clear) {
      r.kind = payload.starts_with("ex:") ? Interpretation::Kind::kExplainer
                                          : Interpretation::Kind::kIntent;
      r.payload = payload;
      if (payload.starts_with("ex:"))
        r.explainer = payload.substr(3);
    } else if (payload.starts_with("ex:") && !referral_close &&
               ((best.coverage >= kClarifyCoverage &&
                 best.score >= (reading.english ? kClarifyScoreEn : kClarifyScore)) ||
                best.score >= kClarifyStrongScore || names_concept)) {
      r.kind = Interpretation::Kind::kClarify;
      r.explainer = payload.substr(3);
    } else if (!payload.starts_with("ex:") && !referral && covers) {
      r.kind = Interpretation::Kind::kIntent;
      r.payload = payload;
    } else if (const SearchIndex::Hit* named = names_close_behind(); named && !referral_close) {
      r.kind = Interpretation::Kind::kClarify;
      r.explainer = rk.payload[static_cast<std::size_t>(named->doc)].substr(3);
    } else {
      r.kind = Interpretation::Kind::kFallback;
    }
    // A "did you mean" whose first explainer names none of its key phrases offers first one
    // close behind that names one of two words or more, typed or said in everyday words the
    // lexicon knows ("register a trademark for my coffee shop", "nhãn hiệu nước mắm muốn đăng
    // ký": the coffee shop and the fish sauce are where and what for, the trademark is what is
    // asked; one example's setting would otherwise outweigh it). Measured on every question
    // set (round 27): in Vietnamese as in English it gains more than it loses.
    if (r.kind == Interpretation::Kind::kClarify && best.key_words == 0) {
      for (std::size_t i = 1; i < hits.size() && i < 3; ++i) {
        const std::string& p = rk.payload[static_cast<std::size_t>(hits[i].doc)];
        if (!p.starts_with("ex:") || hits[i].key_words < 2 ||
            hits[i].score < best.score * kNamedCloseShare)
          continue;
        r.explainer = p.substr(3);
        const auto named =
            std::find_if(r.candidates.begin(), r.candidates.end(),
                         [&](const Candidate& c) { return c.explainer == r.explainer; });
        if (named != r.candidates.end())
          std::rotate(r.candidates.begin(), named, named + 1);
        break;
      }
    }
  }
  if (r.kind == Interpretation::Kind::kNothing)
    r.kind = Interpretation::Kind::kFallback;
  // "X thì Y": Y is what is asked, X the situation. When Y alone names another office's subject
  // in so many words ("bán hàng online trên shopee thì đóng thuế thế nào"), the question is that
  // office's, however strongly X matched one of our explainers.
  if (!reading.english && !search_words.empty() &&
      (r.kind == Interpretation::Kind::kExplainer || r.kind == Interpretation::Kind::kClarify)) {
    // Only the message's own words after "thì": the terms the lexicon added stand for words
    // anywhere in it, the situation's included.
    const std::vector<std::string> said(search_words.begin(),
                                        search_words.begin() + static_cast<long>(message_words));
    if (const std::size_t k = asked_after(said, search_shown); k > 0) {
      const std::vector<std::string> asked(said.begin() + static_cast<long>(k), said.end());
      const std::vector<std::string> asked_shown(
          search_shown.begin() + static_cast<long>(k),
          search_shown.begin() + static_cast<long>(message_words));
      for (const auto& h : rk.index.search(asked, asked_shown, 3)) {
        const auto doc = static_cast<std::size_t>(h.doc);
        if (doc < rk.unless.size() && rk.unless[doc] && ruled_out(rk.payload[doc], says_plainly))
          continue;
        if (rk.payload[doc].starts_with("referral:") && h.key_words >= 2 &&
            h.score >= kClarifyScore) {
          r.kind = Interpretation::Kind::kIntent;
          r.payload = rk.payload[doc];
          r.explainer.clear();
        }
        break;  // only the best of what is asked
      }
    }
  }
  // An old ward named with a word that asks where it is now ("phường 7 cũ giờ là phường gì"):
  // the one line for that ward, unless the question is clearly about something else ("tôi ở
  // phường 10 cũ, muốn đăng ký nhãn hiệu" is a trademark question with an address). Another
  // office's paper that bears the old name asks which ward to write ("hồ sơ xin việc ghi
  // phường gì", "my residence card still says Phường 17 … does that ward still exist").
  if (old_ward.number > 0 && std::any_of(ward_asked_by_.begin(), ward_asked_by_.end(), has) &&
      (r.kind == Interpretation::Kind::kFallback || r.explainer == ward_explainer_ ||
       (r.kind == Interpretation::Kind::kClarify && asks_apart_from_the_name) ||
       (r.payload.starts_with("referral:") && asks_which_ward))) {
    r.kind = Interpretation::Kind::kIntent;
    r.payload = "ward:" + std::to_string(old_ward.number);
    r.explainer.clear();
  }
  if (r.kind == Interpretation::Kind::kFallback || r.kind == Interpretation::Kind::kIntent)
    r.candidates.clear();
  // The glosses are the content's Vietnamese terms: they help a Vietnamese reader only. An
  // English question is shown back only when a typo in it was mended.
  if (reading.english)
    glosses.clear();
  const bool show_reading =
      reading.english ? rewritten : typed_without_diacritics || rewritten || !glosses.empty();
  if (show_reading &&
      (r.kind == Interpretation::Kind::kExplainer || r.kind == Interpretation::Kind::kClarify)) {
    // Counted only when a reading is shown: at least half the words typed carry diacritics.
    const auto typed_words = text::words(text::lower(text));
    const auto marked = std::count_if(typed_words.begin(), typed_words.end(),
                                      [](const std::string& w) { return text::fold(w) != w; });
    const bool mostly_marked = 2 * static_cast<std::size_t>(marked) >= typed_words.size();
    // English is shown as typed (restoring diacritics is for Vietnamese).
    std::vector<std::string> shown = reading.english ? words : text::words(restore(words));
    if (shown.size() != words.size())  // a written form split differently: no glosses then
      glosses.clear();
    else  // a word typed with its diacritics is shown as typed ("hũ", never restored "hư"),
      // and so is one typed without them in a message mostly typed with them: "con trai tôi
      // mới ra trường" means its "con trai", not "còn trái".
      for (std::size_t i = 0; i < shown.size(); ++i)
        if (!reading.shown[i].empty())
          shown[i] = reading.shown[i];
        else if (mostly_marked && reading.as_typed[i])
          shown[i] = words[i];
    std::string restored;
    std::size_t g = 0;
    for (std::size_t i = 0; i < shown.size(); ++i) {
      restored += (i ? " " : "") + shown[i];
      for (; g < glosses.size() && glosses[g].first == i; ++g) restored += " " + glosses[g].second;
    }
    if (restored != text::lower(text))
      r.reading = std::move(restored);
  }
  return r;
}

Understanding::OldWardNamed Understanding::old_ward_in(
    const std::vector<std::string>& words) const {
  auto known = [&](std::string_view digits) {
    int n = 0;
    if (!all_digits(digits) || digits.size() > 2)
      return 0;
    for (char c : digits) n = n * 10 + (c - '0');
    return std::find(old_wards_.begin(), old_wards_.end(), n) != old_wards_.end() ? n : 0;
  };
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if ((w == "phuong" || w == "p" || w == "ward" || w == "f") && i + 1 < words.size())
      if (const int n = known(words[i + 1]))
        return {n, i, i + 2};
    if (w.size() >= 2 && (w[0] == 'p' || w[0] == 'f'))  // "p7", "f10"
      if (const int n = known(std::string_view(w).substr(1)))
        return {n, i, i + 1};
  }
  return {};
}

bool Understanding::ruled_out(const std::string& payload,
                              const std::function<bool(const Marked&)>& in_message) const {
  const auto it = unless_.find(payload);
  return it != unless_.end() && std::any_of(it->second.begin(), it->second.end(), in_message);
}

namespace {
constexpr long kMaxCommandWords = 8;

// Words that take a yes back: a negation, a change, a doubt.
bool unsaying(const std::string& w) {
  static const std::unordered_set<std::string> k = {
      "khong", "ko",   "k",  "hok", "chua",   "sai",  "sua",   "doi", "nhung",
      "khoan", "wait", "no", "not", "change", "edit", "wrong", "but", "hold"};
  return k.contains(w);
}
}  // namespace

// A command said in a few words: the whole of them ("không đặt nữa"); the command with the words
// people wrap it in; or several words that each are the same command ("ok confirm"). At the
// summary, a short yes with other harmless words ("ok đặt giúp mình nhé", "dc ạ") confirms.
std::optional<std::string> Understanding::command_in(const std::vector<std::string>& words) const {
  std::string whole;
  for (const auto& w : words) whole += (whole.empty() ? "" : " ") + w;
  if (auto it = flow_commands_.find(whole); it != flow_commands_.end())
    return it->second;
  std::vector<std::string> core;
  for (const auto& w : words)
    if (!wrapping(w))
      core.push_back(w);
  if (core.empty() || core.size() > 3)
    return std::nullopt;
  std::string joined;
  for (const auto& w : core) joined += (joined.empty() ? "" : " ") + w;
  if (auto it = flow_commands_.find(joined); it != flow_commands_.end())
    return it->second;
  std::optional<std::string> each;
  bool yes = false;
  bool unsaid = false;
  bool other_command = false;
  for (const auto& w : core) {
    const auto it = flow_commands_.find(w);
    if (it != flow_commands_.end() && it->second == "flow:confirm")
      yes = true;
    else if (it != flow_commands_.end())
      other_command = true;
    unsaid = unsaid || unsaying(w);
    if (it == flow_commands_.end() || (each && *each != it->second))
      each = "";
    else if (!each)
      each = it->second;
  }
  if (each && !each->empty())
    return each;
  if (yes && !unsaid && !other_command)
    return "flow:confirm";
  return std::nullopt;
}

std::optional<std::string> Understanding::flow_command(std::string_view text) const {
  const std::string whole = normalize(text);
  if (auto it = flow_commands_.find(whole); it != flow_commands_.end())
    return it->second;
  // As typed, and as read ("dc" is "được").
  if (auto c = command_in(text::words(whole)))
    return c;
  if (auto c = command_in(read(text).folded))
    return c;
  // "thôi hủy nhé, để em hỏi lại sếp đã", "cancel, sorry, I need to check first": a clause of
  // its own that leaves the form. (Other commands count only as the whole message: "ok, nhưng
  // sửa giờ" is not a yes.)
  // "Yes, that is correct": every clause a yes.
  std::size_t from = 0;
  const std::string_view clauses = text;
  bool every_clause_yes = true;
  int clause_count = 0;
  while (from < clauses.size()) {
    std::size_t to = clauses.find_first_of(",.;!?\n", from);
    if (to == std::string_view::npos)
      to = clauses.size();
    const auto clause = clauses.substr(from, to - from);
    // A bare "thôi" before a comma is often a change of mind within the step ("thôi, trực
    // tuyến đi"), not leaving the form.
    const auto words = folded_words(clause);
    const bool bare_thoi = std::all_of(words.begin(), words.end(), [](const std::string& w) {
      return w == "thoi" || wrapping(w);
    });
    auto command = words.empty() ? std::nullopt : command_in(words);
    if (!command && !words.empty() && clause.size() < text.size())  // "thôi k đặt nữa, …"
      command = leaving_in(clause);
    if (clause.size() < text.size() && !bare_thoi && command &&
        (*command == "flow:cancel" || *command == "flow:back"))
      return command;
    if (!words.empty()) {
      ++clause_count;
      every_clause_yes = every_clause_yes && command && *command == "flow:confirm";
    }
    from = to + 1;
  }
  if (clause_count > 1 && every_clause_yes)
    return "flow:confirm";
  // "thôi khỏi đặt nữa để bữa khác …": a long message that opens with leaving in two or three
  // words (one word, "hủy …", may be the start of an answer: "hủy hợp đồng thuê nhà").
  const auto all_words = text::words(whole);
  for (std::size_t n = 2; n <= 3 && n < all_words.size(); ++n) {
    const std::vector<std::string> opening(all_words.begin(), all_words.begin() + n);
    if (auto c = command_in(opening); c && *c == "flow:cancel")
      return c;
  }
  // "thôi để em hỏi lại nhóm rồi đặt sau ạ, em cảm ơn", "à mà thôi, …, giờ chưa cần đặt lịch
  // đâu": a message with "thôi" in its first three words that says leaving in one of its
  // clauses, however long.
  const auto opening = text::words(whole);
  const auto head = opening.begin() + std::min<std::ptrdiff_t>(3, std::ssize(opening));
  if (std::find(opening.begin(), head, "thoi") != head && opening.size() <= 25) {
    for (std::size_t at = 0; at < text.size();) {
      std::size_t end = text.find_first_of(",.;!?\n", at);
      if (end == std::string_view::npos)
        end = text.size();
      if (auto c = anywhere_in(text.substr(at, end - at)); c && *c == "flow:cancel")
        return c;
      at = end + 1;
    }
  }
  // A phrase inside a long message is part of what it says ("… dừng lại vì thiếu vốn" in a
  // description), not a command: anywhere phrases count in short messages only.
  if (whole.empty() || flow_anywhere_.empty() ||
      std::count(whole.begin(), whole.end(), ' ') >= kMaxCommandWords)
    return std::nullopt;
  return anywhere_in(text);
}

std::optional<std::string> Understanding::anywhere_in(std::string_view text) const {
  // Anywhere in the message, as typed or as read (abbreviations: "ko đặt nữa").
  std::string as_read;
  for (const auto& w : read(text).folded) as_read += w + " ";
  const std::string padded = " " + normalize(text) + " ";
  as_read = " " + as_read;
  for (const auto& [phrase, payload] : flow_anywhere_)
    if (padded.find(phrase) != std::string::npos || as_read.find(phrase) != std::string::npos)
      return payload;
  return std::nullopt;
}

std::optional<std::string> Understanding::leaving_in(std::string_view clause) const {
  // A short clause of its own, as read ("thôi k đặt nữa" is "thôi không đặt nữa"): only leaving
  // counts here, the other commands being whole messages.
  if (std::count(clause.begin(), clause.end(), ' ') >= kMaxCommandWords)
    return std::nullopt;
  auto c = command_in(read(clause).folded);
  if (!c)
    c = anywhere_in(clause);
  if (c && *c == "flow:cancel")
    return c;
  return std::nullopt;
}

}  // namespace outreach::router

namespace outreach::router {

nlohmann::json describe(const Interpretation& meant, const content::Snapshot& snapshot) {
  using Kind = Interpretation::Kind;
  auto topics_of = [&](const std::string& id) {
    const content::Explainer* e = snapshot.explainer(id, content::kVi);
    return e ? e->topics : std::vector<std::string>{};
  };
  std::string intent = "fallback";
  std::string explainer;
  std::string referral;
  if (meant.kind == Kind::kExplainer || meant.kind == Kind::kClarify) {
    intent = "explainer";
    explainer = meant.explainer;
  } else if (meant.kind == Kind::kIntent) {
    const std::string_view p = meant.payload;
    const std::string_view name = p.substr(0, p.find(':'));
    if (name == "privacy") {  // "my data" / "delete my data" answer the privacy topic
      intent = "explainer";
      explainer = snapshot.explainer("privacy", content::kVi) ? "privacy" : "";
    } else if (name == "ward") {  // an old ward's one line stands for the whole explainer
      intent = "explainer";
      explainer = snapshot.old_wards.explainer;
    } else if (name == "referral") {  // not answered here: the office that does is named
      referral = std::string(p.substr(name.size() + 1));
    } else if (name == "menu" || name == "help" || name == "lang" || name == "policies") {
      intent = "menu";
    } else {
      intent = std::string(name);
    }
  }
  nlohmann::json candidates = nlohmann::json::array();
  for (const Candidate& c : meant.candidates)
    candidates.push_back({{"id", c.explainer}, {"topics", c.topics}, {"score", c.score}});
  nlohmann::json out = {
      {"intent", intent},
      {"topics", explainer.empty() ? std::vector<std::string>{} : topics_of(explainer)},
      {"explainer", explainer.empty() ? nlohmann::json() : nlohmann::json(explainer)},
      {"score", meant.score},
      {"coverage", meant.coverage},
      {"rival", meant.rival},
      {"key_words", meant.key_words},
      {"rival_best", meant.rival_payload},
      {"best", meant.best_payload},
      {"confident", meant.kind != Kind::kClarify},
      {"kind", to_string(meant.kind)},
      {"candidates", candidates}};
  if (!meant.reading.empty())
    out["reading"] = meant.reading;
  if (meant.english)
    out["english"] = true;
  if (!referral.empty())
    out["referral"] = referral;
  return out;
}

}  // namespace outreach::router

namespace outreach::router {

std::shared_ptr<const Understanding> UnderstandingCache::get(
    const std::shared_ptr<const content::Snapshot>& snapshot) {
  {
    std::lock_guard lock(mu_);
    if (snapshot_ == snapshot && value_)
      return value_;
  }
  auto built = std::make_shared<const Understanding>(*snapshot);
  std::lock_guard lock(mu_);
  if (snapshot_ != snapshot) {
    snapshot_ = snapshot;
    value_ = built;
  }
  return value_;
}

namespace {

// What a follow-up asks about an explainer just shown, in the words people ask it with (folded),
// and the words a page about it has, per language: a follow-up names one of these.
struct Aspect {
  std::vector<std::string_view> asked;
  std::string_view vi;
  std::string_view en;
};

const std::vector<Aspect>& aspects() {
  static const std::vector<Aspect> k = {
      {{"phi", "le phi", "chi phi", "bao nhieu tien", "ton bao nhieu", "het bao nhieu",
        "mat bao nhieu", "gia bao nhieu", "ton tien", "mat tien", "cost", "costs", "fee", "fees",
        "how much"},
       "phí lệ phí chi phí",
       "fee fees cost costs"},
      {{"bao lau", "may ngay", "may thang", "bao nhieu ngay", "bao nhieu thang", "thoi gian",
        "how long", "how many days", "how many months"},
       "thời gian tháng ngày",
       "time months days weeks"},
      {{"hieu luc", "bao nhieu nam", "may nam", "gia han", "het han", "valid", "renew", "expire",
        "expires"},
       "hiệu lực thời hạn gia hạn năm",
       "valid validity renew years"},
      {{"ho so", "giay to", "can gi", "can nhung gi", "chuan bi gi", "documents", "paperwork",
        "papers"},
       "hồ sơ giấy tờ chuẩn bị",
       "documents papers prepare"},
      {{"o dau", "cho nao", "noi nao", "where"}, "ở đâu nơi nộp", "where submit office"},
      {{"thu tuc", "cac buoc", "lam sao", "lam the nao", "nhu the nao", "how to", "steps",
        "procedure"},
       "các bước thủ tục quy trình",
       "steps procedure process"},
      {{"phat", "xu phat", "bi phat", "fine", "fined", "penalty", "penalties"},
       "phạt xử phạt",
       "fine fines penalties"},
      {{"online", "truc tuyen", "qua mang"}, "trực tuyến online", "online"},
      {{"dieu kien", "doi tuong", "eligible", "requirements", "conditions"},
       "điều kiện đối tượng",
       "conditions eligible requirements"}};
  return k;
}

}  // namespace

std::optional<Understanding::FollowUp> Understanding::follow_up(std::string_view text,
                                                                std::string_view previous,
                                                                const Interpretation& alone) const {
  const auto near = near_.find(std::string(previous));
  if (near == near_.end())
    return std::nullopt;
  if (alone.kind != Interpretation::Kind::kFallback || alone.chat)
    return std::nullopt;
  const Reading reading = read(text);
  std::vector<std::string> words;
  std::vector<std::string> shown;
  for (std::size_t i = 0; i < reading.folded.size(); ++i)
    if (reading.english ||
        !(is_written_particle(reading.shown[i]) || is_closing_particle(reading.folded, i))) {
      words.push_back(reading.folded[i]);
      shown.push_back(reading.shown[i]);
    }
  if (words.empty() || words.size() > kFollowUpWords)
    return std::nullopt;
  // Only a question that asks one of the aspects ("phí", "bao lâu", "ở đâu"…): "ok cảm ơn" or
  // "mấy giờ rồi" is no follow-up. The aspect's page words join the question's.
  const std::string padded = " " + join(words) + " ";
  bool asks = false;
  for (const Aspect& a : aspects()) {
    if (std::none_of(a.asked.begin(), a.asked.end(), [&](std::string_view phrase) {
          return padded.find(" " + std::string(phrase) + " ") != std::string::npos;
        }))
      continue;
    asks = true;
    words.push_back("|");
    shown.emplace_back();
    for (auto& w : text::words(std::string(reading.english ? a.en : a.vi))) {
      words.push_back(text::fold(w));
      shown.push_back(std::move(w));
    }
  }
  if (!asks)
    return std::nullopt;
  // The best page of the explainers near the one shown, that one's own pages first when close.
  const Pages& pages = reading.english ? pages_en_ : pages_vi_;
  const auto hits = pages.index.search(words, shown, 40);
  const SearchIndex::Hit* best = nullptr;
  double best_score = 0;
  for (const auto& h : hits) {
    const FollowUp& f = pages.page[static_cast<std::size_t>(h.doc)];
    if (std::find(near->second.begin(), near->second.end(), f.explainer) == near->second.end())
      continue;
    if (h.score < kFollowUpScore || h.coverage < kFollowUpCoverage)
      continue;
    const double score = h.score * (f.explainer == previous ? kFollowUpOwnPage : 1.0);
    if (score > best_score) {
      best = &h;
      best_score = score;
    }
  }
  if (best == nullptr)
    return std::nullopt;
  return pages.page[static_cast<std::size_t>(best->doc)];
}

std::vector<std::string> Understanding::explainers_for(std::string_view text) const {
  const Interpretation meant = interpret(text);
  std::vector<std::string> out;
  if (meant.kind == Interpretation::Kind::kExplainer)
    out.push_back(meant.explainer);
  else if (meant.kind == Interpretation::Kind::kClarify)
    for (const auto& c : meant.candidates) out.push_back(c.explainer);
  return out;
}

}  // namespace outreach::router
