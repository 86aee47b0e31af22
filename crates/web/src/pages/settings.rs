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
use cnscd_domain::{FieldError, ValidationErrors};
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

fn number(form: &Submitted, field: &str) -> Result<i64, FieldError> {
    form.get(field)
        .trim()
        .parse()
        .map_err(|_| FieldError::new(field, "number_invalid", "Nhập một số nguyên, ví dụ 3."))
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    form: Submitted,
) -> Result<Response, PageError> {
    let result: Result<(), Error> = async {
        let mut errors = ValidationErrors::default();
        let min = errors.check(number(&form, "min_members"));
        let max = errors.check(number(&form, "max_members"));
        errors.into_result()?;
        let (min, max) = (min.expect("checked"), max.expect("checked"));
        Ok(settings::set_team_rules(&state.store, &caller, min, max).await?)
    }
    .await;
    match result {
        Ok(()) => see_other("/admin/settings".into()),
        Err(error) => match error.field_errors() {
            Some(errors) => render_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                &SettingsPage {
                    layout: Layout::new(&caller, "Quy định của tỉnh"),
                    form: FormView::submitted(&form, errors),
                },
            ),
            None => Err(error.into()),
        },
    }
}
