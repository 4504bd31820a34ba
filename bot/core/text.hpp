#pragma once
// UTF-8 helpers that need no ICU: validation, counting and cutting at code-point boundaries,
// splitting long text for platform limits at paragraph / sentence ends, and `{name}` templates.
// (Normalisation and folding need ICU and live in bot/text.)
// Thread-safety: pure functions.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace outreach::text {

bool valid_utf8(std::string_view s);

// Number of code points in valid UTF-8.
std::size_t code_points(std::string_view s);

// The longest prefix of `s` with at most `max` code points; never cuts a code point.
std::string_view prefix_code_points(std::string_view s, std::size_t max);

// Splits `s` into parts of at most `max` code points each, preferring to cut after a blank
// line, then a line end, then a sentence end (". ", "? ", "! ", "… "), then a space. Parts are
// trimmed of surrounding whitespace; empty parts are dropped. Precondition: max >= 16.
std::vector<std::string> split_for_limit(std::string_view s, std::size_t max);

// `s` with every byte that is not part of valid UTF-8 replaced by U+FFFD.
std::string replace_invalid_utf8(std::string_view s);

// Replaces control characters (except \n and \t) by spaces, invalid UTF-8 by U+FFFD, trims,
// and cuts to `max` code points.
std::string clean_input(std::string_view s, std::size_t max);

// Substitutes `{key}` with vars.at(key); unknown keys are left as they are.
std::string fill(std::string_view tmpl,
                 const std::map<std::string, std::string, std::less<>>& vars);

std::string_view trim(std::string_view s);

// `s` with a backslash before each character of `special` and every line end written as "\n",
// as in Prometheus label values and iCalendar text values.
std::string backslash_escape(std::string_view s, std::string_view special);

}  // namespace outreach::text
