-- Files attached to responses (SQLite). Keep in step with
-- migrations/postgres.

-- Per round, what the coordinators allow: a response-level area for documents (besides
-- questions of kind `documents`), and the limits per file and per response, in bytes.
ALTER TABLE rounds ADD COLUMN attachments_area BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE rounds ADD COLUMN attachment_file_limit BIGINT NOT NULL DEFAULT 20971520;
ALTER TABLE rounds ADD COLUMN attachment_response_limit BIGINT NOT NULL DEFAULT 52428800;

-- Each distinct content once, named by its SHA-256 (its key in the object store), with
-- the text extracted from it for the search. `touched_at`: the last upload that
-- wanted it; the clean-up deletes a content nobody names only well after that, so an
-- upload between storing the content and naming it never loses it.
CREATE TABLE stored_files (
    sha256 TEXT PRIMARY KEY,
    size BIGINT NOT NULL CHECK (size >= 0),
    media_type TEXT NOT NULL,
    extracted_text TEXT,
    touched_at TIMESTAMP NOT NULL
);

-- One row per version of a document: a replacement adds a row to the same `lineage`
-- (the first version's id) and marks the one it replaces; a deletion marks the current
-- one. Rows are never rewritten otherwise: they are the documents' history. `token`:
-- the unguessable name of its download. `question_id` NULL: the response's own area.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token TEXT NOT NULL UNIQUE,
    response_id BIGINT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question_id BIGINT REFERENCES questions (id) ON DELETE CASCADE,
    lineage BIGINT,
    version INTEGER NOT NULL CHECK (version > 0),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL CHECK (size >= 0),
    sha256 TEXT NOT NULL REFERENCES stored_files (sha256),
    uploaded_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    uploaded_at TIMESTAMP NOT NULL,
    replaced_at TIMESTAMP,
    deleted_at TIMESTAMP,
    deleted_by BIGINT REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX attachments_of_response ON attachments (response_id);
CREATE INDEX attachments_of_content ON attachments (sha256);
CREATE INDEX attachments_of_lineage ON attachments (lineage);
