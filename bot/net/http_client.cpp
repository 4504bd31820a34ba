#include "bot/net/http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <openssl/ssl.h>

namespace outreach::net {
namespace asio = boost::asio;         // <boost/asio.hpp>
namespace beast = boost::beast;       // <boost/beast.hpp>
namespace http = boost::beast::http;  // <boost/beast/http.hpp>
namespace ssl = boost::asio::ssl;     // <boost/asio/ssl.hpp>
namespace urls = boost::urls;         // <boost/url.hpp>
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

Result<Url> Url::parse(std::string_view text) {
  const auto parsed = urls::parse_uri(text);
  if (!parsed || !parsed->has_authority())
    return Errc::kInvalidInput;
  const urls::url_view& v = *parsed;
  Url u;
  u.scheme = v.scheme();
  if (u.scheme != "http" && u.scheme != "https")
    return Errc::kInvalidInput;
  u.host = v.host_address();  // an IPv6 address without its brackets, as the resolver wants it
  if (u.host.empty())
    return Errc::kInvalidInput;
  if (v.has_port()) {
    if (v.port_number() == 0)  // empty, 0, or past 65535
      return Errc::kInvalidInput;
    u.port = std::to_string(v.port_number());
  } else {
    u.port = u.scheme == "https" ? "443" : "80";
  }
  u.target = v.encoded_path().empty() ? "/" : std::string(v.encoded_path());
  if (v.has_query())
    u.target += "?" + std::string(v.encoded_query());
  return u;
}

struct HttpClient::Impl {
  explicit Impl(asio::any_io_executor e) : ex(std::move(e)), tls(ssl::context::tls_client) {}

  asio::any_io_executor ex;
  ssl::context tls;
};

struct HttpClient::Connection {
  explicit Connection(const asio::any_io_executor& ex) : strand(asio::make_strand(ex)) {}

  asio::strand<asio::any_io_executor> strand;  // the streams' executor: their timers run here
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;

  bool open() const { return plain || secure; }

  beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }
};

struct HttpClient::Attempt {
  const Url& url;
  const std::string& key;
  http::request<http::string_body>& req;
  std::chrono::milliseconds timeout;
  std::unique_ptr<Connection> connection;
  bool reused = false;
  std::string* detail = nullptr;
  // What came of it: a reply, or an error; `stale` when a kept-alive connection turned out
  // closed by the peer before any answer (worth one more try on a new connection).
  Result<HttpReply> reply = make_error_code(Errc::kUnavailable);
  bool stale = false;
};

HttpClient::HttpClient(asio::any_io_executor ex, HttpClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(ex))), options_(options) {
  impl_->tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                         ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                         ssl::context::no_tlsv1_1);
  impl_->tls.set_default_verify_paths();
  impl_->tls.set_verify_mode(options_.verify_peer ? ssl::verify_peer : ssl::verify_none);
}

HttpClient::~HttpClient() = default;

std::size_t HttpClient::idle_connections() const {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (const auto& [k, v] : idle_) n += v.size();
  return n;
}

std::unique_ptr<HttpClient::Connection> HttpClient::take(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = idle_.find(key);
  if (it == idle_.end() || it->second.empty())
    return nullptr;
  auto c = std::move(it->second.back());
  it->second.pop_back();
  return c;
}

void HttpClient::give_back(const std::string& key, std::unique_ptr<Connection> c) {
  std::lock_guard lock(mu_);
  auto& list = idle_[key];
  if (list.size() < options_.max_idle_per_host)
    list.push_back(std::move(c));
}

asio::awaitable<Result<void>> HttpClient::connect(Connection& c,
                                                  const Url& url,
                                                  std::chrono::milliseconds timeout,
                                                  std::string* detail) {
  auto fail = [&](Errc e, const std::string& why) -> Result<void> {
    if (detail)
      *detail = why;
    return e;
  };
  tcp::resolver resolver(c.strand);
  auto [rec, endpoints] = co_await resolver.async_resolve(url.host, url.port, kTuple);
  if (rec)
    co_return fail(Errc::kUnavailable, "resolve " + url.host + ": " + rec.message());
  if (url.scheme == "https") {
    c.secure = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(c.strand, impl_->tls);
    // SNI, and the certificate must be for this host.
    if (!SSL_set_tlsext_host_name(c.secure->native_handle(), url.host.c_str()))
      co_return fail(Errc::kUnavailable, "TLS: cannot set SNI for " + url.host);
    c.secure->set_verify_callback(ssl::host_name_verification(url.host));
  } else {
    c.plain = std::make_unique<beast::tcp_stream>(c.strand);
  }
  c.lowest().expires_after(timeout);
  auto [cec, ep] = co_await c.lowest().async_connect(endpoints, kTuple);
  if (cec == beast::error::timeout)
    co_return fail(Errc::kTimeout, "connect " + url.host + ": timed out");
  if (cec)
    co_return fail(Errc::kUnavailable, "connect " + url.host + ": " + cec.message());
  if (c.secure) {
    c.lowest().expires_after(timeout);
    auto [hec] = co_await c.secure->async_handshake(ssl::stream_base::client, kTuple);
    if (hec == beast::error::timeout)
      co_return fail(Errc::kTimeout, "TLS handshake " + url.host + ": timed out");
    if (hec)
      co_return fail(Errc::kUnavailable, "TLS handshake " + url.host + ": " + hec.message());
  }
  co_return Result<void>{};
}

asio::awaitable<void> HttpClient::run(Attempt& a) {
  Connection& c = *a.connection;
  if (!c.open()) {
    if (auto connected = co_await connect(c, a.url, a.timeout, a.detail); !connected) {
      a.reply = connected.error();
      a.connection.reset();  // on the strand
      co_return;
    }
  }
  c.lowest().expires_after(a.timeout);
  boost::system::error_code wec;
  if (c.secure) {
    std::tie(wec, std::ignore) = co_await http::async_write(*c.secure, a.req, kTuple);
  } else {
    std::tie(wec, std::ignore) = co_await http::async_write(*c.plain, a.req, kTuple);
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(options_.max_response_bytes);
  boost::system::error_code rec;
  if (!wec) {
    c.lowest().expires_after(a.timeout);
    if (c.secure) {
      std::tie(rec, std::ignore) = co_await http::async_read(*c.secure, c.buffer, parser, kTuple);
    } else {
      std::tie(rec, std::ignore) = co_await http::async_read(*c.plain, c.buffer, parser, kTuple);
    }
  }
  const auto ec = wec ? wec : rec;
  if (ec) {
    a.connection.reset();  // on the strand, where the deadline's handler runs
    a.stale = a.reused && !parser.got_some() &&
              (ec == http::error::end_of_stream || ec == asio::error::eof ||
               ec == asio::error::connection_reset || ec == asio::error::broken_pipe);
    if (a.detail && !a.stale)
      *a.detail = std::string(a.req.method_string()) + " " + a.url.host +
                  a.url.target.substr(0, a.url.target.find('?')) + ": " + ec.message();
    a.reply = make_error_code(ec == beast::error::timeout ? Errc::kTimeout : Errc::kUnavailable);
    co_return;
  }
  auto res = parser.release();
  HttpReply reply;
  reply.status = res.result_int();
  reply.body = std::move(res.body());
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    reply.headers[name] = std::string(f.value());
  }
  if (res.keep_alive())
    give_back(a.key, std::move(a.connection));
  else
    a.connection.reset();
  a.reply = std::move(reply);
}

asio::awaitable<Result<HttpReply>> HttpClient::request(HttpCall call, std::string* error_detail) {
  auto url = Url::parse(call.url);
  if (!url) {
    if (error_detail)
      *error_detail = "not an http(s) URL: " + call.url;
    co_return make_error_code(Errc::kInvalidInput);
  }
  const std::string key = url->scheme + "://" + url->host + ":" + url->port;
  http::request<http::string_body> req{http::string_to_verb(call.method), url->target, 11};
  req.set(http::field::host, url->host);
  req.set(http::field::user_agent, "outreach-bot");
  req.keep_alive(true);
  for (const auto& [k, v] : call.headers) req.set(k, v);
  if (!call.body.empty() || call.method == "POST") {
    req.body() = std::move(call.body);
    req.prepare_payload();
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    Attempt a{*url, key, req, call.timeout, attempt == 0 ? take(key) : nullptr};
    a.reused = a.connection != nullptr;
    a.detail = error_detail;
    if (!a.connection)
      a.connection = std::make_unique<Connection>(impl_->ex);
    const auto strand = a.connection->strand;
    co_await asio::co_spawn(strand, run(a), asio::use_awaitable);
    if (a.stale)
      continue;
    co_return std::move(a.reply);
  }
  if (error_detail)
    *error_detail = "connection closed by " + url->host;
  co_return make_error_code(Errc::kUnavailable);
}

}  // namespace outreach::net
