-- The text of attached documents, for the round's search (SQLite). Keep in step with
-- migrations/postgres, which says what the states mean.
ALTER TABLE stored_files ADD COLUMN text_state TEXT NOT NULL DEFAULT 'pending'
    CHECK (text_state IN ('pending', 'extracted', 'unreadable', 'too_large', 'not_text'));
ALTER TABLE stored_files ADD COLUMN text_claimed_at TIMESTAMP;
UPDATE stored_files SET text_state = 'not_text'
    WHERE media_type NOT IN ('application/pdf', 'application/vnd.oasis.opendocument.text',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
CREATE INDEX stored_files_text_pending ON stored_files (text_claimed_at)
    WHERE text_state = 'pending';

-- Searched like the answers (migration 000019): an FTS5 table with the same tokenizer,
-- one row per content with a text, kept by triggers in the transaction that writes the
-- text (or copies the row, or deletes it). `sha256` names the content; the table's own
-- rowid is FTS5's.
CREATE VIRTUAL TABLE document_search USING fts5(
    sha256 UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER document_search_insert AFTER INSERT ON stored_files
    WHEN new.extracted_text IS NOT NULL
BEGIN
    INSERT INTO document_search (sha256, body) VALUES (new.sha256, new.extracted_text);
END;

CREATE TRIGGER document_search_update AFTER UPDATE OF extracted_text ON stored_files
BEGIN
    DELETE FROM document_search WHERE sha256 = old.sha256;
    INSERT INTO document_search (sha256, body)
        SELECT new.sha256, new.extracted_text WHERE new.extracted_text IS NOT NULL;
END;

CREATE TRIGGER document_search_delete AFTER DELETE ON stored_files
BEGIN
    DELETE FROM document_search WHERE sha256 = old.sha256;
END;
