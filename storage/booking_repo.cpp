#include "storage/booking_repo.hpp"

#include "storage/query.hpp"

namespace outreach::storage {
namespace {

constexpr const char* kColumns =
    "id, ref, ics_key, person_id, topic, advisor, starts_at, ends_at, seat, mode, status, name, "
    "phone, company, stage, description, reschedules, confirmed_at, hold_until, "
    "COALESCE(cancel_reason, ''), COALESCE(cancelled_by, ''), created_at, updated_at";

// Statuses that hold a seat (the WHERE of the unique index bookings_seat).
constexpr const char* kHolding = "status IN ('booked', 'held', 'attended', 'no_show')";

std::optional<std::int64_t> opt_i64(const SQLite::Column& c) {
  if (c.isNull())
    return std::nullopt;
  return c.getInt64();
}

Booking read_booking(SQLite::Statement& st) {
  Booking b;
  b.id = st.getColumn(0).getInt64();
  b.ref = st.getColumn(1).getString();
  b.ics_key = st.getColumn(2).getString();
  b.person_id = opt_i64(st.getColumn(3));
  b.topic = st.getColumn(4).getString();
  b.advisor = st.getColumn(5).getString();
  b.starts_at = st.getColumn(6).getInt64();
  b.ends_at = st.getColumn(7).getInt64();
  b.seat = st.getColumn(8).getInt();
  b.mode = st.getColumn(9).getString();
  b.status = st.getColumn(10).getString();
  b.name = st.getColumn(11).getString();
  b.phone = st.getColumn(12).getString();
  b.company = st.getColumn(13).getString();
  b.stage = st.getColumn(14).getString();
  b.description = st.getColumn(15).getString();
  b.reschedules = st.getColumn(16).getInt();
  b.confirmed_at = opt_i64(st.getColumn(17));
  b.hold_until = opt_i64(st.getColumn(18));
  b.cancel_reason = st.getColumn(19).getString();
  b.cancelled_by = st.getColumn(20).getString();
  b.created_at = st.getColumn(21).getInt64();
  b.updated_at = st.getColumn(22).getInt64();
  return b;
}

WaitEntry read_wait(SQLite::Statement& st) {
  WaitEntry w;
  w.id = st.getColumn(0).getInt64();
  w.person_id = st.getColumn(1).getInt64();
  w.topic = st.getColumn(2).getString();
  w.day = st.getColumn(3).getInt64();
  w.details = st.getColumn(4).getString();
  w.status = st.getColumn(5).getString();
  w.booking_id = opt_i64(st.getColumn(6));
  w.created_at = st.getColumn(7).getInt64();
  return w;
}

constexpr const char* kWaitColumns =
    "id, person_id, topic, day, details, status, booking_id, created_at";

}  // namespace

BookingRepo::BookingRepo(SQLite::Database& db)
    : db_(db),
      upcoming_(db,
                std::string("SELECT ") + kColumns +
                    " FROM bookings WHERE person_id = :person AND starts_at > :now AND "
                    "status IN ('booked', 'held') ORDER BY starts_at, id"),
      waiting_(db,
               std::string("SELECT ") + kWaitColumns +
                   " FROM waitlist WHERE person_id = :person AND status IN ('waiting', "
                   "'offered') ORDER BY day, id") {}

std::vector<Booking> BookingRepo::read_bookings(SQLite::Statement& st) {
  std::vector<Booking> out;
  while (st.executeStep()) out.push_back(read_booking(st));
  return out;
}

SeatCounts BookingRepo::taken(std::int64_t from, std::int64_t to) {
  SQLite::Statement st(db_, std::string("SELECT advisor, starts_at, COUNT(*) FROM bookings "
                                        "WHERE starts_at >= ? AND starts_at < ? AND ") +
                                kHolding + " GROUP BY advisor, starts_at");
  st.bind(1, static_cast<int64_t>(from));
  st.bind(2, static_cast<int64_t>(to));
  SeatCounts out;
  while (st.executeStep())
    out[{st.getColumn(0).getString(), st.getColumn(1).getInt64()}] = st.getColumn(2).getInt();
  return out;
}

bool BookingRepo::free_seat(const std::string& advisor,
                            std::int64_t starts_at,
                            int seats,
                            int& seat) {
  SQLite::Statement st(db_, std::string("SELECT seat FROM bookings WHERE advisor = ? AND "
                                        "starts_at = ? AND ") +
                                kHolding + " ORDER BY seat");
  st.bind(1, advisor);
  st.bind(2, static_cast<int64_t>(starts_at));
  seat = 1;
  while (st.executeStep()) {
    if (st.getColumn(0).getInt() != seat)
      break;
    ++seat;
  }
  return seat <= seats;
}

bool BookingRepo::insert(Booking& b, int seats) {
  if (!free_seat(b.advisor, b.starts_at, seats, b.seat))
    return false;
  SQLite::Statement st(db_, R"sql(
INSERT INTO bookings (ref, ics_key, person_id, topic, advisor, starts_at, ends_at, seat, mode,
  status, name, phone, company, stage, description, hold_until, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
)sql");
  int i = 0;
  st.bind(++i, b.ref);
  st.bind(++i, b.ics_key);
  if (b.person_id)
    st.bind(++i, static_cast<int64_t>(*b.person_id));
  else
    st.bind(++i);
  st.bind(++i, b.topic);
  st.bind(++i, b.advisor);
  st.bind(++i, static_cast<int64_t>(b.starts_at));
  st.bind(++i, static_cast<int64_t>(b.ends_at));
  st.bind(++i, b.seat);
  st.bind(++i, b.mode);
  st.bind(++i, b.status);
  st.bind(++i, b.name);
  st.bind(++i, b.phone);
  st.bind(++i, b.company);
  st.bind(++i, b.stage);
  st.bind(++i, b.description);
  if (b.hold_until)
    st.bind(++i, static_cast<int64_t>(*b.hold_until));
  else
    st.bind(++i);
  st.bind(++i, static_cast<int64_t>(b.created_at));
  st.bind(++i, static_cast<int64_t>(b.created_at));
  st.exec();
  b.id = db_.getLastInsertRowid();
  return true;
}

bool BookingRepo::move(std::int64_t id,
                       const std::string& advisor,
                       std::int64_t starts_at,
                       std::int64_t ends_at,
                       int seats,
                       std::int64_t now_ms) {
  int seat = 0;
  if (!free_seat(advisor, starts_at, seats, seat))
    return false;
  SQLite::Statement st(db_,
                       "UPDATE bookings SET advisor = ?, starts_at = ?, ends_at = ?, seat = ?, "
                       "reschedules = reschedules + 1, confirmed_at = NULL, updated_at = ? "
                       "WHERE id = ?");
  st.bind(1, advisor);
  st.bind(2, static_cast<int64_t>(starts_at));
  st.bind(3, static_cast<int64_t>(ends_at));
  st.bind(4, seat);
  st.bind(5, static_cast<int64_t>(now_ms));
  st.bind(6, static_cast<int64_t>(id));
  st.exec();
  return true;
}

std::optional<Booking> BookingRepo::get(std::int64_t id) {
  SQLite::Statement st(db_, std::string("SELECT ") + kColumns + " FROM bookings WHERE id = ?");
  st.bind(1, static_cast<int64_t>(id));
  if (!st.executeStep())
    return std::nullopt;
  return read_booking(st);
}

std::optional<Booking> BookingRepo::by_ref(const std::string& ref) {
  SQLite::Statement st(db_, std::string("SELECT ") + kColumns + " FROM bookings WHERE ref = ?");
  st.bind(1, ref);
  if (!st.executeStep())
    return std::nullopt;
  return read_booking(st);
}

bool BookingRepo::ref_exists(const std::string& ref) {
  SQLite::Statement st(db_, "SELECT 1 FROM bookings WHERE ref = ?");
  st.bind(1, ref);
  return st.executeStep();
}

std::vector<Booking> BookingRepo::upcoming_for(std::int64_t person_id, std::int64_t now_ms) {
  Query q(upcoming_);
  q.bind(":person", person_id).bind(":now", now_ms);
  return read_bookings(upcoming_);
}

std::vector<Booking> BookingRepo::between(std::int64_t from,
                                          std::int64_t to,
                                          const std::string& advisor) {
  SQLite::Statement st(db_, std::string("SELECT ") + kColumns +
                                " FROM bookings WHERE starts_at >= ? AND starts_at < ? AND "
                                "(? = '' OR advisor = ?) ORDER BY starts_at, advisor, seat");
  st.bind(1, static_cast<int64_t>(from));
  st.bind(2, static_cast<int64_t>(to));
  st.bind(3, advisor);
  st.bind(4, advisor);
  return read_bookings(st);
}

void BookingRepo::set_status(std::int64_t id,
                             const std::string& status,
                             const std::string& reason,
                             const std::string& by,
                             std::int64_t now_ms) {
  SQLite::Statement st(db_,
                       "UPDATE bookings SET status = ?, cancel_reason = NULLIF(?, ''), "
                       "cancelled_by = NULLIF(?, ''), hold_until = NULL, updated_at = ? "
                       "WHERE id = ?");
  st.bind(1, status);
  st.bind(2, reason);
  st.bind(3, by);
  st.bind(4, static_cast<int64_t>(now_ms));
  st.bind(5, static_cast<int64_t>(id));
  st.exec();
}

void BookingRepo::confirm(std::int64_t id, std::int64_t now_ms) {
  SQLite::Statement st(db_, "UPDATE bookings SET confirmed_at = ?, updated_at = ? WHERE id = ?");
  st.bind(1, static_cast<int64_t>(now_ms));
  st.bind(2, static_cast<int64_t>(now_ms));
  st.bind(3, static_cast<int64_t>(id));
  st.exec();
}

std::int64_t BookingRepo::add_waiting(std::int64_t person_id,
                                      const std::string& topic,
                                      std::int64_t day,
                                      const std::string& details,
                                      std::int64_t now_ms) {
  SQLite::Statement st(db_,
                       "INSERT INTO waitlist (person_id, topic, day, details, status, created_at, "
                       "updated_at) VALUES (?, ?, ?, ?, 'waiting', ?, ?)");
  st.bind(1, static_cast<int64_t>(person_id));
  st.bind(2, topic);
  st.bind(3, static_cast<int64_t>(day));
  st.bind(4, details);
  st.bind(5, static_cast<int64_t>(now_ms));
  st.bind(6, static_cast<int64_t>(now_ms));
  st.exec();
  return db_.getLastInsertRowid();
}

bool BookingRepo::is_waiting(std::int64_t person_id, const std::string& topic, std::int64_t day) {
  SQLite::Statement st(db_,
                       "SELECT 1 FROM waitlist WHERE person_id = ? AND topic = ? AND day = ? "
                       "AND status IN ('waiting', 'offered')");
  st.bind(1, static_cast<int64_t>(person_id));
  st.bind(2, topic);
  st.bind(3, static_cast<int64_t>(day));
  return st.executeStep();
}

std::optional<WaitEntry> BookingRepo::first_waiting(std::int64_t day,
                                                    const std::vector<std::string>& topics) {
  SQLite::Statement st(db_, std::string("SELECT ") + kWaitColumns +
                                " FROM waitlist WHERE day = ? AND status = 'waiting' ORDER BY id");
  st.bind(1, static_cast<int64_t>(day));
  while (st.executeStep()) {
    WaitEntry w = read_wait(st);
    for (const auto& t : topics)
      if (t == w.topic)
        return w;
  }
  return std::nullopt;
}

std::optional<WaitEntry> BookingRepo::waiting_entry(std::int64_t id) {
  SQLite::Statement st(db_, std::string("SELECT ") + kWaitColumns + " FROM waitlist WHERE id = ?");
  st.bind(1, static_cast<int64_t>(id));
  if (!st.executeStep())
    return std::nullopt;
  return read_wait(st);
}

std::optional<WaitEntry> BookingRepo::entry_for_booking(std::int64_t booking_id) {
  SQLite::Statement st(db_, std::string("SELECT ") + kWaitColumns +
                                " FROM waitlist WHERE booking_id = ? ORDER BY id DESC LIMIT 1");
  st.bind(1, static_cast<int64_t>(booking_id));
  if (!st.executeStep())
    return std::nullopt;
  return read_wait(st);
}

std::vector<WaitEntry> BookingRepo::waiting_for(std::int64_t person_id) {
  Query q(waiting_);
  q.bind(":person", person_id);
  std::vector<WaitEntry> out;
  while (waiting_.executeStep()) out.push_back(read_wait(waiting_));
  return out;
}

std::vector<WaitEntry> BookingRepo::waitlist_on(std::int64_t first_day, std::int64_t last_day) {
  SQLite::Statement st(db_, std::string("SELECT ") + kWaitColumns +
                                " FROM waitlist WHERE day BETWEEN ? AND ? AND status IN "
                                "('waiting', 'offered') ORDER BY day, id");
  st.bind(1, static_cast<int64_t>(first_day));
  st.bind(2, static_cast<int64_t>(last_day));
  std::vector<WaitEntry> out;
  while (st.executeStep()) out.push_back(read_wait(st));
  return out;
}

void BookingRepo::set_wait_status(std::int64_t id,
                                  const std::string& status,
                                  std::optional<std::int64_t> booking_id,
                                  std::int64_t now_ms) {
  SQLite::Statement st(db_,
                       "UPDATE waitlist SET status = ?, booking_id = COALESCE(?, booking_id), "
                       "updated_at = ? WHERE id = ?");
  st.bind(1, status);
  if (booking_id)
    st.bind(2, static_cast<int64_t>(*booking_id));
  else
    st.bind(2);
  st.bind(3, static_cast<int64_t>(now_ms));
  st.bind(4, static_cast<int64_t>(id));
  st.exec();
}

}  // namespace outreach::storage
