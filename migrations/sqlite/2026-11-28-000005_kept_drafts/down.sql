DROP TABLE kept_drafts;
