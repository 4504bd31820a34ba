// What staff do to bookings, with one set of rules whichever way they ask: the command line
// (bot/app/admin.cpp) and the admin API (bot/app/http_routes.cpp) only translate.
#include <optional>

#include <SQLiteCpp/Transaction.h>

#include "bot/core/local_time.hpp"
#include "bot/core/text.hpp"
#include "handlers/booking.hpp"
#include "handlers/booking_internal.hpp"

namespace outreach::handlers {
namespace {

using Kind = StaffAction::Kind;

// What is wrong with the request itself, before any booking is read.
std::optional<Problem> invalid(const StaffAction& a, std::string_view reason) {
  if (a.kind == Kind::kCancel && reason.empty())
    return Problem{Errc::kInvalidInput, "a reason is required: the person is told why"};
  if (a.kind == Kind::kCancel && reason.size() > kMaxCancelReason)
    return Problem{Errc::kTooLarge,
                   "the reason is longer than " + std::to_string(kMaxCancelReason) + " bytes"};
  if (a.kind == Kind::kAttendance && a.attendance != "attended" && a.attendance != "no_show")
    return Problem{Errc::kInvalidInput,
                   "attendance must be attended or no_show, not '" + a.attendance + "'"};
  return std::nullopt;
}

// Whether booking `b` may go where `a` takes it now: which status each action starts from, and
// attendance only once the session has begun.
std::optional<Problem> refused(const StaffAction& a,
                               const storage::Booking& b,
                               std::int64_t now_ms) {
  auto conflict = [](std::string message) {
    return Problem{Errc::kConflict, std::move(message)};
  };
  const std::string is = "booking " + b.ref + " is " + b.status;
  switch (a.kind) {
    case Kind::kConfirm:
      if (b.status != "booked")
        return conflict(is + ", not booked");
      break;
    case Kind::kCancel:
      if (b.status != "booked" && b.status != "held")
        return conflict(is + ", not booked");
      break;
    case Kind::kAttendance:
      if (b.status == "cancelled" || b.status == "held")
        return conflict(is);
      if (b.starts_at > now_ms)
        return conflict("the session of " + b.ref + " has not started yet (" +
                        local_time::timestamp(b.starts_at) + ")");
      break;
  }
  return std::nullopt;
}

// Tells the person of `b` what staff did (`key`: a booking.staff_* message).
void tell(storage::Store& tx,
          const booking::Speaker& s,
          const storage::Booking& b,
          std::string_view key,
          const Vars& vars,
          Button button,
          std::int64_t now_ms) {
  OutboundMessage m;
  m.text = s.ui(key, vars);
  m.buttons = {std::move(button)};
  tx.outbox.enqueue(*b.person_id, MessageKind::kStaff, m, now_ms);
}

}  // namespace

Result<storage::Booking, Problem> staff_action(storage::Store& store,
                                               const content::Snapshot& content,
                                               const StaffAction& action,
                                               std::int64_t now_ms) {
  const std::string reason(text::trim(action.reason));
  if (auto problem = invalid(action, reason))
    return *problem;
  SQLite::Transaction t(store.db, SQLite::TransactionBehavior::IMMEDIATE);
  const auto found = store.bookings.by_ref(action.ref);
  if (!found)
    return Problem{Errc::kNotFound, "no booking with reference " + action.ref};
  const storage::Booking& b = *found;
  if (auto problem = refused(action, b, now_ms))
    return *problem;
  const std::optional<booking::Speaker> s =
      b.person_id ? std::optional(booking::speaker_for(store, content, *b.person_id))
                  : std::nullopt;
  switch (action.kind) {
    case Kind::kConfirm:
      store.bookings.confirm(b.id, now_ms);
      if (s && !b.confirmed_at)
        tell(store, *s, b, "booking.staff_confirmed", booking::booking_vars(*s, b),
             s->button("booking.mine", "booking:mine"), now_ms);
      break;
    case Kind::kCancel:
      if (s) {
        Vars vars = booking::booking_vars(*s, b);
        vars["reason"] = reason;
        tell(store, *s, b, "booking.staff_cancelled", vars, s->button("booking.new", "booking:new"),
             now_ms);
      }
      booking::cancel_booking(store, content, b, reason, "staff", now_ms);
      break;
    case Kind::kAttendance:
      store.bookings.set_status(b.id, action.attendance, {}, {}, now_ms);
      break;
  }
  static constexpr const char* kAudited[] = {"booking_confirm", "booking_cancel",
                                             "booking_attendance"};
  store.staff.audit(now_ms, action.actor, kAudited[static_cast<int>(action.kind)], b.ref,
                    action.address,
                    action.kind == Kind::kCancel       ? reason
                    : action.kind == Kind::kAttendance ? action.attendance
                                                       : std::string{});
  auto after = store.bookings.get(b.id);
  t.commit();
  return *after;
}

Result<BookingDays, Problem> booking_days(std::string_view from,
                                          std::string_view to,
                                          std::int64_t now_ms) {
  const auto first =
      from.empty() ? std::optional(local_time::day_of(now_ms)) : local_time::parse_date(from);
  const auto last = !first || to.empty() ? first : local_time::parse_date(to);
  if (!first || !last || *last < *first || *last - *first > kMaxBookingDaysSpan)
    return Problem{Errc::kInvalidInput,
                   "from and to must be dates YYYY-MM-DD, with to on or after from and at most " +
                       std::to_string(kMaxBookingDaysSpan) + " days after it"};
  return BookingDays{*first, *last};
}

std::vector<storage::Booking> bookings_on(storage::Store& store,
                                          const BookingDays& days,
                                          const std::string& advisor) {
  return store.bookings.between(local_time::unix_ms(days.first_day),
                                local_time::unix_ms(days.last_day + 1), advisor);
}

}  // namespace outreach::handlers
