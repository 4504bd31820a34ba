#pragma once
// Booking sessions with the Startup Advisory Office — the parts used outside a chat turn:
//   scheduled jobs   reminders, waitlist offers running out           (booking_jobs.cpp)
//   staff actions    confirm, cancel, mark attendance, and which days  (booking_staff.cpp)
//                    a listing covers: the one set of rules behind the CLI
//                    (`outreach-bot bookings …`) and the admin API (/admin/bookings…)
//   exports          the CSV report and the calendar file              (booking_export.cpp)
// The conversation itself is booking_chat.cpp's Handler, built by make_standard_handlers; seats
// and the waitlist are booking_seats.cpp (handlers/booking_internal.hpp lists what the files
// share).
// Thread-safety: functions of (Store, Snapshot); call them on the thread that owns the Store.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/core/errc.hpp"
#include "content/model.hpp"
#include "storage/store.hpp"

namespace outreach::handlers {

// ---- scheduled jobs ------------------------------------------------------------------------

// The reminder `minutes` before a booked session.
struct BookingReminderJob {
  static constexpr std::string_view kKind = "booking.remind";
  std::int64_t booking_id = 0;
  int minutes = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(BookingReminderJob, booking_id, minutes)

// A waitlist offer running out.
struct BookingOfferJob {
  static constexpr std::string_view kKind = "booking.offer_expire";
  std::int64_t wait_id = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(BookingOfferJob, wait_id)

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

// ---- staff actions -------------------------------------------------------------------------

// What staff want done to one booking.
struct StaffAction {
  enum class Kind {
    kConfirm,     // booked → booked and confirmed; the person is told (once)
    kCancel,      // booked | held → cancelled; the person is told why, the seat goes to the
                  // waitlist
    kAttendance,  // booked | attended | no_show → attended | no_show, once the session began
  };

  Kind kind = Kind::kConfirm;
  std::string ref;         // the booking's reference, "TV-7K3M9Q"
  std::string reason;      // kCancel: required (trimmed), at most kMaxCancelReason bytes
  std::string attendance;  // kAttendance: attended | no_show
  // Who asks, for the audit log (written in the action's transaction): a staff email, "cli" or
  // "admin-api"; and from which address, over HTTP.
  std::string actor = "staff";
  std::string address;
};

inline constexpr std::size_t kMaxCancelReason = 500;

// Does `action` in a transaction of its own (IMMEDIATE; `store` must not be in one) and returns
// the booking as stored after it, read back from the database. Refusals change nothing:
//   kInvalidInput  no reason to cancel, or attendance other than attended | no_show
//   kTooLarge      a reason longer than kMaxCancelReason
//   kNotFound      no booking with that reference
//   kConflict      the booking's status does not allow the action (see Kind), or attendance
//                  before the session starts
// The Problem's message says which, in words for staff.
[[nodiscard]] Result<storage::Booking, Problem> staff_action(storage::Store& store,
                                                             const content::Snapshot& content,
                                                             const StaffAction& action,
                                                             std::int64_t now_ms);

// Local days [first_day, last_day] of a listing or export.
struct BookingDays {
  std::int64_t first_day = 0;
  std::int64_t last_day = 0;
};

inline constexpr std::int64_t kMaxBookingDaysSpan = 366;  // last_day - first_day, at most

// The days staff asked for: `from` and `to` are YYYY-MM-DD; an empty `from` is today (at
// `now_ms`), an empty `to` is `from`. Refused (kInvalidInput) when malformed, when `to` is
// before `from`, or when they are more than kMaxBookingDaysSpan days apart.
[[nodiscard]] Result<BookingDays, Problem> booking_days(std::string_view from,
                                                        std::string_view to,
                                                        std::int64_t now_ms);

// The bookings (any status) starting on `days`, by time; `advisor` empty: every advisor.
std::vector<storage::Booking> bookings_on(storage::Store& store,
                                          const BookingDays& days,
                                          const std::string& advisor);

// ---- exports -------------------------------------------------------------------------------

// Bookings as CSV (RFC 4180, UTF-8, times local) for the periodic report.
std::string bookings_csv(const std::vector<storage::Booking>& bookings,
                         const content::Snapshot& content);

// The booking as an iCalendar file (RFC 5545) to add to a phone's calendar.
std::string booking_ics(const storage::Booking& booking, const content::Snapshot& content);

}  // namespace outreach::handlers
