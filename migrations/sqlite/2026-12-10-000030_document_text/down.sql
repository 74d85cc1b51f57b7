DROP TRIGGER document_search_delete;
DROP TRIGGER document_search_update;
DROP TRIGGER document_search_insert;
DROP TABLE document_search;
DROP INDEX stored_files_text_pending;
ALTER TABLE stored_files DROP COLUMN text_claimed_at;
ALTER TABLE stored_files DROP COLUMN text_state;
