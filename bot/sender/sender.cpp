#include "bot/sender/sender.hpp"

#include <SQLiteCpp/Transaction.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "bot/core/log.hpp"
#include "storage/async.hpp"

namespace outreach::sender {
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kMaxSleepMs = 1000;

}  // namespace

Sender::Sender(asio::any_io_executor ex,
               storage::DbExecutor& db,
               const Clock& clock,
               Metrics& metrics,
               SenderOptions options)
    : strand_(asio::make_strand(ex)),
      db_(db),
      clock_(clock),
      metrics_(metrics),
      options_(options),
      wake_(strand_) {}

void Sender::add_client(channels::ChannelClient& client) {
  clients_[client.channel()] = &client;
}

void Sender::start() {
  const int reset = db_.run_sync([](storage::Store& s) { return s.outbox.reset_sending(); });
  if (reset > 0)
    log::warn("sender", "resumed_after_crash", {{"rows", reset}});
  running_.store(true);
  asio::co_spawn(strand_, loop(), [this](std::exception_ptr ep) {
    running_.store(false);
    log::exception("sender", "loop_failed", ep);
  });
}

void Sender::kick() {
  asio::post(strand_, [this] {
    kicked_ = true;
    wake_.cancel();
  });
}

void Sender::stop() {
  stopping_.store(true);
  kick();
}

std::chrono::milliseconds Sender::backoff(int attempt) {
  const auto exp = std::min(attempt - 1, 20);
  const std::int64_t full =
      std::min<std::int64_t>(options_.backoff_max.count(), options_.backoff_base.count() << exp);
  std::uniform_int_distribution<std::int64_t> jitter(full / 2,
                                                     std::max<std::int64_t>(full / 2, full));
  return std::chrono::milliseconds(jitter(rng_));
}

asio::awaitable<void> Sender::loop() {
  while (!stopping_.load()) {
    kicked_ = false;
    std::int64_t sleep_ms = kMaxSleepMs;
    const int room = options_.concurrency - in_flight_.load();
    // Broadcasts take at most three quarters of the slots: a live reply always finds one free.
    const int bulk_room = std::max(1, options_.concurrency * 3 / 4) - in_flight_bulk_.load();
    if (room > 0) {
      const std::int64_t now = clock_.now_ms();

      struct Claim {
        std::vector<storage::OutboxItem> items;
        std::optional<std::int64_t> next_due;
        std::int64_t open = 0;
        std::int64_t dead = 0;
      };

      // The gauges count index entries: once a second is plenty, whatever the traffic.
      const bool count = now >= next_count_ms_;
      if (count)
        next_count_ms_ = now + 1000;
      Claim claim = co_await db_.run([now, room, bulk_room, count](storage::Store& s) {
        Claim c;
        c.items = s.outbox.claim_due(now, room, bulk_room);
        if (c.items.empty())
          c.next_due = s.outbox.next_due_at();
        if (count) {
          c.open = s.outbox.count_open();
          c.dead = s.outbox.count_dead();
        }
        return c;
      });
      if (count) {
        metrics_.set("outreach_outbox_depth", {}, static_cast<double>(claim.open));
        metrics_.set("outreach_dead_letters", {}, static_cast<double>(claim.dead));
      }
      for (auto& item : claim.items) {
        in_flight_.fetch_add(1);
        if (item.kind == MessageKind::kBroadcast)
          in_flight_bulk_.fetch_add(1);
        asio::co_spawn(strand_, send_one(std::move(item)),
                       [](std::exception_ptr ep) { log::exception("sender", "send_failed", ep); });
      }
      if (!claim.items.empty())
        continue;
      if (claim.next_due)
        sleep_ms = std::clamp<std::int64_t>(*claim.next_due - now, 0, kMaxSleepMs);
    }
    if (kicked_ || sleep_ms == 0)
      continue;
    wake_.expires_after(std::chrono::milliseconds(sleep_ms));
    co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<void> Sender::send_one(storage::OutboxItem item) {
  const auto channel = channel_from_string(item.channel);
  channels::ChannelClient* client = nullptr;
  if (channel) {
    if (auto it = clients_.find(*channel); it != clients_.end())
      client = it->second;
  }
  auto message = outbound_from_json(item.body);
  channels::Delivery d;
  d.outbox_id = item.id;
  d.kind = item.kind;
  d.account = item.account;
  d.user_id = item.platform_user_id;
  d.language = item.language;
  d.last_interaction_at = item.last_interaction_at;
  d.attempt = item.attempts;
  d.parts_sent = item.parts_sent;
  channels::SendResult result;
  if (client == nullptr) {
    result = channels::SendResult::give_up("no client for channel " + item.channel);
  } else if (!message) {
    result = channels::SendResult::give_up("stored message is not readable");
  } else {
    d.message = std::move(*message);
    try {
      result = co_await client->send(d);
    } catch (const std::exception& e) {
      result = channels::SendResult::retry(std::string("client threw: ") + e.what());
    }
  }
  using storage::SendOutcome;
  SendOutcome status = SendOutcome::kSent;
  std::int64_t next_at = 0;
  switch (result.kind) {
    case channels::SendResult::Kind::kSent:
      break;
    case channels::SendResult::Kind::kSkip:
      status = SendOutcome::kSkipped;
      break;
    case channels::SendResult::Kind::kGiveUp:
      status = SendOutcome::kDead;
      break;
    case channels::SendResult::Kind::kRetry:
      if (item.attempts >= options_.max_attempts) {
        status = SendOutcome::kDead;
        result.error =
            "gave up after " + std::to_string(item.attempts) + " attempts: " + result.error;
      } else {
        status = SendOutcome::kRetry;
        const auto wait = std::max(result.retry_after, backoff(item.attempts));
        next_at = clock_.now_ms() + wait.count();
      }
      break;
  }
  Outcome outcome{item.id, status, clock_.now_ms(), next_at, &result, {}};
  const bool recorded = co_await record(outcome);
  if (!recorded)  // the row stays 'sending'; the next start resets it and sends again
    log::error("sender", "record_failed", {{"outbox", item.id}});
  metrics_.inc("outreach_send_total",
               {{"channel", item.channel}, {"outcome", std::string(to_string(status))}});
  if (item.kind == MessageKind::kBroadcast)  // announcements by channel, outcome and price class
    metrics_.inc("outreach_broadcast_messages_total",
                 {{"channel", item.channel},
                  {"outcome", std::string(to_string(status))},
                  {"window", result.window.empty() ? "none" : result.window}});
  if (status != SendOutcome::kSent && status != SendOutcome::kRetry)
    log::warn("sender", "not_delivered",
              {{"outbox", item.id},
               {"ch", item.channel},
               {"status", to_string(status)},
               {"error", result.error}});
  if (client != nullptr)
    client->on_recorded(d, result);
  in_flight_.fetch_sub(1);
  if (item.kind == MessageKind::kBroadcast)
    in_flight_bulk_.fetch_sub(1);
  kicked_ = true;
  wake_.cancel();
}

asio::awaitable<bool> Sender::record(Outcome& outcome) {
  co_return co_await storage::async_completion<bool>(
      [this, &outcome](std::function<void(bool)> complete) {
        outcome.done = std::move(complete);
        bool schedule = false;
        {
          std::lock_guard lock(record_mu_);
          to_record_.push_back(std::move(outcome));
          schedule = !std::exchange(record_scheduled_, true);
        }
        if (schedule)
          db_.post([this](storage::Store& s) { record_waiting(s); });
      });
}

void Sender::record_waiting(storage::Store& store) {
  std::vector<Outcome> group;
  {
    std::lock_guard lock(record_mu_);
    group.swap(to_record_);
    record_scheduled_ = false;
  }
  record_groups_.fetch_add(1);
  bool ok = false;
  try {
    SQLite::Transaction tx(store.db, SQLite::TransactionBehavior::IMMEDIATE);
    for (const Outcome& o : group) {
      const channels::SendResult& r = *o.result;
      if (o.status == storage::SendOutcome::kSent)
        store.outbox.mark_sent(o.id, o.now, r.platform_message_id, r.window);
      else if (o.status == storage::SendOutcome::kRetry)
        store.outbox.mark_retry(o.id, o.next_at, r.error, r.parts_sent);
      else
        store.outbox.mark_final(o.id, o.status, r.error);
    }
    tx.commit();
    ok = true;
  } catch (const std::exception& e) {
    log::error("sender", "record_group_failed",
               {{"outcomes", group.size()}, {"what", std::string_view(e.what())}});
  }
  for (Outcome& o : group) o.done(ok);
}

}  // namespace outreach::sender
