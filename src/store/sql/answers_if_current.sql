-- Several answers of response $4 ($1 questions, $2 values, $3 versions seen: 0 for a
-- first one), by $5 at $6 in round $7, each written if its version is still the one seen,
-- with their history rows (PostgreSQL). The caller's transaction undoes them unless all
-- were written.
WITH input AS (
    SELECT * FROM unnest($1::bigint[], $2::text[], $3::integer[]) AS i(question_id, value, expected)
), allowed AS (SELECT 1 WHERE {still_open}),
updated AS (
    UPDATE answers a SET value = i.value, version = {next_version}, updated_by = $5, updated_at = $6
    FROM input i WHERE EXISTS (SELECT 1 FROM allowed) AND a.response_id = $4
    AND a.question_id = i.question_id AND {version_is_current}
    RETURNING a.id, a.question_id, a.version, a.value
), inserted AS (
    INSERT INTO answers (response_id, question_id, value, version, updated_by, updated_at)
    SELECT $4, i.question_id, i.value, {first_version}, $5, $6 FROM input i
    WHERE EXISTS (SELECT 1 FROM allowed) AND {version_is_first}
    ON CONFLICT (response_id, question_id) DO NOTHING
    RETURNING id, question_id, version, value
), written AS (SELECT * FROM updated UNION ALL SELECT * FROM inserted),
history AS (
    INSERT INTO answer_history (answer_id, value, version, changed_by, changed_at)
    SELECT id, value, version, $5, $6 FROM written
)
SELECT question_id AS id, version FROM written
