//! The JSON API under `/api/v1`, described by the OpenAPI document at `/api/openapi.json`.

mod checks;
mod communes;
mod decisions;
mod docs;
mod extract;
mod members;
mod search;
mod teams;

use crate::error::{ErrorBody, ErrorDetail};
use crate::state::AppState;
use axum::routing::{get, post};
use axum::{Json, Router};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "cnscd API",
        description = "Sổ đăng ký Tổ Công nghệ số cộng đồng: xã/phường, tổ, thành viên, quyết định. \
                       Registry of Community Digital Technology Teams. Mọi lệnh gọi cần khoá API cá nhân: \
                       `Authorization: Bearer <khoá>` (tạo ở trang Tài khoản hoặc `cnscd user token`); phạm vi \
                       của khoá là phạm vi của tài khoản (401 khi thiếu khoá, 403 khi không có quyền, 404 khi \
                       bản ghi ngoài phạm vi). Lỗi trả về dạng `{\"error\": {...}}` với thông điệp tiếng Việt; mọi thay đổi gửi kèm `version` để phát hiện sửa đồng thời (409)."
    ),
    paths(
        communes::overview, communes::list, communes::get_one,
        teams::list, teams::create, teams::get_one, teams::update, teams::move_team, teams::dissolve,
        teams::members_of_team,
        members::list, members::create, members::get_one, members::update, members::make_leader, members::leave,
        decisions::list, decisions::create, decisions::get_one, decisions::update, decisions::delete,
        search::search, checks::check,
    ),
    components(schemas(ErrorBody, ErrorDetail)),
    modifiers(&BearerToken),
    security(("token" = [])),
    tags(
        (name = "communes", description = "Xã/phường và tổng quan tỉnh"),
        (name = "teams", description = "Tổ Công nghệ số cộng đồng"),
        (name = "members", description = "Thành viên tổ"),
        (name = "decisions", description = "Quyết định thành lập, kiện toàn"),
        (name = "search", description = "Tìm kiếm không dấu"),
    )
)]
struct ApiDoc;

/// Every operation needs a personal API token (created on the account page or with `cnscd user token`);
/// a signed-in browser's session cookie works too, with `X-CSRF-Token` on changing requests.
struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The OpenAPI document of the API.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi_document())
}

pub fn routes() -> Router<AppState> {
    let v1 = Router::new()
        .route("/overview", get(communes::overview))
        .route("/communes", get(communes::list))
        .route("/communes/{code}", get(communes::get_one))
        .route("/teams", get(teams::list).post(teams::create))
        .route(
            "/teams/{id}",
            get(teams::get_one)
                .put(teams::update)
                .delete(teams::dissolve),
        )
        .route("/teams/{id}/move", post(teams::move_team))
        .route(
            "/teams/{id}/members",
            get(teams::members_of_team).post(members::create),
        )
        .route("/members", get(members::list))
        .route(
            "/members/{id}",
            get(members::get_one)
                .put(members::update)
                .delete(members::leave),
        )
        .route("/members/{id}/make-leader", post(members::make_leader))
        .route("/decisions", get(decisions::list).post(decisions::create))
        .route(
            "/decisions/{id}",
            get(decisions::get_one)
                .put(decisions::update)
                .delete(decisions::delete),
        )
        .route("/search", get(search::search))
        .route("/check/{field}", get(checks::check));
    Router::new()
        .nest("/api/v1", v1)
        .route("/api/openapi.json", get(openapi_json))
        .route("/api/docs", get(docs::page))
}
