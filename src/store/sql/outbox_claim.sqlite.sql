-- As outbox_claim.postgres.sql: SQLite has one writer at a time, the UPDATE itself is the
-- lock.
UPDATE outbox SET claimed_until = ?1, attempts = attempts + 1
WHERE id IN (
    SELECT id FROM outbox WHERE state = '{pending_state}' AND next_attempt_at <= ?2
        AND (claimed_until IS NULL OR claimed_until < ?2)
    ORDER BY id LIMIT ?3
)
RETURNING id, recipient, subject, body_text, body_html, attempts
