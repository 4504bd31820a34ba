#pragma once
// Metrics: counters, gauges and histograms rendered in the Prometheus text format for
// GET /metrics. Names follow Prometheus conventions (outreach_*_total, *_seconds).
// Thread-safety: every member function is safe to call from any thread (one mutex; the
// update rate here is a few thousand per second at most).

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace outreach {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Metrics {
 public:
  enum class Type { kCounter, kGauge, kHistogram };

  // Declares a family once (HELP/TYPE lines); histograms take their bucket bounds.
  void describe(std::string name, std::string help, Type type, std::vector<double> buckets = {});

  void inc(std::string_view name, const Labels& labels = {}, double by = 1.0);
  void set(std::string_view name, const Labels& labels, double value);
  void observe(std::string_view name, const Labels& labels, double value);

  // Current value of a counter or gauge series (0 when absent); for tests and the CLI.
  double value(std::string_view name, const Labels& labels = {}) const;

  std::string render() const;

 private:
  struct Histogram {
    std::vector<std::uint64_t> counts;  // one per bucket bound, plus +Inf
    double sum = 0;
    std::uint64_t count = 0;
  };

  struct Family {
    std::string help;
    Type type = Type::kCounter;
    std::vector<double> buckets;
    std::map<std::string, double> values;         // label text → value
    std::map<std::string, Histogram> histograms;  // label text → histogram
  };

  static std::string label_text(const Labels& labels);

  mutable std::mutex mu_;
  std::map<std::string, Family, std::less<>> families_;
};

}  // namespace outreach
