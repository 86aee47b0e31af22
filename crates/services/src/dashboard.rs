//! What the Department reads at a glance: coverage of the province by teams, members by role, and the
//! reporting rounds side by side. Province accounts only.

use crate::rounds::{comparison, Comparison};
use crate::scope;
use crate::{Caller, Error};
use cnscd_domain::role::Role;
use cnscd_store::{ProvinceOverview, Store};

pub struct Dashboard {
    pub overview: ProvinceOverview,
    pub members_by_role: Vec<(Role, i64)>,
    /// The latest rounds, oldest first, with their completeness and indicator totals.
    pub rounds: Comparison,
}

impl Dashboard {
    /// Communes with at least one active team.
    pub fn communes_covered(&self) -> i64 {
        self.overview.communes.len() as i64 - self.overview.communes_without_team
    }

    /// Communes whose teams have a problem that blocks (no leader, no decision, understaffed).
    pub fn communes_with_blocking_problems(&self) -> i64 {
        self.overview
            .communes
            .iter()
            .filter(|c| c.has_blocking_problems())
            .count() as i64
    }
}

pub async fn province(store: &Store, caller: &Caller) -> Result<Dashboard, Error> {
    scope::whole_province(caller)?;
    Ok(Dashboard {
        overview: store.province_overview(caller.province_code()).await?,
        members_by_role: store.members_by_role(caller.province_code()).await?,
        rounds: comparison(store, caller).await?,
    })
}
