//! What an import leaves behind: the audit values of the records it touched (in the same form as every other
//! change's, so histories read alike), and the recorded import with what restores the registry as it was.

use super::import::{ImportOptions, ImportSummary};
use crate::connect::Backend;
use crate::json_rows::{gather_rows, insert_rows, parse_rows, select_values, to_json, Column};
use crate::members::MemberRow;
use crate::sql::date_text;
use crate::write::Write;
use crate::StoreError;
use cnscd_domain::import_plan::{CurrentMember, CurrentTeam};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};
use std::collections::HashMap;

fn date(value: Option<chrono::NaiveDate>) -> Json {
    value.map_or(Json::Null, |d| Json::String(date_text(d)))
}

/// A member's values as the audit log keeps them (as `audit::snapshot` reads them from the table).
pub fn member_values(m: &CurrentMember, team_id: i64) -> Json {
    json!({
        "team_id": team_id.to_string(), "full_name": m.name, "role": m.role.code(), "phone": m.phone,
        "note": m.note, "joined_on": date(m.joined_on), "left_on": date(m.left_on),
    })
}

pub fn new_member_values(m: &MemberRow) -> Json {
    json!({
        "team_id": m.team_id.to_string(), "full_name": m.full_name, "role": m.role.code(), "phone": m.phone,
        "note": m.note, "joined_on": date(m.joined_on), "left_on": Json::Null,
    })
}

/// A team's values as the audit log keeps them.
pub fn team_values(t: &CurrentTeam, commune_code: Option<&str>) -> Json {
    let status = if t.dissolved_on.is_some() {
        "dissolved"
    } else {
        "active"
    };
    json!({
        "name": t.name, "commune_code": commune_code, "status": status, "dissolved_on": date(t.dissolved_on),
    })
}

pub fn new_team_values(name: &str, commune_code: Option<&str>) -> Json {
    json!({"name": name, "commune_code": commune_code, "status": "active", "dissolved_on": Json::Null})
}

/// A decision as the audit log keeps it (as `audit::snapshot` reads it, with the teams it covers).
pub(crate) fn new_decision_values(
    d: &super::import::DecisionCreated,
    commune_code: Option<&str>,
) -> Json {
    let teams: Vec<String> = d.team_ids.iter().map(i64::to_string).collect();
    json!({
        "commune_code": commune_code, "number": d.number, "signed_on": date_text(d.signed_on), "signer": "",
        "kind": cnscd_domain::decision::DecisionKind::Establish.code(), "teams": teams.join(", "),
    })
}

/// A commune's active teams and members before an import, and after it with the file it came from (so that
/// an import that only updates values is recorded too).
pub fn commune_counts(teams: usize, members: usize, file: Option<&str>) -> Json {
    let mut values = json!({"teams": teams.to_string(), "members": members.to_string()});
    if let Some(file) = file {
        values["file"] = json!(file);
    }
    values
}

/// A team as it was before an import changed it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TeamBefore {
    pub id: i64,
    pub dissolved_on: Option<chrono::NaiveDate>,
}

/// A member as she was before an import changed her.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MemberBefore {
    pub id: i64,
    pub team_id: i64,
    pub full_name: String,
    pub role: String,
    pub phone: Option<String>,
    pub note: String,
    pub joined_on: Option<chrono::NaiveDate>,
    pub left_on: Option<chrono::NaiveDate>,
}

/// Everything that restores the registry as it was before an import: the records it changed (each changed
/// once, its version raised by one) and those it created.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Restore {
    pub teams: Vec<TeamBefore>,
    pub members: Vec<MemberBefore>,
    pub teams_created: Vec<i64>,
    pub members_created: Vec<i64>,
    pub decisions_created: Vec<i64>,
    pub links_added: Vec<(i64, i64)>,
    /// (id, version) of every team and member the import wrote, as it left them: a record whose version
    /// moved since was changed by someone else (stamps, to the second, cannot tell).
    #[serde(default)]
    pub team_versions: Vec<(i64, i64)>,
    #[serde(default)]
    pub member_versions: Vec<(i64, i64)>,
    /// (id, version) of the same records as the import found them (one below the version it left). Kept as
    /// recorded when undoing a newer import moves `*_versions` on: that undo finds this import's records by
    /// the version they had before, so a chain of undos goes back as far as it is asked to. Imports recorded
    /// before this was kept go by their left version minus one.
    #[serde(default)]
    pub team_found: Vec<(i64, i64)>,
    #[serde(default)]
    pub member_found: Vec<(i64, i64)>,
}

impl Restore {
    /// The version each team and each member had when the import found it (see `team_found`).
    pub fn found_versions(&self) -> [HashMap<i64, i64>; 2] {
        let found = |recorded: &[(i64, i64)], left: &[(i64, i64)]| -> HashMap<i64, i64> {
            if recorded.is_empty() {
                left.iter().map(|(id, v)| (*id, v - 1)).collect()
            } else {
                recorded.iter().copied().collect()
            }
        };
        [
            found(&self.team_found, &self.team_versions),
            found(&self.member_found, &self.member_versions),
        ]
    }

    /// Every team the import wrote: changed or created.
    pub fn team_ids(&self) -> Vec<i64> {
        self.teams
            .iter()
            .map(|t| t.id)
            .chain(self.teams_created.iter().copied())
            .collect()
    }

    /// Every member the import wrote: changed or created.
    pub fn member_ids(&self) -> Vec<i64> {
        self.members
            .iter()
            .map(|m| m.id)
            .chain(self.members_created.iter().copied())
            .collect()
    }

    pub fn team(&mut self, before: &CurrentTeam) {
        self.teams.push(TeamBefore {
            id: before.id,
            dissolved_on: before.dissolved_on,
        });
    }

    pub fn member(&mut self, before: &CurrentMember, team_id: i64) {
        self.members.push(MemberBefore {
            id: before.id,
            team_id,
            full_name: before.name.clone(),
            role: before.role.code().to_string(),
            phone: before.phone.clone(),
            note: before.note.clone(),
            joined_on: before.joined_on,
            left_on: before.left_on,
        });
    }
}

/// Records an applied import with its communes and what restores it; returns its id.
pub async fn record_import(
    w: &mut Write,
    province_code: &str,
    options: &ImportOptions,
    summary: &ImportSummary,
    restore: &Restore,
) -> Result<i64, StoreError> {
    let actor = w.actor().cloned().ok_or(StoreError::Unaudited)?;
    let stamp = w.stamp();
    let team_versions = versions(w, "teams", &restore.team_ids()).await?;
    let member_versions = versions(w, "members", &restore.member_ids()).await?;
    let found = |left: &[(i64, i64)]| left.iter().map(|(id, v)| (*id, v - 1)).collect();
    let restore = Restore {
        team_found: found(&team_versions),
        member_found: found(&member_versions),
        team_versions,
        member_versions,
        ..restore.clone()
    };
    let undo = to_json(&restore)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO imports (province_code, user_id, username, address, at, file_name, mode, undo) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(province_code)
    .bind(actor.user_id)
    .bind(&actor.username)
    .bind(&actor.address)
    .bind(&stamp)
    .bind(&options.file_name)
    .bind(options.mode.code())
    .bind(undo)
    .fetch_one(&mut **w)
    .await?;
    // Only the communes the file changes: one it lists as registered takes no part in the import's undo.
    let counts: Vec<_> = summary
        .communes
        .iter()
        .filter(|commune| commune.changes_anything())
        .map(|commune| {
            let plan = &commune.plan;
            (
                id,
                &commune.code,
                plan.teams_added() + plan.teams_revived(),
                plan.teams_removed(),
                plan.members_added(),
                plan.members_changed(),
                plan.members_removed(),
            )
        })
        .collect();
    use Column::{Int, Text};
    insert_rows(
        w,
        "import_communes",
        &[
            ("import_id", Int),
            ("commune_code", Text),
            ("teams_added", Int),
            ("teams_removed", Int),
            ("members_added", Int),
            ("members_changed", Int),
            ("members_removed", Int),
        ],
        &counts,
    )
    .await?;
    Ok(id)
}

/// (id, version) of records of `table`.
pub(crate) async fn versions(
    w: &mut Write,
    table: &'static str,
    ids: &[i64],
) -> Result<Vec<(i64, i64)>, StoreError> {
    let backend = Backend::of(w);
    let sql = format!(
        "SELECT {} FROM {table} WHERE id IN ({})",
        gather_rows(backend, &["id", "version"], "id"),
        select_values(backend, 1, Column::Int)
    );
    let gathered: Option<String> = sqlx::query_scalar(&sql)
        .bind(to_json(ids)?)
        .fetch_one(&mut **w)
        .await?;
    parse_rows(gathered)
}
