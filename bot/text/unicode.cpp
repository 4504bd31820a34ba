#include "bot/text/unicode.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace outreach::text {
namespace {

const icu::Normalizer2& normalizer(bool decompose) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = decompose ? icu::Normalizer2::getNFDInstance(status)
                                        : icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status) || n == nullptr)
    throw std::runtime_error("ICU normaliser unavailable");
  return *n;
}

icu::UnicodeString normalize(std::string_view s, bool decompose) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString in =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  icu::UnicodeString out = normalizer(decompose).normalize(in, status);
  if (U_FAILURE(status))
    return in;
  return out;
}

std::string to_utf8(const icu::UnicodeString& u) {
  std::string out;
  u.toUTF8String(out);
  return out;
}

}  // namespace

std::string nfc(std::string_view s) {
  return to_utf8(normalize(s, false));
}

bool is_nfc(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString in =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  const bool yes = normalizer(false).isNormalized(in, status);
  return U_SUCCESS(status) && yes;
}

std::string lower(std::string_view s) {
  icu::UnicodeString u = normalize(s, false);
  u.toLower(icu::Locale::getRoot());
  return to_utf8(normalize(to_utf8(u), false));
}

std::string fold(std::string_view s) {
  const icu::UnicodeString decomposed = normalize(s, true);
  std::string out;
  out.reserve(s.size());
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK)
      continue;
    UChar32 m = u_tolower(c);
    if (m == 0x0111)
      m = 'd';  // đ (Đ lower-cased above)
    char buf[U8_MAX_LENGTH];
    int32_t n = 0;
    UBool error = false;
    U8_APPEND(buf, n, U8_MAX_LENGTH, m, error);
    if (!error)
      out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

std::string marks(std::string_view s) {
  const icu::UnicodeString decomposed = normalize(s, true);
  std::vector<UChar32> found;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK || u_tolower(c) == 0x0111)
      found.push_back(u_tolower(c));
  }
  std::sort(found.begin(), found.end());
  icu::UnicodeString out;
  for (const UChar32 c : found) out.append(c);
  return to_utf8(out);
}

std::string capitalize_words(std::string_view s) {
  icu::UnicodeString u = normalize(s, false);
  icu::UnicodeString out;
  bool start = true;
  for (int32_t i = 0; i < u.length();) {
    const UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    const bool letter = u_isalpha(c) || u_charType(c) == U_NON_SPACING_MARK;
    out.append(letter ? (start ? u_toupper(c) : u_tolower(c)) : c);
    start = !letter;
  }
  return to_utf8(normalize(to_utf8(out), false));
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const auto len = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < len;) {
    const int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(p, i, len, c);
    if (c >= 0 && (u_isalnum(c) || u_charType(c) == U_NON_SPACING_MARK)) {
      cur.append(s.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty())
    out.push_back(std::move(cur));
  return out;
}

}  // namespace outreach::text
