//! The Department's side of reporting rounds: the list, the form that opens or edits a round, the
//! completeness board with its reminder, extension and closing, and the consolidated figures.

use super::form::Submitted;
use super::library::LinkedDocuments;
use super::{render, render_with, see_other, FormView, Layout, Vietnamese};
use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use cnscd_domain::clock::vietnam;
use cnscd_domain::date::format_date;
use cnscd_domain::round::{
    deadline_note, on_time, show_instant, Completeness, Indicator, IndicatorDraft, ReportState,
    RoundDraft, RoundKind, DEFAULT_INDICATORS,
};
use cnscd_services::rounds::{self, Board};
use cnscd_store::{BoardLine, DeadlineChange, DocumentOwner, Round};

/// A round as its lists show it.
pub struct RoundRow {
    pub round: Round,
    pub deadline: String,
    /// `còn 3 ngày`, `quá hạn 2 ngày`, or `đã đóng`.
    pub note: String,
    /// For a commune officer: her report's state, and whether it still needs her.
    pub own: Option<(&'static str, bool)>,
}

pub fn round_row(round: Round, now: DateTime<Utc>) -> RoundRow {
    RoundRow {
        deadline: show_instant(round.deadline),
        note: if round.is_open() {
            deadline_note(round.deadline, now)
        } else {
            "đã đóng".into()
        },
        round,
        own: None,
    }
}

#[derive(Template)]
#[template(path = "rounds.html")]
struct RoundsPage {
    layout: Layout,
    rows: Vec<RoundRow>,
    /// A commune officer's commune, whose report each round links to.
    commune_code: Option<String>,
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    let now = state.store.clock().now();
    let rows = match caller.access().commune_code {
        Some(code) => rounds::of_commune(&state.store, &caller, &code)
            .await?
            .into_iter()
            .map(|(round, report)| {
                let urgent = rounds::needs_action(&round, &report);
                let mut row = round_row(round, now);
                row.own = Some((report.state.label(report.submissions), urgent));
                row
            })
            .collect(),
        None => rounds::list(&state.store, &caller)
            .await?
            .into_iter()
            .map(|round| round_row(round, now))
            .collect(),
    };
    render(&RoundsPage {
        layout: Layout::new(&caller, "Đợt báo cáo"),
        rows,
        commune_code: caller.access().commune_code,
    })
}

#[derive(Template)]
#[template(path = "round_form.html")]
struct RoundForm {
    layout: Layout,
    round_id: Option<i64>,
    kinds: [RoundKind; 6],
    catalogue: Vec<Indicator>,
    form: FormView,
    indicator_form: FormView,
}

impl RoundForm {
    fn action(&self) -> String {
        match self.round_id {
            Some(id) => format!("/rounds/{id}/edit"),
            None => "/rounds/new".into(),
        }
    }
}

async fn round_form(
    state: &AppState,
    caller: &Caller,
    round_id: Option<i64>,
    form: FormView,
    indicator_form: FormView,
) -> Result<RoundForm, Error> {
    let title = if round_id.is_some() {
        "Sửa đợt báo cáo"
    } else {
        "Mở đợt báo cáo"
    };
    Ok(RoundForm {
        layout: Layout::new(caller, title),
        round_id,
        kinds: RoundKind::ALL,
        catalogue: rounds::catalogue(&state.store, caller).await?,
        form,
        indicator_form,
    })
}

/// The deadline typed as a date and a time, in Vietnam.
fn typed_deadline(form: &Submitted) -> String {
    let date = form.get("deadline_date");
    let time = form.get("deadline_time");
    if time.trim().is_empty() {
        date
    } else {
        format!("{} {}", date.trim(), time.trim())
    }
}

fn draft(form: &Submitted) -> RoundDraft {
    RoundDraft {
        title: form.get("title"),
        deadline: typed_deadline(form),
        basis: form.get("basis"),
        kind: form.get("kind"),
        period_start: form.get("period_start"),
        period_end: form.get("period_end"),
        indicators: Some(form.all("indicators")),
    }
}

/// The deadline's date and time as the form's date and time fields take them.
fn deadline_fields(deadline: DateTime<Utc>) -> [(String, String); 2] {
    let local = deadline.with_timezone(&vietnam());
    [
        ("deadline_date".into(), local.format("%Y-%m-%d").to_string()),
        ("deadline_time".into(), local.format("%H:%M").to_string()),
    ]
}

pub async fn new_form(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, PageError> {
    cnscd_services::scope::admin(&caller)?;
    let mut values = vec![
        ("kind".to_string(), "quarterly".to_string()),
        ("deadline_time".to_string(), "17:00".to_string()),
    ];
    values.extend(
        DEFAULT_INDICATORS
            .iter()
            .map(|(code, _, _)| ("indicators".to_string(), code.to_string())),
    );
    let form = FormView::with_values(values);
    render(&round_form(&state, &caller, None, form, FormView::default()).await?)
}

async fn answer(
    state: &AppState,
    caller: &Caller,
    round_id: Option<i64>,
    form: &Submitted,
    result: Result<Round, cnscd_services::Error>,
) -> Result<Response, PageError> {
    let error = match result {
        Ok(round) => return see_other(format!("/rounds/{}", round.id)),
        Err(error) => Error::from(error),
    };
    let view = match (&error, error.field_errors()) {
        (_, Some(errors)) => FormView::submitted(form, errors),
        (Error::Conflict { current_version }, None) => {
            let current = rounds::get(&state.store, caller, round_id.unwrap_or_default()).await?;
            FormView::after_conflict(
                form,
                *current_version,
                &[
                    ("Tên đợt", current.title.clone()),
                    ("Hạn nộp", show_instant(current.deadline)),
                ],
            )
        }
        _ => return Err(error.into()),
    };
    let page = round_form(state, caller, round_id, view, FormView::default()).await?;
    render_with(error.status(), &page)
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    form: Submitted,
) -> Result<Response, PageError> {
    let result = rounds::create(&state.store, &caller, &draft(&form)).await;
    answer(&state, &caller, None, &form, result).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    cnscd_services::scope::admin(&caller)?;
    let round = rounds::get(&state.store, &caller, id).await?;
    let mut values = vec![
        ("title".to_string(), round.title.clone()),
        ("basis".to_string(), round.basis.clone()),
        ("kind".to_string(), round.kind.code().to_string()),
        (
            "period_start".to_string(),
            round.period_start.map(format_date).unwrap_or_default(),
        ),
        (
            "period_end".to_string(),
            round.period_end.map(format_date).unwrap_or_default(),
        ),
        ("version".to_string(), round.version.to_string()),
    ];
    values.extend(deadline_fields(round.deadline));
    values.extend(
        round
            .indicators
            .iter()
            .map(|i| ("indicators".to_string(), i.code.clone())),
    );
    let form = FormView::with_values(values);
    render(&round_form(&state, &caller, Some(id), form, FormView::default()).await?)
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let result = rounds::update(&state.store, &caller, id, form.version(), &draft(&form)).await;
    answer(&state, &caller, Some(id), &form, result).await
}

/// Adds an indicator to the catalogue from the round form; back to the form it came from.
pub async fn add_indicator(
    State(state): State<AppState>,
    caller: Caller,
    form: Submitted,
) -> Result<Response, PageError> {
    let draft = IndicatorDraft {
        code: form.get("code"),
        name: form.get("name"),
        unit: form.get("unit"),
    };
    match rounds::add_indicator(&state.store, &caller, &draft).await {
        Ok(_) => see_other("/rounds/new".into()),
        Err(error) => {
            let error = Error::from(error);
            let Some(errors) = error.field_errors() else {
                return Err(error.into());
            };
            let mut values = vec![("deadline_time".to_string(), "17:00".to_string())];
            values.extend(
                DEFAULT_INDICATORS
                    .iter()
                    .map(|(code, _, _)| ("indicators".to_string(), code.to_string())),
            );
            let page = round_form(
                &state,
                &caller,
                None,
                FormView::with_values(values),
                FormView::submitted(&form, errors),
            )
            .await?;
            render_with(error.status(), &page)
        }
    }
}

/// One commune on the board, as shown.
pub struct BoardRow {
    pub line: BoardLine,
    pub state_label: &'static str,
    pub submitted: String,
    /// `đúng hạn`, `trễ 2 ngày`, or empty.
    pub timeliness: String,
    pub late: bool,
}

/// `first_deadline`: the deadline the round opened with; a report in time only thanks to an extension says so.
fn board_row(line: BoardLine, deadline: DateTime<Utc>, first_deadline: DateTime<Utc>) -> BoardRow {
    let (timeliness, late) = match line.first_submitted_at {
        Some(at) if on_time(at, first_deadline) => ("đúng hạn".to_string(), false),
        Some(at) if on_time(at, deadline) => ("đúng hạn (nhờ gia hạn)".to_string(), false),
        Some(at) => (deadline_note(deadline, at).replace("quá hạn", "trễ"), true),
        None => (String::new(), false),
    };
    BoardRow {
        state_label: line.state.label(line.submissions),
        submitted: line
            .first_submitted_at
            .map(show_instant)
            .unwrap_or_default(),
        timeliness,
        late,
        line,
    }
}

/// Which communes the board shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoardFilter {
    All,
    Missing,
    Late,
    Waiting,
    Returned,
    Accepted,
}

impl BoardFilter {
    pub const ALL: [BoardFilter; 6] = [
        BoardFilter::All,
        BoardFilter::Missing,
        BoardFilter::Late,
        BoardFilter::Waiting,
        BoardFilter::Returned,
        BoardFilter::Accepted,
    ];

    pub fn code(self) -> &'static str {
        match self {
            BoardFilter::All => "all",
            BoardFilter::Missing => "missing",
            BoardFilter::Late => "late",
            BoardFilter::Waiting => "waiting",
            BoardFilter::Returned => "returned",
            BoardFilter::Accepted => "accepted",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BoardFilter::All => "Tất cả xã/phường",
            BoardFilter::Missing => "Chưa nộp",
            BoardFilter::Late => "Nộp trễ hạn",
            BoardFilter::Waiting => "Đã nộp, chờ xem xét",
            BoardFilter::Returned => "Đã trả lại",
            BoardFilter::Accepted => "Đã tiếp nhận",
        }
    }

    fn from_code(code: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|f| f.code() == code)
            .unwrap_or(BoardFilter::All)
    }

    fn keeps(self, row: &BoardRow) -> bool {
        let state = row.line.state;
        match self {
            BoardFilter::All => true,
            BoardFilter::Missing => row.line.first_submitted_at.is_none(),
            BoardFilter::Late => row.late,
            BoardFilter::Waiting => state == ReportState::Submitted,
            BoardFilter::Returned => state == ReportState::Returned,
            BoardFilter::Accepted => state == ReportState::Accepted,
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct BoardQuery {
    #[serde(default)]
    show: String,
    #[serde(default)]
    sort: String,
    /// What the last action did, said once after the redirect.
    #[serde(default)]
    done: String,
}

impl BoardQuery {
    fn notice(&self) -> Option<String> {
        let text = match self.done.as_str() {
            "returned" => "Đã trả lại báo cáo; xã/phường thấy ngay lý do trên trang của mình.",
            "accepted" => "Đã tiếp nhận báo cáo.",
            "extended" => "Đã gia hạn; hạn mới được ghi trong lịch sử hạn nộp bên dưới.",
            "closed" => "Đã đóng đợt báo cáo: xã/phường không nộp được nữa.",
            _ => return None,
        };
        Some(text.to_string())
    }
}

#[derive(Template)]
#[template(path = "round.html")]
struct BoardPage {
    layout: Layout,
    row: RoundRow,
    status: Completeness,
    rows: Vec<BoardRow>,
    filters: [BoardFilter; 6],
    filter: BoardFilter,
    sort: String,
    deadlines: Vec<(String, String, String)>,
    reminder: String,
    period: String,
    extend_form: FormView,
    /// An SMTP server is configured: reminders can go by e-mail.
    can_email: bool,
    /// What the last action did (e-mails sent).
    notice: Option<String>,
    /// Documents of the library the round points communes to.
    linked: LinkedDocuments,
}

fn sort_rows(rows: &mut [BoardRow], sort: &str) {
    match sort {
        "state" => rows.sort_by_key(|r| ReportState::ALL.iter().position(|s| *s == r.line.state)),
        "submitted" => rows.sort_by_key(|r| {
            (
                r.line.first_submitted_at.is_none(),
                r.line.first_submitted_at,
            )
        }),
        _ => {}
    }
}

async fn board_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    query: BoardQuery,
    extend_form: FormView,
) -> Result<BoardPage, Error> {
    let board = rounds::board(&state.store, caller, id).await?;
    let reminder = board.reminder(state.store.clock().now());
    let Board {
        round,
        lines,
        completeness,
    } = board;
    let deadline = round.deadline;
    let filter = BoardFilter::from_code(&query.show);
    let notice = query.notice();
    let history = rounds::deadlines(&state.store, caller, id).await?;
    let first_deadline = history.first().map_or(deadline, |d| d.deadline);
    let mut rows: Vec<BoardRow> = lines
        .into_iter()
        .map(|line| board_row(line, deadline, first_deadline))
        .filter(|row| filter.keeps(row))
        .collect();
    sort_rows(&mut rows, &query.sort);
    let deadlines = history
        .into_iter()
        .map(
            |DeadlineChange {
                 deadline,
                 set_at,
                 set_by,
                 reason,
             }| {
                (
                    show_instant(deadline),
                    cnscd_domain::clock::vietnam_time(&set_at) + " · " + &set_by,
                    reason,
                )
            },
        )
        .collect();
    let period = match (round.period_start, round.period_end) {
        (Some(start), Some(end)) => format!("{} – {}", format_date(start), format_date(end)),
        (Some(start), None) => format!("từ {}", format_date(start)),
        (None, Some(end)) => format!("đến {}", format_date(end)),
        (None, None) => String::new(),
    };
    let linked = super::library::linked(
        state,
        caller,
        DocumentOwner::Round(round.id),
        format!("/rounds/{}/documents", round.id),
    )
    .await?;
    Ok(BoardPage {
        linked,
        layout: Layout::new(caller, round.title.clone()),
        reminder,
        row: round_row(round, state.store.clock().now()),
        status: completeness,
        rows,
        filters: BoardFilter::ALL,
        filter,
        sort: query.sort,
        deadlines,
        period,
        extend_form,
        can_email: state.settings.mailer.is_some(),
        notice,
    })
}

/// The board for province accounts; a commune officer goes straight to her commune's report.
pub async fn board(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    super::PageQuery(query): super::PageQuery<BoardQuery>,
) -> Result<Response, PageError> {
    if let Some(code) = caller.access().commune_code {
        rounds::get(&state.store, &caller, id).await?;
        return see_other(format!("/rounds/{id}/reports/{code}"));
    }
    render(&board_page(&state, &caller, id, query, FormView::default()).await?)
}

pub async fn extend(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let result = rounds::extend(
        &state.store,
        &caller,
        id,
        Some(form.version()),
        &typed_deadline(&form),
        &form.get("reason"),
    )
    .await;
    match result {
        Ok(_) => see_other(format!("/rounds/{id}?done=extended")),
        Err(error) => {
            let error = Error::from(error);
            let Some(errors) = error.field_errors() else {
                return Err(error.into());
            };
            let view = FormView::submitted(&form, errors);
            let page = board_page(&state, &caller, id, BoardQuery::default(), view).await?;
            render_with(error.status(), &page)
        }
    }
}

/// Sends the reminder by e-mail to the officers of every commune that still owes a report.
pub async fn remind(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    cnscd_services::scope::admin(&caller)?;
    let Some(mailer) = &state.settings.mailer else {
        return Err(Error::Unprocessable(
            "Máy chủ chưa được cấu hình gửi e-mail (--smtp-url): hãy sao chép tin nhắn nhắc và gửi qua nhóm Zalo."
                .into(),
        )
        .into());
    };
    let outcome = rounds::email_reminders(&state.store, &caller, mailer, id).await?;
    let mut notice = format!("Đã gửi e-mail nhắc tới {} địa chỉ.", outcome.sent.len());
    if !outcome.without_address.is_empty() {
        notice.push_str(&format!(
            " {} xã/phường chưa có cán bộ nào khai e-mail (hãy gọi điện): {}.",
            outcome.without_address.len(),
            outcome.without_address.join(", ")
        ));
    }
    if !outcome.failed.is_empty() {
        let failed: Vec<String> = outcome
            .failed
            .iter()
            .map(|(commune, why)| format!("{commune} ({why})"))
            .collect();
        notice.push_str(&format!(" Không gửi được: {}.", failed.join("; ")));
    }
    let mut page = board_page(
        &state,
        &caller,
        id,
        BoardQuery::default(),
        FormView::default(),
    )
    .await?;
    page.notice = Some(notice);
    render(&page)
}

pub async fn close(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    rounds::close(&state.store, &caller, id, Some(form.version())).await?;
    see_other(format!("/rounds/{id}?done=closed"))
}

/// The consolidated figures as `.xlsx`.
pub async fn figures_download(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    Ok(super::workbook(
        rounds::figures_workbook(&state.store, &caller, id).await?,
    ))
}

/// The team lists frozen with the round's reports, in the template.
pub async fn roster_download(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    Ok(super::workbook(
        rounds::frozen_roster_workbook(&state.store, &caller, id).await?,
    ))
}

#[derive(Template)]
#[template(path = "round_changes.html")]
struct ChangesPage {
    layout: Layout,
    round: Round,
    communes: Vec<rounds::CommuneChanges>,
}

impl ChangesPage {
    fn unchanged(&self) -> usize {
        self.communes
            .iter()
            .filter(|c| c.changes.as_ref().is_some_and(|c| c.is_empty()))
            .count()
    }
}

/// What changed in each commune's team list since the previous round it submitted in.
pub async fn changes(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let round = rounds::get(&state.store, &caller, id).await?;
    let communes = rounds::roster_changes_of_round(&state.store, &caller, id).await?;
    render(&ChangesPage {
        layout: Layout::new(&caller, format!("Thay đổi danh sách tổ — {}", round.title)),
        round,
        communes,
    })
}

#[derive(Template)]
#[template(path = "round_compare.html")]
struct ComparePage {
    layout: Layout,
    comparison: rounds::Comparison,
}

/// The latest rounds side by side: completeness and each indicator's total.
pub async fn compare(State(state): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    render(&ComparePage {
        layout: Layout::new(&caller, "So sánh các đợt báo cáo"),
        comparison: rounds::comparison(&state.store, &caller).await?,
    })
}

#[derive(Template)]
#[template(path = "round_figures.html")]
struct FiguresPage {
    layout: Layout,
    round: Round,
    /// Per indicator: the indicator, its total and how many reports it sums.
    totals: Vec<(Indicator, i64, i64)>,
    left_out_returned: i64,
    communes: Vec<FiguresRow>,
}

/// One commune's line on the figures page.
struct FiguresRow {
    name: String,
    code: String,
    state: &'static str,
    /// Entered by the Department from a report sent on paper.
    on_behalf: bool,
    /// Counted in the totals (not waiting in `returned`).
    counted: bool,
    /// Its figure for each indicator in order (empty when not given).
    values: Vec<String>,
}

pub async fn figures(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let round = rounds::get(&state.store, &caller, id).await?;
    let figures = rounds::figures(&state.store, &caller, id).await?;
    let communes = figures
        .communes
        .iter()
        .map(|c| {
            let values = figures
                .indicators
                .iter()
                .map(|i| c.figures.get(&i.code).map(i64::vn).unwrap_or_default())
                .collect();
            FiguresRow {
                name: c.commune_name.clone(),
                code: c.commune_code.clone(),
                state: c.state.label(c.submissions),
                on_behalf: c.on_behalf,
                counted: c.state.counted(),
                values,
            }
        })
        .collect();
    render(&FiguresPage {
        layout: Layout::new(&caller, format!("Số liệu — {}", round.title)),
        totals: figures.totals(),
        left_out_returned: figures.left_out_returned(),
        communes,
        round,
    })
}

/// Points the round's communes to a document of the library (`linked=1`) or stops (`linked=0`).
pub async fn link_document(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let back = format!("/rounds/{id}#documents");
    super::library::link_from_form(&state, &caller, DocumentOwner::Round(id), &form, back).await
}
