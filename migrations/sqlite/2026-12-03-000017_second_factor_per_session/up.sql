-- The second factor belongs to a sign-in, not to an account: a session records whether it
-- presented it (signed in with a code, or the session that turned two-factor on), and the
-- powers two-factor guards (opening, closing, exporting, reading organisations' answers)
-- ask the session. Existing sessions have not shown it here: their holders sign in again
-- for those powers. A personal API token carries the strength of the session that made
-- it, and an expiry (old tokens get 90 days from now).
ALTER TABLE sessions ADD COLUMN second_factor BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE api_tokens ADD COLUMN second_factor BOOLEAN NOT NULL DEFAULT FALSE;
-- SQLite cannot add a NOT NULL column without a constant default: the store always
-- writes it, and old tokens get theirs here.
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
UPDATE api_tokens SET expires_at = strftime('%Y-%m-%d %H:%M:%f', 'now', '+90 days');
