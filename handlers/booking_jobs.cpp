// Scheduled work of bookings, as rows of the jobs table (they survive restarts): a reminder
// before the session (booking.yaml reminder_minutes), and the end of a waitlist offer nobody
// answered. Each job is keyed, so scheduling again replaces and a change of plan cancels it.
#include <nlohmann/json.hpp>

#include "handlers/booking.hpp"
#include "handlers/booking_internal.hpp"

namespace outreach::handlers {
namespace booking {
namespace {

std::string reminder_key(std::int64_t booking_id, int minutes) {
  return "booking.remind:" + std::to_string(booking_id) + ":" + std::to_string(minutes);
}

std::string offer_key(std::int64_t wait_id) {
  return "booking.offer:" + std::to_string(wait_id);
}

}  // namespace

void schedule_reminders(storage::Store& tx,
                        const content::BookingSetup& setup,
                        const storage::Booking& b,
                        std::int64_t now_ms) {
  for (int minutes : setup.reminder_minutes) {
    const std::int64_t at = b.starts_at - minutes * kMinuteMs;
    if (at <= now_ms) {
      tx.jobs.cancel(reminder_key(b.id, minutes));
      continue;
    }
    tx.jobs.schedule(BookingReminderJob{b.id, minutes}, at, reminder_key(b.id, minutes), now_ms);
  }
}

void cancel_reminders(storage::Store& tx,
                      const content::BookingSetup& setup,
                      const storage::Booking& b) {
  for (int minutes : setup.reminder_minutes) tx.jobs.cancel(reminder_key(b.id, minutes));
}

void schedule_offer_expiry(storage::Store& tx,
                           std::int64_t wait_id,
                           std::int64_t at_ms,
                           std::int64_t now_ms) {
  tx.jobs.schedule(BookingOfferJob{wait_id}, at_ms, offer_key(wait_id), now_ms);
}

void cancel_offer_expiry(storage::Store& tx, std::int64_t wait_id) {
  tx.jobs.cancel(offer_key(wait_id));
}

}  // namespace booking

using booking::booking_vars;
using booking::Speaker;
using booking::speaker_for;

bool run_booking_reminder(storage::Store& tx,
                          const content::Snapshot& content,
                          std::int64_t booking_id,
                          int minutes,
                          std::int64_t now_ms) {
  auto b = tx.bookings.get(booking_id);
  if (!b || b->status != "booked" || !b->person_id || b->starts_at <= now_ms)
    return false;
  const Speaker s = speaker_for(tx, content, *b->person_id);
  OutboundMessage m;
  Vars vars = booking_vars(s, *b);
  vars["in"] = minutes >= 24 * 60
                   ? s.ui("booking.in_days", {{"n", std::to_string(minutes / 1440)}})
                   : s.ui("booking.in_hours", {{"n", std::to_string((minutes + 59) / 60)}});
  m.text = s.ui("booking.reminder", vars);
  m.buttons = {s.button("booking.mine", "booking:mine")};
  tx.outbox.enqueue(*b->person_id, MessageKind::kReminder, m, now_ms);
  return true;
}

bool run_offer_expiry(storage::Store& tx,
                      const content::Snapshot& content,
                      std::int64_t wait_id,
                      std::int64_t now_ms) {
  auto w = tx.bookings.waiting_entry(wait_id);
  if (!w || w->status != "offered" || !w->booking_id)
    return false;
  auto b = tx.bookings.get(*w->booking_id);
  if (!b || b->status != "held")
    return false;
  tx.bookings.set_wait_status(w->id, "passed", std::nullopt, now_ms);
  const Speaker s = speaker_for(tx, content, w->person_id);
  OutboundMessage m;
  m.text = s.ui("booking.offer_expired", booking_vars(s, *b));
  m.buttons = {s.button("booking.new", "booking:new")};
  tx.outbox.enqueue(w->person_id, MessageKind::kNotice, m, now_ms);
  booking::cancel_booking(tx, content, *b, "offer expired", "offer_expired", now_ms);
  return true;
}

}  // namespace outreach::handlers
