DROP TABLE campaign_answers;
DROP TABLE campaigns;
DROP TABLE answer_fingerprints;
