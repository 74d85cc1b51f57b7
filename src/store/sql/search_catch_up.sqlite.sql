-- Up to {batch} of the answers noted by the triggers (migration 000020), folded into the
-- FTS5 index: three statements in the caller's write transaction, where SQLite's single
-- writer keeps anyone from noting more between them, so all three see the same answers.
DELETE FROM answer_search WHERE rowid IN
    (SELECT answer_id FROM answer_search_pending ORDER BY answer_id LIMIT {batch});
INSERT INTO answer_search (rowid, body)
    SELECT a.id, json_extract(a.value, '$') FROM answers a
    JOIN (SELECT answer_id FROM answer_search_pending ORDER BY answer_id LIMIT {batch}) p
        ON p.answer_id = a.id
    WHERE json_valid(a.value) AND json_type(a.value) = 'text';
