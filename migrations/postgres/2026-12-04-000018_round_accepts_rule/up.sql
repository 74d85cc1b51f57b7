-- Whether a round accepts answers at `at`, from its stored fields. The one definition is
-- Rust's (`domain::rounds::accepts_answers`): SQLite calls it, registered on each
-- connection (`store::write_rules`); PostgreSQL calls this copy, which the suite holds
-- equal to it on every combination of status, opening, deadline and moment
-- (tests/api/write_rules.rs). A plain SQL function: the planner inlines it.
CREATE FUNCTION concerto_round_accepts(status text, opens_at timestamp, closes_at timestamp, at timestamp)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT status = 'open' AND closes_at > at AND (opens_at IS NULL OR opens_at <= at)
$$;

-- The round's shared lock, then the rule above on the round read afresh (see 000007).
CREATE OR REPLACE FUNCTION concerto_round_open_held(round bigint, at timestamp) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(round);
    RETURN EXISTS (
        SELECT 1 FROM rounds r
        WHERE r.id = round AND concerto_round_accepts(r.status, r.opens_at, r.closes_at, at)
    );
END
$$;
