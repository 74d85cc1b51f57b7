-- The outbox keeps every email sent; the worker looks only for those not sent yet, in
-- order of id. Indexed on (sent_at, next_attempt_at), the search for the next ones went
-- through every email ever sent when PostgreSQL walked the primary key in id order
-- (2 ms a claim after a few thousand receipts, in the load benchmark, and growing): this
-- index holds only the emails still to send, in the order they are taken.
DROP INDEX outbox_pending_idx;
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;
