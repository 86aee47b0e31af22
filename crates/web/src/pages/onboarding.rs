//! Onboarding the province's communes: officer accounts in bulk (from a spreadsheet, or one for every commune
//! without an officer), then a printable sign-in slip per account. First passwords appear on that one answer
//! only: it is not cached and not kept.

use super::upload::{chosen, field, read_form};
use super::{render_with, Layout};
use crate::auth::cookies::over_tls;
use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use cnscd_services::accounts;
use cnscd_services::onboarding::{self, NewAccount, Onboarding};

/// A list of people fits in far less; a file beyond it is refused before it is read.
pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;
pub const TEMPLATE_FILE: &str = "mau-tai-khoan-can-bo.xlsx";

#[derive(Template)]
#[template(path = "onboarding.html")]
struct OnboardingPage {
    layout: Layout,
    unserved: usize,
    message: Option<String>,
    problems: Vec<String>,
}

#[derive(Template)]
#[template(path = "slips.html")]
struct SlipsPage {
    layout: Layout,
    heading: String,
    accounts: Vec<NewAccount>,
    already_served: usize,
    sign_in: String,
}

async fn form_page(
    state: &AppState,
    caller: &Caller,
    message: Option<String>,
    problems: Vec<String>,
) -> Result<OnboardingPage, Error> {
    Ok(OnboardingPage {
        layout: Layout::new(caller, "Tạo tài khoản cho các xã/phường"),
        unserved: onboarding::unserved_communes(&state.store, caller).await?,
        message,
        problems,
    })
}

pub async fn form(State(state): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    render_with(
        StatusCode::OK,
        &form_page(&state, &caller, None, Vec::new()).await?,
    )
}

pub async fn template(caller: Caller) -> Result<Response, PageError> {
    let bytes = onboarding::sheet_template(&caller)?;
    let disposition = format!("attachment; filename=\"{TEMPLATE_FILE}\"");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// The address officers open to sign in, as this request reached the server.
fn sign_in_address(state: &AppState, headers: &HeaderMap) -> String {
    let scheme = if over_tls(state, headers) {
        "https"
    } else {
        "http"
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("{scheme}://{host}/login")
}

/// Creates the accounts and answers with their slips; or says what to fix, creating none.
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, PageError> {
    cnscd_services::scope::admin(&caller)?;
    let (upload, fields) = read_form(multipart).await?;
    let what = if field(&fields, "source") == "every_commune" {
        Onboarding::EveryCommune
    } else {
        match chosen(upload, "danh sách cán bộ (.xlsx, .xls, .ods hoặc .csv)") {
            Ok(file) => Onboarding::Sheet {
                bytes: file.bytes,
                file_name: file.name,
            },
            Err(message) => {
                let page = form_page(&state, &caller, Some(message), Vec::new()).await?;
                return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
            }
        }
    };
    let onboarded = match onboarding::onboard_as(&state.store, &caller, what).await {
        Ok(onboarded) => onboarded,
        Err(cnscd_services::Error::Unreadable(message)) => {
            let page = form_page(&state, &caller, Some(message), Vec::new()).await?;
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(error) => {
            let error = Error::from(error);
            let Some(errors) = error.field_errors() else {
                return Err(error.into());
            };
            let message =
                "Chưa tài khoản nào được tạo: hãy sửa các dòng sau trong tệp rồi gửi lại.";
            let problems = errors.0.into_iter().map(|e| e.message).collect();
            let page = form_page(&state, &caller, Some(message.into()), problems).await?;
            return render_with(error.status(), &page);
        }
    };
    if onboarded.accounts.is_empty() {
        let message =
            "Mọi xã/phường của tỉnh đều đã có tài khoản cán bộ: không tạo thêm tài khoản nào.";
        let page = form_page(&state, &caller, Some(message.into()), Vec::new()).await?;
        return render_with(StatusCode::OK, &page);
    }
    let page = SlipsPage {
        layout: Layout::new(&caller, "Phiếu đăng nhập"),
        heading: format!("Đã tạo {} tài khoản", onboarded.accounts.len()),
        accounts: onboarded.accounts,
        already_served: onboarded.already_served,
        sign_in: sign_in_address(&state, &headers),
    };
    slips(&page)
}

/// Gives an account a new generated password and answers with its sign-in slip.
pub async fn reset_with_slip(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let account = accounts::reset_with_slip(&state.store, &caller, id).await?;
    let page = SlipsPage {
        layout: Layout::new(&caller, "Phiếu đăng nhập"),
        heading: format!("Mật khẩu mới của {}", account.user.username),
        accounts: vec![account],
        already_served: 0,
        sign_in: sign_in_address(&state, &headers),
    };
    slips(&page)
}

fn slips(page: &SlipsPage) -> Result<Response, PageError> {
    let mut response = render_with(StatusCode::OK, page)?;
    // The first passwords are on this answer only: no browser or proxy may keep it.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}
