-- Nothing on SQLite, where one process writes and the store's own notes keep the round
-- cache honest: the PostgreSQL twin announces round changes to other instances. The
-- version exists here so that both backends keep identical migration names.
SELECT 1;
