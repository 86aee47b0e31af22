//! Reporting rounds: the Department opens a round and reviews what comes back; each commune saves, checks and
//! submits its report. Province admins change rounds and review reports; a commune officer works on her own
//! commune's report only; viewers read.

use crate::scope::{self, Intent};
use crate::{Caller, Error};
use cnscd_domain::clock::vietnam;
use cnscd_domain::roster::{Roster, RosterCommune};
use cnscd_domain::roster_changes::{roster_changes, RosterChanges};
use cnscd_domain::round::{
    check_deadline_ahead, parse_deadline, parse_figures, show_instant, Completeness, FigureInput,
    Indicator, IndicatorDraft, NarrativeDraft, ReportState, RoundDraft, ValidRound,
    DEFAULT_INDICATORS,
};
use cnscd_domain::text::clean_paragraphs;
use cnscd_domain::FieldError;
use cnscd_store::{
    BoardLine, CommuneSummary, DeadlineChange, Report, ReportDraft, RosterSnapshot, Round,
    RoundFigures, Store,
};
use std::collections::BTreeMap;

const MAX_REASON_CHARS: usize = 2_000;

/// The catalogue of indicators the caller's province can ask for.
pub async fn catalogue(store: &Store, caller: &Caller) -> Result<Vec<Indicator>, Error> {
    Ok(store.indicator_catalogue(caller.province_code()).await?)
}

pub async fn add_indicator(
    store: &Store,
    caller: &Caller,
    draft: &IndicatorDraft,
) -> Result<Indicator, Error> {
    scope::admin(caller)?;
    let indicator = draft.validate()?;
    store
        .add_indicator(caller.province_code(), &indicator, &caller.actor())
        .await?;
    Ok(indicator)
}

/// The indicators a round asks: those named (each from the catalogue, in the order given), or the default set.
async fn chosen_indicators(
    store: &Store,
    caller: &Caller,
    round: &ValidRound,
) -> Result<Vec<Indicator>, Error> {
    let catalogue = catalogue(store, caller).await?;
    let Some(codes) = &round.indicators else {
        return Ok(catalogue
            .into_iter()
            .filter(|i| {
                DEFAULT_INDICATORS
                    .iter()
                    .any(|(code, _, _)| *code == i.code)
            })
            .collect());
    };
    codes
        .iter()
        .map(|code| {
            catalogue
                .iter()
                .find(|i| &i.code == code)
                .cloned()
                .ok_or_else(|| {
                    FieldError::new(
                        "indicators",
                        "indicator_unknown",
                        format!("Danh mục chỉ tiêu không có mã «{code}»."),
                    )
                    .into()
                })
        })
        .collect()
}

/// The rounds the caller takes part in, newest first: a commune officer's are those her commune reports in.
pub async fn list(store: &Store, caller: &Caller) -> Result<Vec<Round>, Error> {
    let access = caller.access();
    Ok(store
        .rounds(caller.province_code(), access.commune_code.as_deref())
        .await?)
}

pub async fn get(store: &Store, caller: &Caller, round_id: i64) -> Result<Round, Error> {
    scope::round(store, caller, round_id, Intent::Read).await
}

pub async fn deadlines(
    store: &Store,
    caller: &Caller,
    round_id: i64,
) -> Result<Vec<DeadlineChange>, Error> {
    scope::round(store, caller, round_id, Intent::Read).await?;
    Ok(store.round_deadlines(round_id).await?)
}

pub async fn create(store: &Store, caller: &Caller, draft: &RoundDraft) -> Result<Round, Error> {
    scope::admin(caller)?;
    let round = draft.validate()?;
    check_deadline_ahead(round.deadline, store.clock().now())?;
    let indicators = chosen_indicators(store, caller, &round).await?;
    Ok(store
        .create_round(caller.province_code(), &round, &indicators, &caller.actor())
        .await?)
}

pub async fn update(
    store: &Store,
    caller: &Caller,
    round_id: i64,
    version: i64,
    draft: &RoundDraft,
) -> Result<Round, Error> {
    scope::round(store, caller, round_id, Intent::Change).await?;
    let round = draft.validate()?;
    check_deadline_ahead(round.deadline, store.clock().now())?;
    let indicators = chosen_indicators(store, caller, &round).await?;
    Ok(store
        .update_round(round_id, version, &round, &indicators, &caller.actor())
        .await?)
}

/// Moves the deadline later; the reason is kept with the round's deadlines.
pub async fn extend(
    store: &Store,
    caller: &Caller,
    round_id: i64,
    version: Option<i64>,
    deadline: &str,
    reason: &str,
) -> Result<Round, Error> {
    let round = scope::round(store, caller, round_id, Intent::Change).await?;
    let deadline = parse_deadline("deadline", deadline)?;
    check_deadline_ahead(deadline, store.clock().now())?;
    if deadline <= round.deadline {
        return Err(FieldError::new(
            "deadline",
            "deadline_not_later",
            format!(
                "Hạn mới phải sau hạn hiện tại ({}).",
                show_instant(round.deadline)
            ),
        )
        .into());
    }
    let reason = clean_paragraphs(reason);
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(FieldError::new(
            "reason",
            "reason_too_long",
            format!("Lý do gia hạn dài quá {MAX_REASON_CHARS} ký tự: hãy rút gọn."),
        )
        .into());
    }
    Ok(store
        .extend_round(
            round_id,
            version.unwrap_or(round.version),
            deadline,
            &reason,
            &caller.actor(),
        )
        .await?)
}

pub async fn close(
    store: &Store,
    caller: &Caller,
    round_id: i64,
    version: Option<i64>,
) -> Result<Round, Error> {
    let round = scope::round(store, caller, round_id, Intent::Change).await?;
    Ok(store
        .close_round(round_id, version.unwrap_or(round.version), &caller.actor())
        .await?)
}

/// The completeness board: the round, every expected commune's line and the counts.
pub struct Board {
    pub round: Round,
    pub lines: Vec<BoardLine>,
    pub completeness: Completeness,
}

pub async fn board(store: &Store, caller: &Caller, round_id: i64) -> Result<Board, Error> {
    scope::whole_province(caller)?;
    let round = scope::round(store, caller, round_id, Intent::Read).await?;
    let lines = store.round_board(round_id).await?;
    let report_lines: Vec<_> = lines.iter().map(BoardLine::line).collect();
    Ok(Board {
        completeness: Completeness::of(&report_lines, round.deadline),
        round,
        lines,
    })
}

pub async fn status(store: &Store, caller: &Caller, round_id: i64) -> Result<Completeness, Error> {
    Ok(board(store, caller, round_id).await?.completeness)
}

pub async fn figures(store: &Store, caller: &Caller, round_id: i64) -> Result<RoundFigures, Error> {
    scope::whole_province(caller)?;
    scope::round(store, caller, round_id, Intent::Read).await?;
    Ok(store.round_figures(round_id).await?)
}

/// The consolidated figures as a workbook, and its file name (`so-lieu-bao-cao-thang-7-2025.xlsx`).
pub async fn figures_workbook(
    store: &Store,
    caller: &Caller,
    round_id: i64,
) -> Result<(String, Vec<u8>), Error> {
    let round = get(store, caller, round_id).await?;
    let figures = figures(store, caller, round_id).await?;
    let totals = figures.totals();
    let sheet = cnscd_excel::FiguresSheet {
        title: format!("SỐ LIỆU TỔNG HỢP — {}", round.title.to_uppercase()),
        subtitle: format!(
            "Hạn nộp {}; số liệu lúc {}",
            show_instant(round.deadline),
            show_instant(store.clock().now())
        ),
        indicators: figures
            .indicators
            .iter()
            .map(|i| (i.name.clone(), i.unit.clone()))
            .collect(),
        rows: figures
            .communes
            .iter()
            .map(|c| cnscd_excel::FiguresRow {
                commune: c.commune_name.clone(),
                state: [
                    Some(c.state.label(c.submissions)),
                    c.on_behalf.then_some("Sở nhập thay"),
                    (!c.state.counted()).then_some("không tính vào tổng"),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" — "),
                values: figures
                    .indicators
                    .iter()
                    .map(|i| c.figures.get(&i.code).copied())
                    .collect(),
            })
            .collect(),
        totals: totals.iter().map(|(_, total, _)| *total).collect(),
    };
    // Writing a workbook is CPU work: off the async workers.
    let bytes = tokio::task::spawn_blocking(move || cnscd_excel::round_figures_xlsx(&sheet))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .map_err(|e| Error::Internal(e.to_string()))?;
    let name = format!("so-lieu-{}.xlsx", cnscd_domain::text::slug(&round.title));
    Ok((name, bytes))
}

/// One commune's team list in a round against the previous round it submitted in.
pub struct CommuneChanges {
    pub commune_code: String,
    pub commune_name: String,
    /// `None` when the commune submitted in no earlier round.
    pub changes: Option<RosterChanges>,
}

/// A frozen team list read back (the commune's part of it).
pub(crate) fn frozen_commune(json: &str) -> Result<RosterCommune, Error> {
    let roster: Roster = serde_json::from_str(json)
        .map_err(|e| Error::Internal(format!("danh sách lưu kèm báo cáo không đọc được: {e}")))?;
    Ok(roster.communes.into_iter().next().unwrap_or(RosterCommune {
        code: String::new(),
        name: String::new(),
        teams: Vec::new(),
    }))
}

/// What changed in each submitting commune's team list since the previous round it submitted in.
pub async fn roster_changes_of_round(
    store: &Store,
    caller: &Caller,
    round_id: i64,
) -> Result<Vec<CommuneChanges>, Error> {
    scope::whole_province(caller)?;
    scope::round(store, caller, round_id, Intent::Read).await?;
    store
        .frozen_rosters(round_id)
        .await?
        .into_iter()
        .map(|frozen| {
            let changes = match &frozen.before {
                Some(before) => Some(roster_changes(
                    &frozen_commune(before)?,
                    &frozen_commune(&frozen.now)?,
                )),
                None => None,
            };
            Ok(CommuneChanges {
                commune_code: frozen.commune_code,
                commune_name: frozen.commune_name,
                changes,
            })
        })
        .collect()
}

/// The team lists frozen with the round's submitted reports, in the template, as one workbook.
pub async fn frozen_roster_workbook(
    store: &Store,
    caller: &Caller,
    round_id: i64,
) -> Result<(String, Vec<u8>), Error> {
    scope::whole_province(caller)?;
    let round = scope::round(store, caller, round_id, Intent::Read).await?;
    let province = store.province(&round.province_code).await?;
    let communes = store
        .frozen_rosters(round_id)
        .await?
        .iter()
        .map(|frozen| frozen_commune(&frozen.now))
        .collect::<Result<Vec<_>, _>>()?;
    let roster = Roster {
        province: cnscd_domain::roster::RosterProvince {
            code: province.code,
            name: province.name.clone(),
        },
        communes,
    };
    let subtitle = format!(
        "{} — danh sách gửi kèm báo cáo «{}»",
        province.name, round.title
    );
    let bytes = tokio::task::spawn_blocking(move || cnscd_excel::roster_xlsx(&roster, &subtitle))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .map_err(|e| Error::Internal(e.to_string()))?;
    let name = format!(
        "danh-sach-to-{}.xlsx",
        cnscd_domain::text::slug(&round.title)
    );
    Ok((name, bytes))
}

/// How many rounds the comparison puts side by side.
const COMPARED_ROUNDS: usize = 12;

/// The latest rounds side by side, oldest first: their completeness and, per indicator (by code, in the
/// order first asked), each round's total (`None` where the round did not ask it).
pub struct Comparison {
    pub rounds: Vec<(Round, Completeness)>,
    pub indicators: Vec<(Indicator, Vec<Option<i64>>)>,
}

pub async fn comparison(store: &Store, caller: &Caller) -> Result<Comparison, Error> {
    scope::whole_province(caller)?;
    let mut latest = store.rounds(caller.province_code(), None).await?;
    latest.truncate(COMPARED_ROUNDS);
    latest.reverse();
    let mut rounds = Vec::new();
    let mut indicators: Vec<(Indicator, Vec<Option<i64>>)> = Vec::new();
    for (column, round) in latest.into_iter().enumerate() {
        let lines: Vec<_> = store
            .round_board(round.id)
            .await?
            .iter()
            .map(BoardLine::line)
            .collect();
        for (indicator, total, _) in store.round_figures(round.id).await?.totals() {
            let at = match indicators
                .iter()
                .position(|(i, _)| i.code == indicator.code)
            {
                Some(at) => at,
                None => {
                    indicators.push((indicator, Vec::new()));
                    indicators.len() - 1
                }
            };
            let totals = &mut indicators[at].1;
            totals.resize(column, None);
            totals.push(Some(total));
        }
        rounds.push((round.clone(), Completeness::of(&lines, round.deadline)));
    }
    for (_, totals) in &mut indicators {
        totals.resize(rounds.len(), None);
    }
    Ok(Comparison { rounds, indicators })
}

impl Board {
    /// A ready message for a chat group at `now`, naming the communes that still owe a report and whom to
    /// call.
    pub fn reminder(&self, now: chrono::DateTime<chrono::Utc>) -> String {
        reminder_text(self, now)
    }
}

fn reminder_text(board: &Board, now: chrono::DateTime<chrono::Utc>) -> String {
    let missing: Vec<&BoardLine> = board.lines.iter().filter(|l| owes_report(l)).collect();
    let now = now.with_timezone(&vietnam());
    let round = &board.round;
    if !round.is_open() {
        return format!(
            "Đợt báo cáo «{}» đã đóng: {} trên {} xã/phường đã nộp.",
            round.title, board.completeness.submitted, board.completeness.expected
        );
    }
    if missing.is_empty() {
        return format!(
            "Đến {}, tất cả {} xã/phường đã nộp báo cáo «{}».",
            now.format("%H:%M ngày %d/%m/%Y"),
            board.completeness.expected,
            round.title
        );
    }
    let mut text = format!(
        "Kính gửi UBND các xã, phường: đến {}, {} trên {} xã/phường chưa nộp báo cáo «{}» hoặc chưa nộp lại báo cáo bị trả lại (hạn {}):\n",
        now.format("%H:%M ngày %d/%m/%Y"),
        missing.len(),
        board.completeness.expected,
        round.title,
        show_instant(round.deadline)
    );
    for (i, line) in missing.iter().enumerate() {
        let officer = match (&line.officer_name, &line.officer_phone) {
            (Some(name), Some(phone)) if !phone.is_empty() => format!(" — cán bộ {name}, {phone}"),
            (Some(name), _) => format!(" — cán bộ {name}"),
            _ => String::new(),
        };
        let returned = if line.state == ReportState::Returned {
            " (bị trả lại, chưa nộp lại)"
        } else {
            ""
        };
        text.push_str(&format!(
            "{}. {}{returned}{officer}\n",
            i + 1,
            line.commune_name
        ));
    }
    text.push_str(
        "Đề nghị các đơn vị khẩn trương hoàn thành và nộp báo cáo trên hệ thống cnscd (mục «Báo cáo»).",
    );
    text
}

/// The rounds a commune reports in, newest first, each with its report.
pub async fn of_commune(
    store: &Store,
    caller: &Caller,
    commune_code: &str,
) -> Result<Vec<(Round, Report)>, Error> {
    let commune = scope::commune(store, caller, commune_code, Intent::Read).await?;
    let mut rounds = Vec::new();
    for round in store
        .rounds(&commune.province_code, Some(&commune.code))
        .await?
    {
        let report = store.report(round.id, &commune.code).await?;
        rounds.push((round, report));
    }
    Ok(rounds)
}

/// The commune still has to act on this report: the round is open and the report was never submitted, or
/// was returned.
pub fn needs_action(round: &Round, report: &Report) -> bool {
    round.is_open()
        && (report.first_submitted_at.is_none() || report.state == ReportState::Returned)
}

/// What an e-mail reminder did: communes written to, communes whose officer has no address, failures.
#[derive(Debug, Default)]
pub struct EmailReminder {
    pub sent: Vec<String>,
    pub without_address: Vec<String>,
    pub failed: Vec<(String, String)>,
}

/// E-mails each commune that still owes a report (never submitted, or returned) through its officers' addresses.
pub async fn email_reminders(
    store: &Store,
    caller: &Caller,
    mailer: &crate::mail::Mailer,
    round_id: i64,
) -> Result<EmailReminder, Error> {
    scope::admin(caller)?;
    let board = board(store, caller, round_id).await?;
    if !board.round.is_open() {
        return Err(FieldError::new(
            "round",
            "round_closed",
            "Đợt báo cáo đã đóng: không còn gì để nhắc.",
        )
        .into());
    }
    let addresses = store.officer_emails(&board.round.province_code).await?;
    let mut outcome = EmailReminder::default();
    for line in board.lines.iter().filter(|l| owes_report(l)) {
        let to: Vec<&(String, String, String)> = addresses
            .iter()
            .filter(|(code, _, _)| *code == line.commune_code)
            .collect();
        if to.is_empty() {
            outcome.without_address.push(line.commune_name.clone());
            continue;
        }
        let what = if line.state == ReportState::Returned {
            "đã được Sở trả lại để sửa và chưa nộp lại"
        } else {
            "chưa được nộp"
        };
        for (_, name, address) in to {
            let body = format!(
                "Kính gửi {name},\n\nBáo cáo «{}» của {} {what}. Hạn nộp: {}.\n\
                 Đề nghị đồng chí đăng nhập hệ thống cnscd, mục «Báo cáo», để hoàn thành và nộp báo cáo.\n\n\
                 Sở Khoa học và Công nghệ",
                board.round.title,
                line.commune_name,
                show_instant(board.round.deadline)
            );
            let subject = format!("Nhắc nộp báo cáo: {}", board.round.title);
            match mailer.send(address, &subject, body).await {
                Ok(()) => outcome
                    .sent
                    .push(format!("{} ({address})", line.commune_name)),
                Err(error) => outcome.failed.push((line.commune_name.clone(), error)),
            }
        }
    }
    Ok(outcome)
}

/// A commune still owes the round a report: it never submitted, or its report was returned.
fn owes_report(line: &BoardLine) -> bool {
    line.first_submitted_at.is_none() || line.state == ReportState::Returned
}

/// A commune's report with its round, for reading or filling in.
pub struct ReportView {
    pub round: Round,
    pub report: Report,
    /// The commune's team list as it stands: the same problems the overview shows (shown, not blocking).
    pub commune: CommuneSummary,
    /// What the registry itself says for the indicators it can answer (the form starts with these).
    pub from_registry: BTreeMap<String, i64>,
}

pub async fn report(
    store: &Store,
    caller: &Caller,
    round_id: i64,
    commune_code: &str,
) -> Result<ReportView, Error> {
    let round = report_scope(store, caller, round_id, commune_code, Intent::Read).await?;
    let mut from_registry = BTreeMap::new();
    if round.indicators.iter().any(|i| i.code == "leaders_trained") {
        let trained = store
            .leaders_trained(&round.province_code, Some(commune_code))
            .await?;
        from_registry.insert("leaders_trained".to_string(), trained);
    }
    Ok(ReportView {
        report: store.report(round_id, commune_code).await?,
        commune: store.commune_summary(commune_code).await?,
        round,
        from_registry,
    })
}

/// The round, if the caller may reach the commune's report in it (404 for another commune's, as everywhere).
async fn report_scope(
    store: &Store,
    caller: &Caller,
    round_id: i64,
    commune_code: &str,
    intent: Intent,
) -> Result<Round, Error> {
    let round = scope::round(store, caller, round_id, Intent::Read).await?;
    let commune = scope::commune(store, caller, commune_code, intent)
        .await
        .map_err(|error| match error {
            Error::NotFound(_) => Error::NotFound("báo cáo"),
            other => other,
        })?;
    if !store.round_expects(round_id, &commune.code).await? {
        return Err(Error::NotFound("báo cáo"));
    }
    Ok(round)
}

/// Saves the commune's figures and narrative as a draft.
pub async fn save(
    store: &Store,
    caller: &Caller,
    round_id: i64,
    commune_code: &str,
    version: Option<i64>,
    figures: &BTreeMap<String, FigureInput>,
    narrative: &NarrativeDraft,
) -> Result<Report, Error> {
    let round = report_scope(store, caller, round_id, commune_code, Intent::Change).await?;
    let mut errors = cnscd_domain::ValidationErrors::default();
    let figures = errors.check_all(parse_figures(&round.indicators, figures));
    let narrative = errors.check_all(narrative.validate());
    errors.into_result()?;
    let draft = ReportDraft {
        figures: figures.expect("checked"),
        narrative: narrative.expect("checked"),
    };
    let on_behalf = caller.access().commune_code.is_none();
    Ok(store
        .save_report(
            round_id,
            commune_code,
            version,
            &draft,
            on_behalf,
            &caller.actor(),
        )
        .await?)
}

/// Submits the saved report with the commune's team list as it stands now. A province account submitting
/// for a commune (a report sent on paper) is recorded as such.
pub async fn submit(
    store: &Store,
    caller: &Caller,
    round_id: i64,
    commune_code: &str,
    version: Option<i64>,
) -> Result<Report, Error> {
    let round = report_scope(store, caller, round_id, commune_code, Intent::Change).await?;
    let roster = store
        .roster(&round.province_code, &[commune_code.to_string()])
        .await?;
    let snapshot = RosterSnapshot {
        json: cnscd_excel::roster_json(&roster),
        teams: roster.team_count() as i64,
        members: roster.member_count() as i64,
    };
    let on_behalf = caller.access().commune_code.is_none();
    Ok(store
        .submit_report(
            round_id,
            commune_code,
            version,
            snapshot,
            on_behalf,
            &caller.actor(),
        )
        .await?)
}

/// Returns a submitted report to its commune; the reason is required (the commune sees it at once).
pub async fn return_report(
    store: &Store,
    caller: &Caller,
    round_id: i64,
    commune_code: &str,
    version: Option<i64>,
    reason: &str,
) -> Result<Report, Error> {
    scope::admin(caller)?;
    report_scope(store, caller, round_id, commune_code, Intent::Change).await?;
    let reason = clean_paragraphs(reason);
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Err(FieldError::new(
            "reason",
            "reason_required",
            format!("Hãy ghi lý do trả lại để xã/phường biết cần sửa gì (tối đa {MAX_REASON_CHARS} ký tự)."),
        )
        .into());
    }
    Ok(store
        .return_report(round_id, commune_code, version, &reason, &caller.actor())
        .await?)
}

pub async fn accept(
    store: &Store,
    caller: &Caller,
    round_id: i64,
    commune_code: &str,
    version: Option<i64>,
) -> Result<Report, Error> {
    scope::admin(caller)?;
    report_scope(store, caller, round_id, commune_code, Intent::Change).await?;
    Ok(store
        .accept_report(round_id, commune_code, version, &caller.actor())
        .await?)
}
