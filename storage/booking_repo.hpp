#pragma once
// BookingRepo: sessions booked with the Startup Advisory Office and the waitlist of full days.
// A seat is (advisor, starts_at, seat); the unique index bookings_seat refuses a seat held
// twice, so two people racing for the last seat get one booking and one refusal whatever
// happens above. Times are unix ms; waitlist days are local day numbers.
// Thread-safety: not thread-safe; DB thread only (the read-only Store may list).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace outreach::storage {

struct Booking {
  std::int64_t id = 0;
  std::string ref;
  std::string ics_key;
  std::optional<std::int64_t> person_id;
  std::string topic;
  std::string advisor;
  std::int64_t starts_at = 0;
  std::int64_t ends_at = 0;
  int seat = 0;
  std::string mode = "in_person";
  std::string status = "booked";  // booked | held | cancelled | attended | no_show
  std::string name;
  std::string phone;
  std::string company;
  std::string stage;
  std::string description;
  int reschedules = 0;
  std::optional<std::int64_t> confirmed_at;
  std::optional<std::int64_t> hold_until;
  std::string cancel_reason;
  std::string cancelled_by;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;

  // Whether it holds a seat.
  bool holds_seat() const { return status != "cancelled"; }
};

struct WaitEntry {
  std::int64_t id = 0;
  std::int64_t person_id = 0;
  std::string topic;
  std::int64_t day = 0;
  std::string details;  // JSON
  std::string status;   // waiting | offered | booked | passed | cancelled
  std::optional<std::int64_t> booking_id;
  std::int64_t created_at = 0;
};

using SeatCounts = std::map<std::pair<std::string, std::int64_t>, int>;  // (advisor, start) → taken

class BookingRepo {
 public:
  explicit BookingRepo(SQLite::Database& db);

  // Seats taken in sessions starting in [from, to).
  SeatCounts taken(std::int64_t from, std::int64_t to);

  // Books the lowest free seat of (b.advisor, b.starts_at) up to `seats`; fills b.id and b.seat.
  // False when every seat is taken. b.ref must be unique (see new_ref in the handler).
  bool insert(Booking& b, int seats);

  // Moves a booking to another session (lowest free seat); false when that session is full.
  bool move(std::int64_t id,
            const std::string& advisor,
            std::int64_t starts_at,
            std::int64_t ends_at,
            int seats,
            std::int64_t now_ms);

  std::optional<Booking> get(std::int64_t id);
  std::optional<Booking> by_ref(const std::string& ref);
  bool ref_exists(const std::string& ref);

  // A person's bookings that still hold a seat and start after `now_ms`, soonest first.
  std::vector<Booking> upcoming_for(std::int64_t person_id, std::int64_t now_ms);

  // Bookings (any status) starting in [from, to), optionally of one advisor, by time.
  std::vector<Booking> between(std::int64_t from, std::int64_t to, const std::string& advisor = {});

  // status: booked (an offer taken) | cancelled | attended | no_show.
  void set_status(std::int64_t id,
                  const std::string& status,
                  const std::string& reason,
                  const std::string& by,
                  std::int64_t now_ms);
  void confirm(std::int64_t id, std::int64_t now_ms);

  // Waitlist.
  std::int64_t add_waiting(std::int64_t person_id,
                           const std::string& topic,
                           std::int64_t day,
                           const std::string& details,
                           std::int64_t now_ms);
  bool is_waiting(std::int64_t person_id, const std::string& topic, std::int64_t day);
  // The first entry still waiting for `day` whose topic is one of `topics`.
  std::optional<WaitEntry> first_waiting(std::int64_t day, const std::vector<std::string>& topics);
  std::optional<WaitEntry> waiting_entry(std::int64_t id);
  std::optional<WaitEntry> entry_for_booking(std::int64_t booking_id);
  std::vector<WaitEntry> waiting_for(std::int64_t person_id);
  // Entries still waiting or offered a seat for days first_day…last_day, by day and line order.
  std::vector<WaitEntry> waitlist_on(std::int64_t first_day, std::int64_t last_day);
  void set_wait_status(std::int64_t id,
                       const std::string& status,
                       std::optional<std::int64_t> booking_id,
                       std::int64_t now_ms);

 private:
  bool free_seat(const std::string& advisor, std::int64_t starts_at, int seats, int& seat);
  std::vector<Booking> read_bookings(SQLite::Statement& st);

  SQLite::Database& db_;
  // Asked on most turns (what the person has booked or waits for): prepared once.
  SQLite::Statement upcoming_;
  SQLite::Statement waiting_;
};

}  // namespace outreach::storage
