//! Training classes: the list, the class form (new, edit, copy), and the class page where an officer
//! registers her people and the Department marks attendance from a phone.

use super::form::Submitted;
use super::library::LinkedDocuments;
use super::{render, render_with, see_other, workbook, FormView, Layout};
use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use cnscd_domain::round::show_instant;
use cnscd_domain::training::{Attendance, Audience, ClassDraft, Seat};
use cnscd_services::training::{self, Candidate};
use cnscd_store::{Commune, DocumentOwner, Registration, TrainingClass};
use serde::Deserialize;

/// `08:00 – 11:30 15/12/2026`, or both dates when the class spans days.
fn when(class: &TrainingClass) -> String {
    let (starts, ends) = (show_instant(class.starts_at), show_instant(class.ends_at));
    match (starts.split_once(' '), ends.split_once(' ')) {
        (Some((from, day)), Some((to, same_day))) if day == same_day => {
            format!("{from} – {to} {day}")
        }
        _ => format!("{starts} – {ends}"),
    }
}

/// Where a class stands, as the list and its page say it.
fn status(class: &TrainingClass, now: chrono::DateTime<chrono::Utc>) -> &'static str {
    if class.is_cancelled() {
        "Đã huỷ"
    } else if now > class.ends_at {
        "Đã học xong"
    } else if now >= class.starts_at {
        "Đang học"
    } else if now > class.registration_deadline {
        "Hết hạn đăng ký"
    } else {
        "Đang nhận đăng ký"
    }
}

#[derive(Template)]
#[template(path = "training_list.html")]
struct ListPage {
    layout: Layout,
    classes: Vec<(TrainingClass, String, &'static str)>,
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    let now = state.store.clock().now();
    let classes = training::classes(&state.store, &caller)
        .await?
        .into_iter()
        .map(|c| {
            let (w, s) = (when(&c), status(&c, now));
            (c, w, s)
        })
        .collect();
    render(&ListPage {
        layout: Layout::new(&caller, "Lớp tập huấn"),
        classes,
    })
}

#[derive(Template)]
#[template(path = "training_form.html")]
struct FormPage {
    layout: Layout,
    form: FormView,
    /// The class being edited; `None` for a new one (or a copy).
    class_id: Option<i64>,
    audiences: [Audience; 4],
}

impl FormPage {
    fn action(&self) -> String {
        match self.class_id {
            Some(id) => format!("/training/{id}/edit"),
            None => "/training/new".into(),
        }
    }
}

fn draft(form: &Submitted) -> ClassDraft {
    ClassDraft {
        topic: form.get("topic"),
        content: form.get("content"),
        starts_at: form.get("starts_at"),
        ends_at: form.get("ends_at"),
        venue: form.get("venue"),
        online_link: form.get("online_link"),
        capacity: form.get("capacity").trim().parse().unwrap_or(0),
        audience: form.get("audience"),
        registration_deadline: form.get("registration_deadline"),
        trainer: form.get("trainer"),
    }
}

/// A class's values in the form; a copy keeps everything but the times, to be set for the next session.
fn class_values(class: &TrainingClass, copy: bool) -> FormView {
    let time = |at| {
        if copy {
            String::new()
        } else {
            show_instant(at)
                .split_once(' ')
                .map(|(t, d)| format!("{d} {t}"))
                .unwrap_or_default()
        }
    };
    FormView::with_values([
        ("topic", class.topic.clone()),
        ("content", class.content.clone()),
        ("starts_at", time(class.starts_at)),
        ("ends_at", time(class.ends_at)),
        ("venue", class.venue.clone()),
        ("online_link", class.online_link.clone()),
        ("capacity", class.capacity.to_string()),
        ("audience", class.audience.code().to_string()),
        ("registration_deadline", time(class.registration_deadline)),
        ("trainer", class.trainer.clone()),
        ("version", class.version.to_string()),
    ])
}

#[derive(Debug, Deserialize)]
pub struct NewQuery {
    /// Pre-fill from this class (the next session of the same course).
    copy: Option<i64>,
}

pub async fn new_form(
    State(state): State<AppState>,
    caller: Caller,
    super::PageQuery(query): super::PageQuery<NewQuery>,
) -> Result<Response, PageError> {
    cnscd_services::scope::admin(&caller).map_err(Error::from)?;
    let form = match query.copy {
        Some(id) => class_values(&training::class(&state.store, &caller, id).await?, true),
        None => FormView::with_values([("capacity", "50"), ("audience", "leaders_and_deputies")]),
    };
    render(&FormPage {
        layout: Layout::new(&caller, "Mở lớp tập huấn"),
        form,
        class_id: None,
        audiences: Audience::ALL,
    })
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    form: Submitted,
) -> Result<Response, PageError> {
    match training::create(&state.store, &caller, &draft(&form)).await {
        Ok(class) => see_other(format!("/training/{}", class.id)),
        Err(error) => form_again(&caller, &form, None, error.into()),
    }
}

fn form_again(
    caller: &Caller,
    form: &Submitted,
    class_id: Option<i64>,
    error: Error,
) -> Result<Response, PageError> {
    let Some(errors) = error.field_errors() else {
        return Err(error.into());
    };
    render_with(
        error.status(),
        &FormPage {
            layout: Layout::new(
                caller,
                if class_id.is_some() {
                    "Sửa lớp tập huấn"
                } else {
                    "Mở lớp tập huấn"
                },
            ),
            form: FormView::submitted(form, errors),
            class_id,
            audiences: Audience::ALL,
        },
    )
}

pub async fn edit_form(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    cnscd_services::scope::admin(&caller).map_err(Error::from)?;
    let class = training::class(&state.store, &caller, id).await?;
    render(&FormPage {
        layout: Layout::new(&caller, "Sửa lớp tập huấn"),
        form: class_values(&class, false),
        class_id: Some(id),
        audiences: Audience::ALL,
    })
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    match training::update(&state.store, &caller, id, form.version(), &draft(&form)).await {
        Ok(_) => see_other(format!("/training/{id}")),
        Err(error) => form_again(&caller, &form, Some(id), error.into()),
    }
}

pub async fn cancel(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    training::cancel(
        &state.store,
        &caller,
        id,
        form.version(),
        &form.get("reason"),
    )
    .await?;
    see_other(format!("/training/{id}"))
}

#[derive(Template)]
#[template(path = "training_class.html")]
struct ClassPage {
    layout: Layout,
    class: TrainingClass,
    when: String,
    status: &'static str,
    deadline: String,
    registration_open: bool,
    /// Marking attendance: the class's first day has come.
    attendance_open: bool,
    registrations: Vec<Registration>,
    /// The commune whose people the form offers, and them.
    commune: Option<Commune>,
    candidates: Vec<Candidate>,
    /// Province accounts: the communes to pick from, and those that registered nobody.
    communes: Vec<Commune>,
    without_registration: Vec<(String, String)>,
    /// What the last registration did, and what it refused.
    notices: Vec<String>,
    attendances: [Attendance; 3],
    /// Documents of the library the class points to.
    linked: LinkedDocuments,
}

impl ClassPage {
    fn is_selected(&self, code: &str) -> bool {
        self.commune.as_ref().is_some_and(|c| c.code == code)
    }

    fn seat_label(&self, r: &Registration) -> &'static str {
        r.seat.label()
    }

    fn is_waiting(&self, r: &Registration) -> bool {
        r.seat == Seat::Waiting
    }

    /// Her place in the waiting list (listed in its order), from 1.
    fn waiting_position(&self, r: &Registration) -> usize {
        self.registrations
            .iter()
            .filter(|o| o.seat == Seat::Waiting)
            .position(|o| o.id == r.id)
            .map_or(0, |p| p + 1)
    }

    fn is_seated(&self, r: &Registration) -> bool {
        r.seat == Seat::Seated
    }

    fn attendance_is(&self, r: &Registration, a: &Attendance) -> bool {
        r.attendance == Some(*a)
    }

    fn phone(&self, r: &Registration) -> String {
        r.phone
            .clone()
            .map(|p| cnscd_domain::phone::Phone::from_stored(p).grouped())
            .unwrap_or_default()
    }
}

#[derive(Debug, Deserialize)]
pub struct ClassQuery {
    /// Province accounts: whose people to offer in the registration form.
    commune: Option<String>,
}

async fn class_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    commune: Option<String>,
    notices: Vec<String>,
) -> Result<ClassPage, Error> {
    let class = training::class(&state.store, caller, id).await?;
    let now = state.store.clock().now();
    let whole_province = caller.access().whole_province();
    let commune_code = caller.user.commune_code.clone().or(commune);
    let (commune, candidates) = match &commune_code {
        Some(code) => (
            Some(cnscd_services::communes::get(&state.store, caller, code).await?),
            training::candidates(&state.store, caller, id, code).await?,
        ),
        None => (None, Vec::new()),
    };
    let (communes, without_registration) = if whole_province {
        (
            cnscd_services::communes::readable(&state.store, caller).await?,
            training::communes_without_registration(&state.store, caller, id).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let first_day = class
        .starts_at
        .with_timezone(&cnscd_domain::clock::vietnam())
        .date_naive();
    Ok(ClassPage {
        layout: Layout::new(caller, class.topic.clone()),
        when: when(&class),
        status: status(&class, now),
        deadline: show_instant(class.registration_deadline),
        registration_open: !class.is_cancelled() && now <= class.registration_deadline,
        attendance_open: !class.is_cancelled() && state.store.clock().today() >= first_day,
        registrations: training::registrations(&state.store, caller, id).await?,
        class,
        commune,
        candidates,
        communes,
        without_registration,
        notices,
        attendances: Attendance::ALL,
        linked: super::library::linked(
            state,
            caller,
            DocumentOwner::Class(id),
            format!("/training/{id}/documents"),
        )
        .await?,
    })
}

pub async fn page(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    super::PageQuery(query): super::PageQuery<ClassQuery>,
) -> Result<Response, PageError> {
    render(&class_page(&state, &caller, id, query.commune, Vec::new()).await?)
}

/// Registers every person ticked; says who got a seat, who waits, and what was refused and why.
pub async fn register(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    cnscd_services::scope::writer(&caller).map_err(Error::from)?;
    let mut notices = Vec::new();
    let ticked = form.all("member_id");
    if ticked.is_empty() {
        notices.push("Chưa chọn ai: hãy đánh dấu người cần đăng ký.".to_string());
    }
    for member in ticked {
        let Ok(member_id) = member.trim().parse::<i64>() else {
            continue;
        };
        match training::register(&state.store, &caller, id, member_id).await {
            Ok(r) => notices.push(match r.seat {
                Seat::Waiting => format!("{}: vào danh sách chờ (lớp đã đủ chỗ).", r.full_name),
                _ => format!("{}: đã đăng ký, có chỗ.", r.full_name),
            }),
            Err(error) => notices.push(error.to_string()),
        }
    }
    let commune = Some(form.get("commune")).filter(|c| !c.is_empty());
    render(&class_page(&state, &caller, id, commune, notices).await?)
}

pub async fn withdraw(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let withdrawn = training::withdraw(&state.store, &caller, id).await?;
    see_other(format!("/training/{}", withdrawn.class_id))
}

/// Saves the attendance chosen on each row that changed.
pub async fn attendance(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    cnscd_services::scope::admin(&caller).map_err(Error::from)?;
    let current = training::registrations(&state.store, &caller, id).await?;
    for (name, value) in &form.0 {
        let Some(registration) = name
            .strip_prefix("attendance_")
            .and_then(|n| n.parse::<i64>().ok())
        else {
            continue;
        };
        let unchanged = current
            .iter()
            .any(|r| r.id == registration && r.attendance.map(Attendance::code) == Some(value));
        if value.is_empty() || unchanged {
            continue;
        }
        training::mark_attendance(&state.store, &caller, registration, value).await?;
    }
    see_other(format!("/training/{id}#registrations"))
}

pub async fn roster_download(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    Ok(workbook(
        training::roster_workbook(&state.store, &caller, id).await?,
    ))
}

pub async fn sign_in_download(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    Ok(workbook(
        training::sign_in_workbook(&state.store, &caller, id).await?,
    ))
}

/// Points the class to a document of the library (`linked=1`) or stops (`linked=0`).
pub async fn link_document(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let back = format!("/training/{id}#documents");
    super::library::link_from_form(&state, &caller, DocumentOwner::Class(id), &form, back).await
}
