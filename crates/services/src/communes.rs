//! Communes: the caller's readable communes, one commune's page, and the province overview.

use crate::scope::{self, Intent};
use crate::{Caller, Error};
use cnscd_domain::rules::TeamRules;
use cnscd_domain::team::TeamStatus;
use cnscd_store::{
    Commune, CommuneSummary, Decision, ImportRecord, Page, PageRequest, ProvinceOverview, Store,
    Team, TeamFilter,
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

/// Which communes of the overview to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OverviewFilter {
    #[default]
    All,
    /// No team, a team without leader or decision, or understaffed.
    Blocking,
    NoTeam,
    NoLeader,
    NoDecision,
    Understaffed,
    NoPhone,
}

/// The order of the overview's communes: by name, or by a count, largest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OverviewSort {
    #[default]
    Name,
    Teams,
    Members,
    NoLeader,
    NoDecision,
    Understaffed,
    NoPhone,
}

impl OverviewFilter {
    pub const ALL: [OverviewFilter; 7] = [
        OverviewFilter::All,
        OverviewFilter::Blocking,
        OverviewFilter::NoTeam,
        OverviewFilter::NoLeader,
        OverviewFilter::NoDecision,
        OverviewFilter::Understaffed,
        OverviewFilter::NoPhone,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OverviewFilter::All => "all",
            OverviewFilter::Blocking => "blocking",
            OverviewFilter::NoTeam => "no_team",
            OverviewFilter::NoLeader => "no_leader",
            OverviewFilter::NoDecision => "no_decision",
            OverviewFilter::Understaffed => "understaffed",
            OverviewFilter::NoPhone => "no_phone",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OverviewFilter::All => "Tất cả xã/phường",
            OverviewFilter::Blocking => "Còn thiếu sót cần sửa",
            OverviewFilter::NoTeam => "Chưa có tổ",
            OverviewFilter::NoLeader => "Có tổ chưa có tổ trưởng",
            OverviewFilter::NoDecision => "Có tổ chưa có quyết định",
            OverviewFilter::Understaffed => "Có tổ thiếu người",
            OverviewFilter::NoPhone => "Có thành viên thiếu số điện thoại",
        }
    }

    pub fn from_code(code: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|f| f.code() == code)
            .unwrap_or_default()
    }

    pub fn keeps(self, c: &CommuneSummary) -> bool {
        match self {
            OverviewFilter::All => true,
            OverviewFilter::Blocking => c.has_blocking_problems(),
            OverviewFilter::NoTeam => c.teams == 0,
            OverviewFilter::NoLeader => c.teams_without_leader > 0,
            OverviewFilter::NoDecision => c.teams_without_decision > 0,
            OverviewFilter::Understaffed => c.teams_understaffed > 0,
            OverviewFilter::NoPhone => c.members_without_phone > 0,
        }
    }
}

impl OverviewSort {
    pub const ALL: [OverviewSort; 7] = [
        OverviewSort::Name,
        OverviewSort::Teams,
        OverviewSort::Members,
        OverviewSort::NoLeader,
        OverviewSort::NoDecision,
        OverviewSort::Understaffed,
        OverviewSort::NoPhone,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OverviewSort::Name => "name",
            OverviewSort::Teams => "teams",
            OverviewSort::Members => "members",
            OverviewSort::NoLeader => "no_leader",
            OverviewSort::NoDecision => "no_decision",
            OverviewSort::Understaffed => "understaffed",
            OverviewSort::NoPhone => "no_phone",
        }
    }

    pub fn from_code(code: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .unwrap_or_default()
    }

    fn count(self, c: &CommuneSummary) -> i64 {
        match self {
            OverviewSort::Name => 0,
            OverviewSort::Teams => c.teams,
            OverviewSort::Members => c.members,
            OverviewSort::NoLeader => c.teams_without_leader,
            OverviewSort::NoDecision => c.teams_without_decision,
            OverviewSort::Understaffed => c.teams_understaffed,
            OverviewSort::NoPhone => c.members_without_phone,
        }
    }

    /// Sorts communes (already in name order): by a count, largest first, names breaking ties.
    pub fn apply(self, communes: &mut [CommuneSummary]) {
        if self != OverviewSort::Name {
            communes.sort_by_key(|c| std::cmp::Reverse(self.count(c)));
        }
    }
}
