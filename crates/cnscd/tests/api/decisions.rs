use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn one_decision_establishes_several_teams() {
    let app = spawn_app().await;
    let a = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    let b = app
        .create_team(XUAN_BINH, "Tổ thôn 2", "Lê Văn Bình", "0914994124")
        .await["id"]
        .as_i64()
        .unwrap();
    // Read before the decision: the overview is kept between changes, and must not outlive one.
    assert_eq!(without_decision(&app).await, 2);
    assert!(no_decision_page(&app).await.contains("Xã Xuân Bình"));
    let response = app
        .post_json(
            "/api/v1/decisions",
            &json!({"commune_code": XUAN_BINH, "number": "Số: 01/QD-UBND", "signed_on": "ngày 10 tháng 7 năm 2025",
                    "signer": "Hoàng Văn Chín", "team_ids": [a, b]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let decision: Value = response.json().await.unwrap();
    assert_eq!(decision["number"], "01/QĐ-UBND");
    assert_eq!(decision["signed_on"], "2025-07-10");
    assert_eq!(decision["kind"], "establish");
    assert_eq!(decision["team_ids"], json!([a, b]));
    for team in [a, b] {
        let team = app.get_json(&format!("/api/v1/teams/{team}")).await;
        assert_eq!(team["decision_number"], "01/QĐ-UBND");
    }
    assert_eq!(without_decision(&app).await, 0);
    assert!(
        !no_decision_page(&app).await.contains("Xã Xuân Bình"),
        "the page reads the same"
    );
}

async fn no_decision_page(app: &TestApp) -> String {
    let response = app.get("/?filter=no_decision").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

/// Xuân Bình's teams without a decision, as the province overview shows them.
async fn without_decision(app: &TestApp) -> i64 {
    let overview = app.get_json("/api/v1/overview").await;
    overview["communes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == XUAN_BINH)
        .unwrap()["teams_without_decision"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_badly_written_decision_or_another_communes_team_is_refused() {
    let app = spawn_app().await;
    let other = app
        .create_team(HAC_THANH, "Tổ dân phố 1", "Nguyễn Văn An", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    let bad = app
        .post_json("/api/v1/decisions", &json!({"commune_code": XUAN_BINH, "number": "quyết định 1", "signed_on": "31/02/2025"}))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let errors = field_errors(bad).await;
    assert!(
        errors.contains(&("number".into(), "decision_invalid".into())),
        "{errors:?}"
    );
    assert!(
        errors.contains(&("signed_on".into(), "date_invalid".into())),
        "{errors:?}"
    );

    let foreign = app
        .post_json(
            "/api/v1/decisions",
            &json!({"commune_code": XUAN_BINH, "number": "02/QĐ-UBND", "signed_on": "10/07/2025", "team_ids": [other]}),
        )
        .await;
    assert_eq!(
        field_errors(foreign).await,
        [("team_ids".to_string(), "team_other_commune".to_string())]
    );
    assert!(app
        .get_json(&format!("/api/v1/decisions?commune={XUAN_BINH}"))
        .await
        .as_array()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_reorganisation_is_recorded_beside_the_establishment() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    for (number, date, kind) in [
        ("01/QĐ-UBND", "10/7/2025", "establish"),
        ("15/QĐ-UBND", "01/10/2025", "reorganise"),
    ] {
        let response = app
            .post_json(
                "/api/v1/decisions",
                &json!({"commune_code": XUAN_BINH, "number": number, "signed_on": date, "kind": kind, "team_ids": [team]}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    assert_eq!(
        app.get_json(&format!("/api/v1/teams/{team}")).await["decision_number"],
        "15/QĐ-UBND",
        "newest first"
    );
    let page = app
        .get(&format!("/teams/{team}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Kiện toàn: 15/QĐ-UBND ngày 01/10/2025")
            && page.contains("Thành lập: 01/QĐ-UBND ngày 10/07/2025")
    );
}
