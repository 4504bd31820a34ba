#pragma once
// Events (issue 20): what the rest of the code uses of the events capability — the jobs it
// schedules (reminders, the end of a waitlist offer), check-in at the door, the registrations
// as CSV, and ticket codes. The chat side (listing, the registration form, "Vé của tôi",
// cancelling, the waitlist) is the `events` handler in handlers/events.cpp.
// Thread-safety: functions of (Store, Snapshot); DB thread (or the caller's own connection).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "content/model.hpp"
#include "storage/store.hpp"

namespace outreach::handlers {

// A reminder `offset_ms` before the start the event had when it was scheduled (`starts_at`):
// an event moved since is not reminded at the old time.
struct EventReminderJob {
  static constexpr std::string_view kKind = "events.remind";
  std::int64_t registration_id = 0;
  std::int64_t starts_at = 0;
  std::int64_t offset_ms = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(EventReminderJob,
                                                registration_id,
                                                starts_at,
                                                offset_ms)

// The end of a freed seat's offer to the first in line: not taken by then, it passes on.
struct EventOfferJob {
  static constexpr std::string_view kKind = "events.offer_expire";
  std::int64_t registration_id = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(EventOfferJob, registration_id)

// The survey after an event, to a person who checked in: one question, 1–5 (Chatwoot's CSAT),
// sent once, half an hour after the end.
struct EventSurveyJob {
  static constexpr std::string_view kKind = "events.survey";
  std::int64_t registration_id = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(EventSurveyJob, registration_id)

// The three write to the outbox (the channel clients apply the platforms' windows and record what
// could not be sent); they return true when they did.
bool run_event_reminder(storage::Store& tx,
                        const content::Snapshot& content,
                        const EventReminderJob& job,
                        std::int64_t now_ms);
bool run_event_offer_expiry(storage::Store& tx,
                            const content::Snapshot& content,
                            const EventOfferJob& job,
                            std::int64_t now_ms);
bool run_event_survey(storage::Store& tx,
                      const content::Snapshot& content,
                      const EventSurveyJob& job,
                      std::int64_t now_ms);

// Compares the events of `content` with what registrants were last told (event_state) and, for
// an event moved, given another place, cancelled or back on, queues a message to everyone
// holding a seat or a place in line (reminders follow the new time), then records the event as
// told. An event seen for the first time is recorded without a message. Run it in one
// transaction after every content load; returns the number of messages queued.
int sync_event_changes(storage::Store& tx, const content::Snapshot& content, std::int64_t now_ms);

// A ticket code: 20 characters from abcdefghjkmnpqrstuvwxyz23456789 (no 0/o, 1/i/l), from the
// system's random source.
std::string new_ticket_code();
inline constexpr std::size_t kTicketCodeLength = 20;
// "abcd-efgh-jkmn-pqrs-tuvw": the code as people read it.
std::string display_code(std::string_view code);
// A typed or scanned code back to its stored form (dashes, spaces and case removed); empty when
// it cannot be one.
std::string normalize_code(std::string_view typed);

struct CheckinAnswer {
  std::string result;  // ok | already | unknown | cancelled | wrong_event | not_open
  std::string name;
  std::optional<std::int64_t> checked_in_at;  // of the first ok scan
};

// When the door opens for check-in: 12 hours before the event starts. It closes at its end.
std::int64_t checkin_opens_at(const content::Event& e);

// One scan at the door of `event_id`, recorded as a row (a retry with the same nonce returns
// the first answer and writes nothing). Run it in an IMMEDIATE transaction. `not_open`: the
// event is not published, or it is more than 12 hours before its start or over.
CheckinAnswer check_in(storage::Store& tx,
                       const content::Snapshot& content,
                       std::string_view event_id,
                       std::string_view code,
                       std::string_view nonce,
                       std::string_view device,
                       std::int64_t now_ms);

nlohmann::json to_json(const CheckinAnswer& a);

// The event's registrations as rows, the header first: code, status, seat, name, phone, each
// question, registered at, checked in at, the survey's rating (the CSV and the XLSX files).
std::vector<std::vector<std::string>> registrations_table(storage::Store& tx,
                                                          const content::Event& event);

// The same as CSV (UTF-8 with BOM, for spreadsheets).
std::string registrations_csv(storage::Store& tx,
                              const content::Snapshot& content,
                              const content::Event& event);

// The event as an iCalendar file (one VEVENT), for the ticket page.
std::string event_ics(const content::Event& event, std::string_view code);

}  // namespace outreach::handlers
