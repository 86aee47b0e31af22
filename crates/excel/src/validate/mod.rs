//! From template rows to a validated roster, in two passes: `rows.rs` reads every row through the registry's
//! own rules and gathers teams and members (what one row can tell), `teams.rs` then checks each whole team
//! (one leader, the province's size limit). Every problem is located by sheet, row and column.

pub(crate) mod communes;
mod context;
mod rows;
mod teams;

use crate::header::Header;
use crate::problem::Problems;
use crate::rows::Row;
use cnscd_domain::roster::{Roster, RosterProvince};
use cnscd_domain::rules::TeamRules;

/// A commune of the working province, as the importer matches names against it.
#[derive(Debug, Clone)]
pub struct CommuneRef {
    pub code: String,
    pub name: String,
}

/// The rows of one sheet, with its header.
pub struct SheetRows {
    pub sheet: String,
    pub header: Header,
    pub rows: Vec<Row>,
}

/// Validates every row of every sheet, then every team, and gathers the roster. Problems come back sorted
/// by place.
pub fn build_roster(
    sheets: &[SheetRows],
    province: RosterProvince,
    communes: &[CommuneRef],
    rules: TeamRules,
) -> (Roster, Problems) {
    let (gathered, mut problems) = rows::gather(sheets, &province, communes);
    problems.extend(teams::check(&gathered.teams, rules));
    problems.sort();
    (gathered.into_roster(province, communes), problems)
}
