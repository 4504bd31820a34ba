#include "bot/net/crypto.hpp"

#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace outreach::net {
namespace {

std::string to_hex(const unsigned char* d, unsigned n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(static_cast<std::size_t>(n) * 2, '0');
  for (unsigned i = 0; i < n; ++i) {
    out[2 * i] = kHex[d[i] >> 4];
    out[2 * i + 1] = kHex[d[i] & 0xF];
  }
  return out;
}

std::string hmac_hex(const EVP_MD* md, std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  if (HMAC(md, key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len) == nullptr)
    throw std::runtime_error("HMAC failed");
  return to_hex(out, len);
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  return sha256_hex({data});
}

std::string sha256_hex(std::initializer_list<std::string_view> parts) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr)
    throw std::runtime_error("EVP_MD_CTX_new failed");
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  bool ok = EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1;
  for (std::string_view p : parts) ok = ok && EVP_DigestUpdate(ctx, p.data(), p.size()) == 1;
  ok = ok && EVP_DigestFinal_ex(ctx, out, &len) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok)
    throw std::runtime_error("SHA-256 failed");
  return to_hex(out, len);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  return hmac_hex(EVP_sha256(), key, data);
}

std::string hmac_sha1_hex(std::string_view key, std::string_view data) {
  return hmac_hex(EVP_sha1(), key, data);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string lower_hex(std::string_view hex) {
  std::string out(hex);
  for (char& c : out)
    if (c >= 'A' && c <= 'F')
      c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace outreach::net
