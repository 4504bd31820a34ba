#pragma once
// Query strings of request targets and URLs, read with Boost.URL: the one place that decodes
// percent escapes. Queries are read as application/x-www-form-urlencoded, so '+' is a space.
// Thread-safety: pure functions.

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "bot/core/errc.hpp"

namespace outreach::net {

// Decoded parameters by name. A name given twice keeps its last value.
using QueryParams = std::map<std::string, std::string, std::less<>>;

// The parameters of `query` (what follows '?', without it): at most the first `max_names`
// distinct names (a guard against a target stuffed with parameters); parameters without a name
// are skipped. Errc::kMalformedPayload when it is not a valid query (RFC 3986 §3.4): a '%' not
// followed by two hex digits, or a character that must be escaped (space, '"', '<', '|'…).
[[nodiscard]] Result<QueryParams> parse_query(std::string_view query, std::size_t max_names = 16);

// `text` with every byte but the unreserved characters (A–Z a–z 0–9 - . _ ~) percent-encoded:
// safe as a query value or a form field.
std::string url_encode(std::string_view text);

}  // namespace outreach::net
