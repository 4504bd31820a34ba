#include "bot/app/token_store.hpp"

#include "storage/database.hpp"

namespace outreach::app {
namespace asio = boost::asio;

namespace {

// Token rotations must survive a power cut, not only a crash: each of these few writes is
// followed by a sync of the WAL (storage::sync_log), as the inbox's commits are, whatever the
// connection's synchronous setting.
template <class F>
void durably(storage::Store& s, F write) {
  write();
  storage::sync_log(s.db);
}

}  // namespace

asio::awaitable<std::optional<channels::StoredTokens>> DbTokenStore::load(std::string account) {
  co_return co_await db_.run(
      [&account](storage::Store& s) -> std::optional<channels::StoredTokens> {
        auto row = s.tokens.get(account);
        if (!row)
          return std::nullopt;
        channels::StoredTokens t;
        t.access_token = row->access_token;
        t.access_expires_at = row->access_expires_at;
        t.refresh_token = row->refresh_token;
        t.state = row->state;
        return t;
      });
}

asio::awaitable<void> DbTokenStore::begin_refresh(std::string account) {
  const std::int64_t now = clock_.now_ms();
  co_await db_.run([&account, now](storage::Store& s) {
    durably(s, [&] { s.tokens.begin_refresh(account, now); });
  });
}

asio::awaitable<void> DbTokenStore::commit(std::string account, channels::StoredTokens tokens) {
  const std::int64_t now = clock_.now_ms();
  co_await db_.run([&](storage::Store& s) {
    durably(s, [&] {
      s.tokens.commit_refresh(account, tokens.access_token, tokens.access_expires_at,
                              tokens.refresh_token, now);
    });
  });
}

asio::awaitable<void> DbTokenStore::mark_lost(std::string account, std::string error) {
  const std::int64_t now = clock_.now_ms();
  co_await db_.run([&](storage::Store& s) { s.tokens.mark_lost(account, error, now); });
}

}  // namespace outreach::app
