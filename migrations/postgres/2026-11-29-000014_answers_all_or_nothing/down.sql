DROP FUNCTION concerto_all_written(bigint, integer);
