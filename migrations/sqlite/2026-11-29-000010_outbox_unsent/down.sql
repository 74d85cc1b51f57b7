DROP INDEX outbox_unsent_idx;
CREATE INDEX outbox_pending_idx ON outbox (sent_at, next_attempt_at);
