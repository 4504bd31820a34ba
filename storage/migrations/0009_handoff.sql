-- 0009: the handoff inbox. A person who asked for a human (or whom the bot did not understand
-- twice in a row) has one active conversation with staff: open (waiting), pending (a staff
-- member took it), snoozed (until a time or the person's next message); resolved hands the
-- person back to the bot. Its messages are kept for the staff who answer, and deleted with the
-- person (privacy) or after `retention.handoff_days` once resolved.
CREATE TABLE handoffs (
  id            INTEGER PRIMARY KEY,
  person_id     INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  status        TEXT NOT NULL CHECK (status IN ('open', 'pending', 'snoozed', 'resolved')),
  reason        TEXT NOT NULL CHECK (reason IN ('asked', 'not_understood')),
  assignee      TEXT NOT NULL DEFAULT '',        -- the staff email holding it ('' none)
  opened_at     INTEGER NOT NULL,                -- unix ms
  updated_at    INTEGER NOT NULL,
  last_person_at INTEGER NOT NULL,               -- the person's last message: the reply window
  snoozed_until INTEGER,
  resolved_at   INTEGER
);
CREATE UNIQUE INDEX handoffs_active ON handoffs (person_id) WHERE status != 'resolved';
CREATE INDEX handoffs_by_status ON handoffs (status, updated_at);

CREATE TABLE handoff_messages (
  id            INTEGER PRIMARY KEY,
  handoff_id    INTEGER NOT NULL REFERENCES handoffs(id) ON DELETE CASCADE,
  at            INTEGER NOT NULL,
  author        TEXT NOT NULL CHECK (author IN ('person', 'staff', 'bot', 'platform')),
  staff         TEXT NOT NULL DEFAULT '',        -- the staff email for author 'staff'
  text          TEXT NOT NULL
);
CREATE INDEX handoff_messages_thread ON handoff_messages (handoff_id, id);
