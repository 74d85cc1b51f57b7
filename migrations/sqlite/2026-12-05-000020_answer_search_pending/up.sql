-- FTS5 writes an index segment at every commit: kept by the triggers of migration 000019,
-- the index took two thirds of SQLite's autosave rate and its p99 past its target
-- (docs/benchmarks.md). The triggers now only note which answers changed (one row, or
-- nothing if already noted: not `INSERT OR IGNORE`, whose policy an upsert that fires the
-- trigger would override); `store::search::catch_up` folds the noted answers into the
-- index in one write transaction before each search and in the scheduled jobs, so a
-- search still sees every committed write.
CREATE TABLE answer_search_pending (answer_id INTEGER PRIMARY KEY NOT NULL);

DROP TRIGGER answer_search_insert;
DROP TRIGGER answer_search_update;
DROP TRIGGER answer_search_delete;

CREATE TRIGGER answer_search_insert AFTER INSERT ON answers
BEGIN
    INSERT INTO answer_search_pending (answer_id) SELECT new.id
        WHERE NOT EXISTS (SELECT 1 FROM answer_search_pending WHERE answer_id = new.id);
END;

CREATE TRIGGER answer_search_update AFTER UPDATE OF value ON answers
BEGIN
    INSERT INTO answer_search_pending (answer_id) SELECT new.id
        WHERE NOT EXISTS (SELECT 1 FROM answer_search_pending WHERE answer_id = new.id);
END;

CREATE TRIGGER answer_search_delete AFTER DELETE ON answers
BEGIN
    INSERT INTO answer_search_pending (answer_id) SELECT old.id
        WHERE NOT EXISTS (SELECT 1 FROM answer_search_pending WHERE answer_id = old.id);
END;
