-- Full-text search over the answers' texts, for the coordinators who read them. French
-- stemming (`french_stem`) with accents and case folded (`unaccent`, a trusted extension
-- any owner of the database may create), on the text of answers that are JSON strings
-- (short and long texts). A generated column: the index follows every write of an answer
-- in the same statement, whatever path wrote it. Its SQLite twin is an FTS5 table kept by
-- triggers (same migration version).
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION concerto_fr (COPY = pg_catalog.french);
ALTER TEXT SEARCH CONFIGURATION concerto_fr
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;

-- The text of an answer stored as a JSON string; NULL for any other answer.
CREATE FUNCTION concerto_answer_text(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN left(value, 1) = '"' THEN value::jsonb #>> '{}' END
$$;

ALTER TABLE answers ADD COLUMN search tsvector GENERATED ALWAYS AS
    (to_tsvector('concerto_fr'::regconfig, coalesce(concerto_answer_text(value), ''))) STORED;
CREATE INDEX answers_search ON answers USING gin (search);
