use crate::helpers::*;
use serde_json::Value;

fn names(results: &Value, kind: &str, field: &str) -> Vec<String> {
    results[kind]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[field].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_commune_is_found_without_diacritics_or_case() {
    let app = spawn_app().await;
    for query in [
        "xuan binh",
        "Xuan Binh",
        "XUÂN BÌNH",
        "Xã Xuân Bình",
        "xuân",
    ] {
        let results = app.get_json(&format!("/api/v1/search?q={query}")).await;
        assert!(
            names(&results, "communes", "name").contains(&"Xã Xuân Bình".to_string()),
            "{query}"
        );
    }
}

#[tokio::test]
async fn members_and_teams_are_found_whatever_the_tone_placement() {
    let app = spawn_app().await;
    let team = app
        .create_team(
            XUAN_BINH,
            "Tổ thôn Hòa Bình",
            "Nguyễn Thị Thuý",
            "0914994123",
        )
        .await["id"]
        .as_i64()
        .unwrap();
    app.add_member(team, "Đặng Văn Hoà", "", "").await;
    app.add_member(team, "Lê Văn Hòa", "", "").await;

    let hoa = app.get_json("/api/v1/search?q=hoa").await;
    let members = names(&hoa, "members", "full_name");
    assert!(
        members.contains(&"Đặng Văn Hòa".to_string())
            && members.contains(&"Lê Văn Hòa".to_string()),
        "{members:?}"
    );
    assert!(names(&hoa, "teams", "name").contains(&"Tổ thôn Hòa Bình".to_string()));
    for query in ["thuý", "thúy", "THUY", "nguyen thi thuy"] {
        let results = app.get_json(&format!("/api/v1/search?q={query}")).await;
        assert_eq!(
            names(&results, "members", "full_name"),
            ["Nguyễn Thị Thúy"],
            "{query}"
        );
    }
    let dang = app.get_json("/api/v1/search?q=dang%20van").await;
    assert_eq!(
        names(&dang, "members", "full_name"),
        ["Đặng Văn Hòa"],
        "đ folds to d"
    );
}

#[tokio::test]
async fn a_member_who_left_is_no_longer_found_and_an_empty_query_finds_nothing() {
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
    app.delete(&format!(
        "/api/v1/members/{}?version={}",
        member["id"], member["version"]
    ))
    .await;
    assert!(app.get_json("/api/v1/search?q=mai").await["members"]
        .as_array()
        .unwrap()
        .is_empty());
    let empty = app.get_json("/api/v1/search?q=%20%20").await;
    assert!(empty["communes"].as_array().unwrap().is_empty());
    let page = app.get("/search?q=xuan+binh").await.text().await.unwrap();
    assert!(page.contains("Xã Xuân Bình"));
}

#[tokio::test]
async fn a_renamed_team_or_member_is_found_by_the_new_name_only() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn Đông", "Nguyễn Văn An", "0914994123")
        .await;
    let renamed = app
        .put_json(
            &format!("/api/v1/teams/{}", team["id"]),
            &serde_json::json!({"name": "Tổ thôn Tây", "version": team["version"]}),
        )
        .await;
    assert_eq!(renamed.status(), reqwest::StatusCode::OK);
    let member = app.members_of(team["id"].as_i64().unwrap()).await[0].clone();
    app.put_json(
        &format!("/api/v1/members/{}", member["id"]),
        &serde_json::json!({"full_name": "Nguyễn Văn Bảo", "role": "leader", "version": member["version"]}),
    )
    .await;
    assert!(app.get_json("/api/v1/search?q=thon%20dong").await["teams"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(
        names(
            &app.get_json("/api/v1/search?q=thon%20tay").await,
            "teams",
            "name"
        ),
        ["Tổ thôn Tây"]
    );
    assert!(
        app.get_json("/api/v1/search?q=nguyen%20van%20an").await["members"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        names(
            &app.get_json("/api/v1/search?q=van%20bao").await,
            "members",
            "full_name"
        ),
        ["Nguyễn Văn Bảo"]
    );
}

#[tokio::test]
async fn many_matches_give_the_best_first_each_once_and_no_more_than_asked() {
    let app = spawn_app().await;
    // «Lê An An» matches «an» twice, first of all («an», then «an an»); 21 people named «… Anh» come after.
    let first = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Lê An An", "0914994100")
        .await;
    let second = app
        .create_team(XUAN_BINH, "Tổ thôn 2", "Nguyễn Văn Anh", "0914994101")
        .await;
    let surnames = [
        "Trần", "Lê", "Phạm", "Huỳnh", "Phan", "Vũ", "Võ", "Bùi", "Đỗ", "Hồ",
    ];
    for i in 0..20 {
        let name = format!("{} {} Anh", surnames[i % 10], ["Văn", "Thị"][i / 10]);
        let team = if i < 10 { &first } else { &second };
        let answer = app
            .add_member(
                team["id"].as_i64().unwrap(),
                &name,
                "member",
                &format!("09149942{i:02}"),
            )
            .await;
        assert_eq!(answer.status(), reqwest::StatusCode::CREATED, "{name}");
    }
    let results = app.get_json("/api/v1/search?q=an").await;
    let found = names(&results, "members", "full_name");
    assert_eq!(found.len(), 20, "the API's limit, each once: {found:?}");
    assert_eq!(found[0], "Lê An An", "{found:?}");
    let mut once = found.clone();
    once.sort();
    once.dedup();
    assert_eq!(once.len(), found.len(), "{found:?}");
}
