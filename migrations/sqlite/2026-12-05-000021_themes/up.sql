-- Reading the answers (SQLite). Keep in step with migrations/postgres.

-- A round's codebook: the themes its coordinators tag answers with. `keywords` holds the
-- rules that suggest answers for the theme, one search query a line (`domain::themes`).
CREATE TABLE themes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    parent_id BIGINT REFERENCES themes (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    colour TEXT NOT NULL,
    keywords TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (round_id, name)
);

-- A theme put on an answer by one coder: the whole answer (no passage), or the passage
-- between two character offsets, kept with its text and the answer's version so that an
-- edit of the passage is seen (`domain::passages`). The answer's response and question
-- (which never change) are kept beside it: the counts per theme then read the small
-- tables, not the answers with their texts.
CREATE TABLE tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    theme_id BIGINT NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    answer_id BIGINT NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
    response_id BIGINT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    coder_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    passage_start INTEGER,
    passage_end INTEGER,
    passage TEXT,
    answer_version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK ((passage_start IS NULL AND passage_end IS NULL AND passage IS NULL)
        OR (passage_start >= 0 AND passage_end > passage_start AND passage IS NOT NULL))
);
CREATE UNIQUE INDEX tags_once ON tags
    (theme_id, answer_id, coder_id, coalesce(passage_start, -1), coalesce(passage_end, -1));
CREATE INDEX tags_by_answer ON tags (answer_id);
CREATE INDEX tags_by_response ON tags (response_id);

-- A suggestion a coordinator turned down: not proposed again for that theme.
CREATE TABLE theme_dismissals (
    theme_id BIGINT NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    answer_id BIGINT NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
    dismissed_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    dismissed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (theme_id, answer_id)
);

-- Personal data marked in an answer: masked in what is published, never in the stored
-- answer. The passage's text is kept so that every occurrence of it is masked, wherever
-- later edits move it.
CREATE TABLE redactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    answer_id BIGINT NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
    passage_start INTEGER NOT NULL CHECK (passage_start >= 0),
    passage_end INTEGER NOT NULL CHECK (passage_end > passage_start),
    passage TEXT NOT NULL,
    reason TEXT NOT NULL,
    answer_version INTEGER NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (answer_id, passage_start, passage_end)
);
