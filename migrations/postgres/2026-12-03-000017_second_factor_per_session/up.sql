-- The second factor belongs to a sign-in, not to an account: a session records whether it
-- presented it (signed in with a code, or the session that turned two-factor on), and the
-- powers two-factor guards (opening, closing, exporting, reading organisations' answers)
-- ask the session. Existing sessions have not shown it here: their holders sign in again
-- for those powers. A personal API token carries the strength of the session that made
-- it, and an expiry (old tokens get 90 days from now).
ALTER TABLE sessions ADD COLUMN second_factor BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE api_tokens ADD COLUMN second_factor BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP;
UPDATE api_tokens SET expires_at = (now() AT TIME ZONE 'UTC') + INTERVAL '90 days';
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;

-- The session cache must hear of it (migration 000009's list of columns, plus this one).
DROP TRIGGER sessions_announce_change ON sessions;
CREATE TRIGGER sessions_announce_change
    AFTER DELETE OR UPDATE OF id, user_id, key_hash, csrf_token, mfa_pending, expires_at,
        second_factor
    ON sessions
    FOR EACH ROW EXECUTE FUNCTION concerto_announce_auth_change();
