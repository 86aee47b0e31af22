//! Establishment and reorganisation decisions of a commune, each covering some of its teams.

use crate::scope::{self, Intent};
use crate::{Caller, Error};
use cnscd_domain::decision::DecisionDraft;
use cnscd_domain::team::TeamStatus;
use cnscd_domain::FieldError;
use cnscd_store::{Commune, Decision, PageRequest, Store, Team, TeamFilter};

/// A commune's active teams, for choosing those a decision covers (a commune has at most a few hundred).
const TEAMS_ON_FORM: i64 = 500;

pub async fn of_commune(
    store: &Store,
    caller: &Caller,
    commune_code: &str,
) -> Result<Vec<Decision>, Error> {
    scope::commune(store, caller, commune_code, Intent::Read).await?;
    Ok(store.commune_decisions(commune_code).await?)
}

pub async fn get(store: &Store, caller: &Caller, decision_id: i64) -> Result<Decision, Error> {
    scope::decision(store, caller, decision_id, Intent::Read).await
}

/// The commune and its active teams, for the decision form.
pub async fn form_teams(
    store: &Store,
    caller: &Caller,
    commune_code: &str,
) -> Result<(Commune, Vec<Team>), Error> {
    let commune = scope::commune(store, caller, commune_code, Intent::Read).await?;
    let filter = TeamFilter {
        province_code: None,
        commune_code: Some(commune.code.clone()),
        status: Some(TeamStatus::Active),
    };
    let teams = store
        .teams(&filter, PageRequest::new(Some(1), Some(TEAMS_ON_FORM)))
        .await?
        .items;
    Ok((commune, teams))
}

/// A decision establishes or reorganises at least one team.
fn check_covers_a_team(team_ids: &[i64]) -> Result<(), Error> {
    if team_ids.is_empty() {
        return Err(FieldError::new(
            "team_ids",
            "decision_no_team",
            "Hãy chọn ít nhất một tổ mà quyết định này thành lập hoặc kiện toàn.",
        )
        .into());
    }
    Ok(())
}

/// The decision already recorded in a commune under the number and date typed, if any.
pub async fn recorded(
    store: &Store,
    caller: &Caller,
    commune_code: &str,
    draft: &DecisionDraft,
) -> Result<Option<i64>, Error> {
    scope::commune(store, caller, commune_code, Intent::Read).await?;
    let Ok(decision) = draft.validate() else {
        return Ok(None);
    };
    Ok(store
        .commune_decisions(commune_code)
        .await?
        .into_iter()
        .find(|d| d.number == decision.number.as_str() && d.signed_on == decision.signed_on)
        .map(|d| d.id))
}

pub async fn create(
    store: &Store,
    caller: &Caller,
    commune_code: &str,
    draft: &DecisionDraft,
    team_ids: &[i64],
) -> Result<Decision, Error> {
    scope::commune(store, caller, commune_code, Intent::Change).await?;
    let decision = draft.validate()?;
    check_covers_a_team(team_ids)?;
    Ok(store
        .create_decision(commune_code, &decision, team_ids, &caller.actor())
        .await?)
}

pub async fn update(
    store: &Store,
    caller: &Caller,
    decision_id: i64,
    version: i64,
    draft: &DecisionDraft,
    team_ids: &[i64],
) -> Result<Decision, Error> {
    scope::decision(store, caller, decision_id, Intent::Change).await?;
    let decision = draft.validate()?;
    check_covers_a_team(team_ids)?;
    Ok(store
        .update_decision(decision_id, version, &decision, team_ids, &caller.actor())
        .await?)
}

/// Removes a decision recorded by mistake; returns its commune.
pub async fn delete(
    store: &Store,
    caller: &Caller,
    decision_id: i64,
    version: i64,
) -> Result<String, Error> {
    let decision = scope::decision(store, caller, decision_id, Intent::Change).await?;
    store
        .delete_decision(decision_id, version, &caller.actor())
        .await?;
    Ok(decision.commune_code)
}
