#include "storage/event_repo.hpp"

#include <SQLiteCpp/Exception.h>

#include "storage/query.hpp"

namespace outreach::storage {

namespace {

constexpr const char* kColumns =
    "r.id, r.event_id, r.person_id, r.code, r.status, r.seat, r.name, r.phone, r.answers, "
    "r.offer_until, r.created_at, r.updated_at, "
    "(SELECT MIN(c.at) FROM event_checkins c WHERE c.registration_id = r.id AND c.result = "
    "'ok'), r.rating";

std::string select(const std::string& where) {
  return std::string("SELECT ") + kColumns + " FROM event_registrations r " + where;
}

}  // namespace

EventRepo::EventRepo(SQLite::Database& db)
    : db_(db),
      live_of_(db,
               select("WHERE r.person_id = :person AND r.status IN ('registered', 'waiting', "
                      "'offered') ORDER BY r.id DESC")) {}

std::vector<Registration> EventRepo::read(SQLite::Statement& st) {
  std::vector<Registration> out;
  Query q(st);
  while (q.step()) {
    Registration r;
    r.id = q.i64(0);
    r.event_id = q.text(1);
    if (!q.is_null(2))
      r.person_id = q.i64(2);
    r.code = q.text(3);
    r.status = q.text(4);
    if (!q.is_null(5))
      r.seat = q.i32(5);
    r.name = q.text(6);
    r.phone = q.text(7);
    r.answers = q.text(8);
    if (!q.is_null(9))
      r.offer_until = q.i64(9);
    r.created_at = q.i64(10);
    r.updated_at = q.i64(11);
    if (!q.is_null(12))
      r.checked_in_at = q.i64(12);
    if (!q.is_null(13))
      r.rating = q.i32(13);
    out.push_back(std::move(r));
  }
  return out;
}

bool EventRepo::free_seat(const std::string& event_id, int capacity, int& seat) {
  SQLite::Statement st(db_,
                       "SELECT seat FROM event_registrations WHERE event_id = :event AND seat IS "
                       "NOT NULL ORDER BY seat");
  st.bind(":event", event_id);
  int next = 1;
  while (st.executeStep()) {
    const int taken = st.getColumn(0).getInt();
    if (taken > next)
      break;
    next = taken + 1;
  }
  if (next > capacity)
    return false;
  seat = next;
  return true;
}

bool EventRepo::insert_with_seat(Registration& r, int capacity) {
  int seat = 0;
  if (!free_seat(r.event_id, capacity, seat))
    return false;
  SQLite::Statement st(db_,
                       "INSERT INTO event_registrations (event_id, person_id, code, status, seat, "
                       "name, phone, answers, offer_until, created_at, updated_at) VALUES "
                       "(:event, :person, :code, :status, :seat, :name, :phone, :answers, "
                       ":offer, :now, :now)");
  Query q(st);
  q.bind(":event", r.event_id)
      .bind(":person", r.person_id)
      .bind(":code", r.code)
      .bind(":status", r.status.empty() ? std::string("registered") : r.status)
      .bind(":seat", seat)
      .bind(":name", r.name)
      .bind(":phone", r.phone)
      .bind(":answers", r.answers)
      .bind(":offer", r.offer_until)
      .bind(":now", r.created_at);
  q.exec();  // the unique index event_seats is the last word on the seat
  r.id = db_.getLastInsertRowid();
  r.seat = seat;
  if (r.status.empty())
    r.status = "registered";
  return true;
}

void EventRepo::insert_waiting(Registration& r) {
  SQLite::Statement st(db_,
                       "INSERT INTO event_registrations (event_id, person_id, code, status, "
                       "name, phone, answers, created_at, updated_at) VALUES (:event, :person, "
                       ":code, 'waiting', :name, :phone, :answers, :now, :now)");
  Query q(st);
  q.bind(":event", r.event_id)
      .bind(":person", r.person_id)
      .bind(":code", r.code)
      .bind(":name", r.name)
      .bind(":phone", r.phone)
      .bind(":answers", r.answers)
      .bind(":now", r.created_at);
  q.exec();
  r.id = db_.getLastInsertRowid();
  r.status = "waiting";
}

bool EventRepo::take_seat(std::int64_t id,
                          int capacity,
                          const std::string& status,
                          std::optional<std::int64_t> offer_until,
                          std::int64_t now_ms) {
  auto r = get(id);
  if (!r)
    return false;
  int seat = r->seat.value_or(0);
  if (seat == 0 && !free_seat(r->event_id, capacity, seat))
    return false;
  SQLite::Statement st(db_,
                       "UPDATE event_registrations SET status = :status, seat = :seat, "
                       "offer_until = :offer, updated_at = :now WHERE id = :id");
  Query q(st);
  q.bind(":status", status)
      .bind(":seat", seat)
      .bind(":offer", offer_until)
      .bind(":now", now_ms)
      .bind(":id", id);
  q.exec();
  return true;
}

void EventRepo::release(std::int64_t id, const std::string& status, std::int64_t now_ms) {
  SQLite::Statement st(db_,
                       "UPDATE event_registrations SET status = :status, seat = NULL, "
                       "offer_until = NULL, updated_at = :now WHERE id = :id");
  Query q(st);
  q.bind(":status", status).bind(":now", now_ms).bind(":id", id);
  q.exec();
}

std::optional<Registration> EventRepo::get(std::int64_t id) {
  SQLite::Statement st(db_, select("WHERE r.id = :id"));
  st.bind(":id", static_cast<int64_t>(id));
  auto rows = read(st);
  return rows.empty() ? std::nullopt : std::optional(std::move(rows.front()));
}

std::optional<Registration> EventRepo::by_code(const std::string& code) {
  SQLite::Statement st(db_, select("WHERE r.code = :code"));
  st.bind(":code", code);
  auto rows = read(st);
  return rows.empty() ? std::nullopt : std::optional(std::move(rows.front()));
}

bool EventRepo::code_exists(const std::string& code) {
  SQLite::Statement st(db_, "SELECT 1 FROM event_registrations WHERE code = :code");
  st.bind(":code", code);
  return st.executeStep();
}

std::optional<Registration> EventRepo::live_for(const std::string& event_id,
                                                std::int64_t person_id) {
  SQLite::Statement st(db_, select("WHERE r.event_id = :event AND r.person_id = :person AND "
                                   "r.status IN ('registered', 'waiting', 'offered')"));
  st.bind(":event", event_id);
  st.bind(":person", static_cast<int64_t>(person_id));
  auto rows = read(st);
  return rows.empty() ? std::nullopt : std::optional(std::move(rows.front()));
}

std::vector<Registration> EventRepo::live_of(std::int64_t person_id) {
  live_of_.bind(":person", static_cast<int64_t>(person_id));
  return read(live_of_);
}

std::optional<Registration> EventRepo::latest_of(std::int64_t person_id) {
  SQLite::Statement st(db_, select("WHERE r.person_id = :person ORDER BY r.id DESC LIMIT 1"));
  st.bind(":person", static_cast<int64_t>(person_id));
  auto rows = read(st);
  return rows.empty() ? std::nullopt : std::optional(std::move(rows.front()));
}

std::optional<Registration> EventRepo::first_waiting(const std::string& event_id) {
  SQLite::Statement st(
      db_, select("WHERE r.event_id = :event AND r.status = 'waiting' ORDER BY r.id LIMIT 1"));
  st.bind(":event", event_id);
  auto rows = read(st);
  return rows.empty() ? std::nullopt : std::optional(std::move(rows.front()));
}

std::vector<Registration> EventRepo::of_event(const std::string& event_id) {
  SQLite::Statement st(db_, select("WHERE r.event_id = :event ORDER BY r.id"));
  st.bind(":event", event_id);
  return read(st);
}

std::vector<Registration> EventRepo::registered(const std::string& event_id) {
  SQLite::Statement st(
      db_, select("WHERE r.event_id = :event AND r.status = 'registered' ORDER BY r.id"));
  st.bind(":event", event_id);
  return read(st);
}

EventCounts EventRepo::counts(const std::string& event_id) {
  SQLite::Statement st(db_,
                       "SELECT status, COUNT(*) FROM event_registrations WHERE event_id = :event "
                       "GROUP BY status");
  st.bind(":event", event_id);
  EventCounts c;
  while (st.executeStep()) {
    const std::string status = st.getColumn(0).getString();
    const int n = st.getColumn(1).getInt();
    if (status == "registered")
      c.registered = n;
    else if (status == "waiting")
      c.waiting = n;
    else if (status == "offered")
      c.offered = n;
    else if (status == "cancelled")
      c.cancelled = n;
  }
  SQLite::Statement in(db_,
                       "SELECT COUNT(DISTINCT registration_id) FROM event_checkins WHERE "
                       "event_id = :event AND result = 'ok'");
  in.bind(":event", event_id);
  if (in.executeStep())
    c.checked_in = in.getColumn(0).getInt();
  return c;
}

int EventRepo::seats_taken(const std::string& event_id) {
  SQLite::Statement st(db_,
                       "SELECT COUNT(*) FROM event_registrations WHERE event_id = :event AND "
                       "seat IS NOT NULL");
  st.bind(":event", event_id);
  return st.executeStep() ? st.getColumn(0).getInt() : 0;
}

std::vector<Registration> EventRepo::live_of_event(const std::string& event_id) {
  SQLite::Statement st(db_, select("WHERE r.event_id = :event AND r.status IN ('registered', "
                                   "'offered', 'waiting') ORDER BY r.id"));
  st.bind(":event", event_id);
  return read(st);
}

bool EventRepo::rate(std::int64_t id, int rating, std::int64_t now_ms) {
  SQLite::Statement st(db_,
                       "UPDATE event_registrations SET rating = :rating, rated_at = :now WHERE id "
                       "= :id AND rating IS NULL");
  Query q(st);
  q.bind(":rating", rating).bind(":now", now_ms).bind(":id", id);
  return q.exec() == 1;
}

std::int64_t EventRepo::add_link(const std::string& event_id,
                                 const std::string& token_hash,
                                 const std::string& by,
                                 std::int64_t now_ms,
                                 std::int64_t expires_at) {
  SQLite::Statement st(db_,
                       "INSERT INTO event_checkin_links (event_id, token_hash, created_by, "
                       "created_at, expires_at) VALUES (:event, :hash, :by, :now, :expires)");
  Query q(st);
  q.bind(":event", event_id)
      .bind(":hash", token_hash)
      .bind(":by", by)
      .bind(":now", now_ms)
      .bind(":expires", expires_at);
  q.exec();
  return db_.getLastInsertRowid();
}

namespace {

std::vector<CheckinLink> read_links(SQLite::Statement& st) {
  std::vector<CheckinLink> out;
  while (st.executeStep()) {
    CheckinLink l;
    l.id = st.getColumn(0).getInt64();
    l.event_id = st.getColumn(1).getString();
    l.created_by = st.getColumn(2).getString();
    l.created_at = st.getColumn(3).getInt64();
    l.expires_at = st.getColumn(4).getInt64();
    if (!st.getColumn(5).isNull())
      l.revoked_at = st.getColumn(5).getInt64();
    out.push_back(std::move(l));
  }
  return out;
}

constexpr const char* kLinkColumns =
    "SELECT id, event_id, created_by, created_at, expires_at, revoked_at FROM "
    "event_checkin_links ";

}  // namespace

std::optional<CheckinLink> EventRepo::link_by_hash(const std::string& token_hash) {
  SQLite::Statement st(db_, std::string(kLinkColumns) + "WHERE token_hash = :hash");
  st.bind(":hash", token_hash);
  auto rows = read_links(st);
  return rows.empty() ? std::nullopt : std::optional(std::move(rows.front()));
}

std::vector<CheckinLink> EventRepo::links_of(const std::string& event_id) {
  SQLite::Statement st(db_, std::string(kLinkColumns) + "WHERE event_id = :event ORDER BY id");
  st.bind(":event", event_id);
  return read_links(st);
}

bool EventRepo::revoke_link(std::int64_t id, const std::string& event_id, std::int64_t now_ms) {
  SQLite::Statement st(db_,
                       "UPDATE event_checkin_links SET revoked_at = COALESCE(revoked_at, :now) "
                       "WHERE id = :id AND event_id = :event");
  Query q(st);
  q.bind(":now", now_ms).bind(":id", id).bind(":event", event_id);
  return q.exec() == 1;
}

std::optional<EventState> EventRepo::state(const std::string& event_id) {
  SQLite::Statement st(db_,
                       "SELECT event_id, starts_at, ends_at, place, status FROM event_state WHERE "
                       "event_id = :event");
  st.bind(":event", event_id);
  if (!st.executeStep())
    return std::nullopt;
  return EventState{st.getColumn(0).getString(), st.getColumn(1).getInt64(),
                    st.getColumn(2).getInt64(), st.getColumn(3).getString(),
                    st.getColumn(4).getString()};
}

void EventRepo::put_state(const EventState& s, std::int64_t now_ms) {
  SQLite::Statement st(db_,
                       "INSERT INTO event_state (event_id, starts_at, ends_at, place, status, "
                       "updated_at) VALUES (:event, :starts, :ends, :place, :status, :now) ON "
                       "CONFLICT (event_id) DO UPDATE SET starts_at = excluded.starts_at, ends_at "
                       "= excluded.ends_at, place = excluded.place, status = excluded.status, "
                       "updated_at = excluded.updated_at");
  Query q(st);
  q.bind(":event", s.event_id)
      .bind(":starts", s.starts_at)
      .bind(":ends", s.ends_at)
      .bind(":place", s.place)
      .bind(":status", s.status)
      .bind(":now", now_ms);
  q.exec();
}

bool EventRepo::record_checkin(const Checkin& c) {
  SQLite::Statement st(db_,
                       "INSERT OR IGNORE INTO event_checkins (event_id, registration_id, code, "
                       "nonce, result, device, at) VALUES (:event, :reg, :code, :nonce, :result, "
                       ":device, :at)");
  Query q(st);
  q.bind(":event", c.event_id)
      .bind(":reg", c.registration_id)
      .bind(":code", c.code)
      .bind(":nonce", c.nonce)
      .bind(":result", c.result)
      .bind(":device", c.device)
      .bind(":at", c.at);
  return q.exec() == 1;
}

std::optional<Checkin> EventRepo::checkin_by_nonce(const std::string& nonce) {
  SQLite::Statement st(db_,
                       "SELECT event_id, registration_id, code, nonce, result, device, at FROM "
                       "event_checkins WHERE nonce = :nonce");
  st.bind(":nonce", nonce);
  if (!st.executeStep())
    return std::nullopt;
  Checkin c;
  c.event_id = st.getColumn(0).getString();
  if (!st.getColumn(1).isNull())
    c.registration_id = st.getColumn(1).getInt64();
  c.code = st.getColumn(2).getString();
  c.nonce = st.getColumn(3).getString();
  c.result = st.getColumn(4).getString();
  c.device = st.getColumn(5).getString();
  c.at = st.getColumn(6).getInt64();
  return c;
}

std::optional<std::int64_t> EventRepo::first_ok(std::int64_t registration_id) {
  SQLite::Statement st(db_,
                       "SELECT MIN(at) FROM event_checkins WHERE registration_id = :reg AND "
                       "result = 'ok'");
  st.bind(":reg", static_cast<int64_t>(registration_id));
  if (!st.executeStep() || st.getColumn(0).isNull())
    return std::nullopt;
  return st.getColumn(0).getInt64();
}

}  // namespace outreach::storage
