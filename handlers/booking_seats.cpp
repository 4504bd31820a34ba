// Seats and the waitlist: a booking takes a seat of an advisor's session (the unique index
// bookings_seat is the last word when two people race for it), moves to another or gives it
// back; a seat given back is held for the first person waiting for that day, who is offered it
// for a while (booking.yaml waitlist_offer_minutes).
#include <algorithm>
#include <random>

#include <nlohmann/json.hpp>

#include "bot/core/local_time.hpp"
#include "content/store.hpp"
#include "handlers/booking_internal.hpp"
#include "handlers/booking_slots.hpp"

namespace outreach::handlers::booking {
namespace {

std::string random_code(std::string_view alphabet, std::size_t n) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += alphabet[pick(rng)];
  return out;
}

}  // namespace

std::string new_ref(storage::Store& tx) {
  // No 0/O, 1/I/L: a code read out over the phone.
  for (;;) {
    std::string ref = "TV-" + random_code("ABCDEFGHJKMNPQRSTUVWXYZ23456789", 6);
    if (!tx.bookings.ref_exists(ref))
      return ref;
  }
}

std::string new_ics_key() {
  return random_code("0123456789abcdef", 24);
}

std::vector<std::string> advisors_free_at(storage::Store& tx,
                                          const content::BookingSetup& setup,
                                          const std::string& topic,
                                          std::int64_t start_ms,
                                          std::int64_t now_ms) {
  const std::int64_t day = local_time::day_of(start_ms);
  for (auto& t :
       free_times(setup, topic, day, day, 0, 24 * 60, now_ms,
                  tx.bookings.taken(local_time::unix_ms(day), local_time::unix_ms(day + 1)), 100))
    if (t.start_ms == start_ms)
      return std::move(t.advisors);
  return {};
}

bool place_in_session(storage::Store& tx,
                      const content::BookingSetup& setup,
                      storage::Booking& b,
                      std::int64_t now_ms) {
  for (const auto& advisor : advisors_free_at(tx, setup, b.topic, b.starts_at, now_ms)) {
    b.advisor = advisor;
    b.ref = new_ref(tx);
    b.ics_key = new_ics_key();
    if (tx.bookings.insert(b, setup.advisor(advisor)->seats))
      return true;
  }
  return false;
}

bool move_to(storage::Store& tx,
             const content::BookingSetup& setup,
             const storage::Booking& b,
             std::int64_t start_ms,
             std::int64_t now_ms) {
  for (const auto& advisor : advisors_free_at(tx, setup, b.topic, start_ms, now_ms))
    if (tx.bookings.move(b.id, advisor, start_ms, start_ms + setup.slot_minutes * kMinuteMs,
                         setup.advisor(advisor)->seats, now_ms))
      return true;
  return false;
}

void join_waitlist(storage::Store& tx,
                   std::int64_t person_id,
                   const std::string& topic,
                   std::int64_t day,
                   const Details& details,
                   std::int64_t now_ms) {
  if (!tx.bookings.is_waiting(person_id, topic, day))
    tx.bookings.add_waiting(person_id, topic, day, nlohmann::json(details).dump(), now_ms);
}

bool offer_freed_seat(storage::Store& tx,
                      const content::Snapshot& content,
                      const std::string& advisor_id,
                      std::int64_t start_ms,
                      std::int64_t end_ms,
                      std::int64_t now_ms) {
  const auto& setup = content.booking;
  const content::Advisor* advisor = setup.advisor(advisor_id);
  if (advisor == nullptr || start_ms <= now_ms + 30 * kMinuteMs)
    return false;  // too late to be of use
  const std::int64_t day = local_time::day_of(start_ms);
  auto next = tx.bookings.first_waiting(day, advisor->topics);
  if (!next)
    return false;
  const auto stored = nlohmann::json::parse(next->details, nullptr, false);
  if (!stored.is_object())
    return false;
  const auto details = stored.get<Details>();
  storage::Booking held;
  held.ref = new_ref(tx);
  held.ics_key = new_ics_key();
  held.person_id = next->person_id;
  held.topic = next->topic;
  held.advisor = advisor_id;
  held.starts_at = start_ms;
  held.ends_at = end_ms;
  held.status = "held";
  fill_details(held, details);
  held.hold_until = std::min(now_ms + setup.waitlist_offer_minutes * kMinuteMs, start_ms);
  held.created_at = now_ms;
  if (!tx.bookings.insert(held, advisor->seats))
    return false;
  tx.bookings.set_wait_status(next->id, "offered", held.id, now_ms);
  schedule_offer_expiry(tx, next->id, *held.hold_until, now_ms);
  const Speaker s = speaker_for(tx, content, next->person_id);
  Vars vars = booking_vars(s, held);
  vars["until"] = long_time(s, *held.hold_until);  // with the day: a hold may run past midnight
  OutboundMessage m;
  m.text = s.ui("booking.offer", vars);
  m.buttons = {s.button("booking.take", "booking:take:" + std::to_string(next->id)),
               s.button("booking.pass", "booking:pass:" + std::to_string(next->id))};
  tx.outbox.enqueue(next->person_id, MessageKind::kNotice, m, now_ms);
  return true;
}

bool cancel_booking(storage::Store& tx,
                    const content::Snapshot& content,
                    const storage::Booking& b,
                    const std::string& reason,
                    const std::string& by,
                    std::int64_t now_ms) {
  tx.bookings.set_status(b.id, "cancelled", reason, by, now_ms);
  cancel_reminders(tx, content.booking, b);
  return offer_freed_seat(tx, content, b.advisor, b.starts_at, b.ends_at, now_ms);
}

std::optional<storage::Booking> take_offer(storage::Store& tx,
                                           const content::Snapshot& content,
                                           const storage::WaitEntry& w,
                                           std::int64_t now_ms) {
  cancel_offer_expiry(tx, w.id);
  if (w.status != "offered" || !w.booking_id)
    return std::nullopt;
  auto b = tx.bookings.get(*w.booking_id);
  if (!b || b->status != "held" || b->hold_until.value_or(0) <= now_ms)
    return std::nullopt;
  tx.bookings.set_status(b->id, "booked", {}, {}, now_ms);
  tx.bookings.set_wait_status(w.id, "booked", b->id, now_ms);
  b = tx.bookings.get(b->id);
  schedule_reminders(tx, content.booking, *b, now_ms);
  return b;
}

void leave_waitlist(storage::Store& tx,
                    const content::Snapshot& content,
                    const storage::WaitEntry& w,
                    bool declined,
                    std::int64_t now_ms) {
  cancel_offer_expiry(tx, w.id);
  // Leave the list first, so a held seat freed here goes to the next person, not back to this
  // one.
  tx.bookings.set_wait_status(w.id, declined ? "passed" : "cancelled", std::nullopt, now_ms);
  if (w.status == "offered" && w.booking_id)
    if (auto b = tx.bookings.get(*w.booking_id); b && b->status == "held")
      cancel_booking(tx, content, *b, "declined", "person", now_ms);
}

}  // namespace outreach::handlers::booking
