#pragma once
// Vietnamese phone numbers as people type them: "0912 345 678", "0912.345.678", "+84 912345678",
// "84912345678", "(028) 3894 1234". Checked against the national numbering plan in force since
// the 2018 renumbering: mobile numbers are 10 digits starting 03, 05, 07, 08 or 09; fixed lines
// are 11 digits starting 02 (area code 2xx + 8 digits).
//
// Why not libphonenumber: Debian 12's libphonenumber-dev depends on the Boost 1.74 development
// packages, which cannot be installed beside libboost1.81-dev (which Beast needs here). The
// plan above is what libphonenumber's metadata for VN accepts for these two kinds.
// Thread-safety: pure functions.

#include <optional>
#include <string>
#include <string_view>

namespace outreach::handlers {

struct Phone {
  std::string e164;     // +84912345678
  std::string display;  // 0912 345 678
  bool mobile = false;
};

// nullopt when `typed` is not a Vietnamese mobile or fixed-line number.
std::optional<Phone> parse_vn_phone(std::string_view typed);

// A phone number inside a message ("sđt em: 0903 123 456 nha"): the first run of digits and
// separators that parse_vn_phone reads.
std::optional<Phone> find_vn_phone(std::string_view typed);

// How many digits a message has (a number typed at the phone step, right or wrong), digits
// said in words included.
std::size_t digit_count(std::string_view typed);

// A number said digit by digit, as voice typing writes it ("không chín bảy bốn hai…", "oh
// nine one two…"): the message with those words as digits. Unchanged when fewer than six
// digits are said in words ("ba" alone is a father, "năm" a year).
std::string spoken_digits(std::string_view typed);

}  // namespace outreach::handlers
