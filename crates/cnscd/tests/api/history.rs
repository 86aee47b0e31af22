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

#[tokio::test]
async fn a_teams_page_shows_its_latest_changes_and_leads_to_the_older_ones() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 0", "Nguyễn Văn An", "0914994123")
        .await;
    let id = team["id"].as_i64().unwrap();
    let mut version = team["version"].as_i64().unwrap();
    for round in 1..=40 {
        let renamed: Value = app
            .put_json(
                &format!("/api/v1/teams/{id}"),
                &serde_json::json!({"name": format!("Tổ thôn {round}"), "version": version}),
            )
            .await
            .json()
            .await
            .unwrap();
        version = renamed["version"].as_i64().unwrap();
    }
    // 42 entries: the team and its leader created, 40 renames.
    let latest = app.get(&format!("/teams/{id}")).await.text().await.unwrap();
    assert!(latest.contains("<del>Tổ thôn 39</del> → Tổ thôn 40"));
    assert!(latest.contains("<del>Tổ thôn 10</del> → Tổ thôn 11"));
    assert!(!latest.contains("<del>Tổ thôn 9</del>"), "30 at most");
    let start = latest
        .find("?history_before=")
        .expect("a link to the older changes");
    let before = &latest[start..start + latest[start..].find('#').unwrap()];
    let older = app
        .get(&format!("/teams/{id}{before}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(older.contains("các thay đổi cũ hơn"));
    assert!(older.contains("<del>Tổ thôn 9</del> → Tổ thôn 10"));
    assert!(older.contains("<del>Tổ thôn 0</del> → Tổ thôn 1"));
    assert!(!older.contains("<del>Tổ thôn 10</del>"));
    assert!(!older.contains("?history_before="), "nothing older is left");
    assert!(older.contains("Về các thay đổi mới nhất"));
}
