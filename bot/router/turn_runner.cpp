#include "bot/router/turn_runner.hpp"

#include <SQLiteCpp/Transaction.h>

#include "bot/core/log.hpp"
#include "handlers/broadcast.hpp"
#include "handlers/handlers.hpp"

namespace outreach::router {

TurnRunner::TurnRunner(const content::ContentStore& content,
                       Dispatcher& dispatcher,
                       UnderstandingCache& understanding,
                       const Clock& clock,
                       Metrics& metrics,
                       RunnerOptions options)
    : content_(content),
      dispatcher_(dispatcher),
      clock_(clock),
      metrics_(metrics),
      options_(std::move(options)),
      understanding_(understanding) {}

TurnResult TurnRunner::run(storage::Store& store, std::int64_t inbox_id) {
  const std::int64_t start_us = monotonic_us();
  const int attempts = store.inbox.bump_attempts(inbox_id);
  auto row = store.inbox.get_pending(inbox_id);
  if (!row)
    return {};
  auto parsed = inbound_from_json(row->payload);
  if (!parsed) {
    fail(store, inbox_id, nullptr, "stored event is not readable");
    return {};
  }
  const InboundEvent& event = *parsed;
  if (attempts > kMaxAttempts) {
    log::error("router", "turn_given_up", {{"inbox", inbox_id}, {"attempts", attempts}});
    fail(store, inbox_id, &event, "gave up after " + std::to_string(attempts - 1) + " attempts");
    return {};
  }
  auto snapshot = content_.snapshot();
  if (!snapshot) {
    fail(store, inbox_id, &event, "no content loaded");
    return {};
  }
  try {
    SQLite::Transaction tx(store.db, SQLite::TransactionBehavior::IMMEDIATE);
    TurnResult r = body(store, inbox_id, event, snapshot, start_us);
    tx.commit();
    return r;
  } catch (const std::exception& e) {
    log::error("router", "turn_failed",
               {{"inbox", inbox_id}, {"what", std::string_view(e.what())}});
    metrics_.inc("outreach_turns_total", {{"handler", "error"}, {"outcome", "error"}});
    fail(store, inbox_id, &event, e.what());
    return {};
  }
}

std::vector<TurnResult> TurnRunner::run_batch(storage::Store& store,
                                              const std::vector<std::int64_t>& inbox_ids,
                                              const std::function<bool()>& yield,
                                              std::size_t min_turns) {
  std::vector<TurnResult> results;
  if (min_turns == 0 && yield && yield())
    return results;  // nothing to commit: give way before opening the transaction
  results.reserve(inbox_ids.size());
  auto snapshot = content_.snapshot();
  SQLite::Transaction tx(store.db, SQLite::TransactionBehavior::IMMEDIATE);
  for (const std::int64_t inbox_id : inbox_ids) {
    if (results.size() >= min_turns && yield && yield())
      break;
    const std::int64_t start_us = monotonic_us();
    auto row = store.inbox.get_pending(inbox_id);
    if (!row) {
      results.emplace_back();
      continue;
    }
    auto parsed = inbound_from_json(row->payload);
    if (!parsed || !snapshot || row->attempts > kMaxAttempts) {
      fail(store, inbox_id, parsed ? &*parsed : nullptr,
           !parsed     ? "stored event is not readable"
           : !snapshot ? "no content loaded"
                       : "gave up",
           false);
      results.emplace_back();
      continue;
    }
    store.db.exec("SAVEPOINT turn");
    try {
      results.push_back(body(store, inbox_id, *parsed, snapshot, start_us));
      store.db.exec("RELEASE turn");
    } catch (const std::exception& e) {
      store.db.exec("ROLLBACK TO turn");
      store.db.exec("RELEASE turn");
      log::error("router", "turn_failed",
                 {{"inbox", inbox_id}, {"what", std::string_view(e.what())}});
      metrics_.inc("outreach_turns_total", {{"handler", "error"}, {"outcome", "error"}});
      fail(store, inbox_id, &*parsed, e.what(), false);
      results.emplace_back();
    }
  }
  tx.commit();
  return results;
}

TurnResult TurnRunner::body(storage::Store& store,
                            std::int64_t inbox_id,
                            const InboundEvent& event,
                            const std::shared_ptr<const content::Snapshot>& snapshot,
                            std::int64_t start_us) {
  const std::int64_t now = clock_.now_ms();
  std::string language = options_.default_language;
  if (event.language == "vi" || event.language == "en")
    language = event.language;
  // Receipts, staff echoes and the like are not the person interacting: they must not move the
  // platforms' send windows.
  const std::string channel(to_string(event.channel));
  std::optional<storage::Person> known;
  if (event.kind == EventKind::kOther)
    known = store.people.find(channel, event.account, event.user_id);
  storage::Person person = known ? *known
                                 : store.people.touch(channel, event.account, event.user_id,
                                                      event.display_name, language, now);
  storage::ConversationState state = store.conversations.load(person.id);
  // A button of an announcement: counted for its broadcast, then handled as the button itself.
  std::optional<InboundEvent> unwrapped;
  if (auto click = handlers::broadcast_click(event.payload)) {
    store.broadcasts.record_click(click->first, person.id, click->second, now);
    unwrapped = event;
    unwrapped->payload = std::move(click->second);
  }
  handlers::Turn turn(unwrapped ? *unwrapped : event, person, state, *snapshot, now, options_.turn);
  const auto understanding = understanding_.get(snapshot);
  dispatcher_.dispatch(turn, store, *understanding);

  for (auto it = turn.replies.rbegin(); it != turn.replies.rend(); ++it) {
    auto choices = numbered_choices(*it);
    if (!choices.empty()) {
      state.choices = std::move(choices);
      break;
    }
    if (it == turn.replies.rend() - 1)
      state.choices.clear();
  }
  int seq = 0;
  for (const OutboundMessage& m : turn.replies)
    store.outbox.enqueue(person.id, inbox_id, seq++, MessageKind::kReply, nlohmann::json(m).dump(),
                         now);
  const std::int64_t latency_us = monotonic_us() - start_us;
  if (!turn.person_forgotten) {
    storage::InteractionRecord rec;
    rec.inbox_id = inbox_id;
    rec.person_id = person.id;
    rec.at = now;
    rec.handler = turn.handler;
    rec.outcome = turn.outcome;
    rec.latency_us = latency_us;
    if (options_.turn.store_message_text && person.consent_store_text && !event.text.empty())
      rec.text = event.text;
    store.records.record_interaction(rec);
    if (!turn.unanswered.empty()) {
      storage::QuestionRecord q;
      q.at = now;
      q.person_id = person.id;
      q.channel = person.channel;
      q.outcome = turn.unanswered;
      q.best = turn.best_guess;
      q.score = turn.guess_score;
      q.text = rec.text;  // the same rule: config and consent
      const std::int64_t id = store.records.record_question(q);
      if (turn.offer_share)  // until the next message: "send this question to staff"
        state.data[handlers::kShareable] = {{"id", id}, {"text", event.text}};
    }
    if (!turn.offer_share)
      state.data.erase(handlers::kShareable);
    store.conversations.save(person.id, state, now);
  }
  store.inbox.finish(inbox_id, "done", now, {}, false);

  metrics_.inc("outreach_turns_total", {{"handler", turn.handler}, {"outcome", "ok"}});
  metrics_.observe("outreach_turn_duration_seconds", {}, static_cast<double>(latency_us) / 1e6);
  if (log::enabled(log::Level::kInfo))  // its fields (a keyed hash among them) cost a turn time
    log::info("router", "turn_done",
              {{"ch", to_string(event.channel)},
               {"evt", event.event_id},
               {"user", log::user_hash(event.user_id)},
               {"handler", turn.handler},
               {"outcome", turn.outcome},
               {"replies", static_cast<int>(turn.replies.size())},
               {"us", static_cast<long long>(latency_us)}});
  return {true, person.id, static_cast<int>(turn.replies.size()), turn.handler, turn.outcome};
}

void TurnRunner::fail(storage::Store& store,
                      std::int64_t inbox_id,
                      const InboundEvent* event,
                      const std::string& error,
                      bool own_transaction) {
  try {
    std::optional<SQLite::Transaction> tx;
    if (own_transaction)
      tx.emplace(store.db, SQLite::TransactionBehavior::IMMEDIATE);
    const std::int64_t now = clock_.now_ms();
    auto snapshot = content_.snapshot();
    if (event != nullptr && snapshot && !event->user_id.empty() &&
        (event->kind == EventKind::kMessage || event->kind == EventKind::kPostback)) {
      storage::Person p = store.people.touch(std::string(to_string(event->channel)), event->account,
                                             event->user_id, {}, options_.default_language, now);
      OutboundMessage apology;
      apology.text = snapshot->ui(p.language, "error.apology");
      store.outbox.enqueue(p.id, inbox_id, 0, MessageKind::kReply, nlohmann::json(apology).dump(),
                           now);
    }
    store.inbox.finish(inbox_id, "failed", now, error.substr(0, 500), false);
    if (tx)
      tx->commit();
  } catch (const std::exception& e) {
    log::error("router", "fail_record_failed",
               {{"inbox", inbox_id}, {"what", std::string_view(e.what())}});
  }
}

}  // namespace outreach::router
