DROP INDEX outbox_pending_idx;
ALTER TABLE outbox DROP COLUMN state;
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;
