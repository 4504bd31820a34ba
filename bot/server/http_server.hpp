#pragma once
// HttpServer: the async HTTP/1.1 server on Boost.Beast. One coroutine per connection on its own
// strand; keep-alive; a fresh parser per request with a header limit and the configured body
// limit (413 past it, checked against Content-Length before reading); separate deadlines for
// waiting on a kept-alive connection (idle), receiving a header, receiving a body and writing
// the answer, enforced by one watchdog timer per connection; a connection cap (503 past it).
// A request already whole in the buffer is parsed without another read. It knows nothing of
// routes: every request goes to the Handler, which names the route for the metrics.
// Shutdown: stop_accepting(), then close_idle() — idle connections close at once, busy ones
// after their answer — and wait until connections() is 0.
// Thread-safety: all public member functions are safe from any thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "bot/core/errc.hpp"
#include "bot/core/metrics.hpp"

namespace outreach::server {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

struct RequestInfo {
  std::string remote;               // peer address (the reverse proxy in production)
  std::string route = "unmatched";  // set by the handler; a metrics label
};

using Handler = std::function<boost::asio::awaitable<Response>(Request&, RequestInfo&)>;

struct ServerOptions {
  // Bytes; larger requests get 413 (Messenger batches of escaped text exceed 300 KB).
  std::size_t body_limit = 1024 * 1024;
  std::size_t header_limit = 16 * 1024;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::size_t max_connections = 1024;
  bool operator==(const ServerOptions&) const = default;
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& ioc,
             ServerOptions options,
             Handler handler,
             Metrics& metrics);
  ~HttpServer();

  // Binds and listens. Port 0 picks a free port. Returns the bound port, or an error whose
  // message names the address.
  [[nodiscard]] Result<std::uint16_t> listen(const std::string& address,
                                             std::uint16_t port,
                                             std::string& error);

  void start();
  void stop_accepting();
  void close_idle();

  std::size_t connections() const;

 private:
  struct Session;
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  ServerOptions options_;
  Handler handler_;
  Metrics& metrics_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  mutable std::mutex mu_;
  std::set<std::shared_ptr<Session>> sessions_;  // guarded by mu_
  bool closing_ = false;                         // guarded by mu_
};

// Small helpers for handlers.
Response make_response(const Request& req,
                       unsigned status,
                       std::string body,
                       std::string_view content_type);
Response json_response(const Request& req, unsigned status, std::string json_text);
// {"error": code, "message": message}
Response json_error(const Request& req,
                    unsigned status,
                    std::string_view code,
                    std::string_view message);

}  // namespace outreach::server
