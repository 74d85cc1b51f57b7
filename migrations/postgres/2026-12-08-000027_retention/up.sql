-- What the retention job needs to know of a round (PostgreSQL). Keep in step with
-- migrations/sqlite.

-- When it was archived (its drafts, and its answers if not kept, are deleted so long
-- after), and whether its coordinators chose to keep its answers then. A round archived
-- before this migration counts from now, its answers kept.
ALTER TABLE rounds ADD COLUMN archived_at TIMESTAMP;
ALTER TABLE rounds ADD COLUMN answers_kept BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE rounds SET archived_at = LOCALTIMESTAMP WHERE status = 'archived';
