DROP INDEX answers_search;
ALTER TABLE answers DROP COLUMN search;
DROP FUNCTION concerto_answer_text(text);
DROP TEXT SEARCH CONFIGURATION concerto_fr;
DROP EXTENSION IF EXISTS unaccent;
