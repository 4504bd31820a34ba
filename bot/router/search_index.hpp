#pragma once
// SearchIndex: ranks documents (explainers) for a question with BM25F over folded words and
// adjacent-word bigrams (so a phrase outranks scattered words), with per-field weights
// (title, keywords, examples, summary, body). Also reports how much of the question a document
// covers (idf-weighted share of the question's words it contains), which is what tells an
// answer from a guess, and corrects one-letter typos against the vocabulary.
// Thread-safety: build with add() then finish(); afterwards every const member is safe to call
// from any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bot/router/vi_text.hpp"

namespace outreach::router {

class SearchIndex {
 public:
  // `extra_stopwords`: function words of the index's language beyond the Vietnamese ones
  // (is_stopword), e.g. is_english_stopword for the English index; null for none.
  // `stem`: maps every word of the documents, key phrases and questions to its stem (e.g.
  // english_stem for the English index); null to keep words as they are.
  using StopwordFn = bool (*)(std::string_view);
  using StemFn = std::string (*)(std::string_view);
  explicit SearchIndex(std::vector<double> field_weights,
                       StopwordFn extra_stopwords = nullptr,
                       StemFn stem = nullptr);

  // `fields[i]` is the folded word sequence of field i (stopwords included: they join bigrams),
  // `written[i]` the same words as written (with diacritics; may be empty strings).
  // A document added with `counted` false is found like any other but leaves the statistics
  // (document count, how rare a word is, average field lengths) as they would be without it:
  // adding such documents does not move the others' scores, nor the thresholds calibrated on them.
  int add(std::string id,
          const std::vector<std::vector<std::string>>& fields,
          const std::vector<std::vector<std::string>>& written,
          bool counted = true);
  // A key phrase of `doc` (a keyword, an intent's phrase): found whole in a question, it adds
  // `weight` per word — what the question is about outweighs rare words around it.
  // `shown` are its written words: a question word typed with diacritics must match them
  // ("cho" typed as "cho" does not match the keyword "chợ").
  void add_phrase(int doc,
                  std::vector<std::string> folded_words,
                  std::vector<std::string> shown,
                  double weight);
  void finish();

  struct Hit {
    int doc = 0;
    double score = 0;
    double coverage = 0;  // 0..1
    // Words of the longest key phrase of the document (a keyword, an intent's phrase) found
    // whole in the question: the question names one of the document's concepts.
    int key_words = 0;
  };

  // Best first; at most `limit`. `shown[i]` is word i as typed with diacritics, or empty.
  std::vector<Hit> search(const std::vector<std::string>& words,
                          const std::vector<std::string>& shown,
                          std::size_t limit) const;

  const std::string& id(int doc) const { return ids_[static_cast<std::size_t>(doc)]; }

  std::size_t size() const { return ids_.size(); }

  // True when some document contains the word.
  bool known(std::string_view word) const;
  // The most frequent known word one edit away (insert, delete, substitute, swap) from `word`,
  // for words of four letters or more.
  std::optional<std::string> correct(std::string_view word) const;

 private:
  struct Posting {
    int doc;
    float weighted_tf;  // Σ field weight × tf / length normalisation, filled by finish()
    std::vector<std::uint16_t> tf;  // per field, until finish()
  };

  struct Term {
    std::vector<Posting> postings;
    double idf = 0;
    bool bigram = false;
  };

  std::vector<std::string> terms_of(const std::vector<std::string>& words,
                                    const std::vector<std::string>& written) const;

  bool stop(std::string_view w) const { return is_stopword(w) || (extra_stop_ && extra_stop_(w)); }

  int term_id(const std::string& t);

  std::vector<double> weights_;
  std::vector<std::string> stemmed(std::vector<std::string> words) const;

  StopwordFn extra_stop_ = nullptr;
  StemFn stem_ = nullptr;
  std::vector<std::string> ids_;
  std::vector<std::vector<std::uint32_t>> lengths_;  // doc → field → terms
  std::vector<bool> counted_;                        // doc → counts in the statistics
  std::unordered_map<std::string, int> vocab_;
  std::vector<Term> terms_;
  std::vector<std::string> texts_;                             // term id → term
  std::unordered_map<std::string, std::vector<int>> deletes_;  // variant → unigram term ids

  struct Phrase {
    int doc;
    std::vector<std::string> words;
    std::vector<std::string> shown;
    double weight;
  };

  std::unordered_map<std::string, std::vector<Phrase>> phrases_;  // first word → phrases
  double max_idf_ = 1;
};

}  // namespace outreach::router
