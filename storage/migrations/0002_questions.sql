-- 0002: questions the bot could not answer with confidence, for staff to turn into content.
-- The text is kept only when config (privacy.store_message_text) and the person's consent allow.

CREATE TABLE questions (
  id         INTEGER PRIMARY KEY,
  at         INTEGER NOT NULL,
  person_id  INTEGER REFERENCES people(id) ON DELETE SET NULL,
  channel    TEXT NOT NULL,
  outcome    TEXT NOT NULL CHECK (outcome IN ('fallback', 'clarify')),
  best       TEXT,                  -- the best explainer guess, if any
  score      REAL NOT NULL DEFAULT 0,
  text       TEXT
);
CREATE INDEX questions_at ON questions (at);
