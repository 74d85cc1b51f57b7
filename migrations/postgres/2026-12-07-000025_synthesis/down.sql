DROP TABLE synthesis_publications;
DROP FUNCTION synthesis_publication_frozen();
DROP TABLE synthesis_revisions;
DROP TABLE synthesis_sections;
DROP TABLE syntheses;
