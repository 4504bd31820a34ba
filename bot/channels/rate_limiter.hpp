#pragma once
// RateLimiter: a token bucket (rate per period, with a burst of one period's worth) that makes
// callers wait their turn instead of being refused — the platforms answer excess calls with
// rate-limit errors, which cost a retry each.
// Thread-safety: acquire() is safe from any executor (a mutex guards the bucket).

#include <chrono>
#include <mutex>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace outreach::channels {

class RateLimiter {
 public:
  RateLimiter(double per_period, std::chrono::milliseconds period)
      : rate_per_ms_(per_period / static_cast<double>(period.count())),
        burst_(per_period),
        tokens_(per_period),
        at_(std::chrono::steady_clock::now()) {}

  // Waits until a call may go out.
  boost::asio::awaitable<void> acquire() {
    std::chrono::milliseconds wait{0};
    {
      std::lock_guard lock(mu_);
      const auto now = std::chrono::steady_clock::now();
      const double elapsed = std::chrono::duration<double, std::milli>(now - at_).count();
      tokens_ = std::min(burst_, tokens_ + elapsed * rate_per_ms_);
      at_ = now;
      tokens_ -= 1.0;  // reserve ours; a negative balance is the queue ahead of us
      if (tokens_ < 0)
        wait = std::chrono::milliseconds(static_cast<long long>(-tokens_ / rate_per_ms_) + 1);
    }
    if (wait.count() > 0) {
      boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, wait);
      co_await t.async_wait(boost::asio::use_awaitable);
    }
  }

 private:
  std::mutex mu_;
  const double rate_per_ms_;
  const double burst_;
  double tokens_;                             // guarded by mu_
  std::chrono::steady_clock::time_point at_;  // guarded by mu_
};

}  // namespace outreach::channels
