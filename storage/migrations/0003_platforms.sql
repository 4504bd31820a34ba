-- 0003: what Zalo OA and Messenger need.

-- Staff answered from the platform's own tool: the bot stays quiet for this person until then.
ALTER TABLE conversations ADD COLUMN human_until INTEGER;

-- Information a person chose to share through the platform's form (Zalo user_submit_info).
ALTER TABLE people ADD COLUMN shared_name TEXT;
ALTER TABLE people ADD COLUMN shared_phone TEXT;
ALTER TABLE people ADD COLUMN shared_address TEXT;
ALTER TABLE people ADD COLUMN shared_at INTEGER;

-- Delivery bookkeeping: the platform's id of what we sent, receipts, how many parts of a long
-- message already went out (so a retry never repeats them), and Zalo's free / paid window.
ALTER TABLE outbox ADD COLUMN platform_message_id TEXT;
ALTER TABLE outbox ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN delivered_at INTEGER;
ALTER TABLE outbox ADD COLUMN read_at INTEGER;
ALTER TABLE outbox ADD COLUMN send_window TEXT;
CREATE INDEX outbox_platform_message ON outbox (platform_message_id) WHERE platform_message_id IS NOT NULL;

-- OAuth tokens of each account (Zalo OA: a 25-hour access token and a single-use refresh token
-- that rotates). `state` makes a refresh that was interrupted visible after a restart.
CREATE TABLE tokens (
  account           TEXT PRIMARY KEY,            -- "zalo:<account id>"
  access_token      TEXT,
  access_expires_at INTEGER,
  refresh_token     TEXT NOT NULL,
  state             TEXT NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'refreshing', 'lost')),
  refreshing_since  INTEGER,
  rotations         INTEGER NOT NULL DEFAULT 0,
  last_error        TEXT,
  updated_at        INTEGER NOT NULL
);
CREATE INDEX outbox_dead ON outbox (id) WHERE status = 'dead';
