-- An email's state said outright: `pending` (to send, perhaps after a failed attempt),
-- `sent`, or `dead` (given up after its last attempt, kept with its error for an
-- operator). Giving up used to push `next_attempt_at` to chrono's largest date, which
-- SQLite stores as the text '+262143-…' and sorts before '2026-…': dead emails were
-- claimed again at every batch, and twenty of them stopped all mail.
ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'sent', 'dead'));
UPDATE outbox SET state = 'sent' WHERE sent_at IS NOT NULL;
UPDATE outbox SET state = 'dead', next_attempt_at = created_at
    WHERE sent_at IS NULL AND next_attempt_at > TIMESTAMP '9000-01-01';
DROP INDEX outbox_unsent_idx;
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE state = 'pending';
