use super::form::Submitted;
use super::history::{rows, HistoryRow};
use super::{render, render_with, see_other, show_date, FormView, Layout};
use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use cnscd_domain::date::format_date;
use cnscd_domain::member::MemberDraft;
use cnscd_domain::role::Role;
use cnscd_domain::team::{TeamDraft, TeamStatus};
use cnscd_services::communes;
use cnscd_services::phones::PhoneWarning;
use cnscd_services::teams::{self, TeamDetail};
use cnscd_store::{Commune, Decision, Member, Team};

#[derive(Template)]
#[template(path = "team.html")]
pub struct TeamPage {
    pub layout: Layout,
    pub team: Team,
    pub members: Vec<Member>,
    pub former: Vec<Member>,
    pub shared_phones: Vec<(i64, PhoneWarning)>,
    pub decisions: Vec<Decision>,
    pub add: FormView,
    pub roles: [Role; 3],
    pub today: String,
    pub history: Vec<HistoryRow>,
    /// The page shows older changes, from before this entry.
    pub history_before: Option<i64>,
    pub older_history: Option<i64>,
}

/// Which changes of its history a team's page shows.
#[derive(Debug, Default, serde::Deserialize)]
pub struct TeamQuery {
    pub history_before: Option<i64>,
}

impl TeamPage {
    pub async fn load(
        state: &AppState,
        caller: &Caller,
        team_id: i64,
        add: FormView,
        history_before: Option<i64>,
    ) -> Result<Self, Error> {
        let TeamDetail {
            team,
            members,
            former,
            shared_phones,
            decisions,
            history,
            older_history,
        } = teams::detail(&state.store, caller, team_id, history_before).await?;
        Ok(Self {
            history: rows(&history),
            history_before,
            older_history,
            layout: Layout::new(caller, team.name.clone()),
            shared_phones,
            decisions,
            team,
            members,
            former,
            add,
            roles: Role::ALL,
            today: format_date(state.store.clock().today()),
        })
    }

    fn date(&self, date: &Option<chrono::NaiveDate>) -> String {
        show_date(date)
    }

    fn day(&self, date: &chrono::NaiveDate) -> String {
        show_date(&Some(*date))
    }

    fn warnings_for(&self, member_id: &i64) -> Vec<&str> {
        self.shared_phones
            .iter()
            .filter(|(id, _)| id == member_id)
            .map(|(_, w)| w.message.as_str())
            .collect()
    }

    fn is_active(&self) -> bool {
        self.team.status == TeamStatus::Active
    }
}

pub async fn page(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    super::PageQuery(query): super::PageQuery<TeamQuery>,
) -> Result<Response, PageError> {
    let empty = FormView::with_values([("role", "member")]);
    render(&TeamPage::load(&state, &caller, id, empty, query.history_before).await?)
}

#[derive(Template)]
#[template(path = "team_new.html")]
struct NewTeamPage {
    layout: Layout,
    commune: Commune,
    form: FormView,
}

pub async fn new_form(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let commune = communes::get(&state.store, &caller, &code).await?;
    render(&NewTeamPage {
        layout: Layout::new(&caller, "Thêm tổ"),
        commune,
        form: FormView::default(),
    })
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    let team = TeamDraft {
        name: form.get("name"),
        note: form.get("note"),
    };
    let leader = MemberDraft {
        full_name: form.get("leader.full_name"),
        phone: form.get("leader.phone"),
        ..Default::default()
    };
    match teams::create(&state.store, &caller, &code, &team, &leader).await {
        Ok((team, _)) => see_other(format!("/teams/{}", team.id)),
        Err(error) => {
            let error = Error::from(error);
            let Some(errors) = error.field_errors() else {
                return Err(error.into());
            };
            let commune = communes::get(&state.store, &caller, &code).await?;
            render_with(
                error.status(),
                &NewTeamPage {
                    layout: Layout::new(&caller, "Thêm tổ"),
                    commune,
                    form: FormView::submitted(&form, errors),
                },
            )
        }
    }
}

#[derive(Template)]
#[template(path = "team_edit.html")]
struct EditTeamPage {
    layout: Layout,
    team: Team,
    form: FormView,
    communes: Vec<Commune>,
    today: String,
}

async fn edit_page(
    state: &AppState,
    caller: &Caller,
    team: Team,
    form: FormView,
) -> Result<EditTeamPage, Error> {
    Ok(EditTeamPage {
        layout: Layout::new(caller, format!("Sửa {}", team.name)),
        // Moving a team between communes is a province decision.
        communes: if caller.access().whole_province() {
            communes::readable(&state.store, caller).await?
        } else {
            Vec::new()
        },
        team,
        form,
        today: format_date(state.store.clock().today()),
    })
}

fn team_values(team: &Team, today: &str) -> FormView {
    FormView::with_values([
        ("name", team.name.clone()),
        ("note", team.note.clone()),
        ("version", team.version.to_string()),
        ("commune_code", team.commune_code.clone()),
        ("dissolved_on", today.to_string()),
    ])
}

pub async fn edit_form(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let team = teams::get(&state.store, &caller, id).await?;
    let form = team_values(&team, &format_date(state.store.clock().today()));
    render(&edit_page(&state, &caller, team, form).await?)
}

/// Answers a failed team change: the form again with the errors, or with the newer version after a conflict.
async fn team_form_failed(
    state: &AppState,
    caller: &Caller,
    id: i64,
    form: &Submitted,
    error: Error,
) -> Result<Response, PageError> {
    let team = teams::get(&state.store, caller, id).await?;
    if let Some(errors) = error.field_errors() {
        let view = FormView::submitted(form, errors);
        return render_with(error.status(), &edit_page(state, caller, team, view).await?);
    }
    if let Error::Conflict { current_version } = error {
        let theirs = [
            ("Tên tổ", team.name.clone()),
            ("Ghi chú", team.note.clone()),
        ];
        let view = FormView::after_conflict(form, current_version, &theirs);
        return render_with(
            StatusCode::CONFLICT,
            &edit_page(state, caller, team, view).await?,
        );
    }
    Err(error.into())
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let draft = TeamDraft {
        name: form.get("name"),
        note: form.get("note"),
    };
    match teams::update(&state.store, &caller, id, form.version(), &draft).await {
        Ok(team) => see_other(format!("/teams/{}", team.id)),
        Err(error) => team_form_failed(&state, &caller, id, &form, error.into()).await,
    }
}

pub async fn move_team(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let target = form.get("commune_code");
    match teams::move_to(&state.store, &caller, id, form.version(), &target).await {
        Ok(team) => see_other(format!("/teams/{}", team.id)),
        Err(error) => team_form_failed(&state, &caller, id, &form, error.into()).await,
    }
}

pub async fn dissolve(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let on = form.get("dissolved_on");
    match teams::dissolve(&state.store, &caller, id, form.version(), Some(&on)).await {
        Ok(team) => see_other(format!("/teams/{}", team.id)),
        Err(error) => team_form_failed(&state, &caller, id, &form, error.into()).await,
    }
}
