-- A first version of an answer ($1 value, $2 author, $3 moment, $4 response, $5 question,
-- $6 round) if the response still takes it (the round open, the response a draft);
-- nothing if someone gave one first.
INSERT INTO answers (response_id, question_id, value, version, updated_by, updated_at)
SELECT $4, $5, $1, {first_version}, $2, $3 WHERE {still_open}
ON CONFLICT (response_id, question_id) DO NOTHING
RETURNING id, version
