-- Nothing on SQLite, whose pages have no such setting: the PostgreSQL twin of this
-- migration leaves room on the answers' pages for updates in place. The version exists
-- here so that both backends keep identical migration names.
SELECT 1;
