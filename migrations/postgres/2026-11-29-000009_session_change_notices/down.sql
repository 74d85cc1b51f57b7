DROP TRIGGER sessions_announce_change ON sessions;
DROP TRIGGER users_announce_change ON users;
DROP FUNCTION concerto_announce_auth_change();
