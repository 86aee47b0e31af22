//! Persistence of the registry. One API over SQLite (the embedded default) and PostgreSQL (large
//! deployments), chosen from the database URL. Knows nothing of HTTP; every change goes through one write path
//! (`write.rs`) that checks versions, takes the locks the rules need and records the audit entry, and checks the
//! registry's rules inside that transaction by calling the domain's rule functions.

mod accounts;
mod audit;
mod connect;
mod counts;
mod decisions;
mod error;
mod json_rows;
mod letterheads;
mod library;
mod members;
mod overview;
mod page;
mod pending;
mod public;
mod roster;
mod rounds;
mod search;
pub mod secrets;
mod sessions;
mod settings;
mod sql;
mod stored;
mod teams;
mod tokens;
mod training;
mod units;
mod upgrades;
mod write;

pub mod bulk;

pub use accounts::{AccountChange, User};
pub use audit::{Action, Actor, AuditEntry, AuditFilter, FieldChange, ObjectKind};
use connect::Backend;
pub use connect::DEFAULT_DATABASE_URL;
pub use decisions::Decision;
pub use error::StoreError;
pub use library::{DocumentFilter, DocumentOwner, LibraryDocument, NewFile, StoredFile};
pub use members::{Member, MemberFilter, MemberSaved, PhoneHolder};
pub use overview::{CommuneSummary, ProvinceOverview};
pub use page::{Page, PageRequest};
pub use pending::PendingImport;
pub use public::{Consent, PublicContact, PublicTeam, StoredContact, VillageCoverage};
pub use roster::{
    CommuneImport, DecisionAdded, ImportCommune, ImportOptions, ImportRecord, ImportSummary,
    OversizedTeam,
};
pub use rounds::{
    BoardLine, CommuneFigures, DeadlineChange, FrozenRosters, Ranking, Report, ReportDraft,
    RosterSnapshot, Round, RoundFigures,
};
pub use search::{CommuneHit, MemberHit, SearchResults, TeamHit};
pub use sessions::{LoginOutcome, NewSession, SessionUser};
pub use teams::{Team, TeamFilter};
pub use tokens::ApiToken;
pub use training::{Registration, TrainingClass};
pub use units::{official_commune_name, Commune, Province};

use cnscd_domain::clock::Clock;
use sqlx::AnyPool;
use std::sync::Arc;
use tokio::sync::Mutex;

/// The registry's storage. Cheap to clone: every clone shares one connection pool.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite allows one writer at a time; queueing this process's writers here keeps them out of SQLite's
    /// busy loop (other processes wait there, see `write.rs`).
    sqlite_writer: Arc<Mutex<()>>,
    clock: Clock,
    /// Audited changes committed by this process: what a cache of derived figures checks it is still current.
    changes: Arc<std::sync::atomic::AtomicU64>,
}
