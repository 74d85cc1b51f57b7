//! Concerto: public consultations answered by organisations.

pub mod allocator;
pub mod api;
pub mod auth;
pub mod background;
#[cfg(test)]
mod boundaries;
pub mod cli;
pub mod clock;
pub mod config;
pub mod domain;
pub mod error;
pub mod extraction;
pub mod files;
pub mod hex;
pub mod i18n;
pub mod mail;
pub mod metrics;
pub mod seed;
pub mod services;
pub mod startup;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod web;
