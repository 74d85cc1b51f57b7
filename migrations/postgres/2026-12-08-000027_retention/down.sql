ALTER TABLE rounds DROP COLUMN answers_kept;
ALTER TABLE rounds DROP COLUMN archived_at;
