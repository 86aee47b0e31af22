use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn team_with_leader(app: &TestApp) -> i64 {
    app.create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn phones_are_stored_in_one_form_whatever_the_writing() {
    let app = spawn_app().await;
    let team = team_with_leader(&app).await;
    for (i, written) in [
        "+84 912 345 601",
        "84912345602",
        "0912.345.603",
        "912345604",
        "(0912) 345-605",
    ]
    .iter()
    .enumerate()
    {
        let response = app
            .add_member(
                team,
                &format!("Thành Viên {}", ["A", "B", "C", "D", "E"][i]),
                "",
                written,
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "{written}");
        let saved: Value = response.json().await.unwrap();
        assert_eq!(
            saved["member"]["phone"],
            format!("091234560{}", i + 1),
            "{written}"
        );
    }
}

#[tokio::test]
async fn an_impossible_phone_is_refused_with_a_vietnamese_message_and_nothing_written() {
    let app = spawn_app().await;
    let team = team_with_leader(&app).await;
    for bad in ["12345", "0123456789", "09149941231234", "không có"] {
        let response = app.add_member(team, "Lê Văn Tám", "", bad).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let body: Value = response.json().await.unwrap();
        let field = &body["error"]["fields"][0];
        assert_eq!(field["field"], "phone");
        assert_eq!(field["code"], "phone_invalid");
        assert!(
            field["message"].as_str().unwrap().contains("10 chữ số"),
            "{field}"
        );
    }
    assert_eq!(app.members_of(team).await.len(), 1);
}

#[tokio::test]
async fn the_same_phone_in_two_teams_is_a_warning_not_an_error() {
    let app = spawn_app().await;
    let first = team_with_leader(&app).await;
    let second = app
        .create_team(HAC_THANH, "Tổ dân phố 1", "Trần Văn Bình", "0987000111")
        .await["id"]
        .as_i64()
        .unwrap();
    let response = app
        .add_member(second, "Lê Thị Cúc", "", "0914 994 123")
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let saved: Value = response.json().await.unwrap();
    let warning = &saved["warnings"][0];
    assert_eq!(warning["team_id"], first);
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .contains("0914 994 123 trùng với Nguyễn Văn An"),
        "{warning}"
    );
}

#[tokio::test]
async fn a_team_has_exactly_one_leader() {
    let app = spawn_app().await;
    let team = team_with_leader(&app).await;
    let second_leader = app.add_member(team, "Lê Văn Hai", "Tổ trưởng", "").await;
    assert_eq!(second_leader.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_errors(second_leader).await,
        [("role".to_string(), "leader_multiple".to_string())]
    );

    let leader = app.members_of(team).await[0].clone();
    let demoted = app
        .put_json(
            &format!("/api/v1/members/{}", leader["id"]),
            &json!({"full_name": leader["full_name"], "role": "member", "version": leader["version"]}),
        )
        .await;
    assert_eq!(
        field_errors(demoted).await,
        [("role".to_string(), "leader_missing".to_string())]
    );
    let leaves = app
        .delete(&format!(
            "/api/v1/members/{}?version={}",
            leader["id"], leader["version"]
        ))
        .await;
    assert_eq!(
        field_errors(leaves).await,
        [("role".to_string(), "leader_missing".to_string())]
    );

    // Naming a new leader demotes the previous one in the same step.
    let deputy: Value = app
        .add_member(team, "Phạm Thị Ba", "tổ phó", "")
        .await
        .json()
        .await
        .unwrap();
    let deputy = &deputy["member"];
    let promoted = app
        .post_json(
            &format!("/api/v1/members/{}/make-leader", deputy["id"]),
            &json!({"version": deputy["version"]}),
        )
        .await;
    assert_eq!(promoted.status(), StatusCode::OK);
    let roles = app.roles_in(team).await;
    assert!(
        roles.contains(&("Phạm Thị Ba".into(), "leader".into())),
        "{roles:?}"
    );
    assert!(
        roles.contains(&("Nguyễn Văn An".into(), "member".into())),
        "{roles:?}"
    );
}

#[tokio::test]
async fn the_team_size_limit_is_a_setting() {
    let app = spawn_app().await;
    let team = team_with_leader(&app).await;
    app.store
        .set_team_rules(
            PROVINCE,
            cnscd_domain::rules::TeamRules::new(2, 3).unwrap(),
            &cnscd_store::Actor::command_line(),
        )
        .await
        .unwrap();
    assert_eq!(
        app.add_member(team, "Lê Văn Hai", "", "").await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        app.add_member(team, "Lê Văn Ba", "", "").await.status(),
        StatusCode::CREATED
    );
    let fourth = app.add_member(team, "Lê Văn Bốn", "", "").await;
    assert_eq!(
        field_errors(fourth).await,
        [("team".to_string(), "team_full".to_string())]
    );
}

#[tokio::test]
async fn names_are_stored_clean_and_members_sorted_in_vietnamese_order() {
    let app = spawn_app().await;
    let team = team_with_leader(&app).await;
    // Decomposed Unicode, doubled spaces and the other tone placement arrive as one clean form.
    let saved: Value = app
        .add_member(team, "Lê  Thi\u{323} Hoa\u{300}", "", "")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(saved["member"]["full_name"], "Lê Thị Hòa");
    for name in [
        "Trần Văn Bình",
        "Nguyễn Thị Bình",
        "Đỗ Văn Ánh",
        "Lê Văn Ân",
    ] {
        app.add_member(team, name, "", "").await;
    }
    let order: Vec<String> = app
        .members_of(team)
        .await
        .iter()
        .map(|m| m["full_name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        order,
        [
            "Nguyễn Văn An",
            "Đỗ Văn Ánh",
            "Lê Văn Ân",
            "Nguyễn Thị Bình",
            "Trần Văn Bình",
            "Lê Thị Hòa"
        ]
    );
}
