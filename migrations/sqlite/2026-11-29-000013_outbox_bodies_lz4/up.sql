-- Nothing on SQLite, which does not compress values: the PostgreSQL twin of this
-- migration compresses the emails' bodies with lz4. The version exists here so that both
-- backends keep identical migration names.
SELECT 1;
