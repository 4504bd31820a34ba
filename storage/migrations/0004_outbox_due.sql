-- 0004: the sender's claim no longer scans the queue. `head` marks the oldest open (pending or
-- sending) message of each person — the only one that may go out now, so a person's messages
-- leave in order — and outbox_due lists the pending heads in time order. Enqueue sets `head`
-- when the person has no open message; finishing a message (sent, skipped, dead) passes it on.
ALTER TABLE outbox ADD COLUMN head INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET head = 1
WHERE id IN (SELECT MIN(id) FROM outbox WHERE status IN ('pending', 'sending') GROUP BY person_id);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending' AND head = 1;
