-- Answers typed by someone whose session ended before they saved (SQLite). Kept for an
-- hour under a random key (only its hash is stored, the key is in the browser's cookie),
-- and put back in the editor once they have signed in again. Keep in step with postgres.
CREATE TABLE kept_drafts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key_hash TEXT NOT NULL UNIQUE,
    round_slug TEXT NOT NULL,
    organisation_id BIGINT NOT NULL,
    chapter TEXT NOT NULL,
    -- JSON list of [name, value] pairs, as the form posted them.
    fields TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
