-- Nothing on SQLite: one process (the service) writes sessions and accounts, and its own
-- store tells its session cache (src/store/session_cache.rs). PostgreSQL's instances
-- learn of each other's changes through the triggers of this migration's twin. The
-- version exists here so that both backends keep identical migration names.
SELECT 1;
