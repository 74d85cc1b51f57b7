-- The collective contribution a round's coordinators write (SQLite). Keep in step
-- with migrations/postgres.

-- A round's synthesis: its own texts and settings, and the version a write names, so that
-- two coordinators never overwrite each other silently.
CREATE TABLE syntheses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id BIGINT NOT NULL UNIQUE REFERENCES rounds (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    introduction TEXT NOT NULL,
    conclusion TEXT NOT NULL,
    proposals_order TEXT NOT NULL,
    licence TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_at TIMESTAMP NOT NULL
);

-- What the coordinators wrote for one chapter, as JSON (`domain::synthesis::Section`):
-- its answers are named by id, checked against the round at each write and read again,
-- with their organisations' consent and redactions, at each reading.
CREATE TABLE synthesis_sections (
    synthesis_id BIGINT NOT NULL REFERENCES syntheses (id) ON DELETE CASCADE,
    chapter_id BIGINT NOT NULL REFERENCES chapters (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (synthesis_id, chapter_id)
);

-- Every version written of the header (no chapter) or of a chapter: the history.
CREATE TABLE synthesis_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    synthesis_id BIGINT NOT NULL REFERENCES syntheses (id) ON DELETE CASCADE,
    chapter_id BIGINT REFERENCES chapters (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    changed_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX synthesis_revisions_of ON synthesis_revisions (synthesis_id, chapter_id, version);

-- A published version: the document as it read then (JSON,
-- `domain::synthesis::document`). Frozen: the database refuses to change one.
CREATE TABLE synthesis_publications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    synthesis_id BIGINT NOT NULL REFERENCES syntheses (id) ON DELETE CASCADE,
    number INTEGER NOT NULL CHECK (number > 0),
    changes TEXT NOT NULL,
    document TEXT NOT NULL,
    published_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    published_at TIMESTAMP NOT NULL,
    UNIQUE (synthesis_id, number)
);

CREATE TRIGGER synthesis_publication_frozen BEFORE UPDATE ON synthesis_publications
BEGIN
    SELECT RAISE(ABORT, 'a published synthesis is never changed');
END;
