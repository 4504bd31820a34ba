#pragma once
// HttpClient: outbound HTTP/1.1 for the platforms' APIs (and http:// for the loopback mock).
// TLS 1.2+ with certificate verification against the system store, SNI and host-name checks;
// a keep-alive connection pool per scheme://host:port; a deadline on connect, handshake, write
// and read. A pooled connection that turns out closed by the peer before any answer is
// replaced once, transparently.
// Thread-safety: request() may be called concurrently from any executor; each connection is
// used by one request at a time (the pool is guarded by a mutex), and everything that touches
// a connection's stream, its deadline timer's handler included, runs on that connection's
// strand: a deadline that fires as the request finishes never races the code freeing it.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "bot/core/errc.hpp"

namespace outreach::net {

struct Url {
  std::string scheme;  // http | https
  std::string host;    // a name or an address; IPv6 without the brackets of the URL
  std::string port;    // the URL's, or the scheme's default
  std::string target;  // path and query as written (percent escapes kept), at least "/"

  // Parses http(s)://host[:port]/path?query (RFC 3986, with Boost.URL); Errc::kInvalidInput for
  // anything else.
  [[nodiscard]] static Result<Url> parse(std::string_view text);
};

struct HttpReply {
  unsigned status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

struct HttpCall {
  std::string method = "POST";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{10'000};
};

struct HttpClientOptions {
  bool verify_peer = true;
  std::size_t max_idle_per_host = 16;
  std::size_t max_response_bytes = 4 * 1024 * 1024;
};

class HttpClient {
 public:
  HttpClient(boost::asio::any_io_executor ex, HttpClientOptions options = {});
  ~HttpClient();

  // Errors: Errc::kTimeout, Errc::kUnavailable (connect / TLS / read failures, with the
  // detail in `error_detail` when given), Errc::kInvalidInput (bad URL).
  boost::asio::awaitable<Result<HttpReply>> request(HttpCall call,
                                                    std::string* error_detail = nullptr);

  std::size_t idle_connections() const;

 private:
  struct Connection;
  struct Attempt;
  std::unique_ptr<Connection> take(const std::string& key);
  void give_back(const std::string& key, std::unique_ptr<Connection> c);
  // One try of a request on the attempt's connection (connecting it first if it is new); runs
  // on the connection's strand and gives the connection back to the pool or frees it there.
  boost::asio::awaitable<void> run(Attempt& a);
  boost::asio::awaitable<Result<void>> connect(Connection& c,
                                               const Url& url,
                                               std::chrono::milliseconds timeout,
                                               std::string* detail);

  struct Impl;
  std::unique_ptr<Impl> impl_;
  HttpClientOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, std::vector<std::unique_ptr<Connection>>> idle_;  // guarded by mu_
};

}  // namespace outreach::net
