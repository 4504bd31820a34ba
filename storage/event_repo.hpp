#pragma once
// EventRepo: registrations for events and the scans at the door (migration 0014). Events are
// content; rows name them by id. A seat is (event, number); the unique index event_seats makes
// the database refuse a seat held twice, so the capacity holds whatever races above it.
// Thread-safety: not thread-safe; DB thread only (the read-only Store may list).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace outreach::storage {

struct Registration {
  std::int64_t id = 0;
  std::string event_id;
  std::optional<std::int64_t> person_id;
  std::string code;
  std::string status;  // registered | waiting | offered | cancelled | passed
  std::optional<int> seat;
  std::string name;
  std::string phone;
  std::string answers = "{}";  // JSON
  std::optional<std::int64_t> offer_until;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> checked_in_at;  // the first 'ok' scan (filled by the listings)
  std::optional<int> rating;                  // the survey's answer
};

struct Checkin {
  std::string event_id;
  std::optional<std::int64_t> registration_id;
  std::string code;
  std::string nonce;
  std::string result;
  std::string device;
  std::int64_t at = 0;
};

// What registrants were last told of an event (event_state).
struct EventState {
  std::string event_id;
  std::int64_t starts_at = 0;
  std::int64_t ends_at = 0;
  std::string place;
  std::string status;
};

// A volunteer's check-in link (its token is never stored, only the hash).
struct CheckinLink {
  std::int64_t id = 0;
  std::string event_id;
  std::string created_by;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> revoked_at;
};

struct EventCounts {
  int registered = 0;
  int waiting = 0;
  int offered = 0;
  int cancelled = 0;
  int checked_in = 0;
};

class EventRepo {
 public:
  explicit EventRepo(SQLite::Database& db);

  // Inserts `r` holding the lowest free seat up to `capacity` (status registered, or offered
  // when r.status says so); false when every seat is taken. Fills r.id and r.seat.
  bool insert_with_seat(Registration& r, int capacity);
  // Inserts `r` without a seat (status waiting). Fills r.id.
  void insert_waiting(Registration& r);

  // Gives a waiting or offered row the lowest free seat up to `capacity` with `status`
  // (registered | offered); false when none is free.
  bool take_seat(std::int64_t id,
                 int capacity,
                 const std::string& status,
                 std::optional<std::int64_t> offer_until,
                 std::int64_t now_ms);
  // Frees the seat (status cancelled | passed | waiting).
  void release(std::int64_t id, const std::string& status, std::int64_t now_ms);

  std::optional<Registration> get(std::int64_t id);
  std::optional<Registration> by_code(const std::string& code);
  bool code_exists(const std::string& code);
  // The person's live row for the event (registered, waiting or offered).
  std::optional<Registration> live_for(const std::string& event_id, std::int64_t person_id);
  // The person's rows that are live, newest first.
  std::vector<Registration> live_of(std::int64_t person_id);
  // The person's most recent registration of any event (for "use last time's details").
  std::optional<Registration> latest_of(std::int64_t person_id);
  // The first in the waiting line of the event.
  std::optional<Registration> first_waiting(const std::string& event_id);
  // Every row of the event, by id, with the first check-in time.
  std::vector<Registration> of_event(const std::string& event_id);
  // Rows holding a seat (registered), by id.
  std::vector<Registration> registered(const std::string& event_id);
  EventCounts counts(const std::string& event_id);
  int seats_taken(const std::string& event_id);
  // Rows still holding a seat or a place in line (registered, offered, waiting), by id.
  std::vector<Registration> live_of_event(const std::string& event_id);

  // The survey's answer; false when the row already has one.
  bool rate(std::int64_t id, int rating, std::int64_t now_ms);

  std::int64_t add_link(const std::string& event_id,
                        const std::string& token_hash,
                        const std::string& by,
                        std::int64_t now_ms,
                        std::int64_t expires_at);
  std::optional<CheckinLink> link_by_hash(const std::string& token_hash);
  std::vector<CheckinLink> links_of(const std::string& event_id);
  // False when there is no such link of the event.
  bool revoke_link(std::int64_t id, const std::string& event_id, std::int64_t now_ms);

  std::optional<EventState> state(const std::string& event_id);
  void put_state(const EventState& s, std::int64_t now_ms);

  // Check-ins. `record` returns false when the nonce is already recorded (nothing written).
  bool record_checkin(const Checkin& c);
  std::optional<Checkin> checkin_by_nonce(const std::string& nonce);
  // The first 'ok' scan of a registration.
  std::optional<std::int64_t> first_ok(std::int64_t registration_id);

 private:
  bool free_seat(const std::string& event_id, int capacity, int& seat);
  std::vector<Registration> read(SQLite::Statement& st);

  SQLite::Database& db_;
  SQLite::Statement live_of_;
};

}  // namespace outreach::storage
