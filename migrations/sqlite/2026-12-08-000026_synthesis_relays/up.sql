-- A published synthesis relayed to a round above (SQLite). Keep in step with
-- migrations/postgres.

-- Which published version prefilled which response, mapped how (JSON,
-- a list of `domain::synthesis::relay::Route`): the response shows where it comes from, the
-- synthesis where it was sent. A response may be prefilled again from a later version.
CREATE TABLE synthesis_relays (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    synthesis_id BIGINT NOT NULL REFERENCES syntheses (id) ON DELETE CASCADE,
    number INTEGER NOT NULL CHECK (number > 0),
    -- The published version's title, as the response names it.
    title TEXT NOT NULL,
    response_id BIGINT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    mapping TEXT NOT NULL,
    relayed_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    relayed_at TIMESTAMP NOT NULL
);
CREATE INDEX synthesis_relays_from ON synthesis_relays (synthesis_id);
CREATE INDEX synthesis_relays_to ON synthesis_relays (response_id);
