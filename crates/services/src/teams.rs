//! Teams: list, read, create with the leader, rename, move, dissolve.

use crate::phones::{warnings, PhoneWarning};
use crate::scope::{self, Intent};
use crate::{date_or_today, Caller, Error};
use cnscd_domain::member::MemberDraft;
use cnscd_domain::team::{validate_new_team, TeamDraft, TeamStatus};
use cnscd_store::{AuditEntry, Decision, Member, Page, PageRequest, Store, Team, TeamFilter};

/// How many of a team's latest changes its page shows.
const HISTORY_SHOWN: i64 = 30;

/// Teams of the caller's province (an officer's commune), by commune then name in Vietnamese order.
pub async fn list(
    store: &Store,
    caller: &Caller,
    commune: Option<String>,
    status: Option<TeamStatus>,
    page: PageRequest,
) -> Result<Page<Team>, Error> {
    let filter = TeamFilter {
        province_code: Some(caller.province_code().to_string()),
        commune_code: scope::list_commune(store, caller, commune).await?,
        status,
    };
    Ok(store.teams(&filter, page).await?)
}

pub async fn get(store: &Store, caller: &Caller, team_id: i64) -> Result<Team, Error> {
    scope::team(store, caller, team_id, Intent::Read).await
}

/// A new active team with its leader, and the warnings its leader's phone raised.
pub async fn create(
    store: &Store,
    caller: &Caller,
    commune_code: &str,
    team: &TeamDraft,
    leader: &MemberDraft,
) -> Result<(Team, Vec<PhoneWarning>), Error> {
    scope::commune(store, caller, commune_code, Intent::Change).await?;
    let (team, leader) = validate_new_team(team, leader)?;
    let (team, holders) = store
        .create_team(commune_code, &team, &leader, &caller.actor())
        .await?;
    Ok((team, warnings(caller, &holders)))
}

pub async fn update(
    store: &Store,
    caller: &Caller,
    team_id: i64,
    version: i64,
    draft: &TeamDraft,
) -> Result<Team, Error> {
    scope::team(store, caller, team_id, Intent::Change).await?;
    let team = draft.validate()?;
    Ok(store
        .update_team(team_id, version, &team, &caller.actor())
        .await?)
}

/// Moves a team to another commune of the province: both must be the caller's to change.
pub async fn move_to(
    store: &Store,
    caller: &Caller,
    team_id: i64,
    version: i64,
    commune_code: &str,
) -> Result<Team, Error> {
    scope::team(store, caller, team_id, Intent::Change).await?;
    scope::commune(store, caller, commune_code, Intent::Change).await?;
    Ok(store
        .move_team(team_id, version, commune_code, &caller.actor())
        .await?)
}

/// Dissolves a team on the day typed (today when empty).
pub async fn dissolve(
    store: &Store,
    caller: &Caller,
    team_id: i64,
    version: i64,
    on: Option<&str>,
) -> Result<Team, Error> {
    scope::team(store, caller, team_id, Intent::Change).await?;
    let on = date_or_today(store, "dissolved_on", on)?;
    Ok(store
        .dissolve_team(team_id, version, on, &caller.actor())
        .await?)
}

/// Everything a team's page shows.
pub struct TeamDetail {
    pub team: Team,
    /// Active members: the leader, then deputies, then members, each in Vietnamese name order.
    pub members: Vec<Member>,
    pub former: Vec<Member>,
    /// For each active member whose phone another active member also holds: the warning.
    pub shared_phones: Vec<(i64, PhoneWarning)>,
    pub decisions: Vec<Decision>,
    /// The latest changes (or those before `history_before`), `HISTORY_SHOWN` at most.
    pub history: Vec<AuditEntry>,
    /// Where the older changes go on, when there are more.
    pub older_history: Option<i64>,
}

pub async fn detail(
    store: &Store,
    caller: &Caller,
    team_id: i64,
    history_before: Option<i64>,
) -> Result<TeamDetail, Error> {
    let team = scope::team(store, caller, team_id, Intent::Read).await?;
    let all = store.team_members(team_id, true).await?;
    let (mut members, former): (Vec<Member>, Vec<Member>) =
        all.into_iter().partition(Member::is_active);
    members.sort_by_key(|m| m.role);
    let mut shared_phones: Vec<(i64, PhoneWarning)> = store
        .shared_phones_in_team(team_id)
        .await?
        .into_iter()
        .flat_map(|(member_id, holder)| {
            warnings(caller, &[holder])
                .into_iter()
                .map(move |w| (member_id, w))
        })
        .collect();
    // Several holders out of the caller's reach make one warning, not one each.
    shared_phones.dedup();
    let mut history = store
        .team_history(
            team_id,
            &team.commune_code,
            history_before,
            HISTORY_SHOWN + 1,
        )
        .await?;
    let more = history.len() as i64 > HISTORY_SHOWN;
    history.truncate(HISTORY_SHOWN as usize);
    Ok(TeamDetail {
        older_history: history.last().filter(|_| more).map(|entry| entry.id),
        history,
        decisions: store.team_decisions(team_id).await?,
        team,
        members,
        former,
        shared_phones,
    })
}
