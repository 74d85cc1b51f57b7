-- Emails' bodies compressed with lz4 rather than pglz, PostgreSQL's default. A receipt
-- carries the whole response, in text and in HTML (about 12 kB each): compressing them
-- was the first of PostgreSQL's own functions in the whole-response benchmark (pglz_compress,
-- 2 % of the machine), and an insert of such a pair runs 40 % faster with lz4 (pgbench).
-- Only where this PostgreSQL was built with lz4 (Debian's is); elsewhere nothing changes.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings
               WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE outbox
            ALTER COLUMN body_text SET COMPRESSION lz4,
            ALTER COLUMN body_html SET COMPRESSION lz4;
    END IF;
END
$$;
