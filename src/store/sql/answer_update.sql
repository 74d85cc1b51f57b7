-- A new version of an answer, if $7 is still its current version and the response still
-- takes it. Parameters as in answer_insert.sql.
UPDATE answers SET value = $1, version = {next_version}, updated_by = $2, updated_at = $3
WHERE response_id = $4 AND question_id = $5 AND {version_is_current} AND {still_open}
RETURNING id, version
