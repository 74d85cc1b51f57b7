//! One integration-test binary: every test runs against the real application, most of
//! them twice (SQLite and PostgreSQL).

mod helpers;
mod mailbox;
mod my_data;

mod accounts;
mod analysis;
mod attacks;
mod authorisation;
mod authorisation_responses;
mod authorisation_rounds;
mod backup;
mod browser;
mod browser_answers;
mod browser_journey;
mod builder;
mod cli;
mod cluster;
mod credentials;
mod db_copy;
mod errors;
mod exports;
mod faults;
mod fixtures;
mod fuzz;
mod health;
mod invitations;
mod load_smoke;
mod metrics;
mod migrations;
mod openapi;
mod organisations;
mod outbox;
mod responses;
mod retention;
mod round_admin;
mod rounds;
mod search;
mod security;
mod session_cache;
mod synthesis;
mod synthesis_print;
mod synthesis_relay;
mod theme;
mod two_factor;
mod write_rules;
