-- 0014: registrations for events (issue 20) and the check-ins at the door. Events themselves
-- are content (content/events/<id>.yaml); rows name them by id.
--
-- A seat is (event, seat number 1..capacity): the unique index event_seats refuses a seat held
-- twice, so however registrations race, an event never holds more than its capacity (the code
-- picks the lowest free number up to the capacity). A person has at most one live registration
-- per event (event_registration_person). Registrations go with the person ("forget me").

CREATE TABLE event_registrations (
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  person_id INTEGER REFERENCES people(id) ON DELETE CASCADE,
  code TEXT NOT NULL UNIQUE,           -- the ticket: 20 random characters (abcdefghjkmnpqrstuvwxyz23456789)
  status TEXT NOT NULL,                -- registered | waiting | offered | cancelled | passed
  seat INTEGER,                        -- 1..capacity while registered or offered a seat
  name TEXT NOT NULL,
  phone TEXT NOT NULL,
  answers TEXT NOT NULL DEFAULT '{}',  -- the event's own questions, JSON
  offer_until INTEGER,                 -- offered: the seat is held until then
  rating INTEGER,                      -- the survey after the event (1–5), once
  rated_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK (status IN ('registered', 'waiting', 'offered', 'cancelled', 'passed')),
  CHECK ((seat IS NULL) = (status NOT IN ('registered', 'offered'))),
  CHECK (seat IS NULL OR seat >= 1),
  CHECK (rating IS NULL OR rating BETWEEN 1 AND 5)
);
CREATE UNIQUE INDEX event_seats ON event_registrations (event_id, seat) WHERE seat IS NOT NULL;
CREATE UNIQUE INDEX event_registration_person ON event_registrations (event_id, person_id)
  WHERE status IN ('registered', 'waiting', 'offered');
CREATE INDEX event_registrations_by_person ON event_registrations (person_id, status);
CREATE INDEX event_waiting ON event_registrations (event_id, status, id);

-- Every scan at the door is a row, kept as it happened (no UPDATE, no DELETE): "checked in" is
-- the first row with result 'ok' for a registration. A retry with the same nonce is the same
-- scan (UNIQUE). Failed scans are kept too, for the report.
CREATE TABLE event_checkins (
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  registration_id INTEGER,             -- the ticket scanned, when the code is known
  code TEXT NOT NULL,                  -- as scanned (at most 64 characters)
  nonce TEXT NOT NULL UNIQUE,
  result TEXT NOT NULL,                -- ok | already | unknown | cancelled | wrong_event | not_open
  device TEXT NOT NULL,                -- staff email, "link" (a volunteer's check-in link) or "cli"
  at INTEGER NOT NULL
);
CREATE INDEX event_checkins_ticket ON event_checkins (registration_id, result, id);
CREATE TRIGGER event_checkins_no_update BEFORE UPDATE ON event_checkins
BEGIN SELECT RAISE(ABORT, 'event_checkins is append-only'); END;
CREATE TRIGGER event_checkins_no_delete BEFORE DELETE ON event_checkins
BEGIN SELECT RAISE(ABORT, 'event_checkins is append-only'); END;

-- What registrants were last told of each event: its time, place and status. Content is
-- compared with it at every load (start and reload), so a change made in content/events is told
-- once, whether the bot was reloaded or restarted, and a crash before the messages were queued
-- leaves the row unchanged, to be told at the next load.
CREATE TABLE event_state (
  event_id TEXT PRIMARY KEY,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  place TEXT NOT NULL,
  status TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Check-in links for volunteers without an account: the door page at /console/door/<token>.
-- Only the token's SHA-256 is kept; a link ends when revoked or at expires_at.
CREATE TABLE event_checkin_links (
  id INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
);
