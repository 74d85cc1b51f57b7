//! Use cases shared by the pages, the API and the command line: they apply the domain's
//! rules around units of database work, and know nothing of HTTP.

pub mod accounts;
pub mod admin;
pub mod authority;
pub mod duplicates;
pub mod exports;
pub mod home;
pub mod kept_drafts;
pub mod my_account;
pub mod my_data;
pub mod organisations;
pub mod redactions;
pub mod responses;
pub mod results;
pub mod retention;
pub mod round_admin;
pub mod round_work;
pub mod rounds;
pub mod schedule;
pub mod search;
pub mod synthesis;
pub mod themes;
pub mod two_factor;
