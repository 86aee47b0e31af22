//! A commune's report in a round: filled in and submitted by its officer (or by the Department for a report
//! sent on paper), then accepted or returned with a reason by the Department.

use super::form::Submitted;
use super::rounds::{round_row, RoundRow};
use super::{render, render_with, see_other, FormView, Layout, Vietnamese};
use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use cnscd_domain::round::{show_instant, FigureInput, NarrativeDraft, ReportState};
use cnscd_services::rounds::{self, ReportView};
use cnscd_store::{DocumentOwner, LibraryDocument};
use std::collections::BTreeMap;

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    layout: Layout,
    row: RoundRow,
    view: ReportView,
    state_label: &'static str,
    /// Per indicator asked: code, name, unit, and the figure saved (empty when not given).
    figures: Vec<(String, String, String, String)>,
    editable: bool,
    reviewable: bool,
    /// A province account fills in for the commune (a report sent on paper).
    for_commune: bool,
    submitted: String,
    on_time: Option<bool>,
    form: FormView,
    review_form: FormView,
    /// What the last action did.
    done: Option<String>,
    /// Documents of the library the round points to (the letter, a template).
    documents: Vec<(LibraryDocument, String)>,
}

fn report_values(view: &ReportView) -> FormView {
    let mut values: Vec<(String, String)> = view
        .report
        .figures
        .iter()
        .map(|(code, value)| (format!("figures.{code}"), value.to_string()))
        .collect();
    // Not yet given: what the registry says (leaders trained), for the officer to check.
    for (code, value) in &view.from_registry {
        if !view.report.figures.contains_key(code) {
            values.push((format!("figures.{code}"), value.to_string()));
        }
    }
    let n = &view.report.narrative;
    values.push(("narrative.results".into(), n.results.clone()));
    values.push(("narrative.difficulties".into(), n.difficulties.clone()));
    values.push(("narrative.proposals".into(), n.proposals.clone()));
    values.push(("version".into(), view.report.version.to_string()));
    FormView::with_values(values)
}

async fn report_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    code: &str,
    form: Option<FormView>,
    review_form: FormView,
) -> Result<ReportPage, Error> {
    let view = rounds::report(&state.store, caller, id, code).await?;
    let access = caller.access();
    let report = &view.report;
    // The commune's officer edits her report; the Department fills one in only for a commune that never
    // submitted (a report sent on paper): once submitted, it reviews what was submitted.
    let editable = view.round.is_open()
        && report.state.editable()
        && access.can_write(&view.round.province_code, code)
        && (access.commune_code.is_some() || report.first_submitted_at.is_none());
    // Read, not edited: the figures as submitted (a returned report's corrections stay the commune's until
    // it submits again).
    let shown = match (&report.submitted_figures, editable) {
        (Some(submitted), false) => submitted,
        _ => &report.figures,
    };
    let figures = view
        .round
        .indicators
        .iter()
        .map(|i| {
            let saved = shown.get(&i.code).map(i64::vn).unwrap_or_default();
            (i.code.clone(), i.name.clone(), i.unit.clone(), saved)
        })
        .collect();
    let documents = cnscd_services::library::of_owner(
        &state.store,
        caller,
        DocumentOwner::Round(view.round.id),
    )
    .await?
    .into_iter()
    .map(|d| {
        let c = super::library::citation(&d);
        (d, c)
    })
    .collect();
    Ok(ReportPage {
        documents,
        layout: Layout::new(caller, format!("Báo cáo — {}", view.commune.name)),
        state_label: report.state.label(report.submissions),
        figures,
        editable,
        reviewable: access.is_admin() && report.state.awaits_review(),
        for_commune: access.commune_code.is_none(),
        submitted: report
            .first_submitted_at
            .map(show_instant)
            .unwrap_or_default(),
        on_time: report.on_time(view.round.deadline),
        form: form.unwrap_or_else(|| report_values(&view)),
        review_form,
        done: None,
        row: round_row(view.round.clone(), state.store.clock().now()),
        view,
    })
}

/// What the last action did, said once after the redirect.
#[derive(serde::Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
}

impl Done {
    fn notice(&self) -> Option<String> {
        let text = match self.done.as_str() {
            "saved" => "Đã lưu nháp. Bạn có thể sửa tiếp và nộp khi xong.",
            "submitted" => {
                "Đã nộp báo cáo. Sở sẽ xem xét; nếu cần sửa, báo cáo sẽ được trả lại kèm lý do."
            }
            _ => return None,
        };
        Some(text.to_string())
    }
}

pub async fn page(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, code)): Path<(i64, String)>,
    super::PageQuery(done): super::PageQuery<Done>,
) -> Result<Response, PageError> {
    let mut page = report_page(&state, &caller, id, &code, None, FormView::default()).await?;
    page.done = done.notice();
    render(&page)
}

fn typed_figures(form: &Submitted) -> BTreeMap<String, FigureInput> {
    form.0
        .iter()
        .filter_map(|(name, value)| {
            let code = name.strip_prefix("figures.")?;
            Some((code.to_string(), FigureInput::Text(value.clone())))
        })
        .collect()
}

fn typed_narrative(form: &Submitted) -> NarrativeDraft {
    NarrativeDraft {
        results: form.get("narrative.results"),
        difficulties: form.get("narrative.difficulties"),
        proposals: form.get("narrative.proposals"),
    }
}

/// Saves the draft and, when asked, submits it at once.
pub async fn save(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, code)): Path<(i64, String)>,
    form: Submitted,
) -> Result<Response, PageError> {
    let version = Some(form.version()).filter(|v| *v > 0);
    let mut result = rounds::save(
        &state.store,
        &caller,
        id,
        &code,
        version,
        &typed_figures(&form),
        &typed_narrative(&form),
    )
    .await;
    let submitting = form.get("action") == "submit";
    let saved = result.is_ok();
    if submitting {
        if let Ok(saved) = &result {
            result = rounds::submit(&state.store, &caller, id, &code, Some(saved.version)).await;
        }
    }
    let error = match result {
        Ok(_) => {
            let done = if submitting { "submitted" } else { "saved" };
            return see_other(format!("/rounds/{id}/reports/{code}?done={done}"));
        }
        Err(error) => Error::from(error),
    };
    let current = rounds::report(&state.store, &caller, id, &code).await?;
    let view = match (&error, error.field_errors()) {
        (_, Some(errors)) => {
            // A refused submission saved the draft already: keep its new version, and say so.
            let mut view = FormView::submitted(&form, errors);
            view.set("version", current.report.version.to_string());
            if saved {
                view.errors_heading =
                    Some("Đã lưu nháp, nhưng chưa nộp được — hãy bổ sung rồi nộp lại:".into());
            }
            view
        }
        (Error::Conflict { current_version }, None) => {
            // Someone else saved first: what they saved, in words, beside what this person typed.
            let mut theirs: Vec<(&str, String)> = current
                .round
                .indicators
                .iter()
                .map(|i| {
                    let value = current.report.figures.get(&i.code).map(i64::vn);
                    (i.name.as_str(), value.unwrap_or_else(|| "(chưa có)".into()))
                })
                .collect();
            let narrative = &current.report.narrative;
            for (label, text) in [
                ("Kết quả đạt được", &narrative.results),
                ("Khó khăn, vướng mắc", &narrative.difficulties),
                ("Đề xuất, kiến nghị", &narrative.proposals),
            ] {
                if !text.is_empty() {
                    theirs.push((label, text.clone()));
                }
            }
            FormView::after_conflict(&form, *current_version, &theirs)
        }
        _ => return Err(error.into()),
    };
    let page = report_page(&state, &caller, id, &code, Some(view), FormView::default()).await?;
    render_with(error.status(), &page)
}

pub async fn return_report(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, code)): Path<(i64, String)>,
    form: Submitted,
) -> Result<Response, PageError> {
    let result = rounds::return_report(
        &state.store,
        &caller,
        id,
        &code,
        Some(form.version()),
        &form.get("reason"),
    )
    .await;
    review_answer(&state, &caller, (id, &code, "returned"), &form, result).await
}

pub async fn accept(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, code)): Path<(i64, String)>,
    form: Submitted,
) -> Result<Response, PageError> {
    let result = rounds::accept(&state.store, &caller, id, &code, Some(form.version())).await;
    review_answer(&state, &caller, (id, &code, "accepted"), &form, result).await
}

/// Back to the board after a review (`done` says what was done), or the report again with what to fix.
async fn review_answer(
    state: &AppState,
    caller: &Caller,
    (id, code, done): (i64, &str, &str),
    form: &Submitted,
    result: Result<cnscd_store::Report, cnscd_services::Error>,
) -> Result<Response, PageError> {
    let error = match result {
        Ok(_) => return see_other(format!("/rounds/{id}?done={done}")),
        Err(error) => Error::from(error),
    };
    let Some(errors) = error.field_errors() else {
        return Err(error.into());
    };
    let review = FormView::submitted(form, errors);
    let page = report_page(state, caller, id, code, None, review).await?;
    render_with(error.status(), &page)
}

impl ReportPage {
    fn is_returned(&self) -> bool {
        self.view.report.state == ReportState::Returned
    }
}
