//! Establishment and reorganisation decisions, each covering one or more teams of a commune.

use crate::audit::{Action, Actor, ObjectKind, Place};
use crate::counts::refresh_team;
use crate::sql::{date_text, in_list, values_list};
use crate::stored::{parse_stored, required_date};
use crate::teams::province_of_commune;
use crate::write::{Versioned, Write};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use cnscd_domain::decision::{DecisionKind, ValidDecision};
use cnscd_domain::FieldError;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone)]
pub struct Decision {
    pub id: i64,
    pub commune_code: String,
    pub number: String,
    pub signed_on: NaiveDate,
    pub signer: String,
    pub kind: DecisionKind,
    pub version: i64,
    /// The teams it establishes or reorganises.
    pub team_ids: Vec<i64>,
}

const DECISION_COLUMNS: &str = "id, commune_code, number, signed_on, signer, kind, version";

fn decision_from_row(row: &AnyRow) -> Result<Decision, sqlx::Error> {
    Ok(Decision {
        id: row.try_get("id")?,
        commune_code: row.try_get("commune_code")?,
        number: row.try_get("number")?,
        signed_on: required_date(row, "signed_on")?,
        signer: row.try_get("signer")?,
        kind: parse_stored(row, "kind", DecisionKind::from_code)?,
        version: row.try_get("version")?,
        team_ids: Vec::new(),
    })
}

async fn with_teams(
    conn: &mut AnyConnection,
    mut decisions: Vec<Decision>,
) -> Result<Vec<Decision>, StoreError> {
    if decisions.is_empty() {
        return Ok(decisions);
    }
    let sql = format!(
        "SELECT decision_id, team_id FROM decision_teams WHERE decision_id IN ({}) ORDER BY team_id",
        in_list(1, decisions.len())
    );
    let mut query = sqlx::query(&sql);
    for d in &decisions {
        query = query.bind(d.id);
    }
    for row in query.fetch_all(&mut *conn).await? {
        let decision_id: i64 = row.try_get("decision_id")?;
        let team_id: i64 = row.try_get("team_id")?;
        if let Some(d) = decisions.iter_mut().find(|d| d.id == decision_id) {
            d.team_ids.push(team_id);
        }
    }
    Ok(decisions)
}

async fn decision_in(conn: &mut AnyConnection, decision_id: i64) -> Result<Decision, StoreError> {
    let sql = format!("SELECT {DECISION_COLUMNS} FROM decisions WHERE id = $1");
    let row = sqlx::query(&sql)
        .bind(decision_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("quyết định"))?;
    let decision = decision_from_row(&row)?;
    Ok(with_teams(conn, vec![decision]).await?.remove(0))
}

/// Checks that every team belongs to the commune of the decision.
async fn check_teams_of_commune(
    conn: &mut AnyConnection,
    commune_code: &str,
    team_ids: &[i64],
) -> Result<(), StoreError> {
    if team_ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "SELECT COUNT(*) FROM teams WHERE commune_code = $1 AND id IN ({})",
        in_list(2, team_ids.len())
    );
    let mut query = sqlx::query_scalar::<_, i64>(&sql).bind(commune_code);
    for id in team_ids {
        query = query.bind(*id);
    }
    if query.fetch_one(&mut *conn).await? != team_ids.len() as i64 {
        return Err(FieldError::new(
            "team_ids",
            "team_other_commune",
            "Quyết định chỉ áp dụng cho các tổ của xã/phường này.",
        )
        .into());
    }
    Ok(())
}

async fn check_not_recorded(
    conn: &mut AnyConnection,
    commune_code: &str,
    decision: &ValidDecision,
    except_id: i64,
) -> Result<(), StoreError> {
    let existing: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM decisions WHERE commune_code = $1 AND number = $2 AND signed_on = $3 AND id <> $4",
    )
    .bind(commune_code)
    .bind(decision.number.as_str())
    .bind(date_text(decision.signed_on))
    .bind(except_id)
    .fetch_one(&mut *conn)
    .await?;
    if existing > 0 {
        return Err(FieldError::new(
            "number",
            "decision_duplicate",
            format!(
                "Quyết định {} đã được ghi nhận cho xã/phường này.",
                decision.number.as_str()
            ),
        )
        .into());
    }
    Ok(())
}

pub(crate) async fn insert_decision(
    conn: &mut AnyConnection,
    commune_code: &str,
    decision: &ValidDecision,
    stamp: &str,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO decisions (commune_code, number, signed_on, signer, kind, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id",
    )
    .bind(commune_code)
    .bind(decision.number.as_str())
    .bind(date_text(decision.signed_on))
    .bind(&decision.signer)
    .bind(decision.kind.code())
    .bind(stamp)
    .fetch_one(&mut *conn)
    .await?)
}

/// Makes `team_ids` the teams a decision covers; returns every team whose links changed, for recounting.
pub(crate) async fn link_teams(
    conn: &mut AnyConnection,
    decision_id: i64,
    team_ids: &[i64],
) -> Result<Vec<i64>, StoreError> {
    let mut touched: Vec<i64> =
        sqlx::query_scalar("SELECT team_id FROM decision_teams WHERE decision_id = $1")
            .bind(decision_id)
            .fetch_all(&mut *conn)
            .await?;
    sqlx::query("DELETE FROM decision_teams WHERE decision_id = $1")
        .bind(decision_id)
        .execute(&mut *conn)
        .await?;
    let mut unique: Vec<i64> = team_ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    for chunk in unique.chunks(400) {
        let sql = format!(
            "INSERT INTO decision_teams (decision_id, team_id) VALUES {}",
            values_list(&*conn, chunk.len(), 2)
        );
        let mut query = sqlx::query(&sql);
        for team_id in chunk {
            query = query.bind(decision_id).bind(*team_id);
        }
        query.execute(&mut *conn).await?;
    }
    touched.extend(unique);
    touched.sort_unstable();
    touched.dedup();
    Ok(touched)
}

/// Links a decision's teams and recounts the teams concerned (one decision touches a commune's few teams).
async fn link_and_recount(
    conn: &mut AnyConnection,
    decision_id: i64,
    team_ids: &[i64],
) -> Result<(), StoreError> {
    for team_id in link_teams(conn, decision_id, team_ids).await? {
        refresh_team(conn, team_id).await?;
    }
    Ok(())
}

fn versioned(decision_id: i64, version: i64) -> Versioned {
    Versioned {
        table: "decisions",
        what: "quyết định",
        id: decision_id,
        version,
    }
}

/// A decision unchanged since `expected_version`, read in the writing transaction.
async fn editable_decision(
    w: &mut Write,
    decision_id: i64,
    expected_version: i64,
) -> Result<Decision, StoreError> {
    let current = decision_in(w, decision_id).await?;
    if current.version != expected_version {
        return Err(StoreError::Conflict {
            current_version: current.version,
        });
    }
    Ok(current)
}

impl Store {
    /// Records a decision of a commune and the teams it covers.
    pub async fn create_decision(
        &self,
        commune_code: &str,
        decision: &ValidDecision,
        team_ids: &[i64],
        actor: &Actor,
    ) -> Result<Decision, StoreError> {
        let mut w = self.write(actor).await?;
        let province = province_of_commune(&mut w, commune_code).await?;
        check_teams_of_commune(&mut w, commune_code, team_ids).await?;
        check_not_recorded(&mut w, commune_code, decision, 0).await?;
        let stamp = w.stamp();
        let id = insert_decision(&mut w, commune_code, decision, &stamp).await?;
        link_and_recount(&mut w, id, team_ids).await?;
        let place = Place {
            province_code: &province,
            commune_code: Some(commune_code),
            team_id: None,
        };
        w.audit_record(Action::DecisionCreate, id, place, None)
            .await?;
        w.commit().await?;
        self.decision(id).await
    }

    pub async fn update_decision(
        &self,
        decision_id: i64,
        expected_version: i64,
        decision: &ValidDecision,
        team_ids: &[i64],
        actor: &Actor,
    ) -> Result<Decision, StoreError> {
        let mut w = self.write(actor).await?;
        let current = editable_decision(&mut w, decision_id, expected_version).await?;
        let before = w.snapshot(ObjectKind::Decision, decision_id).await?;
        check_teams_of_commune(&mut w, &current.commune_code, team_ids).await?;
        check_not_recorded(&mut w, &current.commune_code, decision, decision_id).await?;
        let values = (
            decision.number.as_str().to_string(),
            date_text(decision.signed_on),
            decision.signer.clone(),
            decision.kind.code(),
        );
        w.update_versioned(
            versioned(decision_id, expected_version),
            "number = $1, signed_on = $2, signer = $3, kind = $4",
            |q| {
                let (number, signed_on, signer, kind) = values;
                q.bind(number).bind(signed_on).bind(signer).bind(kind)
            },
        )
        .await?;
        link_and_recount(&mut w, decision_id, team_ids).await?;
        let province = province_of_commune(&mut w, &current.commune_code).await?;
        let place = Place {
            province_code: &province,
            commune_code: Some(&current.commune_code),
            team_id: None,
        };
        w.audit_record(Action::DecisionUpdate, decision_id, place, before)
            .await?;
        w.commit().await?;
        self.decision(decision_id).await
    }

    /// Removes a decision recorded by mistake (the teams it covered stay).
    pub async fn delete_decision(
        &self,
        decision_id: i64,
        expected_version: i64,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut w = self.write(actor).await?;
        let current = editable_decision(&mut w, decision_id, expected_version).await?;
        let before = w.snapshot(ObjectKind::Decision, decision_id).await?;
        link_and_recount(&mut w, decision_id, &[]).await?;
        let deleted = sqlx::query("DELETE FROM decisions WHERE id = $1 AND version = $2")
            .bind(decision_id)
            .bind(expected_version)
            .execute(&mut *w)
            .await?;
        if deleted.rows_affected() != 1 {
            return Err(StoreError::Conflict {
                current_version: expected_version + 1,
            });
        }
        let province = province_of_commune(&mut w, &current.commune_code).await?;
        let place = Place {
            province_code: &province,
            commune_code: Some(&current.commune_code),
            team_id: None,
        };
        w.audit_record(Action::DecisionDelete, decision_id, place, before)
            .await?;
        w.commit().await?;
        Ok(())
    }

    pub async fn decision(&self, decision_id: i64) -> Result<Decision, StoreError> {
        let mut conn = self.pool.acquire().await?;
        decision_in(&mut conn, decision_id).await
    }

    /// Decisions of a commune, newest first.
    pub async fn commune_decisions(&self, commune_code: &str) -> Result<Vec<Decision>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let sql = format!("SELECT {DECISION_COLUMNS} FROM decisions WHERE commune_code = $1 ORDER BY signed_on DESC, id DESC");
        let rows = sqlx::query(&sql)
            .bind(commune_code)
            .fetch_all(&mut *conn)
            .await?;
        let decisions = rows
            .iter()
            .map(decision_from_row)
            .collect::<Result<_, _>>()?;
        with_teams(&mut conn, decisions).await
    }

    /// Decisions that cover a team, newest first.
    pub async fn team_decisions(&self, team_id: i64) -> Result<Vec<Decision>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let rows = sqlx::query(
            "SELECT d.id, d.commune_code, d.number, d.signed_on, d.signer, d.kind, d.version FROM decisions d \
             JOIN decision_teams dt ON dt.decision_id = d.id WHERE dt.team_id = $1 ORDER BY d.signed_on DESC, d.id DESC",
        )
        .bind(team_id)
        .fetch_all(&mut *conn)
        .await?;
        let decisions = rows
            .iter()
            .map(decision_from_row)
            .collect::<Result<_, _>>()?;
        with_teams(&mut conn, decisions).await
    }
}
