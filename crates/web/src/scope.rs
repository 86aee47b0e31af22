//! What a request may reach: records of the installation's working province only. Every page and API
//! handler loads records through these functions, so a record of another province answers "not found".

use crate::error::Error;
use crate::state::AppState;
use cnscd_store::{Commune, Decision, Member, Team};

pub async fn commune(state: &AppState, code: &str) -> Result<Commune, Error> {
    let commune = state.store.commune(code).await?;
    if commune.province_code != state.province.code {
        return Err(Error::NotFound("xã/phường"));
    }
    Ok(commune)
}

pub async fn team(state: &AppState, team_id: i64) -> Result<Team, Error> {
    let team = state.store.team(team_id).await?;
    if team.province_code != state.province.code {
        return Err(Error::NotFound("tổ"));
    }
    Ok(team)
}

pub async fn member(state: &AppState, member_id: i64) -> Result<Member, Error> {
    let member = state.store.member(member_id).await?;
    if member.province_code != state.province.code {
        return Err(Error::NotFound("thành viên"));
    }
    Ok(member)
}

pub async fn decision(state: &AppState, decision_id: i64) -> Result<Decision, Error> {
    let decision = state.store.decision(decision_id).await?;
    commune(state, &decision.commune_code)
        .await
        .map_err(|_| Error::NotFound("quyết định"))?;
    Ok(decision)
}
