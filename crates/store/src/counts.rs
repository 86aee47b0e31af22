//! Each team row carries its counts (active members, leaders, members without phone, decisions), and each
//! commune a row of sums for the overview (`commune_stats`). They are recomputed from the members and
//! decisions, never incremented, after every change that can move them (a commune's under its lock).

use crate::connect::Backend;
use crate::StoreError;
use cnscd_domain::rules::DEFAULT_MIN_MEMBERS;
use sqlx::AnyConnection;

const RECOMPUTE: &str = "UPDATE teams SET \
    active_members = (SELECT COUNT(*) FROM members m WHERE m.team_id = teams.id AND m.left_on IS NULL), \
    active_leaders = (SELECT COUNT(*) FROM members m WHERE m.team_id = teams.id AND m.left_on IS NULL \
                      AND m.role = 'leader'), \
    members_without_phone = (SELECT COUNT(*) FROM members m WHERE m.team_id = teams.id AND m.left_on IS NULL \
                             AND m.phone IS NULL), \
    decisions = (SELECT COUNT(*) FROM decision_teams dt WHERE dt.team_id = teams.id)";

/// A commune's sums over its active teams (one row even without teams), written over the kept ones. A team
/// is understaffed below the province's smallest team size.
const COMMUNE_STATS: &str = "INSERT INTO commune_stats (commune_code, teams, members, teams_without_leader, \
    teams_without_decision, teams_understaffed, members_without_phone) \
    SELECT $1, COUNT(t.id), \
      CAST(COALESCE(SUM(t.active_members), 0) AS BIGINT), \
      CAST(COALESCE(SUM(CASE WHEN t.active_leaders = 0 THEN 1 ELSE 0 END), 0) AS BIGINT), \
      CAST(COALESCE(SUM(CASE WHEN t.decisions = 0 THEN 1 ELSE 0 END), 0) AS BIGINT), \
      CAST(COALESCE(SUM(CASE WHEN t.active_members < COALESCE((SELECT s.min_members FROM province_settings s \
        JOIN communes c ON c.province_code = s.province_code WHERE c.code = $1), $2) THEN 1 ELSE 0 END), 0) \
        AS BIGINT), \
      CAST(COALESCE(SUM(t.members_without_phone), 0) AS BIGINT) \
    FROM teams t WHERE t.commune_code = $1 AND t.status = 'active' \
    ON CONFLICT (commune_code) DO UPDATE SET teams = excluded.teams, members = excluded.members, \
      teams_without_leader = excluded.teams_without_leader, teams_without_decision = excluded.teams_without_decision, \
      teams_understaffed = excluded.teams_understaffed, members_without_phone = excluded.members_without_phone";

pub(crate) async fn refresh_team(conn: &mut AnyConnection, team_id: i64) -> Result<(), StoreError> {
    sqlx::query(&format!("{RECOMPUTE} WHERE id = $1"))
        .bind(team_id)
        .execute(&mut *conn)
        .await?;
    let commune: String = sqlx::query_scalar("SELECT commune_code FROM teams WHERE id = $1")
        .bind(team_id)
        .fetch_one(&mut *conn)
        .await?;
    refresh_commune_stats(conn, &commune).await
}

pub(crate) async fn refresh_commune(
    conn: &mut AnyConnection,
    commune_code: &str,
) -> Result<(), StoreError> {
    sqlx::query(&format!("{RECOMPUTE} WHERE commune_code = $1"))
        .bind(commune_code)
        .execute(&mut *conn)
        .await?;
    refresh_commune_stats(conn, commune_code).await
}

/// Recomputes a commune's sums from its teams' counts (after a team moved in or out, was dissolved, or the
/// province's team size changed). On PostgreSQL the commune is locked first: two changes to different teams
/// of one commune would otherwise each sum the teams as they stood before the other, and the last to commit
/// would write a sum without the other's change. Waiting here, the second sums after the first commits.
pub(crate) async fn refresh_commune_stats(
    conn: &mut AnyConnection,
    commune_code: &str,
) -> Result<(), StoreError> {
    if Backend::of(conn) == Backend::Postgres {
        sqlx::query("SELECT code FROM communes WHERE code = $1 FOR UPDATE")
            .bind(commune_code)
            .fetch_optional(&mut *conn)
            .await?;
    }
    sqlx::query(COMMUNE_STATS)
        .bind(commune_code)
        .bind(DEFAULT_MIN_MEMBERS)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Recomputes the sums of every commune of a province (its team size changed).
pub(crate) async fn refresh_province_stats(
    conn: &mut AnyConnection,
    province_code: &str,
) -> Result<(), StoreError> {
    let communes: Vec<String> =
        sqlx::query_scalar("SELECT code FROM communes WHERE province_code = $1 ORDER BY code")
            .bind(province_code)
            .fetch_all(&mut *conn)
            .await?;
    for code in communes {
        refresh_commune_stats(conn, &code).await?;
    }
    Ok(())
}
