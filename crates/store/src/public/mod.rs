//! The public team finder's data: members' consents, communes' public contacts, and what a citizen may read
//! without signing in (`finder.rs`: active teams, their leader and deputies who consented, the decision's number
//! and date; nothing else personal).

mod consent;
mod contact;
mod finder;
mod villages;

pub use consent::Consent;
pub use contact::StoredContact;
pub use finder::{PublicContact, PublicTeam};
pub use villages::VillageCoverage;
