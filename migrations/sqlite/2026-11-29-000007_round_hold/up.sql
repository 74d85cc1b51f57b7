-- Nothing on SQLite (its writers take turns): PostgreSQL's migration of the same name
-- adds the function its answer writes call. Kept so that both backends share versions.
SELECT 1;
