#include "storage/retention.hpp"

#include <SQLiteCpp/Statement.h>

namespace outreach::storage {
namespace {

int run(SQLite::Database& db, const char* sql, std::int64_t cutoff) {
  SQLite::Statement st(db, sql);
  st.bind(":cutoff", static_cast<int64_t>(cutoff));
  return st.exec();
}

}  // namespace

PurgeReport purge_older_than(Store& store, std::int64_t cutoff_ms) {
  PurgeReport r;
  r.interactions = run(store.db, "DELETE FROM interactions WHERE at < :cutoff", cutoff_ms) +
                   run(store.db, "DELETE FROM questions WHERE at < :cutoff", cutoff_ms);
  r.messages =
      run(store.db,
          "DELETE FROM outbox WHERE status IN ('sent', 'dead', 'skipped') AND created_at < :cutoff",
          cutoff_ms);
  r.inbox = run(store.db, "DELETE FROM inbox WHERE status != 'pending' AND received_at < :cutoff",
                cutoff_ms);
  r.jobs = run(store.db, "DELETE FROM jobs WHERE status != 'pending' AND created_at < :cutoff",
               cutoff_ms);
  // A session long past keeps what the office's statistics count (field, advisor, time,
  // format, stage, status, moves) and loses who it was: name, phone, company, the description
  // and staff's cancel reason.
  r.bookings = run(store.db,
                   "UPDATE bookings SET name = '', phone = '', company = '', description = '', "
                   "cancel_reason = NULL WHERE starts_at < :cutoff AND ends_at < :cutoff AND (name "
                   "!= '' OR phone != '' "
                   "OR company != '' OR description != '' OR cancel_reason IS NOT NULL)",
                   cutoff_ms);
  // A waitlist entry for a day before the cutoff is over whatever its status (its details hold
  // the same personal data as a booking).
  r.waitlist = run(store.db, "DELETE FROM waitlist WHERE day < :cutoff / 86400000 - 1", cutoff_ms);
  // Failed sign-ins name an email and an address; a throttle long past has no use. Sessions
  // end by their own timeouts, and their rows go here.
  r.staff = run(store.db, "DELETE FROM login_failures WHERE updated_at < :cutoff", cutoff_ms) +
            run(store.db, "DELETE FROM staff_sessions WHERE last_seen_at < :cutoff", cutoff_ms);
  // A conversation with staff, resolved long ago, with its messages (cascade).
  r.staff +=
      run(store.db, "DELETE FROM handoffs WHERE status = 'resolved' AND resolved_at < :cutoff",
          cutoff_ms);
  r.people = run(store.db,
                 "DELETE FROM people WHERE last_interaction_at < :cutoff AND NOT EXISTS "
                 "(SELECT 1 FROM outbox o WHERE o.person_id = people.id AND o.status IN "
                 "('pending', 'sending'))",
                 cutoff_ms);
  return r;
}

}  // namespace outreach::storage
