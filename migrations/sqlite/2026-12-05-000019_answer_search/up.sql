-- Full-text search over the answers' texts (the PostgreSQL twin of this migration says
-- why). FTS5 folds case and accents (`remove_diacritics 2`) but has no French stemmer:
-- the service searches each word as a prefix of its light stem instead
-- (`domain::search`). The index holds the text of answers that are JSON strings, keyed by
-- the answer's id, and triggers keep it in the transaction of every write of an answer.
CREATE VIRTUAL TABLE answer_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');

INSERT INTO answer_search (rowid, body)
    SELECT id, json_extract(value, '$') FROM answers
    WHERE json_valid(value) AND json_type(value) = 'text';

CREATE TRIGGER answer_search_insert AFTER INSERT ON answers
    WHEN json_valid(new.value) AND json_type(new.value) = 'text'
BEGIN
    INSERT INTO answer_search (rowid, body) VALUES (new.id, json_extract(new.value, '$'));
END;

CREATE TRIGGER answer_search_update AFTER UPDATE OF value ON answers
BEGIN
    DELETE FROM answer_search WHERE rowid = old.id;
    INSERT INTO answer_search (rowid, body)
        SELECT new.id, json_extract(new.value, '$')
        WHERE json_valid(new.value) AND json_type(new.value) = 'text';
END;

CREATE TRIGGER answer_search_delete AFTER DELETE ON answers
BEGIN
    DELETE FROM answer_search WHERE rowid = old.id;
END;
