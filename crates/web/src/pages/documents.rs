//! Official documents in the browser: a form with everything the document will say about its issuer, number,
//! date, addressees and signer (pre-filled from the saved letterhead), and two buttons that download it as
//! PDF or Word. The form is a GET: downloading reads, it changes nothing.

use super::form::Submitted;
use super::{render, render_with, see_other, FormView, Layout};
use crate::auth::Caller;
use crate::documents;
use crate::error::{Error, PageError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use cnscd_domain::date::format_date;
use cnscd_domain::official::{DocumentRequest, Letterhead, LetterheadDraft};
use cnscd_services::documents::{self as service, Issue, Subject};

#[derive(Template)]
#[template(path = "document_form.html")]
struct DocumentPage {
    layout: Layout,
    description: String,
    action: String,
    form: FormView,
    /// What the free-text field is for in this document, if it has one.
    remarks_label: Option<&'static str>,
    /// A decision and a list are addressed to no one.
    has_addressees: bool,
    /// A round letter says where communes submit.
    has_address: bool,
    /// A form to sign (the sign-in sheet) has no recipients.
    has_recipients: bool,
    /// Whether the caller may change what the document says; otherwise she downloads it as saved.
    editable: bool,
    letterhead_settings: String,
}

fn issue_values(issue: &Issue) -> Vec<(&'static str, String)> {
    let l = &issue.letterhead;
    vec![
        ("number", issue.number.clone()),
        ("date", format_date(issue.date)),
        ("parent_body", l.parent_body.clone()),
        ("body", l.body.clone()),
        ("number_suffix", l.number_suffix.clone()),
        ("place", l.place.clone()),
        ("signer_capacity", l.signer_capacity.clone()),
        ("signer_title", l.signer_title.clone()),
        ("signer_name", l.signer_name.clone()),
        ("archive", l.archive.clone()),
        ("addressees", issue.addressees.clone()),
        ("recipients", issue.recipients.clone()),
        ("remarks", issue.remarks.clone()),
        ("address", issue.address.clone()),
    ]
}

fn remarks_label(subject: &Subject) -> Option<&'static str> {
    match subject {
        Subject::Consolidated { .. } => Some("Nhận xét, đề xuất (mỗi dòng một đoạn)"),
        Subject::Decision { .. } => Some("Căn cứ ban hành (mỗi dòng một căn cứ)"),
        Subject::RoundLetter { .. } => Some("Đề nghị thêm (nếu có)"),
        _ => None,
    }
}

fn letterhead_settings(subject: &Subject) -> String {
    match subject {
        Subject::CommuneReport { commune_code, .. }
        | Subject::Decision { commune_code }
        | Subject::TeamList {
            commune_code: Some(commune_code),
        } => format!("/communes/{commune_code}/letterhead"),
        _ => "/admin/letterhead".into(),
    }
}

/// The form, or the file when a format was chosen; a field at fault shows the form again with its message.
async fn respond(
    state: &AppState,
    caller: &Caller,
    subject: Subject,
    action: String,
    query: Option<String>,
) -> Result<Response, PageError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.as_deref().unwrap_or("")).unwrap_or_default();
    let request: DocumentRequest = serde_urlencoded::from_str(query.as_deref().unwrap_or(""))
        .map_err(|e| Error::BadRequest(format!("Địa chỉ tải văn bản không đúng: {e}.")))?;
    let format = pairs
        .iter()
        .find(|(k, _)| k == "format")
        .map(|(_, v)| v.clone());
    let page = |description: String, form: FormView, editable: bool| DocumentPage {
        layout: Layout::new(caller, description.clone()),
        description,
        action: action.clone(),
        form,
        remarks_label: remarks_label(&subject),
        has_addressees: matches!(
            subject,
            Subject::RoundLetter { .. }
                | Subject::Consolidated { .. }
                | Subject::CommuneReport { .. }
        ),
        has_address: matches!(subject, Subject::RoundLetter { .. }),
        has_recipients: !matches!(subject, Subject::TrainingSignIn { .. }),
        editable,
        letterhead_settings: letterhead_settings(&subject),
    };
    match service::prepare(&state.store, caller, &subject, &request).await {
        Ok(prepared) => {
            let (description, values) =
                (prepared.description.clone(), issue_values(&prepared.issue));
            let editable = prepared.editable;
            let download = match format {
                Some(code) => documents::download(prepared, documents::format(Some(&code))?).await,
                None => return render(&page(description, FormView::with_values(values), editable)),
            };
            match download {
                Ok(file) => Ok(file),
                // A letter the PDF cannot print: the form again, with what to fix above it.
                Err(Error::Unprocessable(message)) => {
                    render_with(StatusCode::UNPROCESSABLE_ENTITY, &{
                        let mut form =
                            FormView::submitted(&Submitted(pairs.clone()), Default::default());
                        form.notice = Some(message);
                        page(description, form, editable)
                    })
                }
                Err(other) => Err(other.into()),
            }
        }
        Err(error) => match error.field_errors() {
            Some(errors) => render_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(
                    "Văn bản chưa tải được".into(),
                    {
                        let mut form = FormView::submitted(&Submitted(pairs), errors);
                        form.errors_heading = Some("Chưa tải được văn bản, hãy sửa:".into());
                        form
                    },
                    true,
                ),
            ),
            None => Err(Error::from(error).into()),
        },
    }
}

pub async fn round_document(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((round_id, kind)): Path<(i64, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let subject = match kind.as_str() {
        "letter" => Subject::RoundLetter {
            round_id,
            site_address: crate::qr::site_address(&state, &headers),
        },
        "consolidated" => Subject::Consolidated { round_id },
        _ => return Err(Error::NotFound("văn bản").into()),
    };
    let action = format!("/rounds/{round_id}/documents/{kind}");
    respond(&state, &caller, subject, action, query).await
}

pub async fn report_document(
    State(state): State<AppState>,
    caller: Caller,
    Path((round_id, commune_code)): Path<(i64, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let action = format!("/rounds/{round_id}/reports/{commune_code}/document");
    let subject = Subject::CommuneReport {
        round_id,
        commune_code,
    };
    respond(&state, &caller, subject, action, query).await
}

pub async fn commune_document(
    State(state): State<AppState>,
    caller: Caller,
    Path((code, kind)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let subject = match kind.as_str() {
        "team-list" => Subject::TeamList {
            commune_code: Some(code.clone()),
        },
        "decision" => Subject::Decision {
            commune_code: code.clone(),
        },
        _ => return Err(Error::NotFound("văn bản").into()),
    };
    let action = format!("/communes/{code}/documents/{kind}");
    respond(&state, &caller, subject, action, query).await
}

pub async fn training_sign_in(
    State(state): State<AppState>,
    caller: Caller,
    Path(class_id): Path<i64>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let subject = Subject::TrainingSignIn { class_id };
    let action = format!("/training/{class_id}/sign-in-sheet");
    respond(&state, &caller, subject, action, query).await
}

pub async fn province_team_list(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let subject = Subject::TeamList { commune_code: None };
    respond(
        &state,
        &caller,
        subject,
        "/documents/team-list".into(),
        query,
    )
    .await
}

#[derive(Template)]
#[template(path = "letterhead.html")]
struct LetterheadPage {
    layout: Layout,
    /// `Sở Khoa học và Công nghệ` or the commune's name.
    whose: String,
    action: String,
    form: FormView,
    saved: bool,
}

fn letterhead_values(letterhead: &Letterhead) -> Vec<(&'static str, String)> {
    vec![
        ("parent_body", letterhead.parent_body.clone()),
        ("body", letterhead.body.clone()),
        ("number_suffix", letterhead.number_suffix.clone()),
        ("place", letterhead.place.clone()),
        ("signer_capacity", letterhead.signer_capacity.clone()),
        ("signer_title", letterhead.signer_title.clone()),
        ("signer_name", letterhead.signer_name.clone()),
        ("archive", letterhead.archive.clone()),
    ]
}

async fn letterhead_page(
    state: &AppState,
    caller: &Caller,
    commune_code: Option<String>,
    saved: bool,
) -> Result<Response, PageError> {
    let letterhead = service::letterhead(&state.store, caller, commune_code.as_deref()).await?;
    let (whose, action) = letterhead_target(state, caller, commune_code.as_deref()).await?;
    render(&LetterheadPage {
        layout: Layout::new(caller, format!("Thông tin ban hành văn bản — {whose}")),
        whose,
        action,
        form: FormView::with_values(letterhead_values(&letterhead)),
        saved,
    })
}

async fn letterhead_target(
    state: &AppState,
    caller: &Caller,
    commune_code: Option<&str>,
) -> Result<(String, String), PageError> {
    Ok(match commune_code {
        Some(code) => (
            cnscd_services::communes::get(&state.store, caller, code)
                .await?
                .name,
            format!("/communes/{code}/letterhead"),
        ),
        None => (
            "Sở Khoa học và Công nghệ".into(),
            "/admin/letterhead".into(),
        ),
    })
}

#[derive(serde::Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

pub async fn department_letterhead(
    State(state): State<AppState>,
    caller: Caller,
    super::PageQuery(query): super::PageQuery<SavedQuery>,
) -> Result<Response, PageError> {
    letterhead_page(&state, &caller, None, query.saved.is_some()).await
}

pub async fn commune_letterhead(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    super::PageQuery(query): super::PageQuery<SavedQuery>,
) -> Result<Response, PageError> {
    letterhead_page(&state, &caller, Some(code), query.saved.is_some()).await
}

async fn save_letterhead(
    state: &AppState,
    caller: &Caller,
    commune_code: Option<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    let field = |name: &str| Some(form.get(name));
    let draft = LetterheadDraft {
        parent_body: field("parent_body"),
        body: field("body"),
        number_suffix: field("number_suffix"),
        place: field("place"),
        signer_capacity: field("signer_capacity"),
        signer_title: field("signer_title"),
        signer_name: field("signer_name"),
        archive: field("archive"),
    };
    let (whose, action) = letterhead_target(state, caller, commune_code.as_deref()).await?;
    match service::set_letterhead(&state.store, caller, commune_code.as_deref(), &draft).await {
        Ok(_) => see_other(format!("{action}?saved=1")),
        Err(error) => match error.field_errors() {
            Some(errors) => render_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                &LetterheadPage {
                    layout: Layout::new(caller, format!("Thông tin ban hành văn bản — {whose}")),
                    whose,
                    action,
                    form: FormView::submitted(&form, errors),
                    saved: false,
                },
            ),
            None => Err(Error::from(error).into()),
        },
    }
}

pub async fn set_department_letterhead(
    State(state): State<AppState>,
    caller: Caller,
    form: Submitted,
) -> Result<Response, PageError> {
    save_letterhead(&state, &caller, None, form).await
}

pub async fn set_commune_letterhead(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    save_letterhead(&state, &caller, Some(code), form).await
}
