// How fast the bot understands a question, with the shipped explainers and with 1,000
// (the shipped ones plus generated variants), on the questions of the evaluation files typed
// four ways (as typed, no diacritics, NFD, upper case). Prints a table; the baseline measured
// in the same run is the cost of folding the same question (NFC + lower case + no diacritics),
// so the ratio is comparable across noisy machines.
//
//   understanding_bench <content dir> <questions.tsv>...
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "bench/questions.hpp"
#include "bot/router/understanding.hpp"
#include "bot/text/unicode.hpp"
#include "content/loader.hpp"
#include "content/store.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using outreach::content::Snapshot;

std::vector<std::string> load_questions(const std::vector<std::string>& files) {
  std::vector<std::string> out;
  for (const std::string& q : outreach::bench::read_questions(files)) {
    out.push_back(q);
    out.push_back(outreach::text::fold(q));
    // NFD and upper case, as evaluate.py --variants asks them.
    std::string upper;
    for (char c : q) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    out.push_back(upper);
  }
  return out;
}

// The shipped explainers plus generated ones up to `total`: each a copy of a shipped explainer
// with its words shuffled and some replaced by words of other explainers, so the index holds
// `total` distinct documents with a realistic vocabulary.
Snapshot scaled(const Snapshot& base, std::size_t total) {
  Snapshot s = base;
  std::vector<const outreach::content::Explainer*> originals;
  std::vector<std::string> vocabulary;
  for (const auto& [id, e] : base.explainers_vi) {
    originals.push_back(&e);
    for (const auto& k : e.keywords) vocabulary.push_back(k);
  }
  std::mt19937 rng(42);
  for (std::size_t n = 0; s.explainers_vi.size() < total; ++n) {
    auto e = *originals[n % originals.size()];
    e.id = "gen-" + std::to_string(n) + "-" + e.id;
    std::shuffle(e.keywords.begin(), e.keywords.end(), rng);
    for (auto& k : e.keywords)
      if (rng() % 3 == 0)
        k = vocabulary[rng() % vocabulary.size()];
    e.title = e.keywords.front() + " " + e.title;
    e.related.clear();
    s.explainers_vi.emplace(e.id, std::move(e));
  }
  return s;
}

struct Row {
  std::size_t explainers = 0;
  double build_ms = 0;
  double median_us = 0;
  double p99_us = 0;
  double fold_median_us = 0;
};

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

Row measure(const Snapshot& s, const std::vector<std::string>& questions, int rounds) {
  Row r;
  r.explainers = s.explainers_vi.size();
  const auto t0 = Clock::now();
  const outreach::router::Understanding u(s);
  r.build_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  std::vector<double> times;
  std::vector<double> folds;
  std::size_t sink = 0;
  for (const auto& q : questions) sink += u.interpret(q).candidates.size();  // warm up
  for (int round = 0; round < rounds; ++round) {
    for (const auto& q : questions) {
      auto a = Clock::now();
      sink += outreach::text::fold(outreach::text::nfc(q)).size();
      auto b = Clock::now();
      sink += u.interpret(q).candidates.size();
      auto c = Clock::now();
      folds.push_back(std::chrono::duration<double, std::micro>(b - a).count());
      times.push_back(std::chrono::duration<double, std::micro>(c - b).count());
    }
  }
  r.median_us = percentile(times, 0.5);
  r.p99_us = percentile(times, 0.99);
  r.fold_median_us = percentile(folds, 0.5);
  if (sink == 42)
    std::printf(" ");
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <content dir> <questions.tsv>...\n", argv[0]);
    return 2;
  }
  const auto report =
      outreach::content::load_content(argv[1], *outreach::content::parse_date("2026-11-28"));
  if (!report.snapshot) {
    std::fprintf(stderr, "content has errors\n");
    return 1;
  }
  std::vector<std::string> questions;
  try {
    questions = load_questions(std::vector<std::string>(argv + 2, argv + argc));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "understanding_bench: %s\n", e.what());
    return 1;
  }
  const int rounds = 20;
  std::printf("Understanding latency: %zu questions (3 forms each) x %d rounds, one thread\n\n",
              questions.size(), rounds);
  std::printf(
      "| explainers | index build ms | median µs | p99 µs | target (median / p99) | fold median µs "
      "| median / fold |\n");
  std::printf("| ---: | ---: | ---: | ---: | --- | ---: | ---: |\n");
  for (std::size_t n : {report.snapshot->explainers_vi.size(), std::size_t{1000}}) {
    const Snapshot s = scaled(*report.snapshot, n);
    const Row r = measure(s, questions, rounds);
    std::printf("| %zu | %.1f | %.1f | %.1f | ≤ 200 / ≤ 1000 %s | %.2f | %.0f× |\n", r.explainers,
                r.build_ms, r.median_us, r.p99_us,
                r.median_us <= 200 && r.p99_us <= 1000 ? "met" : "MISSED", r.fold_median_us,
                r.median_us / r.fold_median_us);
  }
  return 0;
}
