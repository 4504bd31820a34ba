-- The inbox was deduplicated by UNIQUE (channel, account, platform_event_id). Platform event ids
-- are random strings, so each new event went into a random leaf of that index: a group commit
-- of 26 webhooks wrote about 44 index pages (≈ 180 KB of WAL, fsynced) for 26 small rows.
-- Zalo and Messenger redeliver an event with its body unchanged, so the event's own timestamp
-- comes back with it. Keyed (channel, account, event_at, platform_event_id), new events land at
-- the end of their account's part of the index: the same commit writes about 14 pages.
-- `event_at` is the platform's event time for Zalo and Messenger and 0 for channels whose time
-- is ours (web chat, terminal), which stay deduplicated by their id alone.
-- Rows stored before this migration get event_at = -1 and a partial index of their own ids, so
-- a redelivery of one of them (Zalo retries for up to about two hours, Meta up to 36) is still
-- found; new rows never enter that index. Rebuilt like 0006 (SQLite cannot drop a UNIQUE).
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
  event_at          INTEGER NOT NULL DEFAULT 0,   -- see above; -1: stored before 0007
  UNIQUE (channel, account, event_at, platform_event_id)
);
INSERT INTO inbox_new (id, channel, account, platform_user_id, platform_event_id, kind, payload,
                       received_at, status, attempts, processed_at, error, event_at)
SELECT id, channel, account, platform_user_id, platform_event_id, kind, payload,
       received_at, status, attempts, processed_at, error, -1
FROM inbox;
DROP TABLE inbox;
ALTER TABLE inbox_new RENAME TO inbox;
CREATE INDEX inbox_pending ON inbox (id) WHERE status = 'pending';
CREATE INDEX inbox_before_0007 ON inbox (channel, account, platform_event_id) WHERE event_at < 0;
-- When the newest of those rows arrived (no row: there were none). The bot reads it at start;
-- finding it in the inbox later would mean reading every old row.
CREATE TABLE inbox_before_0007_newest (received_at INTEGER NOT NULL);
INSERT INTO inbox_before_0007_newest (received_at)
SELECT MAX(received_at) FROM inbox WHERE event_at < 0 HAVING COUNT(*) > 0;
