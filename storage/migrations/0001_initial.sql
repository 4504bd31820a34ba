-- 0001: people, conversations, inbox, outbox, interactions, jobs, feedback.
-- Times are INTEGER unix milliseconds UTC. Append-only: never edit after release.

CREATE TABLE people (
  id                   INTEGER PRIMARY KEY,
  channel              TEXT NOT NULL CHECK (channel IN ('web', 'cli', 'zalo', 'messenger')),
  account              TEXT NOT NULL,          -- OA id, page id, 'web', 'cli'
  platform_user_id     TEXT NOT NULL,
  display_name         TEXT,
  language             TEXT NOT NULL DEFAULT 'vi' CHECK (language IN ('vi', 'en')),
  consent_store_text   INTEGER NOT NULL DEFAULT 0 CHECK (consent_store_text IN (0, 1)),
  consent_broadcast    INTEGER NOT NULL DEFAULT 0 CHECK (consent_broadcast IN (0, 1)),
  first_interaction_at INTEGER NOT NULL,
  last_interaction_at  INTEGER NOT NULL,
  UNIQUE (channel, account, platform_user_id)
);

-- One row per person: the form in progress (flow engine) and small per-channel memory.
CREATE TABLE conversations (
  person_id   INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
  flow        TEXT,                            -- NULL when no form is in progress
  step        TEXT,
  data        TEXT NOT NULL DEFAULT '{}',      -- JSON: the answers so far
  choices     TEXT NOT NULL DEFAULT '[]',      -- JSON: payloads of the last buttons shown
  expires_at  INTEGER,                         -- the form is dropped after this
  updated_at  INTEGER NOT NULL
);

-- Every accepted event, durable before the platform gets its 200.
CREATE TABLE inbox (
  id                INTEGER PRIMARY KEY,
  channel           TEXT NOT NULL,
  account           TEXT NOT NULL,
  platform_user_id  TEXT NOT NULL,
  platform_event_id TEXT NOT NULL,
  kind              TEXT NOT NULL,
  payload           TEXT,                      -- neutral event JSON; cleared once processed
  received_at       INTEGER NOT NULL,
  status            TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'done', 'failed', 'ignored')),
  attempts          INTEGER NOT NULL DEFAULT 0,
  processed_at      INTEGER,
  error             TEXT,
  UNIQUE (channel, account, platform_event_id)
);
CREATE INDEX inbox_pending ON inbox (id) WHERE status = 'pending';

-- What the bot did with each event. `text` only when config and consent allow.
CREATE TABLE interactions (
  id          INTEGER PRIMARY KEY,
  inbox_id    INTEGER UNIQUE REFERENCES inbox(id) ON DELETE SET NULL,
  person_id   INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  at          INTEGER NOT NULL,
  handler     TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  latency_us  INTEGER NOT NULL,
  text        TEXT
);
CREATE INDEX interactions_at ON interactions (at);

-- Transactional outbox: written in the same transaction as the turn that caused it.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  person_id       INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  inbox_id        INTEGER REFERENCES inbox(id) ON DELETE SET NULL,
  seq             INTEGER NOT NULL DEFAULT 0,   -- order of the replies to one event
  kind            TEXT NOT NULL DEFAULT 'reply' CHECK (kind IN ('reply', 'notice', 'reminder', 'broadcast', 'staff')),
  body            TEXT NOT NULL,                -- OutboundMessage JSON
  status          TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'sending', 'sent', 'dead', 'skipped')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER,
  last_error      TEXT,
  UNIQUE (inbox_id, seq)
);
CREATE INDEX outbox_open ON outbox (person_id, id) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_delivered ON outbox (person_id, id) WHERE status = 'sent';

-- Scheduled work (form expiry, reminders, purges): data, so it survives restarts.
CREATE TABLE jobs (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,
  run_at      INTEGER NOT NULL,
  payload     TEXT NOT NULL DEFAULT '{}',
  unique_key  TEXT UNIQUE,                     -- at most one live job per key
  status      TEXT NOT NULL DEFAULT 'pending'
              CHECK (status IN ('pending', 'done', 'failed', 'cancelled')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  created_at  INTEGER NOT NULL,
  done_at     INTEGER
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'pending';

CREATE TABLE feedback (
  id          INTEGER PRIMARY KEY,
  person_id   INTEGER REFERENCES people(id) ON DELETE SET NULL,
  rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment     TEXT,
  created_at  INTEGER NOT NULL
);
