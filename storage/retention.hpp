#pragma once
// Retention: personal data is kept only as long as the office needs it (privacy.retention_days).
// A daily job deletes what is older than the cutoff: interaction records, delivered or
// abandoned outbox messages, processed inbox rows, finished jobs, waitlist entries for days
// before it, and people who have not written since (their feedback stays, anonymous). Sessions
// with the advisory office that ended before it lose the person's details and keep the rest
// for the statistics.
// Thread-safety: DB thread only; runs inside the caller's transaction.

#include <cstdint>

#include "storage/store.hpp"

namespace outreach::storage {

struct PurgeReport {
  int interactions = 0;
  int messages = 0;
  int inbox = 0;
  int jobs = 0;
  int bookings = 0;  // made anonymous
  int waitlist = 0;
  int people = 0;
  int staff = 0;  // failed sign-ins and ended console sessions
};

PurgeReport purge_older_than(Store& store, std::int64_t cutoff_ms);

}  // namespace outreach::storage
