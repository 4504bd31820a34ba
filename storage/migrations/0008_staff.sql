-- 0008: staff accounts for the console, their sessions, login throttling and the audit log.
CREATE TABLE staff (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,            -- lower case
  role          TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'advisor', 'checkin')),
  password_hash TEXT NOT NULL,                   -- Argon2id, PHC string ($argon2id$v=19$m=…)
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL,                -- unix ms
  updated_at    INTEGER NOT NULL
);

-- A session is known by the SHA-256 of its id: the id itself is only in the browser's cookie.
CREATE TABLE staff_sessions (
  id_hash       TEXT PRIMARY KEY,
  staff_id      INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
  csrf          TEXT NOT NULL,                   -- the token every state-changing form carries
  created_at    INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL,
  address       TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

-- Failed logins, per key ("account:<email>" or "address:<ip>"): how many in a row, and until when
-- the next attempt is refused without looking at the password.
CREATE TABLE login_failures (
  key           TEXT PRIMARY KEY,
  failures      INTEGER NOT NULL,
  blocked_until INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
) WITHOUT ROWID;

-- Every staff action, append-only (the triggers refuse changes and deletions).
CREATE TABLE audit_log (
  id            INTEGER PRIMARY KEY,
  at            INTEGER NOT NULL,                -- unix ms
  actor         TEXT NOT NULL,                   -- a staff email, "cli" or "admin-api"
  action        TEXT NOT NULL,                   -- login, login_failed, logout, staff_add, booking_cancel…
  object        TEXT NOT NULL DEFAULT '',        -- what it acted on: an email, a booking ref…
  address       TEXT NOT NULL DEFAULT '',        -- the client's address, when over HTTP
  detail        TEXT NOT NULL DEFAULT ''         -- a short note (a reason, a role); never a password
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
