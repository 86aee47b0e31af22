//! The imports a commune received, and undoing one: every record it changed back to its values before, every
//! record it created removed, as one audited change. Only while nobody has changed those records since (an
//! undo must not erase later work): otherwise it is refused, saying so.

use super::records::{versions, MemberBefore, Restore};
use crate::audit::{snapshots, Action, Actor, Change, ObjectKind, Place};
use crate::connect::Backend;
use crate::counts::refresh_commune;
use crate::json_rows::{select_values, to_json, update_rows, Column};
use crate::search::{unindex_all, IndexEntry, Kind, PendingTerms};
use crate::sql::{date_text, in_list};
use crate::write::Write;
use crate::{Store, StoreError};
use cnscd_domain::import_plan::ImportMode;
use cnscd_domain::person_name::person_sort_key;
use cnscd_domain::FieldError;
use sqlx::Row;
use std::collections::HashMap;

/// An applied import as the commune page and the undo check read it.
#[derive(Debug, Clone)]
pub struct ImportRecord {
    pub id: i64,
    pub province_code: String,
    pub user_id: Option<i64>,
    pub username: String,
    pub at: String,
    pub file_name: String,
    pub mode: ImportMode,
    pub undone_at: Option<String>,
    pub undone_by: Option<String>,
    pub communes: Vec<ImportCommune>,
}

/// What an import changed in one commune.
#[derive(Debug, Clone)]
pub struct ImportCommune {
    pub code: String,
    pub teams_added: i64,
    pub teams_removed: i64,
    pub members_added: i64,
    pub members_changed: i64,
    pub members_removed: i64,
}

const IMPORT_COLUMNS: &str =
    "i.id, i.province_code, i.user_id, i.username, i.at, i.file_name, i.mode, i.undone_at, i.undone_by";

fn record_from_row(row: &sqlx::any::AnyRow) -> Result<ImportRecord, sqlx::Error> {
    Ok(ImportRecord {
        id: row.try_get("id")?,
        province_code: row.try_get("province_code")?,
        user_id: row.try_get("user_id")?,
        username: row.try_get("username")?,
        at: row.try_get("at")?,
        file_name: row.try_get("file_name")?,
        mode: crate::stored::parse_stored(row, "mode", ImportMode::from_code)?,
        undone_at: row.try_get("undone_at")?,
        undone_by: row.try_get("undone_by")?,
        communes: Vec::new(),
    })
}

async fn communes_of(
    conn: &mut sqlx::AnyConnection,
    import_id: i64,
) -> Result<Vec<ImportCommune>, StoreError> {
    let rows = sqlx::query(
        "SELECT commune_code, teams_added, teams_removed, members_added, members_changed, members_removed \
         FROM import_communes WHERE import_id = $1 ORDER BY commune_code",
    )
    .bind(import_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ImportCommune {
                code: row.try_get("commune_code")?,
                teams_added: row.try_get("teams_added")?,
                teams_removed: row.try_get("teams_removed")?,
                members_added: row.try_get("members_added")?,
                members_changed: row.try_get("members_changed")?,
                members_removed: row.try_get("members_removed")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

impl Store {
    pub async fn import_record(&self, import_id: i64) -> Result<ImportRecord, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let sql = format!("SELECT {IMPORT_COLUMNS} FROM imports i WHERE i.id = $1");
        let row = sqlx::query(&sql)
            .bind(import_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound("lần nhập"))?;
        let mut record = record_from_row(&row)?;
        record.communes = communes_of(&mut conn, import_id).await?;
        Ok(record)
    }

    /// The latest imports that changed a commune, newest first, with what they changed there.
    pub async fn commune_imports(
        &self,
        commune_code: &str,
        limit: i64,
    ) -> Result<Vec<ImportRecord>, StoreError> {
        let sql = format!(
            "SELECT {IMPORT_COLUMNS}, c.teams_added, c.teams_removed, c.members_added, c.members_changed, \
             c.members_removed FROM import_communes c JOIN imports i ON i.id = c.import_id \
             WHERE c.commune_code = $1 ORDER BY i.id DESC LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(commune_code)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let mut record = record_from_row(row)?;
                record.communes.push(ImportCommune {
                    code: commune_code.to_string(),
                    teams_added: row.try_get("teams_added")?,
                    teams_removed: row.try_get("teams_removed")?,
                    members_added: row.try_get("members_added")?,
                    members_changed: row.try_get("members_changed")?,
                    members_removed: row.try_get("members_removed")?,
                });
                Ok(record)
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Restores the registry as it was before an import (see the module's description).
    pub async fn undo_import(&self, import_id: i64, actor: &Actor) -> Result<(), StoreError> {
        let mut w = self.write(actor).await?;
        let stamp = w.stamp();
        // Claimed first, by one conditional statement: of two undos sent at once, the second waits for the
        // first and finds it done (and reads the record as the first, or a newer undo, left it).
        let claimed = sqlx::query(
            "UPDATE imports SET undone_at = $1, undone_by = $2 WHERE id = $3 AND undone_at IS NULL",
        )
        .bind(&stamp)
        .bind(&actor.username)
        .bind(import_id)
        .execute(&mut *w)
        .await?
        .rows_affected();
        let row = sqlx::query("SELECT province_code, undo FROM imports WHERE id = $1")
            .bind(import_id)
            .fetch_optional(&mut *w)
            .await?
            .ok_or(StoreError::NotFound("lần nhập"))?;
        if claimed == 0 {
            return Err(FieldError::new(
                "import",
                "import_undone",
                "Lần nhập này đã được hoàn tác rồi.",
            )
            .into());
        }
        let province: String = row.try_get("province_code")?;
        let undo: String = row.try_get("undo")?;
        let restore: Restore = serde_json::from_str(&undo)
            .map_err(|e| StoreError::Database(sqlx::Error::Decode(e.into())))?;
        let communes: Vec<String> = communes_of(&mut w, import_id)
            .await?
            .into_iter()
            .map(|c| c.code)
            .collect();
        // Held until the undo commits, so that no hand edit slips in between the checks below and the writes.
        for code in &communes {
            w.lock_commune_registry(code).await?;
        }
        check_newest(&mut w, import_id, &communes).await?;
        check_untouched(&mut w, &restore).await?;
        super::used_since::check_not_used_since(&mut w, &restore).await?;
        let decisions = decisions_before(&mut w, &restore).await?;
        for (decision_id, team_id) in &restore.links_added {
            sqlx::query("DELETE FROM decision_teams WHERE decision_id = $1 AND team_id = $2")
                .bind(decision_id)
                .bind(team_id)
                .execute(&mut *w)
                .await?;
        }
        // The members it added go, and those it changed get their values back: a few statements for any
        // number of them (a province's thousands), one update each.
        let created = &restore.members_created;
        let befores = snapshots(&mut w, ObjectKind::Member, created).await?;
        let places = member_places(&mut w, created).await?;
        unindex_active_members(&mut w, created).await?;
        delete_created(&mut w, "members", created).await?;
        log_restored(
            &mut w,
            Action::MemberRestore,
            &province,
            created,
            &places,
            [befores, HashMap::new()],
        )
        .await?;
        let members = &restore.members;
        let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
        let befores = snapshots(&mut w, ObjectKind::Member, &ids).await?;
        if befores.len() != ids.len() {
            return Err(StoreError::NotFound("thành viên"));
        }
        unindex_active_members(&mut w, &ids).await?;
        // Demotions and leavers in one statement, then the leaders they made room for in another.
        let (leaders, others): (Vec<&MemberBefore>, Vec<&MemberBefore>) = members
            .iter()
            .partition(|m| m.role == "leader" && m.left_on.is_none());
        for group in [others, leaders] {
            let rows: Vec<_> = group
                .iter()
                .map(|before| {
                    (
                        before.id,
                        &before.full_name,
                        person_sort_key(&before.full_name),
                        &before.role,
                        &before.phone,
                        &before.note,
                        before.joined_on.map(date_text),
                        before.left_on.map(date_text),
                    )
                })
                .collect();
            update_rows(&mut w, "members", &MEMBER_VALUES, &stamp, &rows).await?;
        }
        let mut terms = PendingTerms::default();
        for before in members.iter().filter(|m| m.left_on.is_none()) {
            terms.add(&IndexEntry {
                province_code: &province,
                kind: Kind::Member,
                ref_id: before.id.to_string(),
                name: &before.full_name,
            });
        }
        terms.write(&mut w).await?;
        let afters = snapshots(&mut w, ObjectKind::Member, &ids).await?;
        let places = member_places(&mut w, &ids).await?;
        log_restored(
            &mut w,
            Action::MemberRestore,
            &province,
            &ids,
            &places,
            [befores, afters],
        )
        .await?;
        let created = &restore.teams_created;
        let befores = snapshots(&mut w, ObjectKind::Team, created).await?;
        let places = team_places(&mut w, created).await?;
        let refs: Vec<String> = created.iter().map(i64::to_string).collect();
        unindex_all(&mut w, Kind::Team, &refs).await?;
        delete_created(&mut w, "teams", created).await?;
        log_restored(
            &mut w,
            Action::TeamRestore,
            &province,
            created,
            &places,
            [befores, HashMap::new()],
        )
        .await?;
        let ids: Vec<i64> = restore.teams.iter().map(|team| team.id).collect();
        let befores = snapshots(&mut w, ObjectKind::Team, &ids).await?;
        for before in &restore.teams {
            let status = if before.dissolved_on.is_some() {
                "dissolved"
            } else {
                "active"
            };
            sqlx::query(
                "UPDATE teams SET status = $1, dissolved_on = $2, version = version + 1, updated_at = $3 WHERE id = $4",
            )
            .bind(status)
            .bind(before.dissolved_on.map(date_text))
            .bind(&stamp)
            .bind(before.id)
            .execute(&mut *w)
            .await?;
        }
        let afters = snapshots(&mut w, ObjectKind::Team, &ids).await?;
        let places = team_places(&mut w, &ids).await?;
        log_restored(
            &mut w,
            Action::TeamRestore,
            &province,
            &ids,
            &places,
            [befores, afters],
        )
        .await?;
        for id in &restore.decisions_created {
            sqlx::query(
                "DELETE FROM decisions WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM decision_teams WHERE decision_id = $1)",
            )
            .bind(id)
            .execute(&mut *w)
            .await?;
        }
        // Each decision's own history says what the undo took from it.
        for (id, commune_code, before) in decisions {
            let after = w.snapshot(ObjectKind::Decision, id).await?;
            if before == after {
                continue;
            }
            let action = if after.is_some() {
                Action::DecisionUpdate
            } else {
                Action::DecisionDelete
            };
            w.audit(Change {
                action,
                object_id: id.to_string(),
                province_code: &province,
                commune_code: Some(&commune_code),
                team_id: None,
                before,
                after,
            })
            .await?;
        }
        for code in &communes {
            refresh_commune(&mut w, code).await?;
        }
        carry_versions_back(&mut w, import_id, &communes, &restore).await?;
        w.audit(Change {
            action: Action::ImportUndo,
            object_id: import_id.to_string(),
            province_code: &province,
            commune_code: communes
                .first()
                .map(String::as_str)
                .filter(|_| communes.len() == 1),
            team_id: None,
            before: None,
            after: Some(serde_json::json!({
                "communes": communes.join(", "),
                "teams": (restore.teams.len() + restore.teams_created.len()).to_string(),
                "members": (restore.members.len() + restore.members_created.len()).to_string(),
            })),
        })
        .await?;
        w.commit().await
    }
}

/// A member's values before the undo changes them, and her team.
/// The decisions an import created or put teams under, as they stand before its undo: (id, commune, values).
async fn decisions_before(
    w: &mut Write,
    restore: &Restore,
) -> Result<Vec<(i64, String, Option<serde_json::Value>)>, StoreError> {
    let mut ids: Vec<i64> = restore
        .links_added
        .iter()
        .map(|(decision, _)| *decision)
        .chain(restore.decisions_created.iter().copied())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut decisions = Vec::with_capacity(ids.len());
    for id in ids {
        let commune: Option<String> =
            sqlx::query_scalar("SELECT commune_code FROM decisions WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut **w)
                .await?;
        if let Some(commune) = commune {
            decisions.push((id, commune, w.snapshot(ObjectKind::Decision, id).await?));
        }
    }
    Ok(decisions)
}

/// A member's values an undo puts back, as `update_rows` takes them after her id.
const MEMBER_VALUES: [(&str, Column); 7] = [
    ("full_name", Column::Text),
    ("sort_key", Column::Text),
    ("role", Column::Text),
    ("phone", Column::Text),
    ("note", Column::Text),
    ("joined_on", Column::Text),
    ("left_on", Column::Text),
];

/// Deletes the records of `table` an import created, in one statement.
async fn delete_created(w: &mut Write, table: &'static str, ids: &[i64]) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "DELETE FROM {table} WHERE id IN ({})",
        select_values(Backend::of(w), 1, Column::Int)
    ))
    .bind(to_json(ids)?)
    .execute(&mut **w)
    .await?;
    Ok(())
}

/// Takes the members among `ids` still in their teams out of the search index.
async fn unindex_active_members(w: &mut Write, ids: &[i64]) -> Result<(), StoreError> {
    let active: Vec<String> = activity(w, "members", ids)
        .await?
        .into_iter()
        .filter(|(_, active)| *active)
        .map(|(id, _)| id.to_string())
        .collect();
    unindex_all(w, Kind::Member, &active).await
}

/// Each member's team and its commune, by member id.
async fn member_places(w: &mut Write, ids: &[i64]) -> Result<HashMap<i64, TeamPlace>, StoreError> {
    let sql = format!(
        "SELECT m.id, m.team_id, t.commune_code FROM members m JOIN teams t ON t.id = m.team_id \
         WHERE m.id IN ({})",
        select_values(Backend::of(w), 1, Column::Int)
    );
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(&sql)
        .bind(to_json(ids)?)
        .fetch_all(&mut **w)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, team_id, commune_code)| {
            (
                id,
                TeamPlace {
                    commune_code,
                    team_id,
                },
            )
        })
        .collect())
}

/// Logs the undo's change to each team or member of `ids`: its values before it and after it (none once
/// removed).
async fn log_restored(
    w: &mut Write,
    action: Action,
    province: &str,
    ids: &[i64],
    places: &HashMap<i64, TeamPlace>,
    [mut befores, mut afters]: [HashMap<i64, serde_json::Value>; 2],
) -> Result<(), StoreError> {
    let entries = ids
        .iter()
        .filter_map(|id| {
            let place = places.get(id)?.as_place(province);
            Some(Change {
                action,
                object_id: id.to_string(),
                province_code: place.province_code,
                commune_code: place.commune_code,
                team_id: place.team_id,
                before: befores.remove(id),
                after: afters.remove(id),
            })
        })
        .collect();
    w.audit_all(entries).await
}

/// Where a team is, for the history of what the undo changes in it.
struct TeamPlace {
    commune_code: String,
    team_id: i64,
}

impl TeamPlace {
    fn as_place<'a>(&'a self, province_code: &'a str) -> Place<'a> {
        Place {
            province_code,
            commune_code: Some(&self.commune_code),
            team_id: Some(self.team_id),
        }
    }
}

/// Each team's commune, by team id.
async fn team_places(w: &mut Write, ids: &[i64]) -> Result<HashMap<i64, TeamPlace>, StoreError> {
    let sql = format!(
        "SELECT id, commune_code FROM teams WHERE id IN ({})",
        select_values(Backend::of(w), 1, Column::Int)
    );
    let rows: Vec<(i64, String)> = sqlx::query_as(&sql)
        .bind(to_json(ids)?)
        .fetch_all(&mut **w)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(team_id, commune_code)| {
            (
                team_id,
                TeamPlace {
                    commune_code,
                    team_id,
                },
            )
        })
        .collect())
}

/// Whether each record of `table` is active (a member still in her team, a team not dissolved), by id.
async fn activity(
    w: &mut Write,
    table: &'static str,
    ids: &[i64],
) -> Result<Vec<(i64, bool)>, StoreError> {
    let mut found = Vec::with_capacity(ids.len());
    let active = if table == "members" {
        "left_on IS NULL"
    } else {
        "status = 'active'"
    };
    for chunk in ids.chunks(400) {
        let sql = format!(
            "SELECT id, CASE WHEN {active} THEN 1 ELSE 0 END AS active FROM {table} WHERE id IN ({})",
            in_list(1, chunk.len())
        );
        let mut query = sqlx::query(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        for row in query.fetch_all(&mut **w).await? {
            let active: i32 = row.try_get("active")?;
            found.push((row.try_get("id")?, active != 0));
        }
    }
    Ok(found)
}

/// Refuses the undo while a newer import of one of its communes is still applied: that file describes the
/// commune as it is, and taking an older one back from under it would leave a registry no file gave.
async fn check_newest(
    w: &mut Write,
    import_id: i64,
    communes: &[String],
) -> Result<(), StoreError> {
    let sql = format!(
        "SELECT i.id, i.file_name FROM imports i JOIN import_communes ic ON ic.import_id = i.id \
         WHERE i.id > $1 AND i.undone_at IS NULL AND ic.commune_code IN ({}) ORDER BY i.id DESC LIMIT 1",
        select_values(Backend::of(w), 2, Column::Text)
    );
    let newer: Option<(i64, String)> = sqlx::query_as(&sql)
        .bind(import_id)
        .bind(to_json(communes)?)
        .fetch_optional(&mut **w)
        .await?;
    match newer {
        Some((id, file_name)) => Err(FieldError::new(
            "import",
            "import_newer_applied",
            format!(
                "Lần nhập tệp «{file_name}» (số {id}) mới hơn và vẫn đang áp dụng cho xã/phường này. Các lần \
                 nhập được hoàn tác từ mới nhất: hãy hoàn tác lần đó trước."
            ),
        )
        .into()),
        None => Ok(()),
    }
}

/// After an undo, the older imports of the same communes that left a record exactly as this import found it
/// (their version is the one before this import's) see it back as they left it, only with the version the undo
/// gave it: they take that version, so they can still be undone, newest first as the refusal below asks.
/// A record someone else changed in between keeps its older version, and its import stays refused.
async fn carry_versions_back(
    w: &mut Write,
    import_id: i64,
    communes: &[String],
    restore: &Restore,
) -> Result<(), StoreError> {
    let mut teams = HashMap::new();
    let mut members = HashMap::new();
    let [team_found, member_found] = restore.found_versions();
    for (table, found, ids, moved) in [
        (
            "teams",
            team_found,
            restore.teams.iter().map(|t| t.id).collect::<Vec<_>>(),
            &mut teams,
        ),
        (
            "members",
            member_found,
            restore.members.iter().map(|m| m.id).collect::<Vec<_>>(),
            &mut members,
        ),
    ] {
        // The records this import changed (not those it created, which the undo removed), as it found
        // them and as the undo left them.
        for (id, now) in versions(w, table, &ids).await? {
            if let Some(found) = found.get(&id) {
                moved.insert(id, (*found, now));
            }
        }
    }
    if teams.is_empty() && members.is_empty() {
        return Ok(());
    }
    let backend = Backend::of(w);
    let sql = format!(
        "SELECT DISTINCT i.id FROM imports i JOIN import_communes ic ON ic.import_id = i.id \
         WHERE i.id < $1 AND i.undone_at IS NULL AND ic.commune_code IN ({})",
        select_values(backend, 2, Column::Text)
    );
    let older: Vec<i64> = sqlx::query_scalar(&sql)
        .bind(import_id)
        .bind(to_json(communes)?)
        .fetch_all(&mut **w)
        .await?;
    for older_id in older {
        let undo: String = sqlx::query_scalar("SELECT undo FROM imports WHERE id = $1")
            .bind(older_id)
            .fetch_one(&mut **w)
            .await?;
        let mut kept: Restore = serde_json::from_str(&undo)
            .map_err(|e| StoreError::Database(sqlx::Error::Decode(e.into())))?;
        let mut carried = false;
        for (written, now) in [
            (&mut kept.team_versions, &teams),
            (&mut kept.member_versions, &members),
        ] {
            for (id, version) in written.iter_mut() {
                if let Some((found, restored)) = now.get(id) {
                    if version == found {
                        *version = *restored;
                        carried = true;
                    }
                }
            }
        }
        if carried {
            sqlx::query("UPDATE imports SET undo = $1 WHERE id = $2")
                .bind(to_json(&kept)?)
                .bind(older_id)
                .execute(&mut **w)
                .await?;
        }
    }
    Ok(())
}

/// Refuses the undo if any record the import wrote was saved again since: its version moved.
async fn check_untouched(w: &mut Write, restore: &Restore) -> Result<(), StoreError> {
    let mut changed: Vec<String> = Vec::new();
    for (table, column, written) in [
        ("teams", "name", &restore.team_versions),
        ("members", "full_name", &restore.member_versions),
    ] {
        let now: HashMap<i64, i64> = versions(
            w,
            table,
            &written.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        )
        .await?
        .into_iter()
        .collect();
        let moved: Vec<i64> = written
            .iter()
            .filter(|(id, version)| now.get(id) != Some(version))
            .map(|(id, _)| *id)
            .collect();
        for chunk in moved.chunks(400) {
            let sql = format!(
                "SELECT {column} FROM {table} WHERE id IN ({})",
                in_list(1, chunk.len())
            );
            let mut query = sqlx::query_scalar::<_, String>(&sql);
            for id in chunk {
                query = query.bind(*id);
            }
            changed.extend(query.fetch_all(&mut **w).await?);
        }
    }
    if !changed.is_empty() {
        const NAMED: usize = 10;
        let more = changed.len().saturating_sub(NAMED);
        let mut names = changed
            .iter()
            .take(NAMED)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if more > 0 {
            names.push_str(&format!(" và {more} tổ, người khác"));
        }
        return Err(FieldError::new(
            "import",
            "import_changed_since",
            format!(
                "Không thể đưa sổ về đúng như trước lần nhập này: sau đó {names} đã được sửa riêng (trên trang \
                 của tổ hoặc qua API). Hãy sửa tiếp trên trang của tổ, hoặc nhập lại một tệp danh sách đúng của \
                 xã/phường."
            ),
        )
        .into());
    }
    Ok(())
}
