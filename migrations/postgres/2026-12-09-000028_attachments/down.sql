DROP TABLE attachments;
DROP TABLE stored_files;
ALTER TABLE rounds DROP COLUMN attachment_response_limit;
ALTER TABLE rounds DROP COLUMN attachment_file_limit;
ALTER TABLE rounds DROP COLUMN attachments_area;
