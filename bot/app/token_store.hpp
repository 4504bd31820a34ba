#pragma once
// DbTokenStore: channels::TokenStore over the tokens table, through the DB thread. Every write
// is its own committed transaction (synchronous, before the caller continues), so the order
// "mark refreshing → call the platform → commit the new pair → use it" survives a crash at any
// point with the database telling which step was reached.
// Thread-safety: safe from any executor (the DB thread serialises the work).

#include "bot/channels/channel.hpp"
#include "bot/core/clock.hpp"
#include "storage/db_executor.hpp"

namespace outreach::app {

class DbTokenStore final : public channels::TokenStore {
 public:
  DbTokenStore(storage::DbExecutor& db, const Clock& clock) : db_(db), clock_(clock) {}

  boost::asio::awaitable<std::optional<channels::StoredTokens>> load(std::string account) override;
  boost::asio::awaitable<void> begin_refresh(std::string account) override;
  boost::asio::awaitable<void> commit(std::string account, channels::StoredTokens tokens) override;
  boost::asio::awaitable<void> mark_lost(std::string account, std::string error) override;

 private:
  storage::DbExecutor& db_;
  const Clock& clock_;
};

}  // namespace outreach::app
