DROP FUNCTION concerto_round_open_held(bigint, timestamp);
