-- Up to $3 emails due at $2, leased until $1; other instances skip the rows held here.
UPDATE outbox SET claimed_until = $1, attempts = attempts + 1
WHERE id IN (
    SELECT id FROM outbox WHERE state = '{pending_state}' AND next_attempt_at <= $2
        AND (claimed_until IS NULL OR claimed_until < $2)
    ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED
)
RETURNING id, recipient, subject, body_text, body_html, attempts
