-- 0010: what staff did with an unanswered question (console, /console/questions): attached it
-- to an explainer or a referral (it is then content, content/learned.yaml), marked it off-topic,
-- or set it aside; the rows' text is then dropped (what was attached is content, without who
-- asked). A question's text is kept only when the person agreed (the "send this
-- question to staff" button, or the blanket consent with privacy.store_message_text).

ALTER TABLE questions ADD COLUMN handled TEXT;       -- 'explainer:<id>', 'referral:<id>', 'off-topic', 'dismissed'
ALTER TABLE questions ADD COLUMN handled_at INTEGER;
ALTER TABLE questions ADD COLUMN handled_by TEXT;    -- staff email
CREATE INDEX questions_open ON questions (handled, at) WHERE text IS NOT NULL;
