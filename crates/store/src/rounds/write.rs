//! Opening, editing, extending and closing a round. Each is one audited change; the version check is the
//! conditional update itself.

use super::{round_in, Round};
use crate::audit::{Action, ObjectKind, Place};
use crate::sql::{date_text, values_list};
use crate::write::{Versioned, Write};
use crate::{Actor, Store, StoreError};
use chrono::{DateTime, Utc};
use cnscd_domain::clock::stamp;
use cnscd_domain::round::{Indicator, ValidRound};
use cnscd_domain::FieldError;

fn versioned(round_id: i64, version: i64) -> Versioned {
    Versioned {
        table: "rounds",
        what: "đợt báo cáo",
        id: round_id,
        version,
    }
}

fn place(province_code: &str) -> Place<'_> {
    Place {
        province_code,
        commune_code: None,
        team_id: None,
    }
}

pub(crate) fn closed_error() -> StoreError {
    StoreError::NotNow(FieldError::new(
        "round",
        "round_closed",
        "Đợt báo cáo đã đóng: không nhận thêm báo cáo và không sửa được nữa.",
    ))
}

async fn set_indicators(
    w: &mut Write,
    round_id: i64,
    indicators: &[Indicator],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM round_indicators WHERE round_id = $1")
        .bind(round_id)
        .execute(&mut **w)
        .await?;
    let sql = format!(
        "INSERT INTO round_indicators (round_id, position, code, name, unit) VALUES {}",
        values_list(w, indicators.len(), 5)
    );
    let mut query = sqlx::query(&sql);
    for (position, indicator) in indicators.iter().enumerate() {
        query = query
            .bind(round_id)
            .bind(position as i64)
            .bind(indicator.code.clone())
            .bind(indicator.name.clone())
            .bind(indicator.unit.clone());
    }
    query.execute(&mut **w).await?;
    Ok(())
}

/// Drafts keep only the figures the round still asks (nothing is submitted while a round's questions change).
async fn drop_figures_not_asked(w: &mut Write, round_id: i64) -> Result<(), StoreError> {
    sqlx::query(
        "DELETE FROM report_figures WHERE report_id IN (SELECT id FROM reports WHERE round_id = $1) \
         AND code NOT IN (SELECT code FROM round_indicators WHERE round_id = $1)",
    )
    .bind(round_id)
    .execute(&mut **w)
    .await?;
    Ok(())
}

async fn record_deadline(
    w: &mut Write,
    round_id: i64,
    deadline: DateTime<Utc>,
    reason: &str,
) -> Result<(), StoreError> {
    let set_by = w.actor().map(|a| a.username.clone()).unwrap_or_default();
    let set_at = w.stamp();
    sqlx::query(
        "INSERT INTO round_deadlines (round_id, deadline, set_at, set_by, reason) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(round_id)
    .bind(stamp(deadline))
    .bind(set_at)
    .bind(set_by)
    .bind(reason)
    .execute(&mut **w)
    .await?;
    Ok(())
}

/// A round that may still be changed: open, and (for its questions) not yet answered.
async fn open_round(w: &mut Write, round_id: i64) -> Result<Round, StoreError> {
    let round = round_in(w, round_id).await?;
    if !round.is_open() {
        return Err(closed_error());
    }
    Ok(round)
}

impl Store {
    /// Records the change to a round in the log, commits, and answers the round as it now is.
    async fn finish(
        &self,
        mut w: Write,
        action: Action,
        round: &Round,
        before: Option<serde_json::Value>,
    ) -> Result<Round, StoreError> {
        w.audit_record(action, round.id, place(&round.province_code), before)
            .await?;
        w.commit().await?;
        self.round(round.id).await
    }

    /// Opens a round: every commune of the province at this moment is expected to report.
    pub async fn create_round(
        &self,
        province_code: &str,
        round: &ValidRound,
        indicators: &[Indicator],
        actor: &Actor,
    ) -> Result<Round, StoreError> {
        let mut w = self.write(actor).await?;
        let stamp_now = w.stamp();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO rounds (province_code, title, basis, kind, period_start, period_end, deadline, created_by, \
               version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) RETURNING id",
        )
        .bind(province_code)
        .bind(&round.title)
        .bind(&round.basis)
        .bind(round.kind.code())
        .bind(round.period_start.map(date_text))
        .bind(round.period_end.map(date_text))
        .bind(stamp(round.deadline))
        .bind(&actor.username)
        .bind(&stamp_now)
        .fetch_one(&mut *w)
        .await?;
        set_indicators(&mut w, id, indicators).await?;
        sqlx::query(
            "INSERT INTO round_communes (round_id, commune_code) SELECT $1, code FROM communes WHERE province_code = $2",
        )
        .bind(id)
        .bind(province_code)
        .execute(&mut *w)
        .await?;
        record_deadline(&mut w, id, round.deadline, "").await?;
        w.audit_record(Action::RoundCreate, id, place(province_code), None)
            .await?;
        w.commit().await?;
        self.round(id).await
    }

    /// Changes what a round asks, until the first report is submitted.
    pub async fn update_round(
        &self,
        round_id: i64,
        expected_version: i64,
        round: &ValidRound,
        indicators: &[Indicator],
        actor: &Actor,
    ) -> Result<Round, StoreError> {
        let mut w = self.write(actor).await?;
        let current = open_round(&mut w, round_id).await?;
        if current.answered > 0 {
            return Err(StoreError::NotNow(FieldError::new(
                "round",
                "round_answered",
                "Đã có xã/phường nộp báo cáo: không sửa được nội dung đợt nữa (chỉ gia hạn hoặc đóng đợt).",
            )));
        }
        let before = w.snapshot(ObjectKind::Round, round_id).await?;
        let values = (
            round.title.clone(),
            round.basis.clone(),
            round.kind.code(),
            round.period_start.map(date_text),
            round.period_end.map(date_text),
            stamp(round.deadline),
        );
        w.update_versioned(
            versioned(round_id, expected_version),
            "title = $1, basis = $2, kind = $3, period_start = $4, period_end = $5, deadline = $6",
            |q| {
                let (title, basis, kind, start, end, deadline) = values;
                q.bind(title)
                    .bind(basis)
                    .bind(kind)
                    .bind(start)
                    .bind(end)
                    .bind(deadline)
            },
        )
        .await?;
        set_indicators(&mut w, round_id, indicators).await?;
        drop_figures_not_asked(&mut w, round_id).await?;
        if round.deadline != current.deadline {
            record_deadline(&mut w, round_id, round.deadline, "Sửa đợt").await?;
        }
        self.finish(w, Action::RoundUpdate, &current, before).await
    }

    /// Moves the deadline (kept in the round's history); timeliness is judged against the deadline in force.
    pub async fn extend_round(
        &self,
        round_id: i64,
        expected_version: i64,
        deadline: DateTime<Utc>,
        reason: &str,
        actor: &Actor,
    ) -> Result<Round, StoreError> {
        let mut w = self.write(actor).await?;
        let current = open_round(&mut w, round_id).await?;
        let before = w.snapshot(ObjectKind::Round, round_id).await?;
        let deadline_text = stamp(deadline);
        w.update_versioned(
            versioned(round_id, expected_version),
            "deadline = $1",
            |q| q.bind(deadline_text),
        )
        .await?;
        record_deadline(&mut w, round_id, deadline, reason).await?;
        self.finish(w, Action::RoundExtend, &current, before).await
    }

    /// Closes a round: no more submissions (the Department may still accept what was submitted).
    pub async fn close_round(
        &self,
        round_id: i64,
        expected_version: i64,
        actor: &Actor,
    ) -> Result<Round, StoreError> {
        let mut w = self.write(actor).await?;
        let current = open_round(&mut w, round_id).await?;
        let before = w.snapshot(ObjectKind::Round, round_id).await?;
        let now = w.stamp();
        w.update_versioned(
            versioned(round_id, expected_version),
            "closed_at = $1",
            |q| q.bind(now),
        )
        .await?;
        self.finish(w, Action::RoundClose, &current, before).await
    }
}
