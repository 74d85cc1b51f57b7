DROP INDEX outbox_pending_idx;
UPDATE outbox SET next_attempt_at = TIMESTAMP '262142-12-31 23:59:59' WHERE state = 'dead';
ALTER TABLE outbox DROP COLUMN state;
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;
