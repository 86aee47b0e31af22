use super::form::Submitted;
use super::history::{rows, HistoryRow};
use super::{render, render_with, see_other, show_date, FormView, Layout};
use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::scope::{self, Intent};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use cnscd_domain::date::{format_date, parse_date};
use cnscd_domain::member::MemberDraft;
use cnscd_domain::role::Role;
use cnscd_domain::team::{validate_new_team, TeamDraft, TeamStatus};
use cnscd_store::{Commune, Decision, Member, PhoneElsewhere, Team};

#[derive(Template)]
#[template(path = "team.html")]
pub struct TeamPage {
    pub layout: Layout,
    pub team: Team,
    pub members: Vec<Member>,
    pub former: Vec<Member>,
    pub shared_phones: Vec<(i64, PhoneElsewhere)>,
    pub decisions: Vec<Decision>,
    pub add: FormView,
    pub roles: [Role; 3],
    pub today: String,
    pub history: Vec<HistoryRow>,
}

impl TeamPage {
    pub async fn load(
        state: &AppState,
        caller: &Caller,
        team_id: i64,
        add: FormView,
    ) -> Result<Self, Error> {
        let team = scope::team(state, caller, team_id, Intent::Read).await?;
        let all = state.store.team_members(team_id, true).await?;
        let (mut members, former): (Vec<Member>, Vec<Member>) =
            all.into_iter().partition(Member::is_active);
        // As in the official list: the leader, then deputies, then members, each in Vietnamese name order.
        members.sort_by_key(|m| m.role);
        let history = state
            .store
            .team_history(team_id, &team.commune_code, 30)
            .await?;
        Ok(Self {
            history: rows(&history),
            layout: Layout::new(caller, team.name.clone()),
            shared_phones: state.store.shared_phones_in_team(team_id).await?,
            decisions: state.store.team_decisions(team_id).await?,
            team,
            members,
            former,
            add,
            roles: Role::ALL,
            today: format_date(Utc::now().date_naive()),
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
) -> Result<Response, PageError> {
    let empty = FormView::with_values([("role", "member")]);
    render(&TeamPage::load(&state, &caller, id, empty).await?)
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
    let commune = scope::commune(&state, &caller, &code, Intent::Read).await?;
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
    let commune = scope::commune(&state, &caller, &code, Intent::Change).await?;
    let team = TeamDraft {
        name: form.get("name"),
        note: form.get("note"),
    };
    let leader = MemberDraft {
        full_name: form.get("leader.full_name"),
        phone: form.get("leader.phone"),
        ..Default::default()
    };
    let result: Result<_, Error> = async {
        let (team, leader) = validate_new_team(&team, &leader)?;
        Ok(state
            .store
            .create_team(&code, &team, &leader, &caller.actor())
            .await?)
    }
    .await;
    match result {
        Ok((team, _)) => see_other(format!("/teams/{}", team.id)),
        Err(Error::Invalid(errors)) => render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &NewTeamPage {
                layout: Layout::new(&caller, "Thêm tổ"),
                commune,
                form: FormView::submitted(&form, errors),
            },
        ),
        Err(other) => Err(other.into()),
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
            state.store.communes(&team.province_code).await?
        } else {
            Vec::new()
        },
        team,
        form,
        today: format_date(Utc::now().date_naive()),
    })
}

fn team_values(team: &Team) -> FormView {
    FormView::with_values([
        ("name", team.name.clone()),
        ("note", team.note.clone()),
        ("version", team.version.to_string()),
        ("commune_code", team.commune_code.clone()),
        ("dissolved_on", format_date(Utc::now().date_naive())),
    ])
}

pub async fn edit_form(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let team = scope::team(&state, &caller, id, Intent::Read).await?;
    let form = team_values(&team);
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
    match error {
        Error::Invalid(errors) => {
            let team = scope::team(state, caller, id, Intent::Read).await?;
            let view = FormView::submitted(form, errors);
            render_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                &edit_page(state, caller, team, view).await?,
            )
        }
        Error::Conflict { .. } => {
            let team = scope::team(state, caller, id, Intent::Read).await?;
            let mut view = team_values(&team);
            view.notice = Some(format!("{error} Dưới đây là thông tin mới nhất của tổ."));
            render_with(
                StatusCode::CONFLICT,
                &edit_page(state, caller, team, view).await?,
            )
        }
        other => Err(other.into()),
    }
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    scope::team(&state, &caller, id, Intent::Change).await?;
    let result: Result<_, Error> = async {
        let team = (TeamDraft {
            name: form.get("name"),
            note: form.get("note"),
        })
        .validate()?;
        Ok(state
            .store
            .update_team(id, form.version(), &team, &caller.actor())
            .await?)
    }
    .await;
    match result {
        Ok(team) => see_other(format!("/teams/{}", team.id)),
        Err(error) => team_form_failed(&state, &caller, id, &form, error).await,
    }
}

pub async fn move_team(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    scope::team(&state, &caller, id, Intent::Change).await?;
    scope::commune(&state, &caller, &form.get("commune_code"), Intent::Change).await?;
    match state
        .store
        .move_team(
            id,
            form.version(),
            &form.get("commune_code"),
            &caller.actor(),
        )
        .await
    {
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
    scope::team(&state, &caller, id, Intent::Change).await?;
    let result: Result<_, Error> = async {
        let on = parse_date("dissolved_on", &form.get("dissolved_on"))?;
        Ok(state
            .store
            .dissolve_team(id, form.version(), on, &caller.actor())
            .await?)
    }
    .await;
    match result {
        Ok(team) => see_other(format!("/teams/{}", team.id)),
        Err(error) => team_form_failed(&state, &caller, id, &form, error).await,
    }
}
