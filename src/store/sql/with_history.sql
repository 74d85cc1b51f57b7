-- An answer's write (answer_insert.sql or answer_update.sql) and its history row, in one
-- statement (PostgreSQL).
WITH written AS ({change})
INSERT INTO answer_history (answer_id, value, version, changed_by, changed_at)
SELECT id, $1, version, $2, $3 FROM written
RETURNING answer_id AS id, version
