#pragma once
// The Startup Advisory Office's calendar, computed from content (booking.yaml) and the seats
// already taken: which sessions exist on a day for a topic, which are bookable now, and the
// next free times. Days are local day numbers (bot/core/local_time.hpp).
// Thread-safety: pure functions.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "content/model.hpp"
#include "storage/booking_repo.hpp"

namespace outreach::handlers {

struct Session {
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::string advisor;
  int seats = 1;
  int taken = 0;

  bool full() const { return taken >= seats; }
};

// Every session on local `day` of the advisors who take `topic` (none on a holiday), by time.
std::vector<Session> sessions_on(const content::BookingSetup& setup,
                                 std::string_view topic,
                                 std::int64_t day,
                                 const storage::SeatCounts& taken);

// Whether a session starting at `start_ms` may be booked at `now_ms` (notice and horizon).
bool bookable(const content::BookingSetup& setup, std::int64_t start_ms, std::int64_t now_ms);

// A time a person can pick: one or more advisors have a free seat then.
struct FreeTime {
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::vector<std::string> advisors;  // with a free seat, in booking.yaml order
};

// Free, bookable times for `topic` on local days [first_day, last_day] whose start minute is
// in [from_minute, to_minute), soonest first, at most `limit`.
std::vector<FreeTime> free_times(const content::BookingSetup& setup,
                                 std::string_view topic,
                                 std::int64_t first_day,
                                 std::int64_t last_day,
                                 int from_minute,
                                 int to_minute,
                                 std::int64_t now_ms,
                                 const storage::SeatCounts& taken,
                                 std::size_t limit);

// The last local day one may book at `now_ms`.
std::int64_t last_bookable_day(const content::BookingSetup& setup, std::int64_t now_ms);

}  // namespace outreach::handlers
