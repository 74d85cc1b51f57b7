-- The search index's pending list bounded to 256 kB (PostgreSQL's default is 4 MB).
-- A GIN index gathers new entries in a pending list that every search reads through
-- whole until vacuum (or autoanalyze) or an overflow folds it into the index: at 4 MB
-- that is about 4 ms of every search (analysis benchmark: the list left by the seeding,
-- 417 pages, made the index scan 4.2 ms instead of 0.35 ms). A smaller list is folded
-- in more often, by the write that overflows it, in smaller steps.
ALTER INDEX answers_search SET (gin_pending_list_limit = 256);
