#pragma once
// What the booking files share; only handlers/booking_*.cpp include this (everything else uses
// handlers/booking.hpp):
//   booking_text.cpp   a booking in words: labels of days and times, the variables of its
//                      messages, messages sent outside a turn
//   booking_seats.cpp  seats and the waitlist: placing, moving and cancelling a booking, and a
//                      freed seat offered to the first person waiting for that day
//   booking_jobs.cpp   reminders and waitlist offers as jobs: scheduled here, run by the scheduler
// The other files are the chat (booking_chat.cpp), staff actions (booking_staff.cpp) and the
// CSV and calendar files (booking_export.cpp).
// Thread-safety: functions of (Store, Snapshot); call them on the thread that owns the Store.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/core/message.hpp"
#include "content/model.hpp"
#include "handlers/turn.hpp"
#include "storage/store.hpp"

namespace outreach::handlers::booking {

inline constexpr std::int64_t kMinuteMs = 60'000;

// What the booking form asks about the person and their project; kept with a waitlist entry
// (as JSON) until a seat is offered.
struct Details {
  std::string mode = "in_person";  // in_person | online
  std::string name;
  std::string phone;
  std::string company;
  std::string stage;
  std::string description;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(
    Details, mode, name, phone, company, stage, description)

// Copies the details into a booking about to be stored.
inline void fill_details(storage::Booking& b, const Details& d) {
  b.mode = d.mode;
  b.name = d.name;
  b.phone = d.phone;
  b.company = d.company;
  b.stage = d.stage;
  b.description = d.description;
}

// The answers of the `booking` form: its details, the topic and the slot ("<start ms>", or
// "wait:<day>" for the waitlist of a full day).
struct Answers {
  std::string topic;
  std::string slot;
  Details details;
};

inline void from_json(const nlohmann::json& j, Answers& a) {
  a.topic = j.value("topic", std::string{});
  a.slot = j.value("slot", std::string{});
  a.details = j.get<Details>();
}

// The answers of the `booking_move` form: which booking, its topic, the new slot.
struct MoveAnswers {
  std::string ref;
  std::string topic;
  std::string slot;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(MoveAnswers, ref, topic, slot)

// ---- booking_text.cpp ----------------------------------------------------------------------

// Text in a person's language, in a turn or outside one.
struct Speaker {
  const content::Snapshot& content;
  std::string lang;

  std::string ui(std::string_view key, const Vars& vars = {}) const;
  Button button(std::string_view key, std::string payload) const;
};

// The language of person `person_id` (Vietnamese when unknown).
Speaker speaker_for(storage::Store& tx, const content::Snapshot& content, std::int64_t person_id);

// "T5 3/12 09:00": short enough for a quick reply (Messenger: 20 characters).
std::string time_label(const Speaker& s, std::int64_t unix_ms);
// "thứ Năm, 3/12/2026" of a local day number.
std::string day_label(const Speaker& s, std::int64_t day);
// "thứ Năm, 3/12/2026, 09:00".
std::string long_time(const Speaker& s, std::int64_t unix_ms);
std::string topic_title(const Speaker& s, std::string_view topic);
// The office to call, with its phone number or how to reach it.
std::string office_contact(const Speaker& s);
// Where the session takes place for `mode` (in_person | online).
std::string place_of(const Speaker& s, const std::string& mode);
// {ref}, {topic}, {time}, {minutes}, {mode}, {place}, {contact} of a booking's messages.
Vars booking_vars(const Speaker& s, const storage::Booking& b);

// ---- booking_export.cpp: file formats the events capability shares ---------------------------
// A CSV field, quoted, with a leading = + - @ neutralised (formula injection).
std::string csv_field(std::string_view v);
// RFC 5545 text value escaping, and one content line (CRLF, folded at 75 octets).
std::string ics_text(std::string_view v);
void ics_line(std::string& out, const std::string& l);

// ---- booking_seats.cpp ---------------------------------------------------------------------

// A reference code not used yet ("TV-7K3M9Q") and a calendar link key.
std::string new_ref(storage::Store& tx);
std::string new_ics_key();

// The advisors with a free seat for `topic` at `start_ms`, if that time is bookable at `now_ms`.
std::vector<std::string> advisors_free_at(storage::Store& tx,
                                          const content::BookingSetup& setup,
                                          const std::string& topic,
                                          std::int64_t start_ms,
                                          std::int64_t now_ms);

// Inserts `b` with the first advisor who has a free seat at b.starts_at (fills advisor, ref,
// calendar key, id and seat); false when none has.
bool place_in_session(storage::Store& tx,
                      const content::BookingSetup& setup,
                      storage::Booking& b,
                      std::int64_t now_ms);

// Moves booking `b` to a free seat at `start_ms`; false when none is free.
bool move_to(storage::Store& tx,
             const content::BookingSetup& setup,
             const storage::Booking& b,
             std::int64_t start_ms,
             std::int64_t now_ms);

// Puts the person on the waitlist of `day` for `topic` (once), with the form's details.
void join_waitlist(storage::Store& tx,
                   std::int64_t person_id,
                   const std::string& topic,
                   std::int64_t day,
                   const Details& details,
                   std::int64_t now_ms);

// Offers a freed seat of (advisor, start) to the first person waiting for that day; repeats
// until someone is offered it or nobody waits. True when the outbox grew.
bool offer_freed_seat(storage::Store& tx,
                      const content::Snapshot& content,
                      const std::string& advisor_id,
                      std::int64_t start_ms,
                      std::int64_t end_ms,
                      std::int64_t now_ms);

// Cancels `b` (by the person, staff or an expired offer) and passes the seat on. True when the
// outbox grew.
bool cancel_booking(storage::Store& tx,
                    const content::Snapshot& content,
                    const storage::Booking& b,
                    const std::string& reason,
                    const std::string& by,
                    std::int64_t now_ms);

// The person takes the seat offered to waitlist entry `w`: the held booking becomes theirs.
// nullopt when the hold ran out or the seat is gone (nothing changes then).
std::optional<storage::Booking> take_offer(storage::Store& tx,
                                           const content::Snapshot& content,
                                           const storage::WaitEntry& w,
                                           std::int64_t now_ms);

// The person leaves the waitlist: `declined` an offer (passed) or left the list (cancelled).
// A seat held for them goes to the next in line.
void leave_waitlist(storage::Store& tx,
                    const content::Snapshot& content,
                    const storage::WaitEntry& w,
                    bool declined,
                    std::int64_t now_ms);

// ---- booking_jobs.cpp ----------------------------------------------------------------------

// Schedules the reminders of `b` that are still ahead (and drops those that are not).
void schedule_reminders(storage::Store& tx,
                        const content::BookingSetup& setup,
                        const storage::Booking& b,
                        std::int64_t now_ms);
void cancel_reminders(storage::Store& tx,
                      const content::BookingSetup& setup,
                      const storage::Booking& b);

// The job that ends the offer made to waitlist entry `wait_id` at `at_ms`.
void schedule_offer_expiry(storage::Store& tx,
                           std::int64_t wait_id,
                           std::int64_t at_ms,
                           std::int64_t now_ms);
void cancel_offer_expiry(storage::Store& tx, std::int64_t wait_id);

}  // namespace outreach::handlers::booking
