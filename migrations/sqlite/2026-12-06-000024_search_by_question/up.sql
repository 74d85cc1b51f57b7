-- PostgreSQL keys its search index by question in this version. SQLite's FTS5 index
-- cannot hold the question (it is filtered after the match): nothing to change, the
-- version kept equal on both backends.
SELECT 1;
