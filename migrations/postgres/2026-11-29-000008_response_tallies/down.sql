ALTER TABLE responses DROP COLUMN required_answered;
ALTER TABLE responses DROP COLUMN answered;
