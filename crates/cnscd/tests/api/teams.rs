use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn a_team_is_created_with_its_leader_and_listed_under_its_commune() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "  Tổ  thôn 1 ", "nguyễn văn an", "0914.994.123")
        .await;
    assert_eq!(team["name"], "Tổ thôn 1");
    assert_eq!(team["leader"], "Nguyễn Văn An");
    assert_eq!(team["members"], 1);
    assert_eq!(team["commune_name"], "Xã Xuân Bình");

    let listed = app
        .get_json(&format!("/api/v1/teams?commune={XUAN_BINH}"))
        .await;
    assert_eq!(listed["total"], 1);
    let members = app.members_of(team["id"].as_i64().unwrap()).await;
    assert_eq!(members[0]["role"], "leader");
    assert_eq!(members[0]["phone"], "0914994123");
}

#[tokio::test]
async fn a_team_without_a_leader_or_name_is_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/api/v1/teams",
            &json!({"commune_code": XUAN_BINH, "name": " ", "leader": {"full_name": ""}}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let errors = field_errors(response).await;
    assert!(
        errors.contains(&("name".into(), "team_name_missing".into())),
        "{errors:?}"
    );
    assert!(
        errors.contains(&("leader.full_name".into(), "name_missing".into())),
        "{errors:?}"
    );
    assert_eq!(app.get_json("/api/v1/teams").await["total"], 0);
}

#[tokio::test]
async fn a_team_moves_to_another_commune_of_the_province_only() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 2", "Lê Văn Bình", "0912345678")
        .await;
    let id = team["id"].as_i64().unwrap();
    let moved = app
        .post_json(
            &format!("/api/v1/teams/{id}/move"),
            &json!({"commune_code": HAC_THANH, "version": team["version"]}),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    let moved: Value = moved.json().await.unwrap();
    assert_eq!(moved["commune_name"], "Phường Hạc Thành");

    let elsewhere = app
        .post_json(
            &format!("/api/v1/teams/{id}/move"),
            &json!({"commune_code": HOAN_KIEM, "version": moved["version"]}),
        )
        .await;
    // A commune of another province is outside the account's reach: as if it did not exist.
    assert_eq!(elsewhere.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_dissolved_team_keeps_its_members_in_history() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 3", "Trần Thị Hoa", "0987654321")
        .await;
    let id = team["id"].as_i64().unwrap();
    assert_eq!(
        app.add_member(id, "Phạm Văn Cường", "Thành viên", "0388123456")
            .await
            .status(),
        StatusCode::CREATED
    );
    let response = app
        .delete(&format!(
            "/api/v1/teams/{id}?version={}&on=30/09/2025",
            team["version"]
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let dissolved: Value = response.json().await.unwrap();
    assert_eq!(dissolved["status"], "dissolved");
    assert_eq!(dissolved["dissolved_on"], "2025-09-30");
    assert!(app.members_of(id).await.is_empty());
    let history = app
        .get_json(&format!("/api/v1/teams/{id}/members?include_left=true"))
        .await;
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert!(history.iter().all(|m| m["left_on"] == "2025-09-30"));
    // A dissolved team takes no new members.
    let late = app.add_member(id, "Võ Văn Dũng", "", "").await;
    assert_eq!(
        field_errors(late).await,
        [("team".to_string(), "team_dissolved".to_string())]
    );
}

#[tokio::test]
async fn the_overview_counts_teams_members_and_what_is_missing() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await;
    let id = team["id"].as_i64().unwrap();
    app.add_member(id, "Lê Thị Hà", "", "").await;
    let xuan_binh = app.overview_of(XUAN_BINH).await;
    let overview = app.get_json("/api/v1/overview").await;
    assert_eq!(xuan_binh["teams"], 1);
    assert_eq!(xuan_binh["members"], 2);
    assert_eq!(xuan_binh["teams_without_decision"], 1);
    assert_eq!(xuan_binh["members_without_phone"], 1);
    assert_eq!(
        xuan_binh["teams_understaffed"], 1,
        "3 members is the default minimum"
    );
    assert_eq!(overview["communes"].as_array().unwrap().len(), 166);
    assert_eq!(overview["communes_without_team"], 165);

    let page = app.get("/").await.text().await.unwrap();
    assert!(
        page.contains("Xã Xuân Bình") && page.contains("tổ chưa có quyết định"),
        "overview page in Vietnamese"
    );

    // The commune sums follow a move and a change of the province's team size.
    let commune = |overview: &serde_json::Value, code: &str| {
        overview["communes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code)
            .unwrap()
            .clone()
    };
    let moved = app
        .post_json(
            &format!("/api/v1/teams/{id}/move"),
            &serde_json::json!({"commune_code": HAC_THANH, "version": team["version"]}),
        )
        .await;
    assert!(
        moved.status().is_success(),
        "{}",
        moved.text().await.unwrap()
    );
    let overview = app.get_json("/api/v1/overview").await;
    assert_eq!(commune(&overview, XUAN_BINH)["teams"], 0);
    assert_eq!(commune(&overview, HAC_THANH)["members"], 2);
    app.store
        .set_team_rules(
            PROVINCE,
            cnscd_domain::rules::TeamRules::new(2, 15).unwrap(),
            &cnscd_store::Actor::command_line(),
        )
        .await
        .unwrap();
    let overview = app.get_json("/api/v1/overview").await;
    assert_eq!(
        commune(&overview, HAC_THANH)["teams_understaffed"],
        0,
        "two is enough now"
    );
}
