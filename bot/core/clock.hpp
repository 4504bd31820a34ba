#pragma once
// Clock: the one seam for "now". Production uses SystemClock; tests use FakeClock and move time
// by hand. Times are unix milliseconds UTC everywhere in the code and the database.
// Thread-safety: both implementations are safe to call from any thread.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace outreach {

class Clock {
 public:
  virtual ~Clock() = default;
  // Unix time in milliseconds, UTC.
  virtual std::int64_t now_ms() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::int64_t now_ms() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t start_ms) : now_(start_ms) {}

  std::int64_t now_ms() const override { return now_.load(); }

  void set(std::int64_t ms) { now_.store(ms); }

  void advance(std::chrono::milliseconds d) { now_.fetch_add(d.count()); }

 private:
  std::atomic<std::int64_t> now_;
};

// Monotonic microseconds, for measuring latency (never stored).
inline std::int64_t monotonic_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace outreach
