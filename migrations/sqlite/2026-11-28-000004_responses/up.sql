-- Responses and answers (SQLite). Keep in step with migrations/postgres.

-- One response per (round, organisation), created on its first write.
CREATE TABLE responses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
    submitted_at TIMESTAMP,
    submitted_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    publication_consent TEXT NOT NULL DEFAULT 'none' CHECK (publication_consent IN ('none', 'anonymous', 'attributed')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (round_id, organisation_id)
);

-- One answer per (response, question); `version` makes concurrent edits explicit.
CREATE TABLE answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    response_id BIGINT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    -- JSON, shaped by the question's kind; NULL when cleared.
    value TEXT,
    version INTEGER NOT NULL,
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (response_id, question_id)
);

-- Every version of every answer: who changed what, when.
CREATE TABLE answer_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    answer_id BIGINT NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
    value TEXT,
    version INTEGER NOT NULL,
    changed_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX answer_history_answer_idx ON answer_history (answer_id, version);

-- Reminders already queued for a round (`7d`, `1d`, or `manual-<time>`): the primary
-- key lets one instance only queue each of them.
CREATE TABLE round_reminders (
    round_id BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (round_id, kind)
);
