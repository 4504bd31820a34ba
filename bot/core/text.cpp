#include "bot/core/text.hpp"

#include <algorithm>
#include <array>

namespace outreach::text {
namespace {

// Length of the UTF-8 sequence starting at s[i] if it is well-formed, else 0.
std::size_t sequence_length(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80)
    return 1;
  std::size_t len = 0;
  unsigned min = 0;
  unsigned cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1Fu;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0Fu;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07u;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size())
    return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return len;
}

bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Byte offset of the best cut point within s[0, limit): 0 if none found.
std::size_t best_cut(std::string_view s, std::size_t limit) {
  const std::string_view window = s.substr(0, limit);
  // Prefer natural breaks, but not so early that parts become tiny.
  const std::size_t floor = limit / 3;
  if (auto p = window.rfind("\n\n"); p != std::string_view::npos && p >= floor)
    return p + 2;
  if (auto p = window.rfind('\n'); p != std::string_view::npos && p >= floor)
    return p + 1;
  std::size_t best = 0;
  for (std::string_view end : {". ", "? ", "! ", "… ", "; "}) {
    if (auto p = window.rfind(end); p != std::string_view::npos && p >= floor)
      best = std::max(best, p + end.size());
  }
  if (best != 0)
    return best;
  if (auto p = window.rfind(' '); p != std::string_view::npos && p >= floor)
    return p + 1;
  return 0;
}

}  // namespace

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = sequence_length(s, i);
    if (n == 0)
      return false;
    i += n;
  }
  return true;
}

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return !is_continuation(c); }));
}

std::string_view prefix_code_points(std::string_view s, std::size_t max) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (is_continuation(s[i]))
      continue;
    if (count == max)
      return s.substr(0, i);
    ++count;
  }
  return s;
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos)
    return {};
  const auto e = s.find_last_not_of(kSpace);
  return s.substr(b, e - b + 1);
}

std::string backslash_escape(std::string_view s, std::string_view special) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (special.find(c) != std::string_view::npos)
      out += '\\';
    out += c;
  }
  return out;
}

std::vector<std::string> split_for_limit(std::string_view s, std::size_t max) {
  std::vector<std::string> parts;
  s = trim(s);
  while (!s.empty()) {
    const std::string_view head = prefix_code_points(s, max);
    if (head.size() == s.size()) {
      parts.emplace_back(s);
      break;
    }
    std::size_t cut = best_cut(s, head.size());
    if (cut == 0)
      cut = head.size();  // no natural break: cut at the code-point boundary
    if (auto part = trim(s.substr(0, cut)); !part.empty())
      parts.emplace_back(part);
    s = trim(s.substr(cut));
  }
  return parts;
}

namespace {

// `s` with invalid UTF-8 bytes as U+FFFD and, when `controls` is set, control characters other
// than \n and \t as spaces.
std::string repaired(std::string_view s, bool controls) {
  std::string out;
  out.reserve(s.size() + 8);
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = sequence_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
      continue;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (controls && n == 1 && (c < 0x20 || c == 0x7F) && c != '\n' && c != '\t')
      out += ' ';
    else
      out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace

std::string replace_invalid_utf8(std::string_view s) {
  return repaired(s, false);
}

std::string clean_input(std::string_view s, std::size_t max) {
  return std::string(prefix_code_points(trim(repaired(s, true)), max));
}

std::string fill(std::string_view tmpl,
                 const std::map<std::string, std::string, std::less<>>& vars) {
  std::string out;
  out.reserve(tmpl.size());
  for (std::size_t i = 0; i < tmpl.size();) {
    if (tmpl[i] == '{') {
      const auto close = tmpl.find('}', i + 1);
      if (close != std::string_view::npos) {
        const std::string_view key = tmpl.substr(i + 1, close - i - 1);
        if (auto it = vars.find(key); it != vars.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += tmpl[i++];
  }
  return out;
}

}  // namespace outreach::text
