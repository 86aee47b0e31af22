//! The use cases of cnscd: one function per action, called by every entry point (pages, API, CLI) so that
//! each action checks scope, validates and writes the same way whatever asked for it. Handlers only read the
//! request and render the answer.
//!
//! Each function takes the [`Store`](cnscd_store::Store) and the [`Caller`]: who asks, from where, and through
//! [`scope`] what they may reach.

pub mod accounts;
pub mod audit;
pub mod communes;
pub mod dashboard;
pub mod decisions;
pub mod documents;
mod error;
pub mod export;
pub mod import;
pub mod library;
pub mod mail;
pub mod members;
pub mod national_export;
pub mod onboarding;
pub mod phones;
pub mod public;
pub mod rounds;
pub mod scope;
pub mod search;
pub mod settings;
pub mod teams;
pub mod training;

pub use error::Error;

use cnscd_domain::account::Access;
use cnscd_store::{Actor, User};

/// Who is asking: a signed-in account and the address it calls from (the audit log records both).
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub address: String,
}

impl Caller {
    pub fn access(&self) -> Access {
        self.user.access()
    }

    pub fn actor(&self) -> Actor {
        self.user.actor(&self.address)
    }

    pub fn province_code(&self) -> &str {
        &self.user.province_code
    }
}

/// A date typed by a person, or today (Vietnam time) when nothing was typed.
pub fn date_or_today(
    store: &cnscd_store::Store,
    field: &str,
    typed: Option<&str>,
) -> Result<chrono::NaiveDate, Error> {
    match typed.map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => Ok(cnscd_domain::date::parse_date(field, text)?),
        None => Ok(store.clock().today()),
    }
}
