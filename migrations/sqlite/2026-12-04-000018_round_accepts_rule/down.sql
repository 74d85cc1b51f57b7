-- Nothing to store: SQLite's `concerto_round_accepts` is the Rust rule itself, registered
-- on each connection (`store::write_rules`). This version exists so that both backends
-- carry the same migrations.
SELECT 1;
