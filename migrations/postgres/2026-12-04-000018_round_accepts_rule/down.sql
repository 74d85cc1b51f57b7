CREATE OR REPLACE FUNCTION concerto_round_open_held(round bigint, at timestamp) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(round);
    RETURN EXISTS (
        SELECT 1 FROM rounds
        WHERE id = round AND status = 'open' AND closes_at > at
          AND (opens_at IS NULL OR opens_at <= at)
    );
END
$$;

DROP FUNCTION concerto_round_accepts(text, timestamp, timestamp, timestamp);
