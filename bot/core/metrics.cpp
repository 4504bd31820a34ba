#include "bot/core/metrics.hpp"

#include <charconv>

#include "bot/core/text.hpp"

namespace outreach {
namespace {

std::string number(double v) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest exact form
  return ec == std::errc{} ? std::string(buf, end) : std::string("NaN");
}

std::string with_label(const std::string& labels, const std::string& extra) {
  if (labels.empty())
    return "{" + extra + "}";
  return labels.substr(0, labels.size() - 1) + "," + extra + "}";
}

}  // namespace

std::string Metrics::label_text(const Labels& labels) {
  if (labels.empty())
    return {};
  std::string out = "{";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i)
      out += ',';
    out += labels[i].first + "=\"" + text::backslash_escape(labels[i].second, "\\\"") + "\"";
  }
  return out + "}";
}

void Metrics::describe(std::string name, std::string help, Type type, std::vector<double> buckets) {
  std::lock_guard lock(mu_);
  Family& f = families_[std::move(name)];
  f.help = std::move(help);
  f.type = type;
  f.buckets = std::move(buckets);
}

std::atomic<double>& Metrics::series(std::string_view name, const Labels& labels) {
  auto it = families_.find(name);
  if (it == families_.end())
    it = families_.emplace(std::string(name), Family{}).first;
  return it->second.values.try_emplace(label_text(labels), 0.0).first->second;
}

Metrics::Counter Metrics::counter(std::string_view name, const Labels& labels) {
  std::lock_guard lock(mu_);
  return Counter(&series(name, labels));
}

void Metrics::inc(std::string_view name, const Labels& labels, double by) {
  std::lock_guard lock(mu_);
  series(name, labels).fetch_add(by, std::memory_order_relaxed);
}

void Metrics::set(std::string_view name, const Labels& labels, double value) {
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(std::string(name), Family{}).first;
    it->second.type = Type::kGauge;
  }
  it->second.values.try_emplace(label_text(labels), 0.0).first->second.store(value);
}

void Metrics::observe(std::string_view name, const Labels& labels, double value) {
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end())
    return;  // histograms must be described (they need buckets)
  Family& f = it->second;
  Histogram& h = f.histograms[label_text(labels)];
  if (h.counts.empty())
    h.counts.assign(f.buckets.size() + 1, 0);
  std::size_t i = 0;
  while (i < f.buckets.size() && value > f.buckets[i]) ++i;
  ++h.counts[i];
  h.sum += value;
  ++h.count;
}

double Metrics::value(std::string_view name, const Labels& labels) const {
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end())
    return 0;
  if (it->second.type == Type::kHistogram) {
    auto h = it->second.histograms.find(label_text(labels));
    return h == it->second.histograms.end() ? 0 : static_cast<double>(h->second.count);
  }
  auto v = it->second.values.find(label_text(labels));
  return v == it->second.values.end() ? 0 : v->second.load(std::memory_order_relaxed);
}

std::string Metrics::render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, f] : families_) {
    const char* type = f.type == Type::kCounter ? "counter"
                       : f.type == Type::kGauge ? "gauge"
                                                : "histogram";
    if (!f.help.empty())
      out += "# HELP " + name + " " + f.help + "\n";
    out += "# TYPE " + name + " " + type + "\n";
    for (const auto& [labels, v] : f.values)
      out += name + labels + " " + number(v.load(std::memory_order_relaxed)) + "\n";
    for (const auto& [labels, h] : f.histograms) {
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < h.counts.size(); ++i) {
        cumulative += h.counts[i];
        const std::string le = i < f.buckets.size() ? number(f.buckets[i]) : "+Inf";
        out += name + "_bucket" + with_label(labels, "le=\"" + le + "\"") + " " +
               std::to_string(cumulative) + "\n";
      }
      out += name + "_sum" + labels + " " + number(h.sum) + "\n";
      out += name + "_count" + labels + " " + std::to_string(h.count) + "\n";
    }
  }
  return out;
}

}  // namespace outreach
