use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn the_second_of_two_concurrent_team_edits_is_told_and_sees_the_new_version() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await;
    let path = format!("/api/v1/teams/{}", team["id"]);
    let version = team["version"].as_i64().unwrap();

    let first = app
        .put_json(&path, &json!({"name": "Tổ thôn Một", "version": version}))
        .await;
    assert_eq!(first.status(), StatusCode::OK);
    let second = app
        .put_json(&path, &json!({"name": "Tổ thôn 1A", "version": version}))
        .await;
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let body: Value = second.json().await.unwrap();
    assert_eq!(body["error"]["code"], "conflict");
    assert_eq!(body["error"]["current_version"], version + 1);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("người khác thay đổi"));
    assert_eq!(
        app.get_json(&path).await["name"],
        "Tổ thôn Một",
        "nothing silently overwritten"
    );
}

#[tokio::test]
async fn the_second_of_two_concurrent_member_edits_is_refused() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await;
    let member = app.members_of(team["id"].as_i64().unwrap()).await[0].clone();
    let path = format!("/api/v1/members/{}", member["id"]);
    let edit = |phone: &str| json!({"full_name": "Nguyễn Văn An", "role": "leader", "phone": phone, "version": member["version"]});
    assert_eq!(
        app.put_json(&path, &edit("0914994124")).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.put_json(&path, &edit("0914994125")).await.status(),
        StatusCode::CONFLICT
    );
    assert_eq!(app.get_json(&path).await["phone"], "0914994124");
}

#[tokio::test]
async fn the_edit_form_keeps_what_was_typed_and_shows_what_the_other_saved() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await;
    let id = team["id"].as_i64().unwrap();
    let form_path = format!("/teams/{id}/edit");
    let opened_version = team["version"].as_i64().unwrap().to_string();

    let first = app
        .post_form(
            &form_path,
            &[
                ("name", "Tổ thôn Đông"),
                ("note", ""),
                ("version", &opened_version),
            ],
        )
        .await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let second = app
        .post_form(
            &form_path,
            &[
                ("name", "Tổ thôn Tây"),
                ("note", ""),
                ("version", &opened_version),
            ],
        )
        .await;
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let page = second.text().await.unwrap();
    assert!(
        page.contains("Người khác đã lưu bản ghi này"),
        "the officer is told in plain words"
    );
    assert!(
        page.contains("Tên tổ: «Tổ thôn Đông»"),
        "and sees what the other officer saved"
    );
    assert!(
        page.contains("value=\"Tổ thôn Tây\""),
        "what she typed is kept"
    );
    assert!(page.contains(&format!(
        "name=\"version\" value=\"{}\"",
        team["version"].as_i64().unwrap() + 1
    )));
}
