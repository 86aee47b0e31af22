//! Importing a roster: each commune of the file is planned against its registry (the domain's
//! [`plan_commune`]) and the plan written, all communes in one transaction. Every record changed gets its own
//! audit entry (so it shows in the team's and member's history), the commune one for the whole import, and
//! the import keeps what restores the registry as it was (`undo.rs`). A dry run (the browser's preview) only
//! plans: its numbers are the plan's, which applying writes as it stands, so they are exact without writing
//! and rolling back tens of thousands of rows. Applying locks each commune's registry before reading it
//! (`Write::lock_commune_registry`), so that a hand edit saved meanwhile waits rather than being overwritten.

use super::records::{self, Restore};
use crate::audit::{Action, Actor, Change, ObjectKind, Place};
use crate::connect::Backend;
use crate::counts::refresh_commune;
use crate::json_rows::{gather_rows, insert_rows, parse_rows, select_values, to_json, Column};
use crate::members::{holders_of, insert_member_rows, MemberRow};
use crate::search::{reindex, unindex_all, Kind, PendingTerms};
use crate::settings::team_rules_in;
use crate::sql::date_text;
use crate::stored::{date_from_text, optional_date, parse_text};
use crate::teams::{insert_team_rows, province_of_commune, TeamRow};
use crate::write::Write;
use crate::{PhoneHolder, Store, StoreError};
use chrono::NaiveDate;
use cnscd_domain::decision::{DecisionKind, ValidDecision};
use cnscd_domain::import_plan::{
    plan_commune, CommunePlan, CurrentMember, CurrentTeam, ImportMode, MemberStep, RemovalConsent,
    TeamTarget,
};
use cnscd_domain::person_name::person_sort_key;
use cnscd_domain::role::Role;
use cnscd_domain::roster::{Roster, RosterCommune, RosterMember};
use cnscd_domain::team::{team_match_key, TeamStatus};
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::collections::{HashMap, HashSet};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub mode: ImportMode,
    pub dry_run: bool,
    /// Where more than a fifth of a commune may be removed (confirmed by the person).
    pub removals: RemovalConsent,
    pub file_name: String,
    /// The previewed file being applied: taken from the waiting files in the same transaction, so that it is
    /// applied once however many times "apply" is sent.
    pub pending_token: Option<String>,
    /// The plan the person saw in the preview ([`ImportSummary::plan`]): when the registry has changed since
    /// and the plan with it, nothing is written and the new plan is returned to be seen again.
    pub expected_plan: Option<String>,
}

/// A commune of the import and what it changes there.
#[derive(Debug, Clone)]
pub struct CommuneImport {
    pub code: String,
    pub name: String,
    pub plan: CommunePlan,
    /// Teams already registered that the file puts under a decision they are not recorded under yet.
    pub decisions_added: Vec<DecisionAdded>,
}

/// A registered team recorded under a decision of the file (a new one, or one the commune has for others).
#[derive(Debug, Clone)]
pub struct DecisionAdded {
    pub team: String,
    pub number: String,
    pub signed_on: NaiveDate,
    /// The commune has no decision of this number and date yet: the import records it.
    pub new_decision: bool,
    /// A later decision the team is already under (number, date): the team goes on showing that one.
    pub later_decision: Option<(String, NaiveDate)>,
}

/// What an import changed, or (dry run, or refused) would change.
#[derive(Debug, Clone, Default)]
pub struct ImportSummary {
    pub communes: Vec<CommuneImport>,
    /// Active members of communes the file does not replace who hold a phone of the file.
    pub shared_phones: Vec<PhoneHolder>,
    /// A large removal was not confirmed: nothing was written.
    pub refused_removals: bool,
    /// The recorded import (for undo), when written.
    pub import_id: Option<i64>,
    /// What identifies this plan, to be given back as [`ImportOptions::expected_plan`] when applying it.
    pub plan: String,
    /// The registry changed since the preview: nothing was written; `communes` holds the new plan.
    pub stale_preview: bool,
    /// Teams that would have more members than the province allows once the file is applied (adding and
    /// updating keeps those it does not list): nothing was written.
    pub oversized: Vec<OversizedTeam>,
    /// (commune, team's match key) of each listed team that will have a leader, the file's or one it keeps.
    pub led_teams: Vec<(String, String)>,
}

/// A team the import would take over the province's maximum size.
#[derive(Debug, Clone)]
pub struct OversizedTeam {
    pub commune: String,
    pub team: String,
    pub members: usize,
    pub max_members: i64,
}

impl CommuneImport {
    /// Whether applying changes anything in the commune: a team, a member or a team's decisions.
    pub fn changes_anything(&self) -> bool {
        self.plan.changes_anything() || !self.decisions_added.is_empty()
    }
}

impl ImportSummary {
    pub fn sum(&self, count: impl Fn(&CommunePlan) -> usize) -> usize {
        self.communes.iter().map(|c| count(&c.plan)).sum()
    }
}

impl Store {
    /// Imports every commune of the roster in one transaction (see the module's description).
    pub async fn import_roster(
        &self,
        roster: &Roster,
        options: &ImportOptions,
        actor: &Actor,
    ) -> Result<ImportSummary, StoreError> {
        let mut w = self.write(actor).await?;
        if let (Some(token), false) = (&options.pending_token, options.dry_run) {
            take_pending(&mut w, token).await?;
        }
        let today = w.clock().today();
        let mut summary = ImportSummary::default();
        if !options.dry_run {
            // In the order of their codes, so that two imports of overlapping files cannot wait for each other.
            let mut codes: Vec<&str> = roster.communes.iter().map(|c| c.code.as_str()).collect();
            codes.sort_unstable();
            for code in codes {
                w.lock_commune_registry(code).await?;
            }
        }
        // Every commune is planned before anything is written, so that the plan can be compared with the
        // one the person saw in the preview.
        let mut currents = Vec::with_capacity(roster.communes.len());
        // Registered members the file leaves in place who hold one of its phones (other communes' are below).
        let mut kept_holders = Vec::new();
        let rules = team_rules_in(&mut w, &roster.province.code).await?;
        for listed in &roster.communes {
            let current = current_teams(&mut w, &listed.code, today).await?;
            let plan = plan_commune(&current, listed, options.mode, today);
            let decisions_added = decisions_added(&mut w, &listed.code, &plan).await?;
            for team in plan.teams_after(&current) {
                if team.members as i64 > rules.max_members {
                    summary.oversized.push(OversizedTeam {
                        commune: listed.name.clone(),
                        team: team.name.to_string(),
                        members: team.members,
                        max_members: rules.max_members,
                    });
                }
                if team.leaders > 0 {
                    summary
                        .led_teams
                        .push((listed.name.clone(), team_match_key(team.name)));
                }
            }
            kept_holders.extend(
                plan.kept_holders_of_listed_phones(&current)
                    .into_iter()
                    .map(|(team, member)| PhoneHolder {
                        phone: member.phone.clone().unwrap_or_default(),
                        member_id: member.id,
                        member_name: member.name.clone(),
                        team_id: team.id,
                        team_name: team.name.clone(),
                        province_code: roster.province.code.clone(),
                        commune_code: listed.code.clone(),
                        commune_name: listed.name.clone(),
                    }),
            );
            // Applying needs the confirmation; a dry run without it says that applying would be refused.
            if plan.is_large_removal() && !options.removals.covers(&listed.code) {
                summary.refused_removals = true;
            }
            summary.communes.push(CommuneImport {
                code: listed.code.clone(),
                name: listed.name.clone(),
                plan,
                decisions_added,
            });
            currents.push(current);
        }
        summary.plan = fingerprint(&summary.communes);
        summary.stale_preview = options
            .expected_plan
            .as_ref()
            .is_some_and(|seen| *seen != summary.plan);
        summary.shared_phones = kept_holders;
        summary
            .shared_phones
            .extend(shared_phones(&mut w, roster).await?);
        // A file that changes nothing is not recorded as an import (it would only stand in the way of undoing
        // the one before).
        let changes = summary.communes.iter().any(CommuneImport::changes_anything);
        let refused =
            summary.refused_removals || summary.stale_preview || !summary.oversized.is_empty();
        if changes && !(options.dry_run || refused) {
            let mut carried = Carried::default();
            for ((listed, commune), current) in
                roster.communes.iter().zip(&summary.communes).zip(&currents)
            {
                // A commune the file lists as it is has nothing to write or to record.
                if !commune.changes_anything() {
                    continue;
                }
                let province = province_of_commune(&mut w, &listed.code).await?;
                let place = Place {
                    province_code: &province,
                    commune_code: Some(&listed.code),
                    team_id: None,
                };
                apply_commune(
                    &mut w,
                    place,
                    listed,
                    &commune.plan,
                    current,
                    today,
                    &mut carried,
                )
                .await?;
                // The commune's own entry: the file, and its counts before and after.
                let plan = &commune.plan;
                w.audit(Change {
                    action: Action::RosterImport,
                    object_id: listed.code.clone(),
                    province_code: &province,
                    commune_code: Some(&listed.code),
                    team_id: None,
                    before: Some(records::commune_counts(
                        plan.teams_before,
                        plan.members_before,
                        None,
                    )),
                    after: Some(records::commune_counts(
                        plan.teams_before + plan.teams_added() + plan.teams_revived()
                            - plan.teams_removed(),
                        plan.members_before + plan.members_added() - plan.members_removed(),
                        Some(&options.file_name),
                    )),
                })
                .await?;
            }
            // The new names are indexed together once the plan is written.
            carried.terms.write(&mut w).await?;
            summary.import_id = Some(
                records::record_import(
                    &mut w,
                    &roster.province.code,
                    options,
                    &summary,
                    &carried.restore,
                )
                .await?,
            );
            w.commit().await?;
            self.refresh_statistics().await?;
            return Ok(summary);
        }
        w.rollback().await?;
        Ok(summary)
    }
}

/// What identifies a plan: equal for the same changes to the same records, different once anything the plan
/// reads has changed (a record's id, a value, a member who joined since).
fn fingerprint(communes: &[CommuneImport]) -> String {
    let mut hasher = Sha256::new();
    for commune in communes {
        hasher.update(
            format!(
                "{}{:?}{:?}",
                commune.code, commune.plan, commune.decisions_added
            )
            .as_bytes(),
        );
    }
    hasher
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Removes a waiting file, or answers "not found" when another request applied it first.
async fn take_pending(w: &mut Write, token: &str) -> Result<(), StoreError> {
    let taken = sqlx::query("DELETE FROM pending_imports WHERE token = $1")
        .bind(token)
        .execute(&mut **w)
        .await?
        .rows_affected();
    if taken == 0 {
        return Err(StoreError::NotFound("tệp chờ nhập (có thể đã được nhập)"));
    }
    Ok(())
}

/// What each commune's writing adds to, for the end of the import: what restores the registry as it was, and
/// the new names to index.
#[derive(Default)]
struct Carried {
    restore: Restore,
    terms: PendingTerms,
}

/// A member's cells as gathered: id, team, name, role, phone, note, joined, left.
type StoredMember = (
    i64,
    i64,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
);

/// A commune's teams, active and dissolved, with their active members and the former ones who may come
/// back (left today, or with their team's dissolution).
async fn current_teams(
    w: &mut Write,
    commune_code: &str,
    today: NaiveDate,
) -> Result<Vec<CurrentTeam>, StoreError> {
    let mut teams: Vec<CurrentTeam> = Vec::new();
    for row in
        sqlx::query("SELECT id, name, dissolved_on FROM teams WHERE commune_code = $1 ORDER BY id")
            .bind(commune_code)
            .fetch_all(&mut **w)
            .await?
    {
        teams.push(CurrentTeam {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            dissolved_on: optional_date(&row, "dissolved_on")?,
            members: Vec::new(),
        });
    }
    let position: HashMap<i64, usize> = teams.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
    let backend = Backend::of(w);
    let sql = format!(
        "SELECT {} FROM members m JOIN teams t ON t.id = m.team_id WHERE t.commune_code = $1 \
         AND (m.left_on IS NULL OR m.left_on = $2 OR m.left_on = t.dissolved_on)",
        gather_rows(
            backend,
            &[
                "m.id",
                "m.team_id",
                "m.full_name",
                "m.role",
                "m.phone",
                "m.note",
                "m.joined_on",
                "m.left_on"
            ],
            "m.id"
        )
    );
    let gathered: Option<String> = sqlx::query_scalar(&sql)
        .bind(commune_code)
        .bind(date_text(today))
        .fetch_one(&mut **w)
        .await?;
    let rows: Vec<StoredMember> = parse_rows(gathered)?;
    for (id, team_id, name, role, phone, note, joined_on, left_on) in rows {
        let date = |column, text: Option<String>| {
            text.map(|t| parse_text(column, &t, date_from_text))
                .transpose()
        };
        teams[position[&team_id]].members.push(CurrentMember {
            id,
            name,
            role: parse_text("role", &role, Role::from_code)?,
            phone,
            note,
            joined_on: date("joined_on", joined_on)?,
            left_on: date("left_on", left_on)?,
        });
    }
    Ok(teams)
}

/// Writes one commune's plan. Leavers and demotions go before promotions, so a team never has two leaders on
/// the way.
async fn apply_commune(
    w: &mut Write,
    place: Place<'_>,
    listed: &RosterCommune,
    plan: &CommunePlan,
    current: &[CurrentTeam],
    today: NaiveDate,
    carried: &mut Carried,
) -> Result<(), StoreError> {
    let Carried { restore, terms } = carried;
    let province = place.province_code;
    let stamp = w.stamp();
    let registered: HashMap<i64, &CurrentTeam> = current.iter().map(|t| (t.id, t)).collect();
    let member_of: HashMap<i64, &CurrentMember> = current
        .iter()
        .flat_map(|t| t.members.iter().map(|m| (m.id, m)))
        .collect();
    let team_of_member: HashMap<i64, i64> = current
        .iter()
        .flat_map(|t| t.members.iter().map(move |m| (m.id, t.id)))
        .collect();
    let mut audit: Vec<Change> = Vec::new();
    // Leavers are written together at the end of their step: one statement per thousand, not per person.
    let mut leaving_ids: Vec<i64> = Vec::new();
    let record = |action, id: i64, team_id: i64, before, after| Change {
        action,
        object_id: id.to_string(),
        province_code: province,
        commune_code: place.commune_code,
        team_id: Some(team_id),
        before,
        after,
    };

    // Members leaving today: kept for the undo and recorded, written together by `leave_all`.
    let note_leaving =
        |member_id: i64, team_id: i64, restore: &mut Restore, leaving_ids: &mut Vec<i64>| {
            let before = member_of[&member_id];
            restore.member(before, team_id);
            leaving_ids.push(member_id);
            let after = CurrentMember {
                left_on: Some(today),
                ..before.clone()
            };
            record(
                Action::MemberLeave,
                member_id,
                team_id,
                Some(records::member_values(before, team_id)),
                Some(records::member_values(&after, team_id)),
            )
        };

    // Teams no longer listed: their members leave today, and they are dissolved.
    for team in &plan.dissolving {
        for leaving in &team.members {
            audit.push(note_leaving(leaving.id, team.id, restore, &mut leaving_ids));
        }
    }
    for team in &plan.dissolving {
        let before = registered[&team.id];
        restore.team(before);
        let after = CurrentTeam {
            dissolved_on: Some(today),
            ..before.clone()
        };
        audit.push(record(
            Action::TeamDissolve,
            team.id,
            team.id,
            Some(records::team_values(before, place.commune_code)),
            Some(records::team_values(&after, place.commune_code)),
        ));
    }

    let dissolving: Vec<i64> = plan.dissolving.iter().map(|team| team.id).collect();
    set_team_status(w, &dissolving, Some(today), &stamp).await?;
    leave_all(w, &std::mem::take(&mut leaving_ids), today, &stamp).await?;

    // New teams in one statement; dissolved ones listed again come back.
    let new_names: Vec<&str> = plan
        .teams
        .iter()
        .filter(|t| t.target == TeamTarget::New)
        .map(|t| t.name.as_str())
        .collect();
    let new_teams: Vec<TeamRow> = new_names
        .iter()
        .map(|name| TeamRow {
            name,
            note: "",
            status: TeamStatus::Active,
            dissolved_on: None,
        })
        .collect();
    let mut created = insert_team_rows(w, &stamp, province, &listed.code, &new_teams, terms)
        .await?
        .into_iter();
    let mut team_ids = Vec::with_capacity(plan.teams.len());
    for team in &plan.teams {
        let id = match team.target {
            TeamTarget::Existing(id) => id,
            TeamTarget::Revived { id, .. } => {
                let before = registered[&id];
                restore.team(before);
                set_team_status(w, &[id], None, &stamp).await?;
                let after = CurrentTeam {
                    dissolved_on: None,
                    ..before.clone()
                };
                audit.push(record(
                    Action::TeamRevive,
                    id,
                    id,
                    Some(records::team_values(before, place.commune_code)),
                    Some(records::team_values(&after, place.commune_code)),
                ));
                id
            }
            TeamTarget::New => {
                let id = created.next().expect("one id per new team");
                restore.teams_created.push(id);
                let values = records::new_team_values(&team.name, place.commune_code);
                audit.push(record(Action::TeamCreate, id, id, None, Some(values)));
                id
            }
        };
        team_ids.push(id);
    }

    // Members: leavers first, then changes (leaders last), then newcomers.
    for (team, &team_id) in plan.teams.iter().zip(&team_ids) {
        for leaving in &team.leaving {
            audit.push(note_leaving(leaving.id, team_id, restore, &mut leaving_ids));
        }
    }
    leave_all(w, &leaving_ids, today, &stamp).await?;
    let mut changes: Vec<(i64, &RosterMember, i64, bool)> = Vec::new();
    let mut new_rows: Vec<MemberRow> = Vec::new();
    for (team, &team_id) in plan.teams.iter().zip(&team_ids) {
        for member in &team.members {
            match &member.step {
                MemberStep::Unchanged(_) => {}
                MemberStep::Updated { id, .. } => {
                    changes.push((*id, &member.listed, team_id, false))
                }
                MemberStep::Rejoins { id, .. } => {
                    changes.push((*id, &member.listed, team_id, true))
                }
                MemberStep::Joins => new_rows.push(MemberRow {
                    team_id,
                    full_name: member.listed.name.as_str().to_string(),
                    role: member.listed.role,
                    phone: member.listed.phone.as_ref().map(|p| p.as_str().to_string()),
                    note: member.listed.note.clone(),
                    joined_on: Some(member.listed.joined_on.unwrap_or(today)),
                    left_on: None,
                }),
            }
        }
    }
    changes.sort_by_key(|(_, listed, _, _)| listed.role == Role::Leader);
    for (id, listed, team_id, rejoins) in changes {
        let before = member_of[&id];
        restore.member(before, team_of_member[&id]);
        update_member(w, province, before, listed, &stamp).await?;
        let after = CurrentMember {
            name: listed.name.as_str().to_string(),
            role: listed.role,
            phone: listed.phone.as_ref().map(|p| p.as_str().to_string()),
            note: listed.note.clone(),
            joined_on: listed.joined_on.or(before.joined_on),
            left_on: None,
            ..before.clone()
        };
        let action = if rejoins {
            Action::MemberRejoin
        } else {
            Action::MemberUpdate
        };
        audit.push(record(
            action,
            id,
            team_id,
            Some(records::member_values(before, team_id)),
            Some(records::member_values(&after, team_id)),
        ));
    }
    let ids = insert_member_rows(w, &stamp, province, &new_rows, terms).await?;
    for (row, id) in new_rows.iter().zip(&ids) {
        restore.members_created.push(*id);
        let values = records::new_member_values(row);
        audit.push(record(
            Action::MemberCreate,
            *id,
            row.team_id,
            None,
            Some(values),
        ));
    }
    let linked = link_decisions(w, &listed.code, plan, &team_ids, &stamp, restore).await?;
    for created in linked.created {
        audit.push(Change {
            action: Action::DecisionCreate,
            object_id: created.id.to_string(),
            province_code: province,
            commune_code: place.commune_code,
            team_id: None,
            before: None,
            after: Some(records::new_decision_values(&created, place.commune_code)),
        });
    }
    for (id, before, after) in linked.extended {
        audit.push(Change {
            action: Action::DecisionUpdate,
            object_id: id.to_string(),
            province_code: province,
            commune_code: place.commune_code,
            team_id: None,
            before,
            after,
        });
    }
    refresh_commune(w, &listed.code).await?;
    w.audit_all(audit).await?;
    Ok(())
}

/// Dissolves teams (`dissolved_on` given) or makes them active again.
async fn set_team_status(
    w: &mut Write,
    team_ids: &[i64],
    dissolved_on: Option<NaiveDate>,
    stamp: &str,
) -> Result<(), StoreError> {
    if team_ids.is_empty() {
        return Ok(());
    }
    let status = if dissolved_on.is_some() {
        TeamStatus::Dissolved
    } else {
        TeamStatus::Active
    };
    let sql = format!(
        "UPDATE teams SET status = $1, dissolved_on = $2, version = version + 1, updated_at = $3 WHERE id IN ({})",
        select_values(Backend::of(w), 4, Column::Int)
    );
    sqlx::query(&sql)
        .bind(status.code())
        .bind(dissolved_on.map(date_text))
        .bind(stamp)
        .bind(to_json(team_ids)?)
        .execute(&mut **w)
        .await?;
    Ok(())
}

/// Marks members as having left today and takes their names out of the search index.
async fn leave_all(
    w: &mut Write,
    member_ids: &[i64],
    today: NaiveDate,
    stamp: &str,
) -> Result<(), StoreError> {
    if member_ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE members SET left_on = $1, version = version + 1, updated_at = $2 WHERE id IN ({})",
        select_values(Backend::of(w), 3, Column::Int)
    );
    sqlx::query(&sql)
        .bind(date_text(today))
        .bind(stamp)
        .bind(to_json(member_ids)?)
        .execute(&mut **w)
        .await?;
    let refs: Vec<String> = member_ids.iter().map(i64::to_string).collect();
    unindex_all(w, Kind::Member, &refs).await
}

/// A member's listed values over her registered ones (and back in her team, if she had left).
async fn update_member(
    w: &mut Write,
    province: &str,
    before: &CurrentMember,
    listed: &RosterMember,
    stamp: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE members SET full_name = $1, sort_key = $2, role = $3, phone = $4, note = $5, \
         joined_on = COALESCE($6, joined_on), left_on = NULL, version = version + 1, updated_at = $7 WHERE id = $8",
    )
    .bind(listed.name.as_str())
    .bind(person_sort_key(listed.name.as_str()))
    .bind(listed.role.code())
    .bind(listed.phone.as_ref().map(|p| p.as_str().to_string()))
    .bind(&listed.note)
    .bind(listed.joined_on.map(date_text))
    .bind(stamp)
    .bind(before.id)
    .execute(&mut **w)
    .await?;
    let id = before.id.to_string();
    if before.left_on.is_some() {
        super::super::search::index_name(w, province, Kind::Member, &id, listed.name.as_str())
            .await?;
    } else if before.name != listed.name.as_str() {
        reindex(w, province, Kind::Member, &id, listed.name.as_str()).await?;
    }
    Ok(())
}

/// A decision an import recorded, with the teams it put under it.
pub(crate) struct DecisionCreated {
    pub id: i64,
    pub number: String,
    pub signed_on: NaiveDate,
    pub team_ids: Vec<i64>,
}

/// What linking a commune's teams to their decisions did.
struct DecisionsLinked {
    created: Vec<DecisionCreated>,
    /// Decisions already recorded that now cover more teams: (id, before, after) for the audit log.
    extended: Vec<(i64, Option<serde_json::Value>, Option<serde_json::Value>)>,
}

/// Records each team under its decision, creating the commune's decisions that do not exist yet; links that
/// already exist are kept.
async fn link_decisions(
    w: &mut Write,
    commune_code: &str,
    plan: &CommunePlan,
    team_ids: &[i64],
    stamp: &str,
    restore: &mut Restore,
) -> Result<DecisionsLinked, StoreError> {
    let mut decision_ids: HashMap<(String, NaiveDate), i64> = HashMap::new();
    for decision in plan.teams.iter().filter_map(|t| t.decision.as_ref()) {
        let key = (decision.number.as_str().to_string(), decision.date);
        if decision_ids.contains_key(&key) {
            continue;
        }
        let existing: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM decisions WHERE commune_code = $1 AND number = $2 AND signed_on = $3",
        )
        .bind(commune_code)
        .bind(decision.number.as_str())
        .bind(date_text(decision.date))
        .fetch_optional(&mut **w)
        .await?;
        let id = match existing {
            Some(id) => id,
            None => {
                let valid = ValidDecision {
                    number: decision.number.clone(),
                    signed_on: decision.date,
                    signer: String::new(),
                    kind: DecisionKind::Establish,
                };
                let id = crate::decisions::insert_decision(w, commune_code, &valid, stamp).await?;
                restore.decisions_created.push(id);
                id
            }
        };
        decision_ids.insert(key, id);
    }
    let linked: HashSet<(i64, i64)> = sqlx::query_as(
        "SELECT dt.decision_id, dt.team_id FROM decision_teams dt JOIN teams t ON t.id = dt.team_id \
         WHERE t.commune_code = $1",
    )
    .bind(commune_code)
    .fetch_all(&mut **w)
    .await?
    .into_iter()
    .collect();
    let missing: Vec<(i64, i64)> = plan
        .teams
        .iter()
        .zip(team_ids)
        .filter_map(|(team, &team_id)| {
            let decision = team.decision.as_ref()?;
            let decision_id = decision_ids[&(decision.number.as_str().to_string(), decision.date)];
            (!linked.contains(&(decision_id, team_id))).then_some((decision_id, team_id))
        })
        .collect();
    let mut extended_ids: Vec<i64> = missing
        .iter()
        .map(|(decision, _)| *decision)
        .filter(|id| !restore.decisions_created.contains(id))
        .collect();
    extended_ids.sort_unstable();
    extended_ids.dedup();
    let mut extended = Vec::with_capacity(extended_ids.len());
    for &id in &extended_ids {
        extended.push((id, w.snapshot(ObjectKind::Decision, id).await?, None));
    }
    insert_rows(
        w,
        "decision_teams",
        &[("decision_id", Column::Int), ("team_id", Column::Int)],
        &missing,
    )
    .await?;
    let created = decision_ids
        .iter()
        .filter(|(_, id)| restore.decisions_created.contains(id))
        .map(|((number, signed_on), &id)| DecisionCreated {
            id,
            number: number.clone(),
            signed_on: *signed_on,
            team_ids: missing
                .iter()
                .filter(|(decision, _)| *decision == id)
                .map(|(_, team)| *team)
                .collect(),
        })
        .collect();
    restore.links_added.extend(missing);
    for (id, _, after) in &mut extended {
        *after = w.snapshot(ObjectKind::Decision, *id).await?;
    }
    Ok(DecisionsLinked { created, extended })
}

/// The registered teams (active or coming back) that the plan puts under a decision they are not under yet.
async fn decisions_added(
    w: &mut Write,
    commune_code: &str,
    plan: &CommunePlan,
) -> Result<Vec<DecisionAdded>, StoreError> {
    if plan.teams.iter().all(|t| t.decision.is_none()) {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, String, Option<i64>)> = sqlx::query_as(
        "SELECT d.number, d.signed_on, dt.team_id FROM decisions d \
         LEFT JOIN decision_teams dt ON dt.decision_id = d.id WHERE d.commune_code = $1",
    )
    .bind(commune_code)
    .fetch_all(&mut **w)
    .await?;
    let mut recorded: HashSet<(String, String)> = HashSet::new();
    let mut linked: HashSet<(String, String, i64)> = HashSet::new();
    // Each team's latest decision (dates as stored sort as dates).
    let mut latest: HashMap<i64, (String, String)> = HashMap::new();
    for (number, signed_on, team_id) in rows {
        if let Some(team_id) = team_id {
            linked.insert((number.clone(), signed_on.clone(), team_id));
            let newest = latest
                .entry(team_id)
                .or_insert_with(|| (number.clone(), signed_on.clone()));
            if signed_on > newest.1 {
                *newest = (number.clone(), signed_on.clone());
            }
        }
        recorded.insert((number, signed_on));
    }
    let mut added = Vec::new();
    for team in &plan.teams {
        let (TeamTarget::Existing(id) | TeamTarget::Revived { id, .. }) = team.target else {
            continue;
        };
        let Some(decision) = team.decision.as_ref() else {
            continue;
        };
        let key = (
            decision.number.as_str().to_string(),
            date_text(decision.date),
        );
        if linked.contains(&(key.0.clone(), key.1.clone(), id)) {
            continue;
        }
        let later_decision = match latest.get(&id) {
            Some((number, signed_on)) if *signed_on > key.1 => Some((
                number.clone(),
                parse_text("signed_on", signed_on, date_from_text)?,
            )),
            _ => None,
        };
        added.push(DecisionAdded {
            team: team.name.clone(),
            new_decision: !recorded.contains(&key),
            number: key.0,
            signed_on: decision.date,
            later_decision,
        });
    }
    Ok(added)
}

/// Active members of other communes than the roster's who hold one of its phones (a warning, not an error).
async fn shared_phones(w: &mut Write, roster: &Roster) -> Result<Vec<PhoneHolder>, StoreError> {
    let phones: Vec<String> = roster
        .communes
        .iter()
        .flat_map(|c| &c.teams)
        .flat_map(|t| &t.members)
        .filter_map(|m| m.phone.as_ref().map(|p| p.as_str().to_string()))
        .collect();
    let communes: Vec<&str> = roster.communes.iter().map(|c| c.code.as_str()).collect();
    holders_of(w, &phones, &communes).await
}
