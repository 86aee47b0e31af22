use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test]
async fn a_member_with_a_bad_phone_gets_the_error_beside_the_field_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    let path = format!("/teams/{team}/members");
    let response = app
        .post_form(
            &path,
            &[
                ("full_name", "Trần Thị Lan"),
                ("role", "deputy"),
                ("phone", "0914 99"),
                ("joined_on", ""),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("id=\"f-phone-error\""),
        "error placed with the phone field"
    );
    assert!(page.contains("Số điện thoại «0914 99» không đủ hoặc thừa chữ số"));
    assert!(page.contains("value=\"Trần Thị Lan\""), "name kept");
    assert!(page.contains("value=\"deputy\" selected"), "role kept");
    assert_eq!(app.members_of(team).await.len(), 1, "nothing written");

    let fixed = app
        .post_form(
            &path,
            &[
                ("full_name", "Trần Thị Lan"),
                ("role", "deputy"),
                ("phone", "0914 994 555"),
                ("joined_on", ""),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(fixed.status(), StatusCode::SEE_OTHER);
    assert_eq!(fixed.headers()["location"], format!("/teams/{team}"));
    let page = app
        .get(&format!("/teams/{team}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Trần Thị Lan") && page.contains("0914 994 555") && page.contains("Tổ phó")
    );
}

#[tokio::test]
async fn a_team_is_created_edited_and_dissolved_from_the_browser_forms() {
    let app = spawn_app().await;
    let new_team = app
        .post_form(
            &format!("/communes/{XUAN_BINH}/teams/new"),
            &[
                ("name", "Tổ thôn Đông"),
                ("note", ""),
                ("leader.full_name", "Lê Văn Tâm"),
                ("leader.phone", ""),
            ],
        )
        .await;
    assert_eq!(new_team.status(), StatusCode::SEE_OTHER);
    let location = new_team.headers()["location"].to_str().unwrap().to_string();
    let team_id: i64 = location.trim_start_matches("/teams/").parse().unwrap();

    let missing_leader = app
        .post_form(
            &format!("/communes/{XUAN_BINH}/teams/new"),
            &[("name", "Tổ thôn Tây"), ("leader.full_name", "")],
        )
        .await;
    assert_eq!(missing_leader.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing_leader
        .text()
        .await
        .unwrap()
        .contains("id=\"f-leader.full_name-error\""));

    let dissolve = app
        .post_form(
            &format!("/teams/{team_id}/dissolve"),
            &[("version", "1"), ("dissolved_on", "01/10/2025")],
        )
        .await;
    assert_eq!(dissolve.status(), StatusCode::SEE_OTHER);
    let page = app.get(&location).await.text().await.unwrap();
    assert!(page.contains("Đã giải thể 01/10/2025"));
    let commune = app
        .get(&format!("/communes/{XUAN_BINH}?status=dissolved"))
        .await
        .text()
        .await
        .unwrap();
    assert!(commune.contains("Tổ thôn Đông"));
}

#[tokio::test]
async fn a_decision_is_recorded_from_its_form() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    let path = format!("/communes/{XUAN_BINH}/decisions/new");
    let bad = app
        .post_form(
            &path,
            &[
                ("number", "01"),
                ("signed_on", "10/7/2025"),
                ("kind", "establish"),
                ("team_ids", &team.to_string()),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = bad.text().await.unwrap();
    assert!(
        page.contains("Số quyết định «01» không đúng dạng") && page.contains(" checked"),
        "error shown, ticks kept"
    );
    let good = app
        .post_form(
            &path,
            &[
                ("number", "01/QĐ-UBND"),
                ("signed_on", "10/7/2025"),
                ("kind", "establish"),
                ("signer", ""),
                ("team_ids", &team.to_string()),
            ],
        )
        .await;
    assert_eq!(good.status(), StatusCode::SEE_OTHER);
    let commune = app
        .get(&format!("/communes/{XUAN_BINH}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(commune.contains("01/QĐ-UBND") && commune.contains("10/07/2025"));
}

#[tokio::test]
async fn an_unknown_page_is_a_vietnamese_not_found() {
    let app = spawn_app().await;
    let response = app.get("/teams/999999").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Không tìm thấy tổ."));
}
