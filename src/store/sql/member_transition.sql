-- A submission or a reopening in one statement (PostgreSQL): the response of organisation
-- $2 in round $1, changed from one state to the other by its member $3 at $4 while the
-- round is open, with its audit event ($5 moment, $6 action, $7 target, $8 address,
-- $9 details); the response as it now is, the organisation's name and its members.
WITH target AS (
    SELECT r.id FROM responses r
    JOIN organisations o ON o.id = r.organisation_id
    JOIN memberships m ON m.organisation_id = r.organisation_id AND m.user_id = $3
    WHERE {may_write} AND r.round_id = $1 AND r.organisation_id = $2 AND r.status = '{from}'
        AND concerto_round_open_held($1, $4)
), changed AS (
    UPDATE responses SET {change}
    WHERE id = (SELECT id FROM target) AND status = '{from}'
    RETURNING *
), audit AS (
    INSERT INTO audit_events (occurred_at, actor_user_id, action, target, ip, details)
    SELECT $5, $3, $6, $7, $8, $9 FROM changed
)
SELECT c.*, o.name AS organisation_name, u.email AS member_email,
    u.display_name AS member_name, u.language AS member_language
FROM changed c JOIN organisations o ON o.id = c.organisation_id
LEFT JOIN (memberships mm JOIN users u ON u.id = mm.user_id AND u.suspended_at IS NULL)
    ON mm.organisation_id = c.organisation_id
