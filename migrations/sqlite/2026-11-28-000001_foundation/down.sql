DROP TABLE platform_settings;
DROP TABLE questions;
DROP TABLE chapters;
DROP TABLE rounds;
DROP TABLE users;
