#pragma once
// Vietnamese-aware Unicode helpers on ICU: NFC normalisation (phones and Macs may send NFD),
// lower-casing, and folding for matching: lower case, tone and vowel marks removed, đ → d
// ("Đăng KÝ" → "dang ky"). Words are split on anything that is not a letter or digit.
// Thread-safety: pure functions; ICU's normaliser instances are immutable singletons.

#include <string>
#include <string_view>
#include <vector>

namespace outreach::text {

// NFC form of UTF-8 text (invalid sequences become U+FFFD).
std::string nfc(std::string_view s);

bool is_nfc(std::string_view s);

// Lower case, NFC, diacritics kept.
std::string lower(std::string_view s);

// Lower case without diacritics, đ → d; other characters kept as they are.
std::string fold(std::string_view s);

// The diacritics of a word, wherever they sit: its combining marks (and đ) in a fixed order, so
// that "hủy" and "huỷ" have the same marks and "nhắn" and "nhận" do not. Empty without any.
std::string marks(std::string_view s);
// Each word with its first letter upper case and the rest lower ("nguyễn văn AN" → "Nguyễn Văn
// An"), NFC; separators kept as they are.
std::string capitalize_words(std::string_view s);

// Splits text into words of letters and digits (other characters separate words).
std::vector<std::string> words(std::string_view s);

}  // namespace outreach::text
