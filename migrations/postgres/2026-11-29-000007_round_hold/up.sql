-- Whether a round accepts answers at `at`, asked by an answer write from inside its own
-- statement: first the round's shared advisory lock (a change of the round's state takes
-- it alone, see store::rounds::hold_shared), then the round read afresh. A VOLATILE
-- function takes a new snapshot for each query it runs, so the reading comes after the
-- lock even within one statement: a single answer needs no transaction of its own to be
-- wholly before or after a close.
CREATE FUNCTION concerto_round_open_held(round bigint, at timestamp) RETURNS boolean
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
