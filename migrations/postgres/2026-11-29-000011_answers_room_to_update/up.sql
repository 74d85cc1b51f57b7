-- Answers are rewritten all the time (every autosave), never on an indexed column. With
-- room left on each page, PostgreSQL writes the new version beside the old one and
-- touches none of the table's three indexes (a "HOT" update); on full pages every
-- update inserted three index entries and a page elsewhere. Pages written from now on
-- keep a fifth free; older pages gain room as their rows move.
ALTER TABLE answers SET (fillfactor = 80);
