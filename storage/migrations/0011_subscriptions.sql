-- 0011: subscriptions to announcements (issue 19). One row per person who asked for news, with
-- what they chose and the consent they gave: when, and the version of the wording they saw
-- (consent_wordings keeps each wording once, so "what did this person agree to" has an answer
-- after the text in the content has changed). Unsubscribing deletes the row; "delete my data"
-- deletes it with the rest.

CREATE TABLE consent_wordings (
  version TEXT PRIMARY KEY,      -- '<lang>-<16 hex digits of FNV-1a 64 of the text>'
  lang TEXT NOT NULL,
  text TEXT NOT NULL,
  first_seen INTEGER NOT NULL
);

CREATE TABLE subscriptions (
  person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
  topics TEXT NOT NULL DEFAULT '',     -- topic group ids (topics.yaml) joined by ','; '' = all
  ward TEXT NOT NULL DEFAULT '',       -- one of the six wards' ids, 'other', or '' (not said)
  audience TEXT NOT NULL DEFAULT '',   -- resident, household, company, startup, school, or ''
  consent_at INTEGER NOT NULL,
  consent_version TEXT NOT NULL REFERENCES consent_wordings(version),
  source TEXT NOT NULL,                -- 'message' (said in one message) or 'form'
  updated_at INTEGER NOT NULL
);
