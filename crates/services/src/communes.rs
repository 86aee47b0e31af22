//! Communes: the caller's readable communes, one commune's page, and the province overview.

use crate::scope::{self, Intent};
use crate::{Caller, Error};
use cnscd_domain::rules::TeamRules;
use cnscd_domain::team::TeamStatus;
use cnscd_store::{
    Commune, Decision, ImportRecord, Page, PageRequest, ProvinceOverview, Store, Team, TeamFilter,
};

/// The communes the caller may read (the province, or an officer's one commune), in Vietnamese order.
pub async fn readable(store: &Store, caller: &Caller) -> Result<Vec<Commune>, Error> {
    let access = caller.access();
    Ok(store
        .communes(&access.province_code)
        .await?
        .into_iter()
        .filter(|c| access.can_read(&c.province_code, &c.code))
        .collect())
}

pub async fn get(store: &Store, caller: &Caller, code: &str) -> Result<Commune, Error> {
    scope::commune(store, caller, code, Intent::Read).await
}

/// What a commune's page shows: one page of its active (or dissolved) teams and its decisions.
pub struct CommuneDetail {
    pub commune: Commune,
    pub teams: Page<Team>,
    pub decisions: Vec<Decision>,
    pub rules: TeamRules,
    /// The latest imports that changed the commune.
    pub imports: Vec<ImportRecord>,
}

/// How many of a commune's latest imports its page lists.
const IMPORTS_SHOWN: i64 = 5;

pub async fn detail(
    store: &Store,
    caller: &Caller,
    code: &str,
    status: TeamStatus,
    page: PageRequest,
) -> Result<CommuneDetail, Error> {
    let commune = scope::commune(store, caller, code, Intent::Read).await?;
    let filter = TeamFilter {
        province_code: None,
        commune_code: Some(commune.code.clone()),
        status: Some(status),
    };
    Ok(CommuneDetail {
        teams: store.teams(&filter, page).await?,
        decisions: store.commune_decisions(&commune.code).await?,
        rules: store.team_rules(&commune.province_code).await?,
        imports: store.commune_imports(&commune.code, IMPORTS_SHOWN).await?,
        commune,
    })
}

/// Every commune of the caller's province with its numbers and what is missing: province accounts only.
pub async fn overview(store: &Store, caller: &Caller) -> Result<ProvinceOverview, Error> {
    scope::whole_province(caller)?;
    Ok(store.province_overview(caller.province_code()).await?)
}
