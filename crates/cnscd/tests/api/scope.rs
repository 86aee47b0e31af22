use crate::helpers::*;
use cnscd_domain::member::MemberDraft;
use cnscd_domain::team::TeamDraft;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn records_of_another_province_are_neither_readable_nor_writable() {
    let app = spawn_app().await;
    // A team in Hà Nội, written straight to the store as another province's installation would.
    let team = TeamDraft {
        name: "Tổ phố Hàng Bạc".into(),
        note: String::new(),
    }
    .validate()
    .unwrap();
    let leader = MemberDraft {
        full_name: "Nguyễn Văn Hà".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let (team, _) = app
        .store
        .create_team(
            HOAN_KIEM,
            &team,
            &leader,
            &cnscd_store::Actor::command_line(),
        )
        .await
        .unwrap();
    let member = app
        .store
        .team_members(team.id, false)
        .await
        .unwrap()
        .remove(0);

    for path in [
        format!("/api/v1/teams/{}", team.id),
        format!("/api/v1/teams/{}/members", team.id),
        format!("/api/v1/members/{}", member.id),
        format!("/api/v1/communes/{HOAN_KIEM}"),
        format!("/teams/{}", team.id),
        format!("/communes/{HOAN_KIEM}"),
        format!("/members/{}/edit", member.id),
    ] {
        assert_eq!(
            app.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let write = app
        .put_json(
            &format!("/api/v1/teams/{}", team.id),
            &json!({"name": "x", "version": team.version}),
        )
        .await;
    assert_eq!(write.status(), StatusCode::NOT_FOUND);
    let add = app.add_member(team.id, "Lê Văn Lạ", "", "").await;
    assert_eq!(add.status(), StatusCode::NOT_FOUND);
    let create = app
        .post_json(
            "/api/v1/teams",
            &json!({"commune_code": HOAN_KIEM, "name": "x", "leader": {"full_name": "Lê Văn Lạ"}}),
        )
        .await;
    assert_eq!(create.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.get_json("/api/v1/teams").await["total"],
        0,
        "not listed either"
    );
    assert!(app.get_json("/api/v1/search?q=hang%20bac").await["teams"]
        .as_array()
        .unwrap()
        .is_empty());
}
