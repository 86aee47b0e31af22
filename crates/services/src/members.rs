//! Members: list, read, add, edit, make leader, record leaving.

use crate::phones::{warnings, PhoneWarning};
use crate::scope::{self, Intent};
use crate::{date_or_today, Caller, Error};
use chrono::NaiveDate;
use cnscd_domain::member::MemberDraft;
use cnscd_domain::role::Role;
use cnscd_store::{AuditEntry, Member, MemberFilter, ObjectKind, Page, PageRequest, Store};

const HISTORY_SHOWN: i64 = 30;

/// A saved member and the warnings the save raised.
#[derive(Debug, Clone)]
pub struct MemberSaved {
    pub member: Member,
    pub warnings: Vec<PhoneWarning>,
}

/// Which members to list, as asked.
#[derive(Debug, Clone, Default)]
pub struct MemberQuery {
    pub commune: Option<String>,
    pub team: Option<i64>,
    pub role: Option<Role>,
    /// Members active on this day, as typed (`dd/mm/yyyy` or `yyyy-mm-dd`).
    pub active_on: Option<String>,
    pub include_left: bool,
}

pub async fn list(
    store: &Store,
    caller: &Caller,
    query: MemberQuery,
    page: PageRequest,
) -> Result<Page<Member>, Error> {
    if let Some(team) = query.team {
        scope::team(store, caller, team, Intent::Read).await?;
    }
    let active_on: Option<NaiveDate> = match query.active_on.as_deref() {
        Some(text) => Some(cnscd_domain::date::parse_date("active_on", text)?),
        None => None,
    };
    let filter = MemberFilter {
        province_code: Some(caller.province_code().to_string()),
        commune_code: scope::list_commune(store, caller, query.commune).await?,
        team_id: query.team,
        role: query.role,
        active_on,
        include_left: query.include_left,
    };
    Ok(store.members(&filter, page).await?)
}

pub async fn of_team(
    store: &Store,
    caller: &Caller,
    team_id: i64,
    include_left: bool,
) -> Result<Vec<Member>, Error> {
    scope::team(store, caller, team_id, Intent::Read).await?;
    Ok(store.team_members(team_id, include_left).await?)
}

pub async fn get(store: &Store, caller: &Caller, member_id: i64) -> Result<Member, Error> {
    scope::member(store, caller, member_id, Intent::Read).await
}

/// A member and the latest changes to it, for its edit page.
pub async fn detail(
    store: &Store,
    caller: &Caller,
    member_id: i64,
) -> Result<(Member, Vec<AuditEntry>), Error> {
    let member = scope::member(store, caller, member_id, Intent::Read).await?;
    let history = store
        .object_history(ObjectKind::Member, &member_id.to_string(), HISTORY_SHOWN)
        .await?;
    Ok((member, history))
}

pub async fn add(
    store: &Store,
    caller: &Caller,
    team_id: i64,
    draft: &MemberDraft,
) -> Result<MemberSaved, Error> {
    scope::team(store, caller, team_id, Intent::Change).await?;
    let member = draft.validate()?;
    let saved = store.add_member(team_id, &member, &caller.actor()).await?;
    Ok(MemberSaved {
        warnings: warnings(caller, &saved.shared_with),
        member: saved.member,
    })
}

pub async fn update(
    store: &Store,
    caller: &Caller,
    member_id: i64,
    version: i64,
    draft: &MemberDraft,
) -> Result<MemberSaved, Error> {
    scope::member(store, caller, member_id, Intent::Change).await?;
    let member = draft.validate()?;
    let saved = store
        .update_member(member_id, version, &member, &caller.actor())
        .await?;
    Ok(MemberSaved {
        warnings: warnings(caller, &saved.shared_with),
        member: saved.member,
    })
}

pub async fn make_leader(
    store: &Store,
    caller: &Caller,
    member_id: i64,
    version: i64,
) -> Result<Member, Error> {
    scope::member(store, caller, member_id, Intent::Change).await?;
    Ok(store
        .make_leader(member_id, version, &caller.actor())
        .await?)
}

/// Records that a member left on the day typed (today when empty).
pub async fn leave(
    store: &Store,
    caller: &Caller,
    member_id: i64,
    version: i64,
    on: Option<&str>,
) -> Result<Member, Error> {
    scope::member(store, caller, member_id, Intent::Change).await?;
    let on = date_or_today(store, "left_on", on)?;
    // Leaving is recorded when it has happened: a date to come would take her off every list today.
    if on > store.clock().today() {
        return Err(cnscd_domain::FieldError::new(
            "left_on",
            "date_in_future",
            format!(
                "Ngày rời tổ {} chưa đến: hãy ghi nhận vào ngày người này rời tổ.",
                cnscd_domain::date::format_date(on)
            ),
        )
        .into());
    }
    Ok(store
        .member_leaves(member_id, version, on, &caller.actor())
        .await?)
}
