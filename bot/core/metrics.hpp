#pragma once
// Metrics: counters, gauges and histograms rendered in the Prometheus text format for
// GET /metrics. Names follow Prometheus conventions (outreach_*_total, *_seconds).
// Thread-safety: every member function is safe to call from any thread (one mutex). Paths that
// count on every request take a Counter handle once: adding to it is one atomic operation, with
// no label text built and no lock taken.

#include <atomic>
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

  // One counter series, resolved once. Valid while its Metrics lives; a default-constructed one
  // counts nothing.
  class Counter {
   public:
    Counter() = default;

    void inc(double by = 1.0) const {
      if (value_ != nullptr)
        value_->fetch_add(by, std::memory_order_relaxed);
    }

    explicit operator bool() const { return value_ != nullptr; }

   private:
    friend class Metrics;

    explicit Counter(std::atomic<double>* v) : value_(v) {}

    std::atomic<double>* value_ = nullptr;
  };

  // The series `name{labels}`, created at 0 when absent.
  Counter counter(std::string_view name, const Labels& labels = {});

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
    std::map<std::string, std::atomic<double>> values;  // label text → value (nodes never move)
    std::map<std::string, Histogram> histograms;        // label text → histogram
  };

  static std::string label_text(const Labels& labels);
  std::atomic<double>& series(std::string_view name, const Labels& labels);  // needs mu_ held

  mutable std::mutex mu_;
  std::map<std::string, Family, std::less<>> families_;
};

}  // namespace outreach
