-- 0012: broadcast announcements (issue 19). A broadcast is staff's document (text, buttons,
-- segment, send time, expiry, what may be used beyond the free windows) and its state. Planning
-- writes one row per recipient with the one path it will take, or 'unreachable' with the
-- reason; the fan-out then moves recipients from 'planned' to 'queued' (with the outbox row
-- that carries the message) in batches, each in one transaction, so a crash loses nobody and
-- repeats nobody. What became of each message is read from its outbox row.

CREATE TABLE broadcasts (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  document TEXT NOT NULL,              -- the announcement as JSON (as created)
  status TEXT NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'planned', 'sending', 'paused', 'cancelled', 'done')),
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  send_at INTEGER NOT NULL,            -- not before (UTC ms)
  expires_at INTEGER,                  -- nothing goes out after
  planned_at INTEGER,
  plan TEXT,                           -- the plan's counts as JSON
  generation INTEGER NOT NULL DEFAULT 0, -- bumped by send / resume: an older fan-out job stops
  finished_at INTEGER
);

CREATE TABLE broadcast_recipients (
  broadcast_id INTEGER NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  path TEXT NOT NULL,                  -- zalo_cs_free, zalo_cs_paid, messenger_standard,
                                       -- webchat_next_visit, or unreachable
  reason TEXT,                         -- why unreachable, or why skipped at send time
  status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'queued', 'skipped')),
  outbox_id INTEGER,                   -- the message's outbox row once queued
  queued_at INTEGER,
  PRIMARY KEY (broadcast_id, person_id)
) WITHOUT ROWID;

-- The per-person cap: a person's broadcasts queued in the last days.
CREATE INDEX broadcast_recipients_queued ON broadcast_recipients (person_id, queued_at)
  WHERE status = 'queued';
