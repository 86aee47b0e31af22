//! What the API answers about rounds and reports: its own types, built field by field from the store's.

use chrono::{DateTime, NaiveDate, Utc};
use cnscd_domain::clock::vietnam;
use cnscd_domain::round::{Indicator, Narrative, ReportState, RoundKind};
use cnscd_store::{BoardLine, Report, Round, RoundFigures};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// An instant in Vietnam time with its offset: `2025-07-15T17:00:00+07:00`.
fn vietnam_rfc3339(at: DateTime<Utc>) -> String {
    at.with_timezone(&vietnam()).to_rfc3339()
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Indicator)]
pub struct IndicatorView {
    pub code: String,
    pub name: String,
    pub unit: String,
}

impl From<Indicator> for IndicatorView {
    fn from(i: Indicator) -> Self {
        Self {
            code: i.code,
            name: i.name,
            unit: i.unit,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Round)]
pub struct RoundView {
    pub id: i64,
    pub title: String,
    /// The legal basis: `Công văn số 1234/SKHCN-CĐS ngày 10/7/2025`.
    pub basis: String,
    pub kind: RoundKind,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    /// The deadline in force, RFC 3339 in Vietnam time.
    pub deadline: String,
    pub closed_at: Option<String>,
    pub open: bool,
    /// Communes expected to report (every commune of the province when the round opened).
    pub expected: i64,
    /// Communes that submitted at least once.
    pub answered: i64,
    pub indicators: Vec<IndicatorView>,
    pub created_by: String,
    pub created_at: String,
    pub version: i64,
}

impl From<Round> for RoundView {
    fn from(r: Round) -> Self {
        Self {
            open: r.is_open(),
            id: r.id,
            title: r.title,
            basis: r.basis,
            kind: r.kind,
            period_start: r.period_start,
            period_end: r.period_end,
            deadline: vietnam_rfc3339(r.deadline),
            closed_at: r.closed_at.map(vietnam_rfc3339),
            expected: r.expected,
            answered: r.answered,
            indicators: r.indicators.into_iter().map(Into::into).collect(),
            created_by: r.created_by,
            created_at: cnscd_domain::clock::parse_stamp(&r.created_at)
                .map(vietnam_rfc3339)
                .unwrap_or(r.created_at),
            version: r.version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Report)]
pub struct ReportView {
    pub round_id: i64,
    pub commune_code: String,
    pub state: ReportState,
    /// Indicator code → figure, for the indicators given so far (the draft: for a returned report, the
    /// corrections in progress).
    pub figures: BTreeMap<String, i64>,
    /// The figures as last submitted: what the Department reviews and the totals count.
    pub submitted_figures: Option<BTreeMap<String, i64>>,
    pub narrative: Narrative,
    /// How many times it was submitted (more than 1 after a return).
    pub submissions: i64,
    /// Timeliness is judged on the first submission.
    pub first_submitted_at: Option<String>,
    pub last_submitted_at: Option<String>,
    /// Against the deadline in force; empty before the first submission.
    pub on_time: Option<bool>,
    /// Entered by the Department from a report sent on paper.
    pub on_behalf: bool,
    pub return_reason: Option<String>,
    /// Teams and members of the commune's list frozen at the last submission.
    pub roster_teams: Option<i64>,
    pub roster_members: Option<i64>,
    /// 0 before the first save; send it back with the next change.
    pub version: i64,
}

impl ReportView {
    pub fn of(report: Report, deadline: DateTime<Utc>) -> Self {
        Self {
            on_time: report.on_time(deadline),
            round_id: report.round_id,
            commune_code: report.commune_code,
            state: report.state,
            figures: report.figures,
            submitted_figures: report.submitted_figures,
            narrative: report.narrative,
            submissions: report.submissions,
            first_submitted_at: report.first_submitted_at.map(vietnam_rfc3339),
            last_submitted_at: report.last_submitted_at.map(vietnam_rfc3339),
            on_behalf: report.on_behalf,
            return_reason: report.return_reason,
            roster_teams: report.roster_teams,
            roster_members: report.roster_members,
            version: report.version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = BoardLine)]
pub struct BoardLineView {
    pub commune_code: String,
    pub commune_name: String,
    pub state: ReportState,
    pub submissions: i64,
    pub first_submitted_at: Option<String>,
    pub on_time: Option<bool>,
    pub on_behalf: bool,
    pub officer_name: Option<String>,
    pub officer_phone: Option<String>,
}

impl BoardLineView {
    pub fn of(line: BoardLine, deadline: DateTime<Utc>) -> Self {
        Self {
            on_time: line
                .first_submitted_at
                .map(|at| cnscd_domain::round::on_time(at, deadline)),
            commune_code: line.commune_code,
            commune_name: line.commune_name,
            state: line.state,
            submissions: line.submissions,
            first_submitted_at: line.first_submitted_at.map(vietnam_rfc3339),
            on_behalf: line.on_behalf,
            officer_name: line.officer_name,
            officer_phone: line.officer_phone,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorTotal {
    pub code: String,
    pub name: String,
    pub unit: String,
    /// Sum over the reports submitted, resubmitted or accepted.
    pub total: i64,
    /// How many reports the total sums.
    pub communes: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommuneFiguresView {
    pub commune_code: String,
    pub commune_name: String,
    pub state: ReportState,
    pub figures: BTreeMap<String, i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FiguresView {
    pub indicators: Vec<IndicatorTotal>,
    /// Reports returned for correction, left out of the totals.
    pub left_out_returned: i64,
    /// The figures of every report submitted at least once, commune by commune (drafts are the commune's own).
    pub by_commune: Vec<CommuneFiguresView>,
}

impl From<RoundFigures> for FiguresView {
    fn from(f: RoundFigures) -> Self {
        Self {
            indicators: f
                .totals()
                .into_iter()
                .map(|(i, total, communes)| IndicatorTotal {
                    code: i.code,
                    name: i.name,
                    unit: i.unit,
                    total,
                    communes,
                })
                .collect(),
            left_out_returned: f.left_out_returned(),
            by_commune: f
                .communes
                .into_iter()
                .map(|c| CommuneFiguresView {
                    commune_code: c.commune_code,
                    commune_name: c.commune_name,
                    state: c.state,
                    figures: c.figures,
                })
                .collect(),
        }
    }
}
