-- Nothing on SQLite, whose foreign-key checks cost little: the PostgreSQL twin of this
-- migration replaces the answers' history's foreign keys by triggers that do what their
-- ON DELETE did. The version exists here so that both backends keep identical migration
-- names.
SELECT 1;
