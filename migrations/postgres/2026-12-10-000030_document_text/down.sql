DROP INDEX stored_files_search;
ALTER TABLE stored_files DROP COLUMN search;
DROP INDEX stored_files_text_pending;
ALTER TABLE stored_files DROP COLUMN text_claimed_at;
ALTER TABLE stored_files DROP COLUMN text_state;
