#include "handlers/phone.hpp"

#include <algorithm>
#include <map>

#include "bot/text/unicode.hpp"

namespace outreach::handlers {

std::optional<Phone> parse_vn_phone(std::string_view typed) {
  if (typed.size() > 40)
    return std::nullopt;
  std::string digits;
  bool plus = false;
  for (char c : typed) {
    if (c >= '0' && c <= '9')
      digits += c;
    else if (c == '+' && digits.empty() && !plus)
      plus = true;
    else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')')
      return std::nullopt;  // letters and the like: not a phone number
  }
  // National form: a leading 0. International: 84 (with or without +), maybe 840….
  std::string national;
  if (digits.starts_with("84") && (plus || digits.size() >= 11)) {
    national = digits.substr(2);
    if (national.starts_with("0"))
      national.erase(0, 1);
  } else if (!plus && digits.starts_with("0")) {
    national = digits.substr(1);
  } else {
    return std::nullopt;
  }
  Phone p;
  if (national.size() == 9 &&
      std::string_view("35789").find(national[0]) != std::string_view::npos) {
    p.mobile = true;
    p.display =
        "0" + national.substr(0, 3) + " " + national.substr(3, 3) + " " + national.substr(6);
  } else if (national.size() == 10 && national[0] == '2') {
    p.display =
        "0" + national.substr(0, 2) + " " + national.substr(2, 4) + " " + national.substr(6);
  } else {
    return std::nullopt;
  }
  p.e164 = "+84" + national;
  return p;
}

std::string spoken_digits(std::string_view typed) {
  static const std::map<std::string, char, std::less<>> kDigits = {
      {"khong", '0'}, {"mot", '1'}, {"hai", '2'},   {"ba", '3'},    {"bon", '4'},   {"tu", '4'},
      {"nam", '5'},   {"lam", '5'}, {"sau", '6'},   {"bay", '7'},   {"tam", '8'},   {"chin", '9'},
      {"zero", '0'},  {"oh", '0'},  {"one", '1'},   {"two", '2'},   {"three", '3'}, {"four", '4'},
      {"five", '5'},  {"six", '6'}, {"seven", '7'}, {"eight", '8'}, {"nine", '9'}};
  if (typed.size() > 400)
    return std::string(typed);
  std::string out;
  int said = 0;
  for (const auto& w : text::words(text::lower(typed))) {
    const auto it = kDigits.find(text::fold(w));
    if (it != kDigits.end())
      ++said;
    out += (out.empty() ? "" : " ") + (it != kDigits.end() ? std::string(1, it->second) : w);
  }
  return said >= 6 ? out : std::string(typed);
}

std::optional<Phone> find_vn_phone(std::string_view raw) {
  if (auto whole = parse_vn_phone(raw))
    return whole;
  const std::string said = spoken_digits(raw);
  const std::string_view typed = said;
  if (typed.size() > 200)
    return std::nullopt;
  auto phone_char = [](char c) {
    return (c >= '0' && c <= '9') || c == ' ' || c == '.' || c == '-' || c == '(' || c == ')' ||
           c == '+';
  };
  for (std::size_t i = 0; i < typed.size();) {
    if (!(typed[i] == '+' || (typed[i] >= '0' && typed[i] <= '9'))) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < typed.size() && phone_char(typed[j])) ++j;
    if (auto p = parse_vn_phone(typed.substr(i, j - i)))
      return p;
    i = j;
  }
  return std::nullopt;
}

std::size_t digit_count(std::string_view raw) {
  const std::string typed = spoken_digits(raw);
  return static_cast<std::size_t>(
      std::count_if(typed.begin(), typed.end(), [](char c) { return c >= '0' && c <= '9'; }));
}

}  // namespace outreach::handlers
