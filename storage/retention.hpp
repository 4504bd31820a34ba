#pragma once
// Retention: personal data is kept only as long as the office needs it (privacy.retention_days).
// A daily job deletes what is older than the cutoff: interaction records, delivered or
// abandoned outbox messages, processed inbox rows, finished jobs, and people who have not
// written since (their feedback stays, anonymous).
// Thread-safety: DB thread only; runs inside the caller's transaction.

#include <cstdint>

#include "storage/store.hpp"

namespace outreach::storage {

struct PurgeReport {
  int interactions = 0;
  int messages = 0;
  int inbox = 0;
  int jobs = 0;
  int people = 0;
};

PurgeReport purge_older_than(Store& store, std::int64_t cutoff_ms);

}  // namespace outreach::storage
