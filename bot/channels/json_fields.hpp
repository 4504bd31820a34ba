#pragma once
// Reading platform JSON defensively: ids and timestamps arrive as strings (they exceed 2^53,
// so Zalo and Meta send most of them quoted) or as numbers; anything else reads as empty.
// Thread-safety: pure functions.

#include <string>

#include <nlohmann/json.hpp>

namespace outreach::channels {

inline std::string field_text(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end())
    return {};
  if (it->is_string())
    return it->get<std::string>();
  if (it->is_number_unsigned())
    return std::to_string(it->get<std::uint64_t>());
  if (it->is_number_integer())
    return std::to_string(it->get<std::int64_t>());
  return {};
}

// j[object]["id"] as text ("sender", "recipient", "follower" …).
inline std::string nested_id(const nlohmann::json& j, const char* object) {
  auto it = j.find(object);
  return it != j.end() && it->is_object() ? field_text(*it, "id") : std::string{};
}

}  // namespace outreach::channels
