DROP TABLE redactions;
DROP TABLE theme_dismissals;
DROP TABLE tags;
DROP TABLE themes;
