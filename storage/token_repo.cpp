#include "storage/token_repo.hpp"

#include <SQLiteCpp/Statement.h>

namespace outreach::storage {

TokenRepo::TokenRepo(SQLite::Database& db) : db_(db) {}

std::optional<TokenRow> TokenRepo::get(const std::string& account) {
  SQLite::Statement q(
      db_,
      "SELECT account, COALESCE(access_token, ''), COALESCE(access_expires_at, 0), refresh_token, "
      "state, COALESCE(refreshing_since, 0), rotations, COALESCE(last_error, ''), updated_at "
      "FROM tokens WHERE account = :account");
  q.bind(":account", account);
  if (!q.executeStep())
    return std::nullopt;
  TokenRow r;
  r.account = q.getColumn(0).getString();
  r.access_token = q.getColumn(1).getString();
  r.access_expires_at = q.getColumn(2).getInt64();
  r.refresh_token = q.getColumn(3).getString();
  r.state = token_health_from_string(q.getColumn(4).getString());
  r.refreshing_since = q.getColumn(5).getInt64();
  r.rotations = q.getColumn(6).getInt();
  r.last_error = q.getColumn(7).getString();
  r.updated_at = q.getColumn(8).getInt64();
  return r;
}

bool TokenRepo::seed(const std::string& account,
                     const std::string& refresh_token,
                     const std::string& access_token,
                     std::int64_t access_expires_at,
                     std::int64_t now_ms,
                     bool replace) {
  SQLite::Statement q(db_, replace ? R"sql(
INSERT INTO tokens (account, access_token, access_expires_at, refresh_token, state, updated_at)
VALUES (:account, :access, :expires, :refresh, 'ok', :now)
ON CONFLICT (account) DO UPDATE SET access_token = excluded.access_token,
  access_expires_at = excluded.access_expires_at, refresh_token = excluded.refresh_token,
  state = 'ok', refreshing_since = NULL, last_error = NULL, updated_at = excluded.updated_at
)sql"
                                   : R"sql(
INSERT INTO tokens (account, access_token, access_expires_at, refresh_token, state, updated_at)
VALUES (:account, :access, :expires, :refresh, 'ok', :now)
ON CONFLICT (account) DO NOTHING
)sql");
  q.bind(":account", account);
  if (access_token.empty()) {
    q.bind(":access");
  } else {
    q.bind(":access", access_token);
  }
  q.bind(":expires", static_cast<int64_t>(access_expires_at));
  q.bind(":refresh", refresh_token);
  q.bind(":now", static_cast<int64_t>(now_ms));
  return q.exec() == 1;
}

void TokenRepo::begin_refresh(const std::string& account, std::int64_t now_ms) {
  SQLite::Statement q(
      db_,
      "UPDATE tokens SET state = 'refreshing', refreshing_since = :now, updated_at = :now "
      "WHERE account = :account");
  q.bind(":now", static_cast<int64_t>(now_ms));
  q.bind(":account", account);
  q.exec();
}

void TokenRepo::commit_refresh(const std::string& account,
                               const std::string& access_token,
                               std::int64_t access_expires_at,
                               const std::string& refresh_token,
                               std::int64_t now_ms) {
  SQLite::Statement q(db_, R"sql(
UPDATE tokens SET access_token = :access, access_expires_at = :expires, refresh_token = :refresh,
  state = 'ok', refreshing_since = NULL, rotations = rotations + 1, last_error = NULL, updated_at = :now
WHERE account = :account
)sql");
  q.bind(":access", access_token);
  q.bind(":expires", static_cast<int64_t>(access_expires_at));
  q.bind(":refresh", refresh_token);
  q.bind(":now", static_cast<int64_t>(now_ms));
  q.bind(":account", account);
  q.exec();
}

void TokenRepo::mark_lost(const std::string& account,
                          const std::string& error,
                          std::int64_t now_ms) {
  SQLite::Statement q(db_,
                      "UPDATE tokens SET state = 'lost', last_error = :error, updated_at = :now "
                      "WHERE account = :account");
  q.bind(":error", error);
  q.bind(":now", static_cast<int64_t>(now_ms));
  q.bind(":account", account);
  q.exec();
}

}  // namespace outreach::storage
