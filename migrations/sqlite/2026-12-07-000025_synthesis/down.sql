DROP TABLE synthesis_publications;
DROP TABLE synthesis_revisions;
DROP TABLE synthesis_sections;
DROP TABLE syntheses;
