#include "bot/console/accounts.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <stdexcept>

#include <argon2.h>
#include <openssl/rand.h>

#include "bot/core/text.hpp"

namespace outreach::console {
namespace {

// OWASP's minimum for Argon2id, the floor: 19 MiB, two passes, one lane.
constexpr std::uint32_t kMemoryKiB = 19 * 1024;
constexpr std::uint32_t kPasses = 2;
constexpr std::uint32_t kLanes = 1;
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
constexpr std::size_t kMinCharacters = 12;
constexpr std::size_t kMaxBytes = 128;

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80;
}

Problem invalid(std::string message) {
  return Problem{Errc::kInvalidInput, std::move(message)};
}

Problem not_found(std::string_view email) {
  return Problem{Errc::kNotFound,
                 "Không có tài khoản " + std::string(email) + " (no such account)"};
}

}  // namespace

std::string_view to_string(Role r) {
  switch (r) {
    case Role::kAdmin:
      return "admin";
    case Role::kEditor:
      return "editor";
    case Role::kAdvisor:
      return "advisor";
    case Role::kCheckin:
      return "checkin";
  }
  return "checkin";
}

std::optional<Role> role_from_string(std::string_view s) {
  for (Role r : {Role::kAdmin, Role::kEditor, Role::kAdvisor, Role::kCheckin})
    if (to_string(r) == s)
      return r;
  return std::nullopt;
}

CommonPasswords CommonPasswords::load(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error("cannot read the list of common passwords " + path +
                             " (Debian's cracklib-runtime installs it: apt-get install "
                             "cracklib-runtime; or set console.common_passwords)");
  std::vector<std::string> words;
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty())
      words.push_back(std::move(line));
  }
  if (words.empty())
    throw std::runtime_error("the list of common passwords " + path + " is empty");
  return of(std::move(words));
}

CommonPasswords CommonPasswords::of(std::vector<std::string> words) {
  CommonPasswords c;
  for (auto& w : words) c.words_.insert(lower_ascii(w));
  return c;
}

bool CommonPasswords::contains(std::string_view password) const {
  const std::string p = lower_ascii(password);
  if (words_.contains(p))
    return true;
  // The letters in the middle: "Password2024!" → "password", "!!dragon99" → "dragon".
  std::size_t from = 0;
  while (from < p.size() && !is_letter(p[from])) ++from;
  std::size_t to = p.size();
  while (to > from && !is_letter(p[to - 1])) --to;
  const std::string core = p.substr(from, to - from);
  return core.size() >= 4 && words_.contains(core);
}

std::optional<std::string> password_problem(std::string_view password,
                                            std::string_view email,
                                            const CommonPasswords& common) {
  if (password.size() > kMaxBytes)
    return "Mật khẩu dài quá 128 ký tự (the password is longer than 128 characters).";
  if (code_points(password) < kMinCharacters)
    return "Mật khẩu cần ít nhất 12 ký tự (the password needs at least 12 characters).";
  if (common.empty())
    return "Không đọc được danh sách mật khẩu phổ biến (console.common_passwords); chưa thể đặt "
           "mật khẩu (the list of common passwords could not be read).";
  if (common.contains(password))
    return "Mật khẩu này quá phổ biến, dễ bị đoán (the password is a common one).";
  const std::string lowered = lower_ascii(password);
  const std::string local = lower_ascii(email.substr(0, email.find('@')));
  if (local.size() >= 4 && lowered.find(local) != std::string::npos)
    return "Mật khẩu không được chứa email (the password contains the email).";
  return std::nullopt;
}

std::string hash_password(std::string_view password) {
  std::array<unsigned char, kSaltBytes> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
    throw std::runtime_error("RAND_bytes failed");
  std::string encoded(
      argon2_encodedlen(kPasses, kMemoryKiB, kLanes, kSaltBytes, kHashBytes, Argon2_id), '\0');
  const int rc =
      argon2id_hash_encoded(kPasses, kMemoryKiB, kLanes, password.data(), password.size(),
                            salt.data(), salt.size(), kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK)
    throw std::runtime_error(std::string("argon2id: ") + argon2_error_message(rc));
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool verify_password(std::string_view password, const std::string& hash) {
  if (!hash.starts_with("$argon2id$"))
    return false;
  return argon2id_verify(hash.c_str(), password.data(), password.size()) == ARGON2_OK;
}

std::string random_token(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1)
    throw std::runtime_error("RAND_bytes failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char b : raw) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

std::optional<std::string> normalize_email(std::string_view email) {
  const std::string e = lower_ascii(text::trim(email));
  const auto at = e.find('@');
  if (e.size() > 254 || at == std::string::npos || at == 0 || at + 1 >= e.size() ||
      e.find('@', at + 1) != std::string::npos || e.find('.', at) == std::string::npos ||
      std::any_of(e.begin(), e.end(), [](char c) {
        return static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' || c == '"';
      }))
    return std::nullopt;
  return e;
}

Result<storage::StaffRow, Problem> add_staff(storage::Store& s,
                                             std::string_view email,
                                             Role role,
                                             const std::string& password_hash,
                                             const AccountChange& by) {
  const auto e = normalize_email(email);
  if (!e)
    return invalid("Email không hợp lệ: " + std::string(email) + " (not an email address)");
  if (!s.staff.add(*e, std::string(to_string(role)), password_hash, by.now))
    return Problem{Errc::kConflict,
                   "Đã có tài khoản " + *e + " (an account with this email exists)"};
  s.staff.audit(by.now, by.actor, "staff_add", *e, by.address, std::string(to_string(role)));
  return *s.staff.find(*e);
}

Result<storage::StaffRow, Problem> disable_staff(storage::Store& s,
                                                 std::string_view email,
                                                 bool disabled,
                                                 const AccountChange& by) {
  const std::string e = normalize_email(email).value_or(std::string(email));
  const auto row = s.staff.find(e);
  if (!row)
    return not_found(e);
  if (disabled && row->role == "admin" && !row->disabled && s.staff.count_admins() <= 1)
    return Problem{Errc::kConflict,
                   "Không thể khóa quản trị viên cuối cùng (the last admin cannot be disabled)"};
  s.staff.set_disabled(e, disabled, by.now);
  if (disabled)
    s.staff.close_sessions_of(row->id);
  s.staff.audit(by.now, by.actor, disabled ? "staff_disable" : "staff_enable", e, by.address, "");
  return *s.staff.find(e);
}

Result<storage::StaffRow, Problem> change_role(storage::Store& s,
                                               std::string_view email,
                                               Role role,
                                               const AccountChange& by) {
  const std::string e = normalize_email(email).value_or(std::string(email));
  const auto row = s.staff.find(e);
  if (!row)
    return not_found(e);
  const std::string to(to_string(role));
  if (row->role == to)
    return *row;
  if (row->role == "admin" && !row->disabled && s.staff.count_admins() <= 1)
    return Problem{Errc::kConflict,
                   "Không thể đổi vai trò của quản trị viên cuối cùng (the last "
                   "admin keeps the role)"};
  s.staff.set_role(e, to, by.now);
  s.staff.close_sessions_of(row->id);
  s.staff.audit(by.now, by.actor, "staff_role", e, by.address, row->role + " → " + to);
  return *s.staff.find(e);
}

Result<storage::StaffRow, Problem> reset_password(storage::Store& s,
                                                  std::string_view email,
                                                  const std::string& password_hash,
                                                  const AccountChange& by) {
  const std::string e = normalize_email(email).value_or(std::string(email));
  const auto row = s.staff.find(e);
  if (!row)
    return not_found(e);
  s.staff.set_password(e, password_hash, by.now);
  s.staff.close_sessions_of(row->id);
  s.staff.audit(by.now, by.actor, "staff_reset", e, by.address, "");
  return *s.staff.find(e);
}

}  // namespace outreach::console
