#pragma once
// TokenRepo: the OAuth tokens of each platform account. A Zalo refresh token works once and
// rotates, so the order is: mark the row 'refreshing' (committed) → call the platform →
// commit the new pair (state 'ok') before the new access token is used. A row left
// 'refreshing' by a crash says the outcome of that call is unknown; the next refresh tries the
// stored refresh token again, and if the platform refuses it the row becomes 'lost' (a person
// must authorise the app again) while messages wait in the outbox.
// Thread-safety: not thread-safe; DB thread only.

#include <cstdint>
#include <optional>
#include <string>

#include <SQLiteCpp/Database.h>

#include "bot/core/token_health.hpp"

namespace outreach::storage {

struct TokenRow {
  std::string account;
  std::string access_token;
  std::int64_t access_expires_at = 0;
  std::string refresh_token;
  TokenHealth state = TokenHealth::kOk;
  std::int64_t refreshing_since = 0;
  int rotations = 0;
  std::string last_error;
  std::int64_t updated_at = 0;
};

class TokenRepo {
 public:
  explicit TokenRepo(SQLite::Database& db);

  std::optional<TokenRow> get(const std::string& account);

  // First tokens (from the environment or the CLI). With `replace` false, an existing row is
  // kept (a restart must not roll back to the environment's older, already used token).
  bool seed(const std::string& account,
            const std::string& refresh_token,
            const std::string& access_token,
            std::int64_t access_expires_at,
            std::int64_t now_ms,
            bool replace);

  void begin_refresh(const std::string& account, std::int64_t now_ms);
  void commit_refresh(const std::string& account,
                      const std::string& access_token,
                      std::int64_t access_expires_at,
                      const std::string& refresh_token,
                      std::int64_t now_ms);
  void mark_lost(const std::string& account, const std::string& error, std::int64_t now_ms);

 private:
  SQLite::Database& db_;
};

}  // namespace outreach::storage
