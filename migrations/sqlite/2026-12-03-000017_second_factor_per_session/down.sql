ALTER TABLE api_tokens DROP COLUMN expires_at;
ALTER TABLE api_tokens DROP COLUMN second_factor;
ALTER TABLE sessions DROP COLUMN second_factor;
