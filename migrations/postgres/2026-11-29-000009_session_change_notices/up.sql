-- Each instance keeps signed-in sessions in memory (src/store/session_cache.rs). Any
-- change that ends a session or alters an account, whoever makes it (another instance,
-- an operator's SQL), is announced on the channel `concerto_auth`, which every instance
-- listens to: `s<id>` for a session, `u<id>` for an account. The renewal of a session's
-- idle timer (last_seen_at) is not a change the cache cares about, and is the one write
-- made often: it announces nothing.
CREATE FUNCTION concerto_announce_auth_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(
        'concerto_auth',
        CASE TG_TABLE_NAME WHEN 'sessions' THEN 's' ELSE 'u' END || OLD.id::text
    );
    RETURN NULL;
END
$$;

CREATE TRIGGER users_announce_change
    AFTER UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION concerto_announce_auth_change();

CREATE TRIGGER sessions_announce_change
    AFTER DELETE OR UPDATE OF id, user_id, key_hash, csrf_token, mfa_pending, expires_at
    ON sessions
    FOR EACH ROW EXECUTE FUNCTION concerto_announce_auth_change();
