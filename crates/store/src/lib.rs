//! Persistence of the registry. One API over SQLite (the embedded default) and PostgreSQL (large
//! deployments), chosen from the database URL. Knows nothing of HTTP; checks the registry's rules inside the
//! transaction that writes, by calling the domain's rule functions.

mod accounts;
mod audit;
mod connect;
mod counts;
mod decisions;
mod error;
mod members;
mod overview;
mod page;
mod pending;
mod roster;
mod search;
pub mod secrets;
mod sessions;
mod settings;
mod sql;
mod teams;
mod units;

pub mod bulk;

pub use accounts::{AccountChange, User};
pub use audit::{Actor, AuditEntry, AuditFilter, FieldChange, ObjectKind};
use connect::Backend;
pub use connect::DEFAULT_DATABASE_URL;
pub use decisions::Decision;
pub use error::StoreError;
pub use members::{Member, MemberFilter, MemberSaved, PhoneElsewhere};
pub use overview::{CommuneSummary, ProvinceOverview};
pub use page::{Page, PageRequest};
pub use pending::PendingImport;
pub use roster::{ImportSummary, SharedPhone};
pub use search::{CommuneHit, MemberHit, SearchResults, TeamHit};
pub use sessions::{ApiToken, LoginOutcome, NewSession, SessionUser};
pub use teams::{Team, TeamFilter};
pub use units::{Commune, Province};

use sqlx::AnyPool;
use std::sync::Arc;
use tokio::sync::Mutex;

/// The registry's storage. Cheap to clone: every clone shares one connection pool.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite allows one writer at a time; queueing writers here avoids "database is locked" failures.
    sqlite_writer: Arc<Mutex<()>>,
}
