use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn a_member_who_leaves_is_kept_with_the_date_and_counted_only_while_active() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    let saved: Value = app
        .post_json(
            &format!("/api/v1/teams/{team}/members"),
            &serde_json::json!({"full_name": "Lê Thị Mai", "joined_on": "01/07/2025"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let member = &saved["member"];
    let response = app
        .delete(&format!(
            "/api/v1/members/{}?version={}&left_on=15/09/2025",
            member["id"], member["version"]
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    assert_eq!(
        app.members_of(team).await.len(),
        1,
        "no longer an active member"
    );
    let kept = app
        .get_json(&format!("/api/v1/members/{}", member["id"]))
        .await;
    assert_eq!(kept["left_on"], "2025-09-15");

    // Who was active in August (allowances are paid from this) and who in October.
    let august = app
        .get_json(&format!("/api/v1/members?team={team}&active_on=2025-08-15"))
        .await;
    let names: Vec<&str> = august["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["full_name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Lê Thị Mai"), "{names:?}");
    let october = app
        .get_json(&format!("/api/v1/members?team={team}&active_on=01/10/2025"))
        .await;
    assert!(october["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["full_name"] != "Lê Thị Mai"));
    let june = app
        .get_json(&format!("/api/v1/members?team={team}&active_on=2025-06-30"))
        .await;
    assert!(
        june["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["full_name"] != "Lê Thị Mai"),
        "not yet joined"
    );
}

#[tokio::test]
async fn a_member_who_left_can_no_longer_be_edited() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    let saved: Value = app
        .add_member(team, "Lê Thị Mai", "", "")
        .await
        .json()
        .await
        .unwrap();
    let member = &saved["member"];
    let left: Value = app
        .delete(&format!(
            "/api/v1/members/{}?version={}",
            member["id"], member["version"]
        ))
        .await
        .json()
        .await
        .unwrap();
    let edit = app
        .put_json(
            &format!("/api/v1/members/{}", member["id"]),
            &serde_json::json!({"full_name": "Lê Thị Mai", "version": left["version"]}),
        )
        .await;
    assert_eq!(
        field_errors(edit).await,
        [("member".to_string(), "member_left".to_string())]
    );
}
