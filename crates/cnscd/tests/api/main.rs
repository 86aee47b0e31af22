//! Integration tests: the real HTTP application, the real CLI, a real database. SQLite by default; the same
//! suite runs on PostgreSQL when `CNSCD_TEST_DATABASE_URL` names a server (a fresh database per test).

mod access;
mod accounts;
mod audit;
mod browser;
mod cli;
mod concurrency;
mod dashboard;
mod decisions;
mod everyday;
mod forms;
mod helpers;
mod history;
mod hostile_files;
mod import_export;
mod input_limits;
mod legacy_fonts;
mod members;
mod onboarding;
mod openapi;
mod privacy;
mod public_browser;
mod public_finder;
mod reminders;
mod round_browser;
mod round_pages;
mod rounds;
mod safe_import;
mod scope;
mod search;
mod security;
mod stale_version;
mod teams;
mod training;
mod training_browser;
mod workbook;
