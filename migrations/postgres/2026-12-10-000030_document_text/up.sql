-- The text of attached documents, for the round's search (PostgreSQL). Keep in step with
-- migrations/sqlite.

-- What became of a content's text: `pending` until an instance reads it (PDF, ODT,
-- DOCX), then `extracted`, `unreadable` (malformed, encrypted, a reader's failure) or
-- `too_large`; `not_text` for images and spreadsheets. `text_claimed_at`: when an
-- instance took it to read; another may take it again once that is old (the first died).
ALTER TABLE stored_files ADD COLUMN text_state TEXT NOT NULL DEFAULT 'pending'
    CHECK (text_state IN ('pending', 'extracted', 'unreadable', 'too_large', 'not_text'));
ALTER TABLE stored_files ADD COLUMN text_claimed_at TIMESTAMP;
UPDATE stored_files SET text_state = 'not_text'
    WHERE media_type NOT IN ('application/pdf', 'application/vnd.oasis.opendocument.text',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
CREATE INDEX stored_files_text_pending ON stored_files (text_claimed_at)
    WHERE text_state = 'pending';

-- Searched like the answers (migration 000019's `concerto_fr`): a generated column,
-- whole as soon as the text is written.
ALTER TABLE stored_files ADD COLUMN search tsvector GENERATED ALWAYS AS
    (to_tsvector('concerto_fr'::regconfig, coalesce(extracted_text, ''))) STORED;
CREATE INDEX stored_files_search ON stored_files USING gin (search);
