#include "tests/support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace outreach::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

HttpResult exchange(beast::tcp_stream& stream,
                    const std::string& method,
                    const std::string& target,
                    const std::string& body,
                    const std::map<std::string, std::string>& headers,
                    bool keep_alive,
                    std::chrono::milliseconds timeout) {
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  req.keep_alive(keep_alive);
  for (const auto& [k, v] : headers) req.set(k, v);
  if (!body.empty() || method == "POST") {
    if (!headers.contains("Content-Type"))
      req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
  }
  HttpResult out;
  boost::system::error_code ec;
  stream.expires_after(timeout);
  http::write(stream, req, ec);
  if (ec)
    return out;
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  http::read(stream, buffer, parser, ec);
  if (ec)
    return out;
  auto res = parser.release();
  out.status = res.result_int();
  out.body = res.body();
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // A header sent more than once (Set-Cookie) keeps every value, one per line.
    auto& value = out.headers[name];
    value += (value.empty() ? "" : "\n") + std::string(f.value());
  }
  return out;
}

}  // namespace

HttpResult http_request(std::uint16_t port,
                        const std::string& method,
                        const std::string& target,
                        const std::string& body,
                        const std::map<std::string, std::string>& headers,
                        std::chrono::milliseconds timeout) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  boost::system::error_code ec;
  stream.expires_after(timeout);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec)
    return {};
  auto out = exchange(stream, method, target, body, headers, false, timeout);
  stream.socket().close(ec);
  return out;
}

std::string raw_exchange(std::uint16_t port,
                         const std::string& bytes,
                         std::chrono::milliseconds timeout) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  boost::system::error_code ec;
  stream.expires_after(timeout);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec)
    return {};
  stream.expires_after(timeout);
  asio::write(stream, asio::buffer(bytes), ec);
  std::string out;
  char buf[4096];
  for (;;) {
    stream.expires_after(timeout);
    const std::size_t n = stream.read_some(asio::buffer(buf), ec);
    out.append(buf, n);
    if (ec)
      break;
  }
  return out;
}

struct KeepAlive::Impl {
  asio::io_context ioc;
  beast::tcp_stream stream{ioc};
  bool ok = false;
};

KeepAlive::KeepAlive(std::uint16_t port) : impl_(std::make_unique<Impl>()) {
  boost::system::error_code ec;
  impl_->stream.expires_after(std::chrono::seconds(5));
  impl_->stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  impl_->ok = !ec;
}

KeepAlive::~KeepAlive() = default;

bool KeepAlive::open() const {
  return impl_->ok;
}

HttpResult KeepAlive::request(const std::string& method,
                              const std::string& target,
                              const std::string& body) {
  if (!impl_->ok)
    return {};
  auto r = exchange(impl_->stream, method, target, body, {}, true, std::chrono::seconds(10));
  if (r.status == 0)
    impl_->ok = false;
  return r;
}

}  // namespace outreach::testing
