-- Foundation schema (SQLite). Keep in step with migrations/postgres: same version names,
-- same tables and columns, portable types only (BIGINT ids, UTC TIMESTAMP, JSON as TEXT).

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Stored lower-cased by the domain; the CHECK refuses any write that forgot to.
    email TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    platform_role TEXT NOT NULL DEFAULT 'none' CHECK (platform_role IN ('none', 'coordinator', 'admin')),
    verified_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    opens_at TIMESTAMP,
    closes_at TIMESTAMP NOT NULL,
    audience TEXT NOT NULL CHECK (audience IN ('all_approved', 'invited')),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed', 'archived')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE chapters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    UNIQUE (round_id, code)
);

CREATE TABLE questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- round_id is repeated here so that question codes are unique across the whole round.
    round_id BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    chapter_id BIGINT NOT NULL REFERENCES chapters (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('short_text', 'long_text', 'single_choice', 'multiple_choice', 'scale', 'proposals')),
    prompt TEXT NOT NULL,
    help TEXT NOT NULL DEFAULT '',
    required BOOLEAN NOT NULL DEFAULT FALSE,
    -- Kind-specific settings as JSON (max_length, options, scale, max_items).
    settings TEXT NOT NULL,
    UNIQUE (round_id, code)
);
CREATE INDEX questions_chapter_idx ON questions (chapter_id, position);

-- Platform-wide facts such as "the demo data was seeded", so a restart never seeds twice.
CREATE TABLE platform_settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
