DROP TRIGGER answer_search_delete;
DROP TRIGGER answer_search_update;
DROP TRIGGER answer_search_insert;
DROP TABLE answer_search;
