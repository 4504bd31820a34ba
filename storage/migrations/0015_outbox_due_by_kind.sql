-- 0015: the claim takes live messages (replies, reminders, staff answers) before broadcasts.
-- With outbox_due alone, looking for live messages read past every pending broadcast row, so
-- each claim during a broadcast to N people cost O(N). outbox_due_kind lists the pending heads
-- by "is a broadcast", then in time order: each half of the claim reads only its own rows.
-- outbox_due stays for the next due time of either kind.
CREATE INDEX outbox_due_kind ON outbox ((kind = 'broadcast'), next_attempt_at, id)
  WHERE status = 'pending' AND head = 1;
