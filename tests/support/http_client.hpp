#pragma once
// A small blocking HTTP/1.1 client for the e2e tests (Beast over a plain TCP socket to the
// server under test on 127.0.0.1). One connection per call unless a KeepAlive is used.
// Thread-safety: each call is independent; a KeepAlive belongs to one thread.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace outreach::testing {

struct HttpResult {
  int status = 0;  // 0: no response (connection failed or closed)
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names; repeated ones joined by \n
};

HttpResult http_request(std::uint16_t port,
                        const std::string& method,
                        const std::string& target,
                        const std::string& body = {},
                        const std::map<std::string, std::string>& headers = {},
                        std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Sends raw bytes and returns whatever the server answers before closing (or the timeout).
std::string raw_exchange(std::uint16_t port,
                         const std::string& bytes,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5));

// Several requests over one kept-alive connection.
class KeepAlive {
 public:
  explicit KeepAlive(std::uint16_t port);
  ~KeepAlive();
  HttpResult request(const std::string& method,
                     const std::string& target,
                     const std::string& body = {});
  bool open() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace outreach::testing
