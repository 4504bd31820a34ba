-- 0005: sessions with the Startup Advisory Office, and the waitlist of full days.
-- A seat is (advisor, starts_at, seat number); bookings_seat makes a seat impossible to hold
-- twice, whatever the code above it does.
CREATE TABLE bookings (
  id            INTEGER PRIMARY KEY,
  ref           TEXT NOT NULL UNIQUE,            -- what the person and staff quote: TV-7K3M9Q
  ics_key       TEXT NOT NULL,                   -- the secret part of the calendar (.ics) link
  person_id     INTEGER REFERENCES people(id) ON DELETE CASCADE,
  topic         TEXT NOT NULL,
  advisor       TEXT NOT NULL,
  starts_at     INTEGER NOT NULL,                -- unix ms
  ends_at       INTEGER NOT NULL,
  seat          INTEGER NOT NULL,                -- 1 … the advisor's seats
  mode          TEXT NOT NULL DEFAULT 'in_person', -- in_person | online
  status        TEXT NOT NULL,                   -- booked | held | cancelled | attended | no_show
  name          TEXT NOT NULL,
  phone         TEXT NOT NULL,                   -- E.164
  company       TEXT NOT NULL,
  stage         TEXT NOT NULL,
  description   TEXT NOT NULL,
  reschedules   INTEGER NOT NULL DEFAULT 0,
  confirmed_at  INTEGER,                         -- staff confirmed it
  hold_until    INTEGER,                         -- status 'held': the seat offered from the waitlist
  cancel_reason TEXT,
  cancelled_by  TEXT,                            -- person | staff | offer_expired
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX bookings_seat ON bookings (advisor, starts_at, seat)
  WHERE status IN ('booked', 'held', 'attended', 'no_show');
CREATE INDEX bookings_time ON bookings (starts_at);
CREATE INDEX bookings_person ON bookings (person_id, starts_at);

CREATE TABLE waitlist (
  id          INTEGER PRIMARY KEY,
  person_id   INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  topic       TEXT NOT NULL,
  day         INTEGER NOT NULL,                  -- local day number (days since 1970-01-01)
  details     TEXT NOT NULL,                     -- JSON: name, phone, company, stage, description, mode
  status      TEXT NOT NULL,                     -- waiting | offered | booked | passed | cancelled
  booking_id  INTEGER REFERENCES bookings(id) ON DELETE SET NULL,  -- the held seat while offered
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX waitlist_day ON waitlist (day, status, id);
