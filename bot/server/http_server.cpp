#include "bot/server/http_server.hpp"

#include <algorithm>
#include <array>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <nlohmann/json.hpp>

#include "bot/core/log.hpp"

namespace outreach::server {
namespace asio = boost::asio;         // <boost/asio.hpp>
namespace beast = boost::beast;       // <boost/beast.hpp>
namespace http = boost::beast::http;  // <boost/beast/http.hpp>
using tcp = boost::asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// What close_idle() and the watchdog need to reach a connection: its socket (null once the
// session ended), whether it is between requests, and the deadline of what it waits for.
// Touched only on the session's strand.
struct HttpServer::Session : std::enable_shared_from_this<Session> {
  explicit Session(const asio::any_io_executor& ex) : timer(ex) {}

  tcp::socket* socket = nullptr;
  bool busy = false;
  bool closing = false;
  bool ended = false;
  // One timer per connection ticks while it lives and closes the socket once the deadline of
  // the current step has passed. Moving the deadline is a plain store: a per-operation timer
  // (beast::tcp_stream) costs a timer-queue insertion and a cancelled wait on every read and
  // write, which showed up as a large share of a webhook's CPU.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  asio::steady_timer timer;

  void expires_after(std::chrono::milliseconds d) {
    deadline = std::chrono::steady_clock::now() + d;
  }

  void expires_never() { deadline = std::chrono::steady_clock::time_point::max(); }

  void watch(std::chrono::milliseconds tick) {
    timer.expires_after(tick);
    timer.async_wait([self = shared_from_this(), tick](boost::system::error_code) {
      if (self->ended)
        return;
      if (std::chrono::steady_clock::now() < self->deadline)
        return self->watch(tick);
      boost::system::error_code ignored;  // the pending read or write fails with "aborted"
      self->socket->close(ignored);
    });
  }
};

namespace {

// How often a connection's watchdog looks at its deadline: a quarter of the shortest timeout,
// between 5 ms and 1 s, so a timeout is enforced at most that much late.
std::chrono::milliseconds watchdog_tick(const ServerOptions& o) {
  const auto shortest =
      std::min({o.header_timeout, o.body_timeout, o.idle_timeout, o.write_timeout});
  return std::clamp(shortest / 4, std::chrono::milliseconds(5), std::chrono::milliseconds(1000));
}

// The response's status line and fields as they go on the wire, into `out` (reused per
// connection). Beast's generic serializer walks a variant of buffer views per write; with the
// fields written here and the body as a second buffer, one gathered write sends the response.
void serialize_head(const Response& res, std::string& out) {
  out.clear();
  out += res.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(res.result_int());
  out += ' ';
  out += std::string_view(res.reason().data(), res.reason().size());
  out += "\r\n";
  for (const auto& f : res) {
    out += std::string_view(f.name_string().data(), f.name_string().size());
    out += ": ";
    out += std::string_view(f.value().data(), f.value().size());
    out += "\r\n";
  }
  out += "\r\n";
}

}  // namespace

HttpServer::HttpServer(asio::io_context& ioc,
                       ServerOptions options,
                       Handler handler,
                       Metrics& metrics)
    : ioc_(ioc), options_(options), handler_(std::move(handler)), metrics_(metrics) {}

HttpServer::~HttpServer() = default;

Result<std::uint16_t> HttpServer::listen(const std::string& address,
                                         std::uint16_t port,
                                         std::string& error) {
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(address, ec);
  if (ec) {
    error = "listen.address '" + address + "' is not an IP address";
    return ec;
  }
  auto acceptor = std::make_unique<tcp::acceptor>(asio::make_strand(ioc_));
  const tcp::endpoint ep(ip, port);
  auto step = [&](const char* what) {
    if (ec)
      error = std::string(what) + " " + address + ":" + std::to_string(port) + ": " + ec.message();
    return !ec;
  };
  acceptor->open(ep.protocol(), ec);
  if (!step("open"))
    return ec;
  acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!step("set_option"))
    return ec;
  acceptor->bind(ep, ec);
  if (!step("bind"))
    return ec;
  acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (!step("listen"))
    return ec;
  const auto bound = acceptor->local_endpoint().port();
  acceptor_ = std::move(acceptor);
  return bound;
}

void HttpServer::start() {
  asio::co_spawn(acceptor_->get_executor(), accept_loop(),
                 [](std::exception_ptr ep) { log::exception("http", "accept_loop_ended", ep); });
}

void HttpServer::stop_accepting() {
  if (!acceptor_)
    return;
  asio::post(acceptor_->get_executor(), [this] {
    boost::system::error_code ignored;
    acceptor_->close(ignored);
  });
}

void HttpServer::close_idle() {
  std::lock_guard lock(mu_);
  closing_ = true;
  for (const auto& s : sessions_) {
    asio::post(s->timer.get_executor(), [s] {  // the session's strand
      s->closing = true;
      boost::system::error_code ignored;
      if (s->socket != nullptr && !s->busy)
        s->socket->close(ignored);
    });
  }
}

std::size_t HttpServer::connections() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

// Ends only when the acceptor closes. A failed accept (out of descriptors…) or anything thrown
// while starting a session is logged and the loop goes on after a short pause: a server that
// silently stopped accepting would still look alive to its health check's open connections.
asio::awaitable<void> HttpServer::accept_loop() {
  for (;;) {
    bool pause = false;
    try {
      auto [ec, socket] = co_await acceptor_->async_accept(asio::make_strand(ioc_), kTuple);
      if (ec == asio::error::operation_aborted || !acceptor_->is_open())
        co_return;
      if (ec) {
        log::warn("http", "accept_failed", {{"ec", ec.message()}});
        pause = true;
      } else {
        boost::system::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);  // a response is one write; send it now
        auto ex = socket.get_executor();
        asio::co_spawn(ex, serve(std::move(socket)),
                       [](std::exception_ptr ep) { log::exception("http", "session_threw", ep); });
      }
    } catch (const std::exception& e) {
      log::error("http", "accept_threw", {{"what", std::string_view(e.what())}});
      pause = true;
    }
    if (pause) {
      asio::steady_timer wait(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
      co_await wait.async_wait(kTuple);
    }
  }
}

namespace {

Response plain_error(unsigned status, std::string_view code, std::string_view message) {
  Response res{static_cast<http::status>(status), 11};
  res.set(http::field::server, "outreach-bot");
  res.set(http::field::content_type, "application/json");
  res.body() = nlohmann::json{{"error", code}, {"message", message}}.dump();
  res.keep_alive(false);
  res.prepare_payload();
  return res;
}

}  // namespace

asio::awaitable<void> HttpServer::serve(tcp::socket socket) {
  RequestInfo base;
  {
    boost::system::error_code ec;
    const auto ep = socket.remote_endpoint(ec);
    if (!ec)
      base.remote = ep.address().to_string();
  }
  auto session = std::make_shared<Session>(socket.get_executor());
  session->socket = &socket;
  bool over_capacity = false;
  {
    std::lock_guard lock(mu_);
    over_capacity = sessions_.size() >= options_.max_connections;
    session->closing = closing_;
    sessions_.insert(session);
  }
  session->watch(watchdog_tick(options_));
  std::string head;  // the serialized status line and fields of the response being written
  auto write = [&](const Response& res) {
    serialize_head(res, head);
    session->expires_after(options_.write_timeout);
    return asio::async_write(
        socket, std::array<asio::const_buffer, 2>{asio::buffer(head), asio::buffer(res.body())},
        kTuple);
  };
  auto respond_and_close = [&](Response res, std::string_view route) -> asio::awaitable<void> {
    metrics_.inc("outreach_http_requests_total",
                 {{"route", std::string(route)}, {"status", std::to_string(res.result_int())}});
    co_await write(res);
  };

  beast::flat_buffer buffer;
  bool first = true;
  Metrics::Counter counted;
  std::string counted_route;
  unsigned counted_status = 0;
  if (over_capacity) {
    co_await respond_and_close(plain_error(503, "busy", "too many connections; try again shortly"),
                               "overload");
  } else {
    for (;;) {
      session->busy = false;
      if (session->closing)
        break;
      if (buffer.size() == 0) {  // wait for the next request's first bytes
        session->expires_after(first ? options_.header_timeout : options_.idle_timeout);
        auto [ec, n] = co_await socket.async_read_some(buffer.prepare(4096), kTuple);
        if (ec)
          break;  // closed, idle timeout (the watchdog closed it), or shutdown
        buffer.commit(n);
      }
      session->busy = true;
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options_.header_limit));
      parser.body_limit(options_.body_limit);
      parser.eager(true);
      // A request that arrived whole (the usual case) is parsed from the buffer without another
      // read operation; only what is still missing is awaited, each part under its deadline.
      beast::error_code pec;
      while (buffer.size() > 0 && !parser.is_done()) {
        const std::size_t used = parser.put(buffer.data(), pec);
        buffer.consume(used);
        if (pec == http::error::need_more) {
          pec = {};
          break;
        }
        if (pec || used == 0)
          break;  // refused, or nothing taken: the reads below continue it
      }
      if (!pec && !parser.is_header_done()) {
        session->expires_after(options_.header_timeout);
        auto [hec, hn] = co_await http::async_read_header(socket, buffer, parser, kTuple);
        pec = hec;
      }
      if (!pec && !parser.is_done()) {
        session->expires_after(options_.body_timeout);
        auto [bec, bn] = co_await http::async_read(socket, buffer, parser, kTuple);
        pec = bec;
      }
      if (pec) {
        if (pec == http::error::body_limit) {  // Content-Length over the limit, or chunks past it
          co_await respond_and_close(
              plain_error(
                  413, "too_large",
                  "request body larger than " + std::to_string(options_.body_limit) + " bytes"),
              "too_large");
        } else if (pec == http::error::header_limit) {
          co_await respond_and_close(
              plain_error(431, "header_too_large", "request header too large"), "bad_request");
        } else if (pec != http::error::end_of_stream && pec != http::error::partial_message &&
                   pec != asio::error::operation_aborted && pec != asio::error::bad_descriptor &&
                   pec != asio::error::eof && pec != asio::error::connection_reset) {
          co_await respond_and_close(
              plain_error(400, "bad_request",
                          parser.is_header_done() ? "malformed HTTP request body"
                                                  : "malformed HTTP request"),
              "bad_request");
        }
        break;  // a timeout (the watchdog closed the socket), the peer left, or refused above
      }
      Request req = parser.release();
      RequestInfo info = base;
      session->expires_never();  // the handler may wait (long poll); it bounds its own time
      Response res;
      try {
        res = co_await handler_(req, info);
      } catch (const std::exception& e) {
        log::error("http", "handler_threw",
                   {{"route", info.route}, {"what", std::string_view(e.what())}});
        res = plain_error(500, "internal", "internal error");
      }
      res.set(http::field::server, "outreach-bot");
      res.keep_alive(req.keep_alive() && !session->closing && res.keep_alive());
      res.prepare_payload();
      // A connection mostly repeats one route and status: its counter is looked up once.
      if (!counted || info.route != counted_route || res.result_int() != counted_status) {
        counted_route = info.route;
        counted_status = res.result_int();
        counted = metrics_.counter(
            "outreach_http_requests_total",
            {{"route", counted_route}, {"status", std::to_string(counted_status)}});
      }
      counted.inc();
      auto [wec, wn] = co_await write(res);
      if (wec || !res.keep_alive())
        break;
      first = false;
    }
  }
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_send, ignored);
  socket.close(ignored);
  session->socket = nullptr;
  session->ended = true;
  session->timer.cancel();
  std::lock_guard lock(mu_);
  sessions_.erase(session);
}

Response make_response(const Request& req,
                       unsigned status,
                       std::string body,
                       std::string_view content_type) {
  Response res{static_cast<http::status>(status), req.version()};
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  return res;
}

Response json_response(const Request& req, unsigned status, std::string json_text) {
  return make_response(req, status, std::move(json_text), "application/json; charset=utf-8");
}

Response json_error(const Request& req,
                    unsigned status,
                    std::string_view code,
                    std::string_view message) {
  return json_response(req, status, nlohmann::json{{"error", code}, {"message", message}}.dump());
}

}  // namespace outreach::server
