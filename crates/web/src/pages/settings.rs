//! The province's rules, set by its admins in the browser (the CLI's `cnscd settings` does the same).

use super::form::Submitted;
use super::{render, render_with, see_other, FormView, Layout};
use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use cnscd_services::settings;

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    layout: Layout,
    form: FormView,
}

pub async fn page(State(state): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    let rules = settings::team_rules(&state.store, &caller).await?;
    render(&SettingsPage {
        layout: Layout::new(&caller, "Quy định của tỉnh"),
        form: FormView::with_values([
            ("min_members", rules.min_members.to_string()),
            ("max_members", rules.max_members.to_string()),
        ]),
    })
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    form: Submitted,
) -> Result<Response, PageError> {
    let (min, max) = (form.get("min_members"), form.get("max_members"));
    match settings::set_team_rules(&state.store, &caller, &min, &max).await {
        Ok(()) => see_other("/admin/settings".into()),
        Err(error) => match error.field_errors() {
            Some(errors) => render_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                &SettingsPage {
                    layout: Layout::new(&caller, "Quy định của tỉnh"),
                    form: FormView::submitted(&form, errors),
                },
            ),
            None => Err(Error::from(error).into()),
        },
    }
}
