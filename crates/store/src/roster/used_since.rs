//! What an undo would break: records the import created or brought back that others have built on since. A
//! member added by hand to a team the import created (or revived) would be deleted with it, or left active in
//! a dissolved team; a decision, a consent or a training place given since would lose its team or person. The
//! undo is refused, naming each, rather than failing on the database's keys.

use super::records::Restore;
use crate::json_rows::{select_values, to_json, Column};
use crate::write::Write;
use crate::StoreError;
use cnscd_domain::FieldError;
use std::collections::HashSet;

/// Refuses the undo when a record it would remove or dissolve is used by something made since the import.
pub(super) async fn check_not_used_since(
    w: &mut Write,
    restore: &Restore,
) -> Result<(), StoreError> {
    let mut uses: Vec<String> = Vec::new();
    let created: Vec<i64> = restore.members_created.clone();
    // In the teams the undo deletes: anyone the import did not bring.
    for (name, team) in members_beyond(w, &restore.teams_created, &created, false).await? {
        uses.push(format!("«{name}» đã được thêm vào tổ «{team}»"));
    }
    // In the teams it dissolves again: anyone active it did not bring or change.
    let revived: Vec<i64> = restore
        .teams
        .iter()
        .filter(|team| team.dissolved_on.is_some())
        .map(|team| team.id)
        .collect();
    let known: Vec<i64> = created
        .iter()
        .copied()
        .chain(restore.members.iter().map(|member| member.id))
        .collect();
    for (name, team) in members_beyond(w, &revived, &known, true).await? {
        uses.push(format!("«{name}» đã được thêm vào tổ «{team}»"));
    }
    uses.extend(decisions_since(w, restore).await?);
    uses.extend(people_used_since(w, &created).await?);
    if uses.is_empty() {
        return Ok(());
    }
    const NAMED: usize = 10;
    let more = uses.len().saturating_sub(NAMED);
    let mut said = uses.into_iter().take(NAMED).collect::<Vec<_>>().join("; ");
    if more > 0 {
        said.push_str(&format!("; và {more} việc khác"));
    }
    Err(FieldError::new(
        "import",
        "import_used_since",
        format!(
            "Không thể đưa sổ về đúng như trước lần nhập này: sau lần nhập, {said}. Hoàn tác sẽ xoá hoặc giải \
             thể những tổ, người do lần nhập này thêm. Hãy sửa tiếp trên trang của tổ, hoặc nhập lại một tệp \
             danh sách đúng của xã/phường."
        ),
    )
    .into())
}

/// Members of `teams` other than `known` (only active ones when asked): (name, team).
async fn members_beyond(
    w: &mut Write,
    teams: &[i64],
    known: &[i64],
    active_only: bool,
) -> Result<Vec<(String, String)>, StoreError> {
    if teams.is_empty() {
        return Ok(Vec::new());
    }
    let backend = crate::connect::Backend::of(w);
    let sql = format!(
        "SELECT m.full_name, t.name FROM members m JOIN teams t ON t.id = m.team_id \
         WHERE m.team_id IN ({}) AND m.id NOT IN ({}){} ORDER BY m.id",
        select_values(backend, 1, Column::Int),
        select_values(backend, 2, Column::Int),
        if active_only {
            " AND m.left_on IS NULL"
        } else {
            ""
        }
    );
    Ok(sqlx::query_as(&sql)
        .bind(to_json(teams)?)
        .bind(to_json(known)?)
        .fetch_all(&mut **w)
        .await?)
}

/// Teams the import created that were put under a decision since.
async fn decisions_since(w: &mut Write, restore: &Restore) -> Result<Vec<String>, StoreError> {
    if restore.teams_created.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT dt.decision_id, dt.team_id, t.name, d.number FROM decision_teams dt \
         JOIN teams t ON t.id = dt.team_id JOIN decisions d ON d.id = dt.decision_id \
         WHERE dt.team_id IN ({}) ORDER BY dt.team_id",
        select_values(crate::connect::Backend::of(w), 1, Column::Int)
    );
    let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(&sql)
        .bind(to_json(&restore.teams_created)?)
        .fetch_all(&mut **w)
        .await?;
    let linked: HashSet<(i64, i64)> = restore.links_added.iter().copied().collect();
    Ok(rows
        .into_iter()
        .filter(|(decision, team, _, _)| !linked.contains(&(*decision, *team)))
        .map(|(_, _, team, number)| format!("tổ «{team}» đã được ghi vào quyết định {number}"))
        .collect())
}

/// People the import added who were since recorded as consenting to be public, or registered for training.
async fn people_used_since(w: &mut Write, created: &[i64]) -> Result<Vec<String>, StoreError> {
    if created.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT m.full_name FROM members m WHERE m.id IN ({}) \
         AND (EXISTS (SELECT 1 FROM member_consents c WHERE c.member_id = m.id) \
         OR EXISTS (SELECT 1 FROM training_registrations r WHERE r.member_id = m.id)) ORDER BY m.id",
        select_values(crate::connect::Backend::of(w), 1, Column::Int)
    );
    let names: Vec<String> = sqlx::query_scalar(&sql)
        .bind(to_json(created)?)
        .fetch_all(&mut **w)
        .await?;
    Ok(names
        .into_iter()
        .map(|name| format!("«{name}» đã được ghi đồng ý công khai hoặc đăng ký tập huấn"))
        .collect())
}
