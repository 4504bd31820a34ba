#pragma once
// The hashing webhooks need: SHA-256 (Zalo's `mac`), HMAC-SHA256 and HMAC-SHA1 (Messenger's
// X-Hub-Signature-256 and the legacy X-Hub-Signature), as lowercase hex, and a constant-time
// comparison (CRYPTO_memcmp after a length check) so a signature check leaks no timing.
// Thread-safety: safe from any thread (each thread keeps its own OpenSSL contexts).

#include <string>
#include <string_view>

namespace outreach::net {

std::string sha256_hex(std::string_view data);
// SHA-256 of the concatenation of `parts` (no separators), without building the string.
std::string sha256_hex(std::initializer_list<std::string_view> parts);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
std::string hmac_sha1_hex(std::string_view key, std::string_view data);

// Equal length and equal bytes, in time that depends only on the length.
bool constant_time_equal(std::string_view a, std::string_view b);

// Lower-cases ASCII hex (signatures may arrive in upper case).
std::string lower_hex(std::string_view hex);

}  // namespace outreach::net
