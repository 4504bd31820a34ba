#include "bot/net/crypto.hpp"

#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

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

// OpenSSL 3's one-shot HMAC() and EVP_sha256() look the algorithm up in the provider store on
// every call, which cost several times the hashing itself on a webhook. The algorithms are
// fetched once; each thread keeps its digest context and one keyed MAC context per (digest,
// key) and re-initialises them (EVP_MAC_init with a null key keeps the key) per use.
const EVP_MD* fetched_sha256() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr)
    throw std::runtime_error("OpenSSL has no SHA256");
  return md;
}

struct MacCtxFree {
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

// The keyed contexts of this thread: looked up without building a key string, so a webhook's
// signature check allocates nothing but its hex result.
struct KeyedMac {
  std::string_view digest;  // a string literal ("SHA256", "SHA1")
  std::string key;
  std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx;
};

EVP_MAC_CTX* keyed_hmac(const char* digest, std::string_view key) {
  static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr)
    throw std::runtime_error("OpenSSL has no HMAC");
  // A deployment has a few app secrets; the bound only keeps a misuse from growing memory.
  constexpr std::size_t kMaxKeys = 16;
  thread_local std::vector<KeyedMac> cache;
  for (KeyedMac& k : cache) {
    if (k.digest == digest && k.key == key) {
      if (EVP_MAC_init(k.ctx.get(), nullptr, 0, nullptr) != 1)
        throw std::runtime_error("HMAC init failed");
      return k.ctx.get();
    }
  }
  if (cache.size() >= kMaxKeys)
    cache.clear();
  std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx(EVP_MAC_CTX_new(mac));
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest), 0),
      OSSL_PARAM_construct_end()};
  if (!ctx || EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char*>(key.data()),
                           key.size(), params) != 1)
    throw std::runtime_error("HMAC init failed");
  return cache.emplace_back(KeyedMac{digest, std::string(key), std::move(ctx)}).ctx.get();
}

std::string hmac_hex(const char* digest, std::string_view key, std::string_view data) {
  EVP_MAC_CTX* ctx = keyed_hmac(digest, key);
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t len = 0;
  if (EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1 ||
      EVP_MAC_final(ctx, out, &len, sizeof out) != 1)
    throw std::runtime_error("HMAC failed");
  return to_hex(out, static_cast<unsigned>(len));
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  return sha256_hex({data});
}

std::string sha256_hex(std::initializer_list<std::string_view> parts) {
  thread_local std::unique_ptr<EVP_MD_CTX, MdCtxFree> held(EVP_MD_CTX_new());
  EVP_MD_CTX* ctx = held.get();
  if (ctx == nullptr)
    throw std::runtime_error("EVP_MD_CTX_new failed");
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  bool ok = EVP_DigestInit_ex2(ctx, fetched_sha256(), nullptr) == 1;
  for (std::string_view p : parts) ok = ok && EVP_DigestUpdate(ctx, p.data(), p.size()) == 1;
  ok = ok && EVP_DigestFinal_ex(ctx, out, &len) == 1;
  if (!ok)
    throw std::runtime_error("SHA-256 failed");
  return to_hex(out, len);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  return hmac_hex("SHA256", key, data);
}

std::string hmac_sha1_hex(std::string_view key, std::string_view data) {
  return hmac_hex("SHA1", key, data);
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
