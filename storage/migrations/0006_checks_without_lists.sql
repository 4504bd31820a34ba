-- The inbox and the outbox are written on every webhook and every reply. A CHECK of the form
-- `x IN (a, b, c …)` with more than two values makes SQLite build a temporary b-tree each time
-- a row is written: about a third of the cost of storing an inbox event. Same rules, written
-- as comparisons. SQLite cannot alter a CHECK, so both tables are rebuilt (the migration runs
-- with foreign keys off and checks them before it commits; ids are kept).
CREATE TABLE inbox_new (
  id                INTEGER PRIMARY KEY,
  channel           TEXT NOT NULL,
  account           TEXT NOT NULL,
  platform_user_id  TEXT NOT NULL,
  platform_event_id TEXT NOT NULL,
  kind              TEXT NOT NULL,
  payload           TEXT,                      -- neutral event JSON; cleared once processed
  received_at       INTEGER NOT NULL,
  status            TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status = 'pending' OR status = 'done' OR status = 'failed' OR
                           status = 'ignored'),
  attempts          INTEGER NOT NULL DEFAULT 0,
  processed_at      INTEGER,
  error             TEXT,
  UNIQUE (channel, account, platform_event_id)
);
INSERT INTO inbox_new (id, channel, account, platform_user_id, platform_event_id, kind, payload,
                       received_at, status, attempts, processed_at, error)
SELECT id, channel, account, platform_user_id, platform_event_id, kind, payload,
       received_at, status, attempts, processed_at, error
FROM inbox;
DROP TABLE inbox;
ALTER TABLE inbox_new RENAME TO inbox;
CREATE INDEX inbox_pending ON inbox (id) WHERE status = 'pending';

CREATE TABLE outbox_new (
  id                  INTEGER PRIMARY KEY,
  person_id           INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  inbox_id            INTEGER REFERENCES inbox(id) ON DELETE SET NULL,
  seq                 INTEGER NOT NULL DEFAULT 0,   -- order of the replies to one event
  kind                TEXT NOT NULL DEFAULT 'reply'
                      CHECK (kind = 'reply' OR kind = 'notice' OR kind = 'reminder' OR
                             kind = 'broadcast' OR kind = 'staff'),
  body                TEXT NOT NULL,                -- OutboundMessage JSON
  status              TEXT NOT NULL DEFAULT 'pending'
                      CHECK (status = 'pending' OR status = 'sending' OR status = 'sent' OR
                             status = 'dead' OR status = 'skipped'),
  attempts            INTEGER NOT NULL DEFAULT 0,
  next_attempt_at     INTEGER NOT NULL,
  created_at          INTEGER NOT NULL,
  sent_at             INTEGER,
  last_error          TEXT,
  platform_message_id TEXT,
  parts_sent          INTEGER NOT NULL DEFAULT 0,
  delivered_at        INTEGER,
  read_at             INTEGER,
  send_window         TEXT,
  head                INTEGER NOT NULL DEFAULT 0,
  UNIQUE (inbox_id, seq)
);
INSERT INTO outbox_new (id, person_id, inbox_id, seq, kind, body, status, attempts,
                        next_attempt_at, created_at, sent_at, last_error, platform_message_id,
                        parts_sent, delivered_at, read_at, send_window, head)
SELECT id, person_id, inbox_id, seq, kind, body, status, attempts,
       next_attempt_at, created_at, sent_at, last_error, platform_message_id,
       parts_sent, delivered_at, read_at, send_window, head
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_open ON outbox (person_id, id) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_delivered ON outbox (person_id, id) WHERE status = 'sent';
CREATE INDEX outbox_platform_message ON outbox (platform_message_id)
  WHERE platform_message_id IS NOT NULL;
CREATE INDEX outbox_dead ON outbox (id) WHERE status = 'dead';
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending' AND head = 1;
