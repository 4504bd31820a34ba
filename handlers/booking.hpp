#pragma once
// Booking sessions with the Startup Advisory Office — the parts used outside a chat turn:
// scheduled jobs (reminders, waitlist offers running out), staff actions (CLI and admin API),
// the calendar file and the CSV export. The conversation itself is handlers/booking.cpp's
// Handler, built by make_standard_handlers.
// Thread-safety: functions of (Store, Snapshot); call them on the thread that owns the Store.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "content/model.hpp"
#include "storage/store.hpp"

namespace outreach::handlers {

// Job kinds (the jobs table); payload {"booking_id", "minutes"} / {"wait_id"}.
inline constexpr std::string_view kBookingReminderJob = "booking.remind";
inline constexpr std::string_view kBookingOfferJob = "booking.offer_expire";

// Sends the reminder `minutes` before the session if the booking still stands; true when a
// message went into the outbox.
bool run_booking_reminder(storage::Store& tx,
                          const content::Snapshot& content,
                          std::int64_t booking_id,
                          int minutes,
                          std::int64_t now_ms);

// A waitlist offer ran out: the held seat goes to the next in line. True when the outbox grew.
bool run_offer_expiry(storage::Store& tx,
                      const content::Snapshot& content,
                      std::int64_t wait_id,
                      std::int64_t now_ms);

// What staff did, for the CLI and the admin API: `error` names the problem when !ok.
struct StaffResult {
  bool ok = false;
  std::string error;
  storage::Booking booking;
};

// Cancels with a reason (the person is told; the seat goes to the waitlist).
StaffResult staff_cancel(storage::Store& tx,
                         const content::Snapshot& content,
                         const std::string& ref,
                         const std::string& reason,
                         std::int64_t now_ms);
// Confirms (the person is told).
StaffResult staff_confirm(storage::Store& tx,
                          const content::Snapshot& content,
                          const std::string& ref,
                          std::int64_t now_ms);
// status: attended | no_show, once the session has started.
StaffResult staff_mark(storage::Store& tx,
                       const std::string& ref,
                       const std::string& status,
                       std::int64_t now_ms);

// Bookings as CSV (RFC 4180, UTF-8, times local) for the periodic report.
std::string bookings_csv(const std::vector<storage::Booking>& bookings,
                         const content::Snapshot& content);

// The booking as an iCalendar file (RFC 5545) to add to a phone's calendar.
std::string booking_ics(const storage::Booking& booking, const content::Snapshot& content);

// "2026-12-03 09:00" local time.
std::string local_timestamp(std::int64_t unix_ms);

}  // namespace outreach::handlers
