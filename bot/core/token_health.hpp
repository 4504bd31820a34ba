#pragma once
// The state of a platform account's OAuth tokens, as the tokens table keeps it (`state`).
// Thread-safety: plain values.

#include <string_view>

namespace outreach {

enum class TokenHealth {
  kOk,
  kRefreshing,  // a refresh was started; its outcome is unknown until it commits
  kLost,        // the platform refused the refresh token: a person must authorise the app again
};

constexpr std::string_view to_string(TokenHealth h) {
  switch (h) {
    case TokenHealth::kOk:
      return "ok";
    case TokenHealth::kRefreshing:
      return "refreshing";
    case TokenHealth::kLost:
      return "lost";
  }
  return "lost";
}

// The stored text back as a state; anything else reads as kLost (sends wait for a person).
constexpr TokenHealth token_health_from_string(std::string_view s) {
  if (s == "ok")
    return TokenHealth::kOk;
  if (s == "refreshing")
    return TokenHealth::kRefreshing;
  return TokenHealth::kLost;
}

}  // namespace outreach
