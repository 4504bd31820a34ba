// The HTTP server's own promises: keep-alive, limits, timeouts, connection cap, shutdown.
#include "bot/server/http_server.hpp"

#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "tests/support/http_client.hpp"

namespace outreach::server {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;

class ServerTest : public ::testing::Test {
 protected:
  void start(ServerOptions o) {
    server_ = std::make_unique<HttpServer>(
        ioc_, o,
        [this](Request& req, RequestInfo& info) -> asio::awaitable<Response> {
          info.route = "echo";
          ++handled_;
          if (req.target() == "/slow") {
            asio::steady_timer t(co_await asio::this_coro::executor, 300ms);
            co_await t.async_wait(asio::use_awaitable);
          }
          co_return make_response(req, 200, "got " + std::to_string(req.body().size()),
                                  "text/plain");
        },
        metrics_);
    std::string error;
    auto port = server_->listen("127.0.0.1", 0, error);
    ASSERT_TRUE(port) << error;
    port_ = *port;
    server_->start();
    thread_ = std::thread([this] { ioc_.run(); });
  }

  ~ServerTest() override {
    if (server_) {
      server_->stop_accepting();
      server_->close_idle();
    }
    work_.reset();
    for (int i = 0; i < 500 && server_ && server_->connections() > 0; ++i)
      std::this_thread::sleep_for(2ms);
    ioc_.stop();
    if (thread_.joinable())
      thread_.join();
  }

  asio::io_context ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{ioc_.get_executor()};
  std::thread thread_;
  Metrics metrics_;
  std::unique_ptr<HttpServer> server_;
  std::uint16_t port_ = 0;
  std::atomic<int> handled_{0};
};

TEST_F(ServerTest, ServesSeveralRequestsOnOneKeptAliveConnection) {
  start({});
  testing::KeepAlive conn(port_);
  for (int i = 0; i < 3; ++i) {
    const auto r = conn.request("POST", "/x", std::string(static_cast<std::size_t>(i), 'a'));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "got " + std::to_string(i));
  }
  EXPECT_EQ(server_->connections(), 1u);
  EXPECT_EQ(metrics_.value("outreach_http_requests_total", {{"route", "echo"}, {"status", "200"}}),
            3);
}

// A request is parsed from what is already buffered when it arrived whole; the parts still
// missing are awaited. Both paths, and two requests in one segment, give the same answers.
TEST_F(ServerTest, ReadsPipelinedAndTrickledRequestsAlike) {
  start({});
  const std::string two =
      "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\na"
      "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nConnection: close\r\n\r\nbb";
  const std::string out = testing::raw_exchange(port_, two);
  EXPECT_NE(out.find("got 1"), std::string::npos) << out;
  EXPECT_NE(out.find("got 2"), std::string::npos) << out;
  EXPECT_LT(out.find("got 1"), out.find("got 2"));

  asio::io_context ioc;
  asio::ip::tcp::socket sock(ioc);
  sock.connect({asio::ip::make_address("127.0.0.1"), port_});
  const std::string req =
      "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";
  std::size_t sent = 0;
  for (const std::size_t cut : {std::size_t{10}, std::size_t{50}, req.size() - 2, req.size()}) {
    asio::write(sock, asio::buffer(req.data() + sent, cut - sent));
    sent = cut;
    std::this_thread::sleep_for(30ms);
  }
  std::string reply;
  boost::system::error_code ec;
  asio::read(sock, asio::dynamic_buffer(reply), ec);
  EXPECT_NE(reply.find("got 5"), std::string::npos) << reply;
  EXPECT_EQ(handled_.load(), 3);
}

// The server writes the status line, every field and the body itself (one gathered write):
// byte for byte what an HTTP/1.1 and an HTTP/1.0 client expect.
TEST_F(ServerTest, WritesTheResponseAsHttpOnTheWire) {
  start({});
  EXPECT_EQ(testing::raw_exchange(
                port_,
                "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"),
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: text/plain\r\n"
            "Cache-Control: no-store\r\n"
            "Server: outreach-bot\r\n"
            "Connection: close\r\n"
            "Content-Length: 5\r\n"
            "\r\n"
            "got 3");
  const std::string old = testing::raw_exchange(port_, "GET /x HTTP/1.0\r\n\r\n");
  EXPECT_TRUE(old.starts_with("HTTP/1.0 200 OK\r\n")) << old;
  EXPECT_NE(old.find("\r\nContent-Length: 5\r\n"), std::string::npos) << old;
  EXPECT_EQ(old.find("keep-alive"), std::string::npos) << old;
  EXPECT_TRUE(old.ends_with("\r\n\r\ngot 0")) << old;
}

TEST_F(ServerTest, RefusesBodiesOverTheLimitBeforeReadingThem) {
  ServerOptions o;
  o.body_limit = 1024;
  start(o);
  auto r = testing::http_request(port_, "POST", "/x", std::string(2048, 'a'));
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.body.find("larger than 1024"), std::string::npos);
  // Chunked, with no Content-Length: refused while reading.
  std::string chunked = "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 4; ++i) chunked += "200\r\n" + std::string(512, 'b') + "\r\n";
  chunked += "0\r\n\r\n";
  EXPECT_NE(testing::raw_exchange(port_, chunked).find("413"), std::string::npos);
  EXPECT_EQ(handled_.load(), 0);
  r = testing::http_request(port_, "POST", "/x", std::string(1000, 'a'));
  EXPECT_EQ(r.status, 200);
}

TEST_F(ServerTest, MalformedRequestsGet400) {
  start({});
  EXPECT_NE(testing::raw_exchange(port_, "GARBAGE\r\n\r\n").find("400 Bad Request"),
            std::string::npos);
  EXPECT_NE(testing::raw_exchange(port_, "GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n").find("400"),
            std::string::npos);
  EXPECT_EQ(handled_.load(), 0);
}

TEST_F(ServerTest, AStalledHeaderOrBodyIsCutOff) {
  ServerOptions o;
  o.header_timeout = 200ms;
  o.body_timeout = 200ms;
  start(o);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(testing::raw_exchange(port_, "GET / HTTP/1.1\r\nHost: a\r\n", 5s), "");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(testing::raw_exchange(
                port_, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc", 5s),
            "");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  EXPECT_EQ(handled_.load(), 0);
  for (int i = 0; i < 500 && server_->connections() > 0; ++i) std::this_thread::sleep_for(2ms);
  EXPECT_EQ(server_->connections(), 0u);
}

TEST_F(ServerTest, IdleKeptAliveConnectionsAreClosed) {
  ServerOptions o;
  o.idle_timeout = 150ms;
  start(o);
  testing::KeepAlive conn(port_);
  EXPECT_EQ(conn.request("GET", "/").status, 200);
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(server_->connections(), 0u);
}

TEST_F(ServerTest, ConnectionsOverTheCapGet503) {
  ServerOptions o;
  o.max_connections = 1;
  start(o);
  testing::KeepAlive first(port_);
  EXPECT_EQ(first.request("GET", "/").status, 200);
  const auto r = testing::http_request(port_, "GET", "/");
  EXPECT_EQ(r.status, 503);
}

TEST_F(ServerTest, CloseIdleLetsBusyRequestsFinish) {
  start({});
  std::thread slow([this] {
    const auto r = testing::http_request(port_, "GET", "/slow");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.headers.at("connection"), "close");
  });
  testing::KeepAlive idle(port_);
  EXPECT_EQ(idle.request("GET", "/").status, 200);
  std::this_thread::sleep_for(50ms);
  server_->stop_accepting();
  server_->close_idle();
  slow.join();
  for (int i = 0; i < 500 && server_->connections() > 0; ++i) std::this_thread::sleep_for(2ms);
  EXPECT_EQ(server_->connections(), 0u);
  EXPECT_EQ(testing::http_request(port_, "GET", "/", {}, {}, 500ms).status,
            0);  // no longer accepting
}

TEST(Server, ListenNamesTheAddressOnFailure) {
  asio::io_context ioc;
  Metrics m;
  HttpServer a(ioc, {}, nullptr, m);
  std::string error;
  auto port = a.listen("127.0.0.1", 0, error);
  ASSERT_TRUE(port);
  HttpServer b(ioc, {}, nullptr, m);
  EXPECT_FALSE(b.listen("127.0.0.1", *port, error));
  EXPECT_NE(error.find("127.0.0.1:" + std::to_string(*port)), std::string::npos) << error;
  EXPECT_FALSE(b.listen("not-an-ip", 80, error));
  EXPECT_NE(error.find("listen.address"), std::string::npos);
}

}  // namespace
}  // namespace outreach::server
