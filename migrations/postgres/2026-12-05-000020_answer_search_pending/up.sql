-- Nothing changes on PostgreSQL: its search index is a generated column, whose cost its
-- autosave targets bear (docs/benchmarks.md). The SQLite twin of this migration defers
-- FTS5's work to the moment of a search.
SELECT 1;
