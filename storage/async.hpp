#pragma once
// async_completion: the bridge from "some other thread will produce a value" to `co_await`.
// start(complete) runs at once on the awaiting coroutine's thread; `complete(value)` may then be
// called exactly once, from any thread, and resumes the coroutine on its own executor.
// The pending operation counts as outstanding work, so the io_context does not run dry while a
// coroutine waits for the DB thread.
// Thread-safety: `complete` is safe to call from any thread.

#include <functional>
#include <memory>
#include <utility>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace outreach::storage {

template <class R, class Start>
boost::asio::awaitable<R> async_completion(Start start) {
  namespace asio = boost::asio;
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(R)>(
      [&start](auto handler) {
        auto ex = asio::get_associated_executor(handler);
        auto work = asio::prefer(ex, asio::execution::outstanding_work.tracked);
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        start(std::function<void(R)>([h, work](R r) {
          asio::post(work, [h, r = std::move(r)]() mutable { (*h)(std::move(r)); });
        }));
      },
      asio::use_awaitable);
}

}  // namespace outreach::storage
