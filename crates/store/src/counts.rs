//! Each team row carries its counts (active members, leaders, members without phone, decisions). They are
//! recomputed from the members and decisions, never incremented, after every change that can move them.

use crate::StoreError;
use sqlx::AnyConnection;

const RECOMPUTE: &str = "UPDATE teams SET \
    active_members = (SELECT COUNT(*) FROM members m WHERE m.team_id = teams.id AND m.left_on IS NULL), \
    active_leaders = (SELECT COUNT(*) FROM members m WHERE m.team_id = teams.id AND m.left_on IS NULL \
                      AND m.role = 'leader'), \
    members_without_phone = (SELECT COUNT(*) FROM members m WHERE m.team_id = teams.id AND m.left_on IS NULL \
                             AND m.phone IS NULL), \
    decisions = (SELECT COUNT(*) FROM decision_teams dt WHERE dt.team_id = teams.id)";

pub(crate) async fn refresh_team(conn: &mut AnyConnection, team_id: i64) -> Result<(), StoreError> {
    sqlx::query(&format!("{RECOMPUTE} WHERE id = $1"))
        .bind(team_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(crate) async fn refresh_commune(
    conn: &mut AnyConnection,
    commune_code: &str,
) -> Result<(), StoreError> {
    sqlx::query(&format!("{RECOMPUTE} WHERE commune_code = $1"))
        .bind(commune_code)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
