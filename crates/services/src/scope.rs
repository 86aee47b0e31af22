//! What a caller may reach. Every use case loads records through these functions, which ask the account's
//! [`Access`](cnscd_domain::account::Access): a record outside the account's province or commune answers "not
//! found" (so ids cannot be probed), a change by a read-only account answers "forbidden".

use crate::{Caller, Error};
use cnscd_store::{Commune, Decision, Member, Round, Store, Team};

/// What the caller wants to do with a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Read,
    Change,
}

pub const READ_ONLY: &str = "Tài khoản của bạn chỉ có quyền xem, không được thay đổi dữ liệu.";

/// The one check: `what` is the record's name in the "not found" message.
pub fn check(
    caller: &Caller,
    province_code: &str,
    commune_code: &str,
    intent: Intent,
    what: &'static str,
) -> Result<(), Error> {
    let access = caller.access();
    if !access.can_read(province_code, commune_code) {
        return Err(Error::NotFound(what));
    }
    if intent == Intent::Change && !access.can_write(province_code, commune_code) {
        return Err(Error::Forbidden(READ_ONLY));
    }
    Ok(())
}

pub async fn commune(
    store: &Store,
    caller: &Caller,
    code: &str,
    intent: Intent,
) -> Result<Commune, Error> {
    let commune = store.commune(code).await?;
    check(
        caller,
        &commune.province_code,
        &commune.code,
        intent,
        "xã/phường",
    )?;
    Ok(commune)
}

pub async fn team(
    store: &Store,
    caller: &Caller,
    team_id: i64,
    intent: Intent,
) -> Result<Team, Error> {
    let team = store.team(team_id).await?;
    check(
        caller,
        &team.province_code,
        &team.commune_code,
        intent,
        "tổ",
    )?;
    Ok(team)
}

pub async fn member(
    store: &Store,
    caller: &Caller,
    member_id: i64,
    intent: Intent,
) -> Result<Member, Error> {
    let member = store.member(member_id).await?;
    check(
        caller,
        &member.province_code,
        &member.commune_code,
        intent,
        "thành viên",
    )?;
    Ok(member)
}

pub async fn decision(
    store: &Store,
    caller: &Caller,
    decision_id: i64,
    intent: Intent,
) -> Result<Decision, Error> {
    let decision = store.decision(decision_id).await?;
    commune(store, caller, &decision.commune_code, intent)
        .await
        .map_err(|error| match error {
            Error::NotFound(_) => Error::NotFound("quyết định"),
            other => other,
        })?;
    Ok(decision)
}

/// A reporting round of the caller's province; a commune officer reaches only the rounds her commune reports
/// in. Changing a round is for province admins.
pub async fn round(
    store: &Store,
    caller: &Caller,
    round_id: i64,
    intent: Intent,
) -> Result<Round, Error> {
    let round = store.round(round_id).await.map_err(|error| match error {
        cnscd_store::StoreError::NotFound(_) => Error::NotFound("đợt báo cáo"),
        other => other.into(),
    })?;
    let access = caller.access();
    let expected = match &access.commune_code {
        Some(code) => store.round_expects(round_id, code).await?,
        None => true,
    };
    if round.province_code != access.province_code || !expected {
        return Err(Error::NotFound("đợt báo cáo"));
    }
    if intent == Intent::Change {
        admin(caller)?;
    }
    Ok(round)
}

/// The commune a list is limited to: the one asked for if the caller may read it, and for a commune officer
/// always her own.
pub async fn list_commune(
    store: &Store,
    caller: &Caller,
    requested: Option<String>,
) -> Result<Option<String>, Error> {
    match requested.filter(|c| !c.trim().is_empty()) {
        Some(code) => Ok(Some(
            commune(store, caller, &code, Intent::Read).await?.code,
        )),
        None => Ok(caller.access().commune_code),
    }
}

/// Province-wide views (overview, whole-province export): admins and viewers.
pub fn whole_province(caller: &Caller) -> Result<(), Error> {
    if caller.access().whole_province() {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "Trang này dành cho tài khoản cấp tỉnh; tài khoản xã/phường xem trang của xã/phường mình.",
        ))
    }
}

/// Users, the audit log and the province's settings: province admins only.
pub fn admin(caller: &Caller) -> Result<(), Error> {
    if caller.access().is_admin() {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "Chỉ quản trị tỉnh (Sở KH&CN) được dùng chức năng này.",
        ))
    }
}

/// Imports and other writes not tied to one record: not for read-only accounts.
pub fn writer(caller: &Caller) -> Result<(), Error> {
    if caller.access().read_only() {
        Err(Error::Forbidden(READ_ONLY))
    } else {
        Ok(())
    }
}
