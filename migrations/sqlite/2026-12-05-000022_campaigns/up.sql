-- Near-identical answers and campaigns (SQLite). Keep in step with migrations/postgres.

-- The MinHash signature of a long text answer as of one version (`domain::similarity`),
-- base64: computed once per version, so that grouping near-identical answers reads
-- signatures instead of texts. NULL when the text is too short to compare.
CREATE TABLE answer_fingerprints (
    answer_id BIGINT PRIMARY KEY REFERENCES answers (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    signature TEXT
);

-- A group of answers a coordinator marked as one organised campaign: shown as such in
-- exports, counted once in statistics when asked.
CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);

-- An answer belongs to one campaign at most.
CREATE TABLE campaign_answers (
    answer_id BIGINT PRIMARY KEY REFERENCES answers (id) ON DELETE CASCADE,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE
);
CREATE INDEX campaign_answers_campaign ON campaign_answers (campaign_id);
