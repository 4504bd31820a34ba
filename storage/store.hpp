#pragma once
// Store: one connection's repositories, built together. The writer's Store lives on the DB
// thread; each read-pool thread has its own over a read-only connection.
// Thread-safety: not thread-safe; used only by the thread that owns its connection.

#include <SQLiteCpp/Database.h>

#include "storage/booking_repo.hpp"
#include "storage/broadcast_repo.hpp"
#include "storage/conversation_repo.hpp"
#include "storage/event_repo.hpp"
#include "storage/handoff_repo.hpp"
#include "storage/inbox_repo.hpp"
#include "storage/jobs_repo.hpp"
#include "storage/outbox_repo.hpp"
#include "storage/people_repo.hpp"
#include "storage/records_repo.hpp"
#include "storage/staff_repo.hpp"
#include "storage/subscription_repo.hpp"
#include "storage/token_repo.hpp"

namespace outreach::storage {

struct Store {
  explicit Store(SQLite::Database& database)
      : db(database),
        people(database),
        conversations(database),
        inbox(database),
        outbox(database),
        jobs(database),
        records(database),
        tokens(database),
        bookings(database),
        staff(database),
        handoffs(database),
        subscriptions(database),
        broadcasts(database),
        events(database) {}

  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  SQLite::Database& db;
  PeopleRepo people;
  ConversationRepo conversations;
  InboxRepo inbox;
  OutboxRepo outbox;
  JobsRepo jobs;
  RecordsRepo records;
  TokenRepo tokens;
  BookingRepo bookings;
  StaffRepo staff;
  HandoffRepo handoffs;
  SubscriptionRepo subscriptions;
  BroadcastRepo broadcasts;
  EventRepo events;
};

}  // namespace outreach::storage
