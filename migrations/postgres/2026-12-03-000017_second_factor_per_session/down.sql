DROP TRIGGER sessions_announce_change ON sessions;
CREATE TRIGGER sessions_announce_change
    AFTER DELETE OR UPDATE OF id, user_id, key_hash, csrf_token, mfa_pending, expires_at
    ON sessions
    FOR EACH ROW EXECUTE FUNCTION concerto_announce_auth_change();
ALTER TABLE api_tokens DROP COLUMN expires_at;
ALTER TABLE api_tokens DROP COLUMN second_factor;
ALTER TABLE sessions DROP COLUMN second_factor;
