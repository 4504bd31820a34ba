#include "bot/router/search_index.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "bot/router/vi_text.hpp"

namespace outreach::router {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
constexpr double kBigramBoost = 1.6;  // an adjacent pair counts more than its two words
// A word counts fully towards coverage once its weighted frequency reaches this (a title or
// keyword hit does; a passing mention in the body does not).
constexpr double kCoverTf = 4.0;

// Restricted Damerau–Levenshtein distance, capped: returns 2 for anything above 1.
int distance_at_most_one(std::string_view a, std::string_view b) {
  if (a == b)
    return 0;
  const std::size_t la = a.size();
  const std::size_t lb = b.size();
  if (la > lb + 1 || lb > la + 1)
    return 2;
  std::size_t i = 0;
  while (i < la && i < lb && a[i] == b[i]) ++i;
  if (la == lb) {
    if (a.substr(i + 1) == b.substr(i + 1))
      return 1;  // substitution
    if (i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2))
      return 1;
    return 2;
  }
  if (la > lb)
    return a.substr(i + 1) == b.substr(i) ? 1 : 2;  // deletion from a
  return a.substr(i) == b.substr(i + 1) ? 1 : 2;
}

bool is_article(std::string_view w) {
  return w == "a" || w == "an" || w == "the";
}

}  // namespace

SearchIndex::SearchIndex(std::vector<double> field_weights, StopwordFn extra_stopwords, StemFn stem)
    : weights_(std::move(field_weights)), extra_stop_(extra_stopwords), stem_(stem) {}

std::vector<std::string> SearchIndex::stemmed(std::vector<std::string> words) const {
  if (stem_ != nullptr)
    for (auto& w : words)
      if (w != "|")
        w = stem_(w);
  return words;
}

std::vector<std::string> SearchIndex::terms_of(const std::vector<std::string>& words,
                                               const std::vector<std::string>& written) const {
  auto form = [&](std::size_t i) {
    return i < written.size() ? std::string_view(written[i]) : std::string_view();
  };
  std::vector<std::string> out;
  out.reserve(words.size() * 2);
  // "|" separates phrases (keywords, example questions): no bigram crosses it.
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i] == "|")
      continue;
    if (!stop(words[i]))
      out.push_back(words[i]);
    // Bigrams of two content words only: "nộp ở", "thì nộp" say nothing about the topic.
    if (i + 1 < words.size() && words[i + 1] != "|" && !breaks_bigram(words[i], form(i)) &&
        !breaks_bigram(words[i + 1], form(i + 1)) && !stop(words[i]) && !stop(words[i + 1]))
      out.push_back(words[i] + " " + words[i + 1]);
  }
  return out;
}

int SearchIndex::term_id(const std::string& t) {
  auto [it, added] = vocab_.emplace(t, static_cast<int>(terms_.size()));
  if (added) {
    texts_.push_back(t);
    terms_.emplace_back();
    terms_.back().bigram = t.find(' ') != std::string::npos;
  }
  return it->second;
}

int SearchIndex::add(std::string id,
                     const std::vector<std::vector<std::string>>& fields,
                     const std::vector<std::vector<std::string>>& written,
                     bool counted) {
  static const std::vector<std::string> kNone;
  const int doc = static_cast<int>(ids_.size());
  ids_.push_back(std::move(id));
  counted_.push_back(counted);
  std::vector<std::uint32_t> lengths(weights_.size(), 0);
  std::unordered_map<int, std::vector<std::uint16_t>> tf;
  for (std::size_t f = 0; f < fields.size() && f < weights_.size(); ++f) {
    for (const std::string& t :
         terms_of(stemmed(fields[f]), f < written.size() ? written[f] : kNone)) {
      auto& counts = tf[term_id(t)];
      if (counts.empty())
        counts.assign(weights_.size(), 0);
      if (counts[f] < 0xFFFF)
        ++counts[f];
      ++lengths[f];
    }
  }
  for (auto& [term, counts] : tf)
    terms_[static_cast<std::size_t>(term)].postings.push_back({doc, 0, std::move(counts)});
  lengths_.push_back(std::move(lengths));
  return doc;
}

void SearchIndex::add_phrase(int doc,
                             std::vector<std::string> folded_words,
                             std::vector<std::string> shown,
                             double weight) {
  folded_words = stemmed(std::move(folded_words));
  if (stem_ != nullptr)  // English key phrases match with or without articles
    for (std::size_t i = folded_words.size(); i-- > 0;)
      if (is_article(folded_words[i])) {
        folded_words.erase(folded_words.begin() + static_cast<long>(i));
        if (i < shown.size())
          shown.erase(shown.begin() + static_cast<long>(i));
      }
  if (folded_words.empty())
    return;
  // A single stopword ("có") or a lone short word is no evidence of a topic.
  if (folded_words.size() == 1 && stop(folded_words[0]))
    return;
  std::string first = folded_words.front();
  auto& list = phrases_[first];
  for (const Phrase& p : list)
    if (p.doc == doc && p.words == folded_words)
      return;
  if (shown.size() != folded_words.size())
    shown.assign(folded_words.size(), std::string{});
  list.push_back({doc, std::move(folded_words), std::move(shown), weight});
}

void SearchIndex::finish() {
  const double n = static_cast<double>(std::count(counted_.begin(), counted_.end(), true));
  std::vector<double> avg(weights_.size(), 0);
  for (std::size_t d = 0; d < lengths_.size(); ++d)
    for (std::size_t f = 0; counted_[d] && f < lengths_[d].size(); ++f) avg[f] += lengths_[d][f];
  for (auto& a : avg) a = std::max(1.0, a / std::max(1.0, n));
  max_idf_ = std::log(1.0 + (n + 0.5) / 0.5);
  for (auto& term : terms_) {
    const double df = static_cast<double>(
        std::count_if(term.postings.begin(), term.postings.end(),
                      [&](const Posting& p) { return counted_[static_cast<std::size_t>(p.doc)]; }));
    term.idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    for (auto& p : term.postings) {
      double w = 0;
      const auto& len = lengths_[static_cast<std::size_t>(p.doc)];
      for (std::size_t f = 0; f < p.tf.size(); ++f) {
        if (p.tf[f] == 0)
          continue;
        w += weights_[f] * p.tf[f] / (1.0 - kB + kB * len[f] / avg[f]);
      }
      p.weighted_tf = static_cast<float>(w);
      p.tf.clear();
      p.tf.shrink_to_fit();
    }
  }
  for (const auto& [word, id] : vocab_) {
    if (terms_[static_cast<std::size_t>(id)].bigram || word.size() < 3)
      continue;
    deletes_[word].push_back(id);
    for (std::size_t i = 0; i < word.size(); ++i) {
      std::string v = word;
      v.erase(i, 1);
      deletes_[v].push_back(id);
    }
  }
}

bool SearchIndex::known(std::string_view word) const {
  return vocab_.contains(stem_ != nullptr ? stem_(word) : std::string(word));
}

std::optional<std::string> SearchIndex::correct(std::string_view typed) const {
  const std::string own = stem_ != nullptr ? stem_(typed) : std::string(typed);
  const std::string_view word = own;
  if (word.size() < 3)
    return std::nullopt;
  std::vector<std::string> variants{std::string(word)};
  for (std::size_t i = 0; i < word.size(); ++i) {
    std::string v(word);
    v.erase(i, 1);
    variants.push_back(std::move(v));
  }
  int best = -1;
  std::unordered_set<int> seen;
  for (const auto& v : variants) {
    auto it = deletes_.find(v);
    if (it == deletes_.end())
      continue;
    for (int id : it->second) {
      if (!seen.insert(id).second)
        continue;
      if (distance_at_most_one(word, texts_[static_cast<std::size_t>(id)]) > 1)
        continue;
      if (best < 0 || terms_[static_cast<std::size_t>(id)].postings.size() >
                          terms_[static_cast<std::size_t>(best)].postings.size())
        best = id;
    }
  }
  if (best < 0)
    return std::nullopt;
  return texts_[static_cast<std::size_t>(best)];
}

std::vector<SearchIndex::Hit> SearchIndex::search(const std::vector<std::string>& asked,
                                                  const std::vector<std::string>& shown,
                                                  std::size_t limit) const {
  const std::vector<std::string> words = stemmed(asked);
  std::vector<Hit> hits;
  if (ids_.empty())
    return hits;
  std::vector<double> score(ids_.size(), 0);
  std::vector<double> covered(ids_.size(), 0);
  std::vector<int> key_words(ids_.size(), 0);
  double total = 0;
  std::unordered_set<std::string> unique;
  for (const std::string& t : terms_of(words, shown)) {
    if (!unique.insert(t).second)
      continue;
    const bool bigram = t.find(' ') != std::string::npos;
    auto it = vocab_.find(t);
    if (!bigram)
      total += it == vocab_.end() ? max_idf_ : terms_[static_cast<std::size_t>(it->second)].idf;
    if (it == vocab_.end())
      continue;
    const Term& term = terms_[static_cast<std::size_t>(it->second)];
    const double idf = term.idf * (bigram ? kBigramBoost : 1.0);
    for (const Posting& p : term.postings) {
      const double tf = p.weighted_tf;
      score[static_cast<std::size_t>(p.doc)] += idf * tf * (kK1 + 1) / (tf + kK1);
      // A word seen only in passing (in the body) covers the question less than one in the
      // title, keywords or example questions.
      if (!bigram)
        covered[static_cast<std::size_t>(p.doc)] += term.idf * std::min(1.0, tf / kCoverTf);
    }
  }
  // Key phrases found whole in the question (in English with or without articles: "register
  // trademark" is "register a trademark").
  std::vector<std::string> phrase_words;
  std::vector<std::string> phrase_shown;
  for (std::size_t i = 0; i < words.size(); ++i)
    if (stem_ == nullptr || !is_article(words[i])) {
      phrase_words.push_back(words[i]);
      phrase_shown.push_back(i < shown.size() ? shown[i] : std::string());
    }
  for (std::size_t i = 0; i < phrase_words.size(); ++i) {
    auto it = phrases_.find(phrase_words[i]);
    if (it == phrases_.end())
      continue;
    for (const Phrase& p : it->second) {
      if (i + p.words.size() > phrase_words.size())
        continue;
      if (!std::equal(p.words.begin(), p.words.end(), phrase_words.begin() + static_cast<long>(i)))
        continue;
      bool same_marks = true;  // words typed with diacritics must be the phrase's own
      for (std::size_t k = 0; k < p.words.size() && same_marks; ++k) {
        const std::string& typed = phrase_shown[i + k];
        same_marks = typed.empty() || p.shown[k].empty() || typed == p.shown[k];
      }
      if (!same_marks)
        continue;
      score[static_cast<std::size_t>(p.doc)] += p.weight * static_cast<double>(p.words.size());
      int& key = key_words[static_cast<std::size_t>(p.doc)];
      key = std::max(key, static_cast<int>(p.words.size()));
    }
  }
  for (std::size_t d = 0; d < score.size(); ++d)
    if (score[d] > 0)
      hits.push_back(
          {static_cast<int>(d), score[d], total > 0 ? covered[d] / total : 0, key_words[d]});
  const std::size_t k = std::min(limit, hits.size());
  std::partial_sort(hits.begin(), hits.begin() + static_cast<long>(k), hits.end(),
                    [](const Hit& a, const Hit& b) { return a.score > b.score; });
  hits.resize(k);
  return hits;
}

}  // namespace outreach::router
