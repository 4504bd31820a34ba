#pragma once
// Staff accounts: roles, the password rules, Argon2id hashing, random tokens, and the account
// actions the CLI (`outreach-bot staff …`) and the console share.
//   - Passwords: 12 to 128 characters, not a common one (the words of cracklib's dictionary,
//     Debian's cracklib-runtime, also with digits and symbols around them), not the email.
//   - Hashes: Argon2id (Debian's libargon2), m = 19 MiB, t = 2, p = 1, 16 random bytes of salt,
//     kept as the PHC string. Hashing takes tens of milliseconds of one core: never on an io or
//     the DB thread (the console hashes on a pool of its own).
// Thread-safety: free functions are safe from any thread; CommonPasswords is immutable after
// load; the actions run on the thread that owns the Store.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "bot/core/errc.hpp"
#include "storage/store.hpp"

namespace outreach::console {

enum class Role { kAdmin, kEditor, kAdvisor, kCheckin };

std::string_view to_string(Role r);
std::optional<Role> role_from_string(std::string_view s);

// The default list: Debian's cracklib-runtime.
inline constexpr std::string_view kDefaultCommonPasswords = "/usr/share/dict/cracklib-small";

class CommonPasswords {
 public:
  // Reads one word per line; throws std::runtime_error naming the file when it cannot be read.
  static CommonPasswords load(const std::string& path);
  static CommonPasswords of(std::vector<std::string> words);

  // The password, lower-cased, is a listed word, or one with digits and symbols around it
  // ("password2024!", "!dragon123").
  bool contains(std::string_view password) const;

  bool empty() const { return words_.empty(); }

 private:
  std::unordered_set<std::string> words_;
};

// Why a password is refused, in Vietnamese and English; nullopt when it is acceptable.
std::optional<std::string> password_problem(std::string_view password,
                                            std::string_view email,
                                            const CommonPasswords& common);

std::string hash_password(std::string_view password);
bool verify_password(std::string_view password, const std::string& hash);

// `bytes` random bytes (OpenSSL's RAND_bytes) as lowercase hex.
std::string random_token(std::size_t bytes);

// An email as stored: trimmed, lower case; nullopt when it does not look like one.
std::optional<std::string> normalize_email(std::string_view email);

// Account actions. Each checks its input, changes the store and writes the audit row in the
// caller's transaction; `actor` is who did it ("cli" or a staff email).
struct AccountChange {
  std::string actor;
  std::string address;
  std::int64_t now = 0;
};

Result<storage::StaffRow, Problem> add_staff(storage::Store& s,
                                             std::string_view email,
                                             Role role,
                                             const std::string& password_hash,
                                             const AccountChange& by);
Result<storage::StaffRow, Problem> disable_staff(storage::Store& s,
                                                 std::string_view email,
                                                 bool disabled,
                                                 const AccountChange& by);
// Another role; the account's sessions end (its pages change). The last admin keeps the role.
Result<storage::StaffRow, Problem> change_role(storage::Store& s,
                                               std::string_view email,
                                               Role role,
                                               const AccountChange& by);
// A new password; every session of the account ends.
Result<storage::StaffRow, Problem> reset_password(storage::Store& s,
                                                  std::string_view email,
                                                  const std::string& password_hash,
                                                  const AccountChange& by);

}  // namespace outreach::console
