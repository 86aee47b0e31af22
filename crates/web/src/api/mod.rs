//! The JSON API under `/api/v1`, described by the OpenAPI document at `/api/openapi.json`.

mod checks;
mod communes;
mod consent;
mod decisions;
mod docs;
mod documents;
mod extract;
mod library;
mod members;
mod public;
mod round_views;
mod rounds;
mod search;
mod teams;
mod training;
mod views;

use crate::error::{ErrorBody, ErrorDetail};
use crate::state::AppState;
use axum::routing::get;
use axum::{Json, Router};
use std::sync::LazyLock;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Which page of a list to answer.
type Paging = cnscd_store::PageRequest;

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
    components(schemas(ErrorBody, ErrorDetail)),
    modifiers(&BearerToken),
    security(("token" = [])),
    tags(
        (name = "communes", description = "Xã/phường và tổng quan tỉnh"),
        (name = "teams", description = "Tổ Công nghệ số cộng đồng"),
        (name = "members", description = "Thành viên tổ"),
        (name = "decisions", description = "Quyết định thành lập, kiện toàn"),
        (name = "search", description = "Tìm kiếm không dấu"),
        (name = "rounds", description = "Đợt báo cáo và báo cáo của xã/phường"),
        (name = "training", description = "Lớp tập huấn cho tổ trưởng, tổ phó: đăng ký, danh sách chờ, điểm danh"),
        (name = "library", description = "Thư viện văn bản chỉ đạo, hướng dẫn, tài liệu tập huấn"),
        (name = "documents", description = "Văn bản theo thể thức Nghị định 30/2020/NĐ-CP (PDF, DOCX) và thông tin ban hành"),
        (name = "public", description = "Tra cứu công khai, không cần đăng nhập: các tổ của xã/phường và người liên hệ đã đồng ý công khai"),
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

/// Every operation of the API with its handler: the router and the OpenAPI document are both made from this
/// one list, so an operation cannot be served undocumented or documented unserved.
fn operations() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(communes::overview))
        .routes(routes!(communes::list))
        .routes(routes!(communes::get_one))
        .routes(routes!(teams::list, teams::create))
        .routes(routes!(teams::get_one, teams::update, teams::dissolve))
        .routes(routes!(teams::move_team))
        .routes(routes!(teams::members_of_team, members::create))
        .routes(routes!(members::list))
        .routes(routes!(members::get_one, members::update, members::leave))
        .routes(routes!(members::make_leader))
        .routes(routes!(decisions::list, decisions::create))
        .routes(routes!(
            decisions::get_one,
            decisions::update,
            decisions::delete
        ))
        .routes(routes!(search::search))
        .routes(routes!(rounds::indicators, rounds::add_indicator))
        .routes(routes!(rounds::list, rounds::create))
        .routes(routes!(rounds::get_one, rounds::update))
        .routes(routes!(rounds::extend))
        .routes(routes!(rounds::close))
        .routes(routes!(rounds::status))
        .routes(routes!(rounds::board))
        .routes(routes!(rounds::figures))
        .routes(routes!(rounds::report, rounds::save))
        .routes(routes!(rounds::submit))
        .routes(routes!(rounds::return_report))
        .routes(routes!(rounds::accept))
        .routes(routes!(checks::check))
        .routes(routes!(consent::consent, consent::give, consent::withdraw))
        .routes(routes!(consent::contact, consent::set_contact))
        .routes(routes!(consent::villages, consent::set_villages))
        .routes(routes!(documents::round_letter))
        .routes(routes!(documents::consolidated_report))
        .routes(routes!(documents::report_document))
        .routes(routes!(documents::team_list_document))
        .routes(routes!(documents::decision_document))
        .routes(routes!(documents::province_team_list_document))
        .routes(routes!(documents::training_sign_in_sheet))
        .routes(routes!(
            documents::department_letterhead,
            documents::set_department_letterhead
        ))
        .routes(routes!(
            documents::commune_letterhead,
            documents::set_commune_letterhead
        ))
        .routes(routes!(public::communes))
        .routes(routes!(public::commune))
        .routes(routes!(public::team))
        .routes(routes!(training::list, training::create))
        .routes(routes!(training::get_one, training::update))
        .routes(routes!(training::cancel))
        .routes(routes!(training::registrations, training::register))
        .routes(routes!(training::withdraw))
        .routes(routes!(training::attendance))
        .routes(routes!(library::link_to_class, library::unlink_from_class))
        .routes(routes!(library::link_to_round, library::unlink_from_round))
        .routes(routes!(library::list, library::create))
        .routes(routes!(library::get_one, library::update, library::delete))
        .routes({
            // A document's file may be larger than every other body.
            let (schemas, paths, route) = routes!(library::file, library::upload);
            let limit = cnscd_services::library::MAX_FILE_BYTES;
            (
                schemas,
                paths,
                route.layer(axum::extract::DefaultBodyLimit::max(limit)),
            )
        })
}

static DOCUMENT: LazyLock<utoipa::openapi::OpenApi> =
    LazyLock::new(|| operations().split_for_parts().1);

/// The OpenAPI document of the API.
pub fn openapi_document() -> &'static utoipa::openapi::OpenApi {
    &DOCUMENT
}

async fn openapi_json() -> Json<&'static utoipa::openapi::OpenApi> {
    Json(openapi_document())
}

pub fn routes() -> Router<AppState> {
    let (api, _) = operations().split_for_parts();
    api.route("/api/openapi.json", get(openapi_json))
        .route("/api/docs", get(docs::page))
}
