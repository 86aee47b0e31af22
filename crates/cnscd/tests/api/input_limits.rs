use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn a_ten_megabyte_field_is_refused_before_anything_is_written() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    let huge = "A".repeat(10 * 1024 * 1024);
    let response = app.add_member(team, &huge, "", "").await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("quá lớn"));
    let form = app
        .post_form(&format!("/teams/{team}/members"), &[("full_name", &huge)])
        .await;
    assert_eq!(form.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.members_of(team).await.len(), 1);
}

#[tokio::test]
async fn a_long_field_within_the_body_limit_is_refused_by_the_rules() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    let response = app
        .add_member(team, &"Nguyễn ".repeat(50_000), "", "")
        .await;
    assert_eq!(
        field_errors(response).await,
        [("full_name".to_string(), "name_too_long".to_string())]
    );
}

#[tokio::test]
async fn wrong_types_in_json_get_a_clear_error_and_nothing_is_written() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    for body in [
        json!({"full_name": 42}),
        json!(["a"]),
        json!({"full_name": "An", "phone": {"x": 1}}),
        json!({}),
    ] {
        let response = app
            .post_json(&format!("/api/v1/teams/{team}/members"), &body)
            .await;
        assert!(
            response.status().is_client_error(),
            "{body}: {}",
            response.status()
        );
        let error: Value = response.json().await.unwrap();
        assert!(
            error["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("Dữ liệu JSON không đọc được"),
            "{error}"
        );
    }
    let not_json = app
        .client
        .post(app.url(&format!("/api/v1/teams/{team}/members")))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), StatusCode::BAD_REQUEST);
    let bad_query = app.get("/api/v1/teams?page=abc").await;
    assert_eq!(bad_query.status(), StatusCode::BAD_REQUEST);
    let bad_path = app.get("/api/v1/teams/not-a-number").await;
    assert_eq!(bad_path.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.members_of(team).await.len(), 1);
}

#[tokio::test]
async fn empty_names_are_refused_in_every_entry_path() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    let api = app.add_member(team, "   ", "", "").await;
    assert_eq!(
        field_errors(api).await,
        [("full_name".to_string(), "name_missing".to_string())]
    );
    let form = app
        .post_form(
            &format!("/teams/{team}/members"),
            &[("full_name", "  "), ("role", "member")],
        )
        .await;
    assert_eq!(form.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(form.text().await.unwrap().contains("Chưa nhập họ tên."));
    assert_eq!(app.members_of(team).await.len(), 1);
}

#[tokio::test]
async fn paging_is_bounded() {
    let app = spawn_app().await;
    let page = app
        .get_json("/api/v1/communes?per_page=100000&page=2")
        .await;
    assert_eq!(page["per_page"], 500);
    assert_eq!(page["total"], 166);
    assert_eq!(page["items"].as_array().unwrap().len(), 0);
    let first = app.get_json("/api/v1/communes?per_page=10").await;
    assert_eq!(first["items"].as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn a_body_the_api_cannot_read_is_explained_in_vietnamese() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn Đông", "Nguyễn Văn An", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    let message =
        |response: serde_json::Value| response["error"]["message"].as_str().unwrap().to_string();
    let missing = app
        .put_json(
            &format!("/api/v1/teams/{team}"),
            &serde_json::json!({"name": "Tổ mới"}),
        )
        .await;
    assert_eq!(missing.status(), reqwest::StatusCode::BAD_REQUEST);
    let text = message(missing.json().await.unwrap());
    assert!(
        text.contains("thiếu trường «version»") && !text.contains("missing"),
        "{text}"
    );
    let wrong = app
        .post_json("/api/v1/teams", &serde_json::json!({"commune_code": XUAN_BINH, "name": 5, "leader": {"full_name": "A B"}}))
        .await;
    let text = message(wrong.json().await.unwrap());
    assert!(text.contains("trường «name» có kiểu giá trị sai"), "{text}");
    let plain = app
        .client
        .post(app.url("/api/v1/teams"))
        .body("{}")
        .send()
        .await
        .unwrap();
    let text = message(plain.json().await.unwrap());
    assert!(
        text.contains("Content-Type") && !text.contains("Expected request"),
        "{text}"
    );
}

#[tokio::test]
async fn a_page_address_with_a_value_that_does_not_read_gets_a_vietnamese_page() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn Đông", "Nguyễn Văn An", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    for (path, name) in [
        (
            format!("/teams/{team}?history_before=abc"),
            "history_before",
        ),
        ("/admin/audit?page=abc".to_string(), "page"),
    ] {
        let answer = app.get(&path).await;
        assert_eq!(answer.status(), reqwest::StatusCode::BAD_REQUEST, "{path}");
        let page = answer.text().await.unwrap();
        assert!(
            page.contains("<html") && page.contains("Dữ liệu tham số truy vấn không đọc được"),
            "{path}: {page}"
        );
        assert!(
            page.contains(&format!("giá trị của «{name}» không đúng kiểu")),
            "{path}: {page}"
        );
        assert!(!page.contains("Failed to deserialize"), "{path}: {page}");
    }
}
