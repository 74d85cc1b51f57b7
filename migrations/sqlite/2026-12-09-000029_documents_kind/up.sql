-- Questions of kind `documents` (SQLite). Keep in step with migrations/postgres.
-- SQLite cannot change a CHECK constraint: the table is rebuilt, foreign keys off so that
-- the answers, tags and documents that name its rows stay as they are (and checked
-- before the end).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE questions_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- round_id is repeated here so that question codes are unique across the whole round.
    round_id BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    chapter_id BIGINT NOT NULL REFERENCES chapters (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('short_text', 'long_text', 'single_choice', 'multiple_choice', 'scale', 'proposals', 'documents')),
    prompt TEXT NOT NULL,
    help TEXT NOT NULL DEFAULT '',
    required BOOLEAN NOT NULL DEFAULT FALSE,
    -- Kind-specific settings as JSON (max_length, options, scale, max_items, max_files).
    settings TEXT NOT NULL,
    UNIQUE (round_id, code)
);
INSERT INTO questions_rebuilt (id, round_id, chapter_id, code, position, kind, prompt, help, required, settings)
    SELECT id, round_id, chapter_id, code, position, kind, prompt, help, required, settings FROM questions;
DROP TABLE questions;
ALTER TABLE questions_rebuilt RENAME TO questions;
CREATE INDEX questions_chapter_idx ON questions (chapter_id, position);
COMMIT;
PRAGMA foreign_keys = ON;
