-- The noted answers folded in first, then the triggers of 000019 back.
DELETE FROM answer_search WHERE rowid IN (SELECT answer_id FROM answer_search_pending);
INSERT INTO answer_search (rowid, body)
    SELECT a.id, json_extract(a.value, '$') FROM answers a
    JOIN answer_search_pending p ON p.answer_id = a.id
    WHERE json_valid(a.value) AND json_type(a.value) = 'text';
DROP TABLE answer_search_pending;

DROP TRIGGER answer_search_insert;
DROP TRIGGER answer_search_update;
DROP TRIGGER answer_search_delete;

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
