-- The autosave's one statement (PostgreSQL): answers given anew to the draft response of
-- organisation $4 by its member $5 at $6 in round $7, each if its version is still the one
-- seen, with their history rows. The round's lock is taken while
-- the response is found, before its row is held, in the order of the other writes.
WITH target AS (
    SELECT r.id, r.updated_at FROM responses r
    JOIN organisations o ON o.id = r.organisation_id
    JOIN memberships m ON m.organisation_id = r.organisation_id AND m.user_id = $5
    WHERE {may_write} AND r.round_id = $7 AND r.organisation_id = $4
        AND r.status = '{draft_status}' AND concerto_round_open_held($7, $6)
    FOR SHARE OF r
), {input}written AS (
    UPDATE answers a SET value = i.value, version = {next_version},
        updated_by = $5, updated_at = $6
    FROM input i WHERE a.response_id = (SELECT id FROM target)
        AND {update} AND a.value IS NOT NULL
    RETURNING a.id, a.question_id, a.version, a.value
), history AS (
    INSERT INTO answer_history (answer_id, value, version, changed_by, changed_at)
    SELECT id, value, version, $5, $6 FROM written
)
SELECT w.question_id, w.version, t.id AS response_id, t.updated_at AS touched_at
FROM written w, target t{check}
