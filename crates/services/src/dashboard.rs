//! What the Department reads at a glance: coverage of the province by teams, members by role, the reporting
//! rounds side by side and the communes ranked in the latest; and the same for one commune, for its officer.

use crate::rounds::{comparison, of_commune, Comparison};
use crate::scope::{self, Intent};
use crate::{Caller, Error};
use cnscd_domain::role::Role;
use cnscd_domain::round::{on_time, Indicator};
use cnscd_store::{
    CommuneSummary, ProvinceOverview, Ranking, Report, Round, Store, VillageCoverage,
};

/// Communes shown at each end of a ranking.
const RANKED: usize = 5;
/// A commune's rounds shown on its dashboard.
const COMMUNE_ROUNDS: usize = 12;

pub struct Dashboard {
    pub overview: ProvinceOverview,
    pub members_by_role: Vec<(Role, i64)>,
    /// The latest rounds, oldest first, with their completeness and indicator totals.
    pub rounds: Comparison,
    /// Active teams with a leader or deputy named on the public pages.
    pub public_teams: i64,
    /// Active leaders and deputies marked present in a training class.
    pub leaders_trained: i64,
    /// Villages with a team, where communes recorded how many they have.
    pub villages: VillageCoverage,
    pub ranking: Option<RoundRanking>,
}

/// The communes of the latest round with counted reports, ranked by one of its indicators.
pub struct RoundRanking {
    pub round: Round,
    pub indicator: Indicator,
    pub ranking: Ranking,
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

/// The province's dashboard; the ranking by `indicator` (a code of the round's; its first when absent or
/// unknown).
pub async fn province(
    store: &Store,
    caller: &Caller,
    indicator: Option<&str>,
) -> Result<Dashboard, Error> {
    scope::whole_province(caller)?;
    let province = caller.province_code();
    let rounds = comparison(store, caller).await?;
    let mut ranking = None;
    for (round, completeness) in rounds.rounds.iter().rev() {
        if completeness.submitted == 0 {
            continue;
        }
        let Some(chosen) = indicator
            .and_then(|code| round.indicators.iter().find(|i| i.code == code))
            .or(round.indicators.first())
        else {
            break;
        };
        let figures = store.round_figures(round.id).await?;
        ranking = Some(RoundRanking {
            round: round.clone(),
            ranking: figures.ranking(&chosen.code, RANKED),
            indicator: chosen.clone(),
        });
        break;
    }
    Ok(Dashboard {
        overview: store.province_overview(province).await?,
        members_by_role: store.members_by_role(province, None).await?,
        public_teams: store.teams_with_public_contact(province, None).await?,
        leaders_trained: store.leaders_trained(province, None).await?,
        villages: store.village_coverage(province, None).await?,
        rounds,
        ranking,
    })
}

/// One commune at a glance: its numbers and problems, and its reports in the latest rounds.
pub struct CommuneDashboard {
    pub summary: CommuneSummary,
    pub members_by_role: Vec<(Role, i64)>,
    pub public_teams: i64,
    pub has_public_contact: bool,
    pub leaders_trained: i64,
    pub villages: VillageCoverage,
    /// Oldest first: the round, the commune's report, and whether its first submission was on time.
    pub reports: Vec<(Round, Report, Option<bool>)>,
    /// Each indicator asked, with the commune's submitted figure in each of those rounds.
    pub indicators: Vec<(Indicator, Vec<Option<i64>>)>,
}

pub async fn commune(
    store: &Store,
    caller: &Caller,
    code: &str,
) -> Result<CommuneDashboard, Error> {
    let commune = scope::commune(store, caller, code, Intent::Read).await?;
    let mut reports: Vec<(Round, Report, Option<bool>)> = of_commune(store, caller, code)
        .await?
        .into_iter()
        .take(COMMUNE_ROUNDS)
        .map(|(round, report)| {
            let timing = report
                .first_submitted_at
                .map(|at| on_time(at, round.deadline));
            (round, report, timing)
        })
        .collect();
    reports.reverse();
    let mut indicators: Vec<(Indicator, Vec<Option<i64>>)> = Vec::new();
    for (column, (round, report, _)) in reports.iter().enumerate() {
        let figures = report.state.counted().then_some(&report.figures);
        for indicator in &round.indicators {
            let at = match indicators
                .iter()
                .position(|(i, _)| i.code == indicator.code)
            {
                Some(at) => at,
                None => {
                    indicators.push((indicator.clone(), Vec::new()));
                    indicators.len() - 1
                }
            };
            let values = &mut indicators[at].1;
            values.resize(column, None);
            values.push(figures.and_then(|f| f.get(&indicator.code).copied()));
        }
    }
    for (_, values) in &mut indicators {
        values.resize(reports.len(), None);
    }
    Ok(CommuneDashboard {
        summary: store.commune_summary(&commune.code).await?,
        members_by_role: store
            .members_by_role(&commune.province_code, Some(&commune.code))
            .await?,
        public_teams: store
            .teams_with_public_contact(&commune.province_code, Some(&commune.code))
            .await?,
        has_public_contact: store.commune_contact(&commune.code).await?.is_some(),
        leaders_trained: store
            .leaders_trained(&commune.province_code, Some(&commune.code))
            .await?,
        villages: store
            .village_coverage(&commune.province_code, Some(&commune.code))
            .await?,
        reports,
        indicators,
    })
}
