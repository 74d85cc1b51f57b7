-- Nothing on SQLite, whose answer writes run inside a write transaction that undoes
-- them all: the PostgreSQL twin of this migration adds the check that lets one
-- statement write several answers all or nothing. The version exists here so that both
-- backends keep identical migration names.
SELECT 1;
