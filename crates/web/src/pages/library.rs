//! The library of guidance documents: search and filters for everyone signed in, the form for province
//! admins, and downloads that a browser never opens as a page.

use super::form::Submitted;
use super::upload::{field, read_form};
use super::{render, render_with, see_other, FormView, Layout};
use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use cnscd_domain::date::format_date;
use cnscd_domain::library::{task_area_label, DocumentDraft, DocumentKind, TASK_AREA_CODES};
use cnscd_services::library::{self, LibraryQuery};
use cnscd_store::{DocumentOwner, LibraryDocument};
use serde::Deserialize;

/// Extra room in a form beyond its file (the text fields and the multipart framing).
const FORM_OVERHEAD_BYTES: usize = 64 * 1024;
pub const MAX_UPLOAD_BYTES: usize = library::MAX_FILE_BYTES + FORM_OVERHEAD_BYTES;

/// How a document is named in lists: `Hướng dẫn 557/STTTT-CNTT ngày 28/03/2022 của Sở …`.
pub fn citation(d: &LibraryDocument) -> String {
    let mut text = d.kind.label().to_string();
    if !d.number.is_empty() {
        text.push_str(&format!(" số {}", d.number));
    }
    if let Some(on) = d.issued_on {
        text.push_str(&format!(" ngày {}", format_date(on)));
    }
    text.push_str(&format!(" của {}", d.issuer));
    text
}

fn areas_text(d: &LibraryDocument) -> String {
    if d.areas.len() == TASK_AREA_CODES.len() {
        return "cả sáu lĩnh vực".into();
    }
    d.areas
        .iter()
        .filter_map(|a| task_area_label(a))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    kind: Option<String>,
    area: Option<String>,
}

#[derive(Template)]
#[template(path = "library.html")]
struct ListPage {
    layout: Layout,
    query: String,
    kind: String,
    area: String,
    kinds: [DocumentKind; 6],
    areas: [(&'static str, &'static str); 6],
    documents: Vec<(LibraryDocument, String, String)>,
    error: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    super::PageQuery(query): super::PageQuery<ListQuery>,
) -> Result<Response, PageError> {
    let asked = LibraryQuery {
        query: query.q.clone(),
        kind: query.kind.clone(),
        area: query.area.clone(),
    };
    let (documents, error) = match library::list(&state.store, &caller, &asked).await {
        Ok(found) => (found, None),
        Err(cnscd_services::Error::Invalid(errors)) => {
            (Vec::new(), errors.0.first().map(|e| e.message.clone()))
        }
        Err(other) => return Err(Error::from(other).into()),
    };
    render(&ListPage {
        layout: Layout::new(&caller, "Thư viện văn bản"),
        query: query.q.chars().take(100).collect(),
        kind: query.kind.unwrap_or_default(),
        area: query.area.unwrap_or_default(),
        kinds: DocumentKind::ALL,
        areas: TASK_AREA_CODES,
        documents: documents
            .into_iter()
            .map(|d| {
                let (c, a) = (citation(&d), areas_text(&d));
                (d, c, a)
            })
            .collect(),
        error,
    })
}

#[derive(Template)]
#[template(path = "library_form.html")]
struct FormPage {
    layout: Layout,
    form: FormView,
    document: Option<(LibraryDocument, String)>,
    kinds: [DocumentKind; 6],
    areas: [(&'static str, &'static str); 6],
    max_megabytes: usize,
}

impl FormPage {
    fn action(&self) -> String {
        match &self.document {
            Some((d, _)) => format!("/library/{}", d.id),
            None => "/library/new".into(),
        }
    }
}

fn document_values(d: &LibraryDocument) -> FormView {
    let mut values = vec![
        ("number", d.number.clone()),
        (
            "issued_on",
            d.issued_on.map(format_date).unwrap_or_default(),
        ),
        ("issuer", d.issuer.clone()),
        ("kind", d.kind.code().to_string()),
        ("title", d.title.clone()),
        ("summary", d.summary.clone()),
        ("link", d.link.clone()),
        ("version", d.version.to_string()),
    ];
    values.extend(d.areas.iter().map(|a| ("areas", a.clone())));
    FormView::with_values(values)
}

fn form_page(caller: &Caller, form: FormView, document: Option<LibraryDocument>) -> FormPage {
    let title = match &document {
        Some(_) => "Văn bản",
        None => "Thêm văn bản",
    };
    FormPage {
        layout: Layout::new(caller, title),
        form,
        document: document.map(|d| {
            let c = citation(&d);
            (d, c)
        }),
        kinds: DocumentKind::ALL,
        areas: TASK_AREA_CODES,
        max_megabytes: library::MAX_FILE_BYTES / 1024 / 1024,
    }
}

pub async fn new_form(State(_): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    cnscd_services::scope::admin(&caller).map_err(Error::from)?;
    render(&form_page(
        &caller,
        FormView::with_values([("kind", "huong_dan")]),
        None,
    ))
}

/// A document's page: what it is, its file or link; the form to change it for province admins.
pub async fn page(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let document = library::get(&state.store, &caller, id).await?;
    render(&form_page(
        &caller,
        document_values(&document),
        Some(document),
    ))
}

fn draft(fields: &[(String, String)]) -> DocumentDraft {
    DocumentDraft {
        number: field(fields, "number").into(),
        issued_on: field(fields, "issued_on").into(),
        issuer: field(fields, "issuer").into(),
        kind: field(fields, "kind").into(),
        title: field(fields, "title").into(),
        summary: field(fields, "summary").into(),
        areas: fields
            .iter()
            .filter(|(k, _)| k == "areas")
            .map(|(_, v)| v.clone())
            .collect(),
        link: field(fields, "link").into(),
    }
}

/// Saves the form (new when `id` is `None`); on a problem, the form again as typed, the file to choose again.
async fn save(
    state: &AppState,
    caller: &Caller,
    id: Option<i64>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let (upload, fields) = read_form(multipart).await?;
    let submitted = Submitted(fields.clone());
    let file =
        match upload {
            Some(upload) => match library::check_file(&upload.name, upload.bytes) {
                Ok(file) => Some(file),
                Err(error) => {
                    let error = Error::from(error);
                    let errors = cnscd_domain::ValidationErrors::single(
                        cnscd_domain::FieldError::new("file", "file_refused", error.to_string()),
                    );
                    let document = match id {
                        Some(id) => Some(library::get(&state.store, caller, id).await?),
                        None => None,
                    };
                    let page = form_page(caller, FormView::submitted(&submitted, errors), document);
                    return render_with(error.status(), &page);
                }
            },
            None => None,
        };
    let draft = draft(&fields);
    let saved = match id {
        Some(id) => {
            let version = submitted.version();
            library::update(&state.store, caller, id, version, &draft, file).await
        }
        None => library::create(&state.store, caller, &draft, file).await,
    };
    match saved {
        Ok(document) => see_other(format!("/library/{}", document.id)),
        Err(error) => {
            let error = Error::from(error);
            let Some(errors) = error.field_errors() else {
                return Err(error.into());
            };
            let document = match id {
                Some(id) => Some(library::get(&state.store, caller, id).await?),
                None => None,
            };
            let page = form_page(caller, FormView::submitted(&submitted, errors), document);
            render_with(error.status(), &page)
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    multipart: Multipart,
) -> Result<Response, PageError> {
    cnscd_services::scope::admin(&caller).map_err(Error::from)?;
    save(&state, &caller, None, multipart).await
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    cnscd_services::scope::admin(&caller).map_err(Error::from)?;
    save(&state, &caller, Some(id), multipart).await
}

pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    library::delete(&state.store, &caller, id, form.version()).await?;
    see_other("/library".into())
}

/// The file, as a download: never shown inline, never sniffed as something else, sandboxed if opened.
pub fn file_response(document: &LibraryDocument, bytes: Vec<u8>) -> Response {
    let Some(file) = &document.file else {
        return Error::NotFound("tệp của văn bản").into_page_or_api("/library");
    };
    let ascii_name: String = file
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = file
        .name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, file.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}"),
            ),
            (header::CONTENT_SECURITY_POLICY, "sandbox".to_string()),
        ],
        bytes,
    )
        .into_response()
}

pub async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (document, bytes) = library::file(&state.store, &caller, id).await?;
    Ok(file_response(&document, bytes))
}

/// The documents a class or a round points to, and for province admins the library to pick more from.
pub struct LinkedDocuments {
    /// Where the link and unlink forms post.
    pub action: String,
    pub documents: Vec<(LibraryDocument, String)>,
    pub library: Vec<(i64, String)>,
}

pub async fn linked(
    state: &AppState,
    caller: &Caller,
    owner: DocumentOwner,
    action: String,
) -> Result<LinkedDocuments, Error> {
    let documents = library::of_owner(&state.store, caller, owner)
        .await?
        .into_iter()
        .map(|d| {
            let c = citation(&d);
            (d, c)
        })
        .collect();
    let library = if caller.access().is_admin() {
        library::list(&state.store, caller, &LibraryQuery::default())
            .await?
            .into_iter()
            .map(|d| (d.id, format!("{} — {}", citation(&d), d.title)))
            .collect()
    } else {
        Vec::new()
    };
    Ok(LinkedDocuments {
        action,
        documents,
        library,
    })
}

/// Links (`linked=1`) or unlinks (`linked=0`) the form's `document_id`, then back to `back`.
pub async fn link_from_form(
    state: &AppState,
    caller: &Caller,
    owner: DocumentOwner,
    form: &Submitted,
    back: String,
) -> Result<Response, PageError> {
    let document = form.get("document_id").trim().parse().unwrap_or(0);
    let linked = form.get("linked") != "0";
    library::link(&state.store, caller, owner, document, linked).await?;
    see_other(back)
}
