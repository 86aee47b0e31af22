//! A commune's report in a round: saved as a draft as often as needed, submitted (freezing its team list),
//! then returned with a reason or accepted by the Department.

use super::write::closed_error;
use super::{optional_instant, round_in, Round};
use crate::audit::{Action, ObjectKind, Place};
use crate::sql::values_list;
use crate::stored::parse_stored;
use crate::write::{Versioned, Write};
use crate::{Actor, Store, StoreError};
use chrono::{DateTime, Utc};
use cnscd_domain::round::{check_complete, on_time, Narrative, ReportState};
use cnscd_domain::FieldError;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Report {
    /// `None` until the commune first saves.
    pub id: Option<i64>,
    pub round_id: i64,
    pub commune_code: String,
    pub state: ReportState,
    pub figures: BTreeMap<String, i64>,
    pub narrative: Narrative,
    pub submissions: i64,
    pub first_submitted_at: Option<DateTime<Utc>>,
    pub last_submitted_at: Option<DateTime<Utc>>,
    pub submitted_by: Option<String>,
    /// Entered by the Department from a paper report.
    pub on_behalf: bool,
    pub return_reason: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub reviewed_by: Option<String>,
    /// The figures as last submitted (what the Department reviews while a returned report is corrected).
    pub submitted_figures: Option<BTreeMap<String, i64>>,
    /// The team list frozen at the last submission (JSON) and its counts.
    pub roster: Option<String>,
    pub roster_teams: Option<i64>,
    pub roster_members: Option<i64>,
    /// 0 until the commune first saves.
    pub version: i64,
}

impl Report {
    fn not_started(round_id: i64, commune_code: &str) -> Self {
        Self {
            id: None,
            round_id,
            commune_code: commune_code.to_string(),
            state: ReportState::NotStarted,
            figures: BTreeMap::new(),
            narrative: Narrative::default(),
            submissions: 0,
            first_submitted_at: None,
            last_submitted_at: None,
            submitted_by: None,
            on_behalf: false,
            return_reason: None,
            reviewed_at: None,
            reviewed_by: None,
            submitted_figures: None,
            roster: None,
            roster_teams: None,
            roster_members: None,
            version: 0,
        }
    }

    /// Submitted in time against the round's deadline in force (`None` before the first submission).
    pub fn on_time(&self, deadline: DateTime<Utc>) -> Option<bool> {
        self.first_submitted_at.map(|at| on_time(at, deadline))
    }
}

/// What a commune saves: its figures (those given) and its narrative.
#[derive(Debug, Clone, Default)]
pub struct ReportDraft {
    pub figures: BTreeMap<String, i64>,
    pub narrative: Narrative,
}

/// The commune's team list at submission, frozen with the report.
#[derive(Debug, Clone)]
pub struct RosterSnapshot {
    pub json: String,
    pub teams: i64,
    pub members: i64,
}

const REPORT_COLUMNS: &str = "id, round_id, commune_code, state, results, difficulties, proposals, submissions, \
     first_submitted_at, last_submitted_at, submitted_by, on_behalf, return_reason, reviewed_at, reviewed_by, \
     roster, submitted_figures, roster_teams, roster_members, version";

fn report_from_row(row: &AnyRow) -> Result<Report, sqlx::Error> {
    Ok(Report {
        id: Some(row.try_get("id")?),
        round_id: row.try_get("round_id")?,
        commune_code: row.try_get("commune_code")?,
        state: parse_stored(row, "state", ReportState::from_code)?,
        figures: BTreeMap::new(),
        narrative: Narrative {
            results: row.try_get("results")?,
            difficulties: row.try_get("difficulties")?,
            proposals: row.try_get("proposals")?,
        },
        submissions: row.try_get("submissions")?,
        first_submitted_at: optional_instant(row, "first_submitted_at")?,
        last_submitted_at: optional_instant(row, "last_submitted_at")?,
        submitted_by: row.try_get("submitted_by")?,
        on_behalf: row.try_get::<i64, _>("on_behalf")? != 0,
        return_reason: row.try_get("return_reason")?,
        reviewed_at: optional_instant(row, "reviewed_at")?,
        reviewed_by: row.try_get("reviewed_by")?,
        roster: row.try_get("roster")?,
        submitted_figures: crate::stored::parse_optional(row, "submitted_figures", |t| {
            serde_json::from_str(t).ok()
        })?,
        roster_teams: row.try_get("roster_teams")?,
        roster_members: row.try_get("roster_members")?,
        version: row.try_get("version")?,
    })
}

pub(crate) async fn figures_of(
    conn: &mut AnyConnection,
    report_id: i64,
) -> Result<BTreeMap<String, i64>, StoreError> {
    let rows = sqlx::query("SELECT code, value FROM report_figures WHERE report_id = $1")
        .bind(report_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("code")?, row.try_get("value")?)))
        .collect()
}

async fn report_in(
    conn: &mut AnyConnection,
    round_id: i64,
    commune_code: &str,
) -> Result<Report, StoreError> {
    let sql =
        format!("SELECT {REPORT_COLUMNS} FROM reports WHERE round_id = $1 AND commune_code = $2");
    let Some(row) = sqlx::query(&sql)
        .bind(round_id)
        .bind(commune_code)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(Report::not_started(round_id, commune_code));
    };
    let mut report = report_from_row(&row)?;
    report.figures = figures_of(conn, report.id.expect("stored")).await?;
    Ok(report)
}

async fn set_figures(
    w: &mut Write,
    report_id: i64,
    figures: &BTreeMap<String, i64>,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM report_figures WHERE report_id = $1")
        .bind(report_id)
        .execute(&mut **w)
        .await?;
    if figures.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO report_figures (report_id, code, value) VALUES {}",
        values_list(w, figures.len(), 3)
    );
    let mut query = sqlx::query(&sql);
    for (code, value) in figures {
        query = query.bind(report_id).bind(code.clone()).bind(*value);
    }
    query.execute(&mut **w).await?;
    Ok(())
}

fn versioned(report: &Report, expected_version: Option<i64>) -> Versioned {
    Versioned {
        table: "reports",
        what: "báo cáo",
        id: report.id.unwrap_or_default(),
        version: expected_version.unwrap_or(report.version),
    }
}

fn not_now(code: &'static str, message: &str) -> StoreError {
    StoreError::NotNow(FieldError::new("state", code, message))
}

/// The round (open, and expecting the commune) and the commune's report, locked for this change.
async fn for_change(
    w: &mut Write,
    round_id: i64,
    commune_code: &str,
    must_be_open: bool,
) -> Result<(Round, Report), StoreError> {
    let round = round_in(w, round_id).await?;
    if must_be_open && !round.is_open() {
        return Err(closed_error());
    }
    let expected: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM round_communes WHERE round_id = $1 AND commune_code = $2",
    )
    .bind(round_id)
    .bind(commune_code)
    .fetch_one(&mut **w)
    .await?;
    if expected == 0 {
        return Err(StoreError::NotFound("báo cáo"));
    }
    // On PostgreSQL, changes to one commune's report wait for each other from here (the first save creates
    // the row: two at once would both try); SQLite already has one writer at a time.
    w.lock_commune(commune_code).await?;
    let report = report_in(w, round_id, commune_code).await?;
    if let Some(id) = report.id {
        w.lock("reports", id).await?;
    }
    Ok((round, report))
}

async fn audit_report(
    w: &mut Write,
    action: Action,
    round: &Round,
    report_id: i64,
    commune_code: &str,
    before: Option<serde_json::Value>,
) -> Result<(), StoreError> {
    let place = Place {
        province_code: &round.province_code,
        commune_code: Some(commune_code),
        team_id: None,
    };
    w.audit_record(action, report_id, place, before).await
}

impl Store {
    /// The commune's report in the round (`not_started` when nothing was saved).
    pub async fn report(&self, round_id: i64, commune_code: &str) -> Result<Report, StoreError> {
        let mut conn = self.pool.acquire().await?;
        report_in(&mut conn, round_id, commune_code).await
    }

    /// Saves the commune's figures and narrative as a draft, replacing what was saved: `expected_version` is
    /// required once a draft exists, so that nobody overwrites a draft they have not seen. A report returned by
    /// the Department stays returned until submitted again. `on_behalf`: entered by the Department.
    pub async fn save_report(
        &self,
        round_id: i64,
        commune_code: &str,
        expected_version: Option<i64>,
        draft: &ReportDraft,
        on_behalf: bool,
        actor: &Actor,
    ) -> Result<Report, StoreError> {
        let mut w = self.write(actor).await?;
        let (round, current) = for_change(&mut w, round_id, commune_code, true).await?;
        if !current.state.editable() {
            return Err(not_now(
                "report_submitted",
                "Báo cáo đã nộp: không sửa được nữa, trừ khi Sở trả lại.",
            ));
        }
        let n = &draft.narrative;
        match current.id {
            Some(id) => {
                let Some(expected_version) = expected_version else {
                    return Err(FieldError::new(
                        "version",
                        "version_required",
                        format!(
                            "Báo cáo đã có bản lưu (phiên bản {}): hãy gửi kèm version của bản bạn đã xem để không ghi đè thay đổi của người khác.",
                            current.version
                        ),
                    )
                    .into());
                };
                let before = w.snapshot(ObjectKind::Report, id).await?;
                let values = (
                    n.results.clone(),
                    n.difficulties.clone(),
                    n.proposals.clone(),
                    i64::from(on_behalf),
                );
                w.update_versioned(
                    versioned(&current, Some(expected_version)),
                    "results = $1, difficulties = $2, proposals = $3, on_behalf = $4",
                    |q| {
                        let (results, difficulties, proposals, on_behalf) = values;
                        q.bind(results)
                            .bind(difficulties)
                            .bind(proposals)
                            .bind(on_behalf)
                    },
                )
                .await?;
                set_figures(&mut w, id, &draft.figures).await?;
                audit_report(&mut w, Action::ReportSave, &round, id, commune_code, before).await?;
            }
            None => {
                let stamp = w.stamp();
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO reports (round_id, commune_code, state, results, difficulties, proposals, on_behalf, \
                       version, created_at, updated_at) VALUES ($1, $2, 'draft', $3, $4, $5, $6, 1, $7, $7) RETURNING id",
                )
                .bind(round_id)
                .bind(commune_code)
                .bind(&n.results)
                .bind(&n.difficulties)
                .bind(&n.proposals)
                .bind(i64::from(on_behalf))
                .bind(&stamp)
                .fetch_one(&mut *w)
                .await?;
                set_figures(&mut w, id, &draft.figures).await?;
                audit_report(&mut w, Action::ReportSave, &round, id, commune_code, None).await?;
            }
        }
        w.commit().await?;
        self.report(round_id, commune_code).await
    }

    /// Submits what was saved, with every indicator answered, freezing the commune's team list. The first
    /// submission's time is kept for timeliness.
    pub async fn submit_report(
        &self,
        round_id: i64,
        commune_code: &str,
        expected_version: Option<i64>,
        roster: RosterSnapshot,
        on_behalf: bool,
        actor: &Actor,
    ) -> Result<Report, StoreError> {
        let mut w = self.write(actor).await?;
        let (round, current) = for_change(&mut w, round_id, commune_code, true).await?;
        let Some(id) = current.id.filter(|_| current.state.submittable()) else {
            return Err(match current.state {
                ReportState::NotStarted => {
                    not_now("report_not_saved", "Hãy điền và lưu báo cáo trước khi nộp.")
                }
                _ => not_now("report_submitted", "Báo cáo đã nộp rồi."),
            });
        };
        check_complete(&round.indicators, &current.figures, &current.narrative)?;
        let submitted_figures = serde_json::to_string(&current.figures)
            .map_err(|e| StoreError::Database(sqlx::Error::Encode(e.into())))?;
        let before = w.snapshot(ObjectKind::Report, id).await?;
        let now = w.stamp();
        let by = actor.username.clone();
        w.update_versioned(
            versioned(&current, expected_version),
            "state = 'submitted', submissions = submissions + 1, \
             first_submitted_at = COALESCE(first_submitted_at, $1), last_submitted_at = $2, submitted_by = $3, \
             on_behalf = $4, return_reason = NULL, roster = $5, roster_teams = $6, roster_members = $7, \
             submitted_figures = $8",
            |q| {
                q.bind(now.clone())
                    .bind(now)
                    .bind(by)
                    .bind(i64::from(on_behalf))
                    .bind(roster.json)
                    .bind(roster.teams)
                    .bind(roster.members)
                    .bind(submitted_figures)
            },
        )
        .await?;
        audit_report(
            &mut w,
            Action::ReportSubmit,
            &round,
            id,
            commune_code,
            before,
        )
        .await?;
        w.commit().await?;
        self.report(round_id, commune_code).await
    }

    /// Returns a submitted report to the commune with the reason (the round must still take submissions).
    pub async fn return_report(
        &self,
        round_id: i64,
        commune_code: &str,
        expected_version: Option<i64>,
        reason: &str,
        actor: &Actor,
    ) -> Result<Report, StoreError> {
        self.review(
            round_id,
            commune_code,
            expected_version,
            Some(reason),
            actor,
        )
        .await
    }

    /// Accepts a submitted report (also after the round closed).
    pub async fn accept_report(
        &self,
        round_id: i64,
        commune_code: &str,
        expected_version: Option<i64>,
        actor: &Actor,
    ) -> Result<Report, StoreError> {
        self.review(round_id, commune_code, expected_version, None, actor)
            .await
    }

    /// The Department's answer to a submitted report: returned with `reason`, or accepted without one.
    async fn review(
        &self,
        round_id: i64,
        commune_code: &str,
        expected_version: Option<i64>,
        reason: Option<&str>,
        actor: &Actor,
    ) -> Result<Report, StoreError> {
        let mut w = self.write(actor).await?;
        let (round, current) = for_change(&mut w, round_id, commune_code, reason.is_some()).await?;
        let Some(id) = current.id.filter(|_| current.state.awaits_review()) else {
            return Err(not_now(
                "report_not_waiting",
                "Chỉ báo cáo đã nộp và đang chờ xem xét mới tiếp nhận hoặc trả lại được.",
            ));
        };
        let before = w.snapshot(ObjectKind::Report, id).await?;
        let now = w.stamp();
        let by = actor.username.clone();
        let (state, action) = match reason {
            Some(_) => (ReportState::Returned, Action::ReportReturn),
            None => (ReportState::Accepted, Action::ReportAccept),
        };
        let reason = reason.map(str::to_string);
        w.update_versioned(
            versioned(&current, expected_version),
            "state = $1, return_reason = $2, reviewed_at = $3, reviewed_by = $4",
            |q| q.bind(state.code()).bind(reason).bind(now).bind(by),
        )
        .await?;
        audit_report(&mut w, action, &round, id, commune_code, before).await?;
        w.commit().await?;
        self.report(round_id, commune_code).await
    }
}
