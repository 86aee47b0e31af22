//! Importing a roster: each commune in the file replaces its registry, in one transaction.

use crate::audit::{Action, Actor, Change};
use crate::counts::refresh_commune;
use crate::members::{holders_of, insert_member_rows, MemberRow};
use crate::search::{index_names, reindex, unindex, IndexEntry, Kind};
use crate::sql::{date_text, values_list};
use crate::stored::parse_stored;
use crate::teams::province_of_commune;
use crate::write::Write;
use crate::PhoneHolder;
use crate::{Store, StoreError};
use chrono::NaiveDate;
use cnscd_domain::collation::sort_key;
use cnscd_domain::decision::{DecisionKind, DecisionNumber, ValidDecision};
use cnscd_domain::person_name::person_sort_key;
use cnscd_domain::role::Role;
use cnscd_domain::roster::{Roster, RosterCommune, RosterMember, RosterTeam};
use cnscd_domain::text::fold;
use sqlx::{AnyConnection, Row};
use std::collections::{HashMap, HashSet};

/// What an import changed (or, in a dry run, would change). Counts are of members unless named for teams.
#[derive(Debug, Clone, Default)]
pub struct ImportSummary {
    pub communes: usize,
    pub teams: usize,
    pub members: usize,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub teams_added: usize,
    pub teams_removed: usize,
    /// Active members of communes the file does not replace who hold a phone of the file.
    pub shared_phones: Vec<PhoneHolder>,
}

struct ExistingMember {
    id: i64,
    full_name: String,
    role: Role,
    phone: Option<String>,
    note: String,
}

impl Store {
    /// Replaces the registry of every commune in the roster, in one transaction: teams and members in the file
    /// are created or updated, those no longer listed are kept in history (teams dissolved, members marked as
    /// left today). A dry run does the same work and rolls it back, so its counts are exact.
    pub async fn import_roster(
        &self,
        roster: &Roster,
        dry_run: bool,
        actor: &Actor,
    ) -> Result<ImportSummary, StoreError> {
        let mut tx = self.write(actor).await?;
        let today = tx.clock().today();
        let mut summary = ImportSummary {
            communes: roster.communes.len(),
            teams: roster.team_count(),
            members: roster.member_count(),
            ..Default::default()
        };
        for commune in &roster.communes {
            let before = commune_counts(&mut tx, &commune.code).await?;
            replace_commune(&mut tx, commune, today, &mut summary).await?;
            let after = commune_counts(&mut tx, &commune.code).await?;
            let province = province_of_commune(&mut tx, &commune.code).await?;
            let change = Change {
                action: Action::RosterImport,
                object_id: commune.code.clone(),
                province_code: &province,
                commune_code: Some(&commune.code),
                team_id: None,
                before: Some(before),
                after: Some(after),
            };
            tx.audit(change).await?;
        }
        summary.shared_phones = shared_phones(&mut tx, roster).await?;
        if dry_run {
            tx.rollback().await?;
        } else {
            tx.commit().await?;
        }
        Ok(summary)
    }
}

async fn replace_commune(
    conn: &mut Write,
    commune: &RosterCommune,
    today: NaiveDate,
    summary: &mut ImportSummary,
) -> Result<(), StoreError> {
    let province = province_of_commune(conn, &commune.code).await?;
    let stamp = conn.stamp();
    let mut existing_teams: HashMap<String, (i64, String)> = HashMap::new();
    for row in
        sqlx::query("SELECT id, name FROM teams WHERE commune_code = $1 AND status = 'active'")
            .bind(&commune.code)
            .fetch_all(&mut **conn)
            .await?
    {
        let name: String = row.try_get("name")?;
        existing_teams.insert(fold(&name), (row.try_get("id")?, name));
    }
    let mut existing_members: HashMap<i64, Vec<ExistingMember>> = HashMap::new();
    for row in sqlx::query(
        "SELECT m.id, m.team_id, m.full_name, m.role, m.phone, m.note FROM members m JOIN teams t ON t.id = m.team_id \
         WHERE t.commune_code = $1 AND t.status = 'active' AND m.left_on IS NULL ORDER BY m.id",
    )
    .bind(&commune.code)
    .fetch_all(&mut **conn)
    .await?
    {
        existing_members.entry(row.try_get("team_id")?).or_default().push(ExistingMember {
            id: row.try_get("id")?,
            full_name: row.try_get("full_name")?,
            role: parse_stored(&row, "role", Role::from_code)?,
            phone: row.try_get("phone")?,
            note: row.try_get("note")?,
        });
    }
    let mut team_ids: Vec<i64> = Vec::with_capacity(commune.teams.len());
    let mut new_teams: Vec<&RosterTeam> = Vec::new();
    for team in &commune.teams {
        match existing_teams.remove(&fold(&team.name)) {
            Some((id, name)) => {
                if name != team.name {
                    sqlx::query("UPDATE teams SET name = $1, sort_key = $2, version = version + 1, updated_at = $3 WHERE id = $4")
                        .bind(&team.name)
                        .bind(sort_key(&team.name))
                        .bind(&stamp)
                        .bind(id)
                        .execute(&mut **conn)
                        .await?;
                    reindex(
                        conn,
                        &province,
                        Kind::Team,
                        &id.to_string(),
                        &name,
                        &team.name,
                    )
                    .await?;
                }
                team_ids.push(id);
            }
            None => {
                new_teams.push(team);
                team_ids.push(0);
            }
        }
    }
    let created = insert_teams(conn, &province, &commune.code, &new_teams, &stamp).await?;
    summary.teams_added += created.len();
    for (team, id) in commune.teams.iter().zip(team_ids.iter_mut()) {
        if *id == 0 {
            *id = created[&fold(&team.name)];
        }
    }
    let mut new_rows: Vec<MemberRow> = Vec::new();
    for (team, &team_id) in commune.teams.iter().zip(&team_ids) {
        let current = existing_members.remove(&team_id).unwrap_or_default();
        new_rows.extend(
            replace_members(
                conn,
                &province,
                team_id,
                team,
                current,
                (today, &stamp),
                summary,
            )
            .await?,
        );
    }
    link_decisions(conn, &commune.code, &commune.teams, &team_ids, &stamp).await?;
    insert_member_rows(conn, &stamp, &province, &new_rows).await?;
    for (_, (team_id, _)) in existing_teams {
        let members = existing_members.remove(&team_id).unwrap_or_default();
        for member in &members {
            leave(conn, &province, member, today, &stamp).await?;
        }
        summary.removed += members.len();
        summary.teams_removed += 1;
        sqlx::query("UPDATE teams SET status = 'dissolved', dissolved_on = $1, version = version + 1, updated_at = $2 WHERE id = $3")
            .bind(date_text(today))
            .bind(&stamp)
            .bind(team_id)
            .execute(&mut **conn)
            .await?;
    }
    refresh_commune(conn, &commune.code).await
}

/// Marks a member as having left today and takes the name out of the search index.
async fn leave(
    conn: &mut AnyConnection,
    province: &str,
    member: &ExistingMember,
    today: NaiveDate,
    stamp: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE members SET left_on = $1, version = version + 1, updated_at = $2 WHERE id = $3",
    )
    .bind(date_text(today))
    .bind(stamp)
    .bind(member.id)
    .execute(&mut *conn)
    .await?;
    unindex(
        conn,
        province,
        Kind::Member,
        &member.id.to_string(),
        &member.full_name,
    )
    .await
}

/// Matches a team's listed members with its current ones by name; returns the members to insert. Leavers and
/// demotions are written before promotions, so the team never has two leaders on the way.
async fn replace_members(
    conn: &mut AnyConnection,
    province: &str,
    team_id: i64,
    team: &RosterTeam,
    mut current: Vec<ExistingMember>,
    (today, stamp): (NaiveDate, &str),
    summary: &mut ImportSummary,
) -> Result<Vec<MemberRow>, StoreError> {
    let mut kept: Vec<(ExistingMember, &RosterMember)> = Vec::new();
    let mut new_rows = Vec::new();
    for listed in &team.members {
        // Two members may share a name: each listed one takes its own current one.
        match current
            .iter()
            .position(|m| fold(&m.full_name) == fold(&listed.name))
        {
            Some(index) => kept.push((current.remove(index), listed)),
            None => new_rows.push(MemberRow {
                team_id,
                full_name: listed.name.clone(),
                role: listed.role,
                phone: listed.phone.clone(),
                note: listed.note.clone(),
                joined_on: Some(today),
                left_on: None,
            }),
        }
    }
    for member in &current {
        leave(conn, province, member, today, stamp).await?;
    }
    summary.removed += current.len();
    summary.added += new_rows.len();
    let mut updates: Vec<&(ExistingMember, &RosterMember)> = kept
        .iter()
        .filter(|(existing, listed)| {
            existing.full_name != listed.name
                || existing.role != listed.role
                || existing.phone != listed.phone
                || existing.note != listed.note
        })
        .collect();
    summary.changed += updates.len();
    updates.sort_by_key(|(_, listed)| listed.role == Role::Leader);
    for (existing, listed) in updates {
        sqlx::query(
            "UPDATE members SET full_name = $1, sort_key = $2, role = $3, phone = $4, note = $5, version = version + 1, \
             updated_at = $6 WHERE id = $7",
        )
        .bind(&listed.name)
        .bind(person_sort_key(&listed.name))
        .bind(listed.role.code())
        .bind(listed.phone.clone())
        .bind(&listed.note)
        .bind(stamp)
        .bind(existing.id)
        .execute(&mut *conn)
        .await?;
        if existing.full_name != listed.name {
            reindex(
                conn,
                province,
                Kind::Member,
                &existing.id.to_string(),
                &existing.full_name,
                &listed.name,
            )
            .await?;
        }
    }
    Ok(new_rows)
}

/// Inserts a commune's new teams with one statement and indexes their names; returns their ids by folded name
/// (team names are unique within a commune's list).
async fn insert_teams(
    conn: &mut AnyConnection,
    province: &str,
    commune_code: &str,
    teams: &[&RosterTeam],
    stamp: &str,
) -> Result<HashMap<String, i64>, StoreError> {
    let mut ids = HashMap::new();
    for chunk in teams.chunks(200) {
        let sql = format!(
            "INSERT INTO teams (commune_code, name, sort_key, note, status, version, created_at, updated_at) VALUES {} \
             RETURNING id, name",
            values_list(&*conn, chunk.len(), 8)
        );
        let mut query = sqlx::query_as::<_, (i64, String)>(&sql);
        for team in chunk {
            query = query
                .bind(commune_code)
                .bind(team.name.clone())
                .bind(sort_key(&team.name))
                .bind("")
                .bind("active")
                .bind(1_i64)
                .bind(stamp)
                .bind(stamp);
        }
        let inserted = query.fetch_all(&mut *conn).await?;
        let entries: Vec<IndexEntry> = inserted
            .iter()
            .map(|(id, name)| IndexEntry {
                province_code: province,
                kind: Kind::Team,
                ref_id: id.to_string(),
                name,
            })
            .collect();
        index_names(conn, &entries).await?;
        ids.extend(inserted.into_iter().map(|(id, name)| (fold(&name), id)));
    }
    Ok(ids)
}

/// Records each team under its decision, creating the commune's decisions that do not exist yet; links that
/// already exist are kept.
async fn link_decisions(
    conn: &mut AnyConnection,
    commune_code: &str,
    teams: &[RosterTeam],
    team_ids: &[i64],
    stamp: &str,
) -> Result<(), StoreError> {
    let mut decision_ids: HashMap<(String, NaiveDate), i64> = HashMap::new();
    for decision in teams.iter().filter_map(|t| t.decision.as_ref()) {
        let key = (decision.number.clone(), decision.date);
        if decision_ids.contains_key(&key) {
            continue;
        }
        let existing: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM decisions WHERE commune_code = $1 AND number = $2 AND signed_on = $3",
        )
        .bind(commune_code)
        .bind(&decision.number)
        .bind(date_text(decision.date))
        .fetch_optional(&mut *conn)
        .await?;
        let id = match existing {
            Some(id) => id,
            None => {
                let valid = ValidDecision {
                    number: DecisionNumber::from_stored(decision.number.clone()),
                    signed_on: decision.date,
                    signer: String::new(),
                    kind: DecisionKind::Establish,
                };
                crate::decisions::insert_decision(conn, commune_code, &valid, stamp).await?
            }
        };
        decision_ids.insert(key, id);
    }
    let linked: HashSet<(i64, i64)> = sqlx::query_as(
        "SELECT dt.decision_id, dt.team_id FROM decision_teams dt JOIN teams t ON t.id = dt.team_id WHERE t.commune_code = $1",
    )
    .bind(commune_code)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let missing: Vec<(i64, i64)> = teams
        .iter()
        .zip(team_ids)
        .filter_map(|(team, &team_id)| {
            let decision = team.decision.as_ref()?;
            let decision_id = decision_ids[&(decision.number.clone(), decision.date)];
            (!linked.contains(&(decision_id, team_id))).then_some((decision_id, team_id))
        })
        .collect();
    for chunk in missing.chunks(400) {
        let sql = format!(
            "INSERT INTO decision_teams (decision_id, team_id) VALUES {}",
            values_list(&*conn, chunk.len(), 2)
        );
        let mut query = sqlx::query(&sql);
        for (decision_id, team_id) in chunk {
            query = query.bind(*decision_id).bind(*team_id);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Active members of other communes than the roster's who hold one of its phones (a warning, not an error).
async fn shared_phones(
    conn: &mut AnyConnection,
    roster: &Roster,
) -> Result<Vec<PhoneHolder>, StoreError> {
    let phones: Vec<String> = roster
        .communes
        .iter()
        .flat_map(|c| &c.teams)
        .flat_map(|t| &t.members)
        .filter_map(|m| m.phone.clone())
        .collect();
    let communes: HashSet<&str> = roster.communes.iter().map(|c| c.code.as_str()).collect();
    Ok(holders_of(conn, &phones)
        .await?
        .into_iter()
        .filter(|h| !communes.contains(h.commune_code.as_str()))
        .collect())
}

/// What an import changes in a commune, as the audit log shows it: its active teams and members.
async fn commune_counts(
    conn: &mut AnyConnection,
    commune_code: &str,
) -> Result<serde_json::Value, StoreError> {
    let (teams, members): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(active_members), 0) AS BIGINT) FROM teams \
         WHERE commune_code = $1 AND status = 'active'",
    )
    .bind(commune_code)
    .fetch_one(&mut *conn)
    .await?;
    Ok(serde_json::json!({"teams": teams.to_string(), "members": members.to_string()}))
}
