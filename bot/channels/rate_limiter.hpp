#pragma once
// RateLimiter: a token bucket (rate per period, with a burst of one period's worth) that makes
// callers wait their turn instead of being refused — the platforms answer excess calls with
// rate-limit errors, which cost a retry each.
// Two classes share the bucket: live calls (replies, reminders, staff) reserve their token at
// once, queueing behind other live calls only; bulk calls (broadcasts) never reserve ahead and
// never take the bucket below a reserve (a twentieth of the burst, at least one), so a live call
// arriving during a broadcast finds a token waiting for it.
// Thread-safety: acquire() is safe from any executor (a mutex guards the bucket).

#include <algorithm>
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
        reserve_(std::max(1.0, per_period / 20)),
        tokens_(per_period),
        at_(std::chrono::steady_clock::now()) {}

  // Waits until a call may go out.
  boost::asio::awaitable<void> acquire(bool bulk = false) {
    for (;;) {
      std::chrono::milliseconds wait{0};
      {
        std::lock_guard lock(mu_);
        const auto now = std::chrono::steady_clock::now();
        const double elapsed = std::chrono::duration<double, std::milli>(now - at_).count();
        tokens_ = std::min(burst_, tokens_ + elapsed * rate_per_ms_);
        at_ = now;
        if (!bulk) {
          tokens_ -= 1.0;  // reserve ours; a negative balance is the live queue ahead of us
          if (tokens_ < 0)
            wait = std::chrono::milliseconds(static_cast<long long>(-tokens_ / rate_per_ms_) + 1);
        } else if (tokens_ >= reserve_ + 1.0) {
          tokens_ -= 1.0;
        } else {  // wait until the reserve is whole again, then try (others may be first)
          wait = std::chrono::milliseconds(
              static_cast<long long>((reserve_ + 1.0 - tokens_) / rate_per_ms_) + 1);
        }
      }
      if (wait.count() > 0) {
        boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, wait);
        co_await t.async_wait(boost::asio::use_awaitable);
      }
      if (!bulk || wait.count() == 0)
        co_return;
    }
  }

 private:
  std::mutex mu_;
  const double rate_per_ms_;
  const double burst_;
  const double reserve_;                      // tokens bulk calls leave for live ones
  double tokens_;                             // guarded by mu_
  std::chrono::steady_clock::time_point at_;  // guarded by mu_
};

}  // namespace outreach::channels
