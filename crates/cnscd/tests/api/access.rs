//! Who may reach what: the scope matrix over every route and role, and what needs signing in at all.

use crate::helpers::*;
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

/// A commune's records, created by the admin: a team with its leader and a decision.
struct Records {
    commune: &'static str,
    team: i64,
    member: i64,
    decision: i64,
}

async fn records(app: &TestApp, client: &Client, commune: &'static str, phone: &str) -> Records {
    let post = |path: &str, body: Value| {
        let request = client.post(app.url(path)).json(&body);
        async move {
            let answer = request.send().await.unwrap();
            assert_eq!(answer.status(), StatusCode::CREATED);
            answer.json::<Value>().await.unwrap()
        }
    };
    let created = post(
        "/api/v1/teams",
        json!({"commune_code": commune, "name": "Tổ thôn Mới",
               "leader": {"full_name": "Nguyễn Văn An", "phone": phone}}),
    )
    .await;
    let team = created["team"]["id"].as_i64().unwrap();
    let members: Value = client
        .get(app.url(&format!("/api/v1/teams/{team}/members")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let decision = post(
        "/api/v1/decisions",
        json!({"commune_code": commune, "number": "01/QĐ-UBND", "signed_on": "10/07/2025",
               "kind": "establish", "team_ids": [team]}),
    )
    .await;
    Records {
        commune,
        team,
        member: members[0]["id"].as_i64().unwrap(),
        decision: decision["id"].as_i64().unwrap(),
    }
}

/// Every route that reads a record of a commune, as (method, path).
fn reads(r: &Records) -> Vec<(Method, String)> {
    let (c, t, m, d) = (r.commune, r.team, r.member, r.decision);
    [
        format!("/api/v1/communes/{c}"),
        format!("/api/v1/teams/{t}"),
        format!("/api/v1/teams/{t}/members"),
        format!("/api/v1/teams?commune={c}"),
        format!("/api/v1/members/{m}"),
        format!("/api/v1/members?commune={c}"),
        format!("/api/v1/members?team={t}"),
        format!("/api/v1/decisions/{d}"),
        format!("/api/v1/decisions?commune={c}"),
        format!("/communes/{c}"),
        format!("/teams/{t}"),
        format!("/teams/{t}/edit"),
        format!("/members/{m}/edit"),
        format!("/decisions/{d}/edit"),
        format!("/communes/{c}/teams/new"),
        format!("/communes/{c}/decisions/new"),
        format!("/export?commune={c}&format=json"),
    ]
    .into_iter()
    .map(|p| (Method::GET, p))
    .collect()
}

/// Every route that changes a record of a commune, with a body that would succeed if allowed.
fn writes(r: &Records) -> Vec<(Method, String, Value)> {
    let (c, t, m, d) = (r.commune, r.team, r.member, r.decision);
    vec![
        (
            Method::POST,
            "/api/v1/teams".into(),
            json!({"commune_code": c, "name": "Tổ lạ", "leader": {"full_name": "Lê Văn Lạ"}}),
        ),
        (
            Method::PUT,
            format!("/api/v1/teams/{t}"),
            json!({"name": "Tổ đổi tên", "version": 1}),
        ),
        (
            Method::POST,
            format!("/api/v1/teams/{t}/move"),
            json!({"commune_code": c, "version": 1}),
        ),
        (
            Method::DELETE,
            format!("/api/v1/teams/{t}?version=1"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v1/teams/{t}/members"),
            json!({"full_name": "Lê Văn Lạ", "role": "member"}),
        ),
        (
            Method::PUT,
            format!("/api/v1/members/{m}"),
            json!({"full_name": "Nguyễn Văn Ân", "role": "leader", "version": 1}),
        ),
        (
            Method::POST,
            format!("/api/v1/members/{m}/make-leader"),
            json!({"version": 1}),
        ),
        (
            Method::DELETE,
            format!("/api/v1/members/{m}?version=1"),
            json!({}),
        ),
        (
            Method::POST,
            "/api/v1/decisions".into(),
            json!({"commune_code": c, "number": "02/QĐ-UBND", "signed_on": "11/07/2025",
                   "kind": "establish", "team_ids": [t]}),
        ),
        (
            Method::PUT,
            format!("/api/v1/decisions/{d}"),
            json!({"number": "01/QĐ-UBND", "signed_on": "12/07/2025", "kind": "establish",
                   "team_ids": [t], "version": 1}),
        ),
        (
            Method::DELETE,
            format!("/api/v1/decisions/{d}?version=1"),
            json!({}),
        ),
    ]
}

async fn send(
    client: &Client,
    app: &TestApp,
    method: Method,
    path: &str,
    body: &Value,
) -> StatusCode {
    client
        .request(method, app.url(path))
        .json(body)
        .send()
        .await
        .unwrap()
        .status()
}

/// Page forms, posted through a signed-in session, that change a record of a commune.
fn form_writes(r: &Records) -> Vec<(String, Vec<(&'static str, String)>)> {
    let (c, t, m, d) = (r.commune, r.team, r.member, r.decision);
    let name = |v: &str| ("name", v.to_string());
    vec![
        (
            format!("/communes/{c}/teams/new"),
            vec![name("Tổ lạ"), ("leader.full_name", "Lê Văn Lạ".into())],
        ),
        (
            format!("/teams/{t}/edit"),
            vec![name("Tổ đổi tên"), ("version", "1".into())],
        ),
        (
            format!("/teams/{t}/members"),
            vec![("full_name", "Lê Văn Lạ".into()), ("role", "member".into())],
        ),
        (
            format!("/members/{m}/make-leader"),
            vec![("version", "1".into())],
        ),
        (
            format!("/decisions/{d}/delete"),
            vec![("version", "1".into())],
        ),
        (
            format!("/teams/{t}/dissolve"),
            vec![
                ("version", "1".into()),
                ("dissolved_on", "01/11/2026".into()),
            ],
        ),
    ]
}

#[tokio::test]
async fn the_scope_matrix_holds_for_every_route_and_role() {
    let app = spawn_app().await;
    let own = records(&app, &app.client, XUAN_BINH, "0914994123").await;
    let neighbour = records(&app, &app.client, HAC_THANH, "0914994124").await;
    // Another province's records, written by that province's admin on the same installation.
    create_account(&app.store, "01", "admin.hanoi", "province_admin", None).await;
    let hanoi_client = app.token_client_for("admin.hanoi").await;
    let hanoi = records(&app, &hanoi_client, HOAN_KIEM, "0914994125").await;
    app.add_user("officer", "commune_officer", Some(XUAN_BINH))
        .await;
    app.add_user("viewer", "viewer", None).await;
    let officer = app.token_client_for("officer").await;
    let viewer = app.token_client_for("viewer").await;
    let admin = app.client.clone();

    // Reads: the officer reaches her commune only; the viewer and the admin their province only.
    let expectations: [(&str, &Client, &Records, StatusCode); 7] = [
        ("officer/own", &officer, &own, StatusCode::OK),
        (
            "officer/neighbour",
            &officer,
            &neighbour,
            StatusCode::NOT_FOUND,
        ),
        (
            "officer/other province",
            &officer,
            &hanoi,
            StatusCode::NOT_FOUND,
        ),
        ("viewer/neighbour", &viewer, &neighbour, StatusCode::OK),
        (
            "viewer/other province",
            &viewer,
            &hanoi,
            StatusCode::NOT_FOUND,
        ),
        (
            "admin/other province",
            &admin,
            &hanoi,
            StatusCode::NOT_FOUND,
        ),
        (
            "hanoi admin/own province",
            &hanoi_client,
            &hanoi,
            StatusCode::OK,
        ),
    ];
    for (who, client, records, expected) in expectations {
        for (method, path) in reads(records) {
            let status = send(client, &app, method, &path, &json!({})).await;
            assert_eq!(status, expected, "{who}: GET {path}");
        }
    }
    // Writes out of reach are refused whatever the record; the viewer writes nothing at all.
    let refused: [(&str, &Client, &Records, StatusCode); 5] = [
        (
            "officer/neighbour",
            &officer,
            &neighbour,
            StatusCode::NOT_FOUND,
        ),
        (
            "officer/other province",
            &officer,
            &hanoi,
            StatusCode::NOT_FOUND,
        ),
        ("viewer/own province", &viewer, &own, StatusCode::FORBIDDEN),
        (
            "viewer/other province",
            &viewer,
            &hanoi,
            StatusCode::NOT_FOUND,
        ),
        (
            "admin/other province",
            &admin,
            &hanoi,
            StatusCode::NOT_FOUND,
        ),
    ];
    for (who, client, records, expected) in refused {
        for (method, path, body) in writes(records) {
            let status = send(client, &app, method.clone(), &path, &body).await;
            assert_eq!(status, expected, "{who}: {method} {path}");
        }
    }
    // Nothing of the neighbour's or Hà Nội's changed, and nobody wrote in their name.
    for records in [&neighbour, &hanoi] {
        let client = if records.commune == HOAN_KIEM {
            &hanoi_client
        } else {
            &admin
        };
        let team: Value = client
            .get(app.url(&format!("/api/v1/teams/{}", records.team)))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(team["name"], "Tổ thôn Mới");
        assert_eq!(team["version"], 1);
        assert_eq!(team["members"], 1);
    }

    // The same through the pages, signed in with a session.
    let officer_session = app.sign_in("officer").await;
    let viewer_session = app.sign_in("viewer").await;
    for (who, session, records, expected) in [
        (
            "officer/neighbour",
            &officer_session,
            &neighbour,
            StatusCode::NOT_FOUND,
        ),
        (
            "officer/other province",
            &officer_session,
            &hanoi,
            StatusCode::NOT_FOUND,
        ),
        (
            "viewer/own province",
            &viewer_session,
            &own,
            StatusCode::FORBIDDEN,
        ),
    ] {
        for (path, fields) in form_writes(records) {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let status = session.post_form(&path, &fields).await.status();
            assert_eq!(status, expected, "{who}: POST {path}");
        }
    }

    // Lists and searches never show what is out of reach.
    let teams: Value = officer
        .get(app.url("/api/v1/teams"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        teams["total"], 1,
        "the officer lists her commune's teams only"
    );
    let members: Value = officer
        .get(app.url("/api/v1/members"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(members["total"], 1);
    let found: Value = officer
        .get(app.url("/api/v1/search?q=nguyen"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(found["members"].as_array().unwrap().len(), 1);
    assert_eq!(found["members"][0]["id"], own.member);
    let communes: Value = officer
        .get(app.url("/api/v1/communes"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(communes["total"], 1);
    for path in ["/api/v1/overview", "/export?format=json"] {
        let status = send(&officer, &app, Method::GET, path, &json!({})).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "officer: {path} is province-wide"
        );
    }
    let status = send(&viewer, &app, Method::GET, "/import", &json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a viewer imports nothing");
    for path in [
        "/admin/users",
        "/admin/audit",
        "/admin/audit.csv",
        "/admin/settings",
    ] {
        for (who, client) in [("officer", &officer), ("viewer", &viewer)] {
            let status = send(client, &app, Method::GET, path, &json!({})).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{who}: {path} is for admins");
        }
    }
    // Within her reach the officer works normally.
    let renamed = send(
        &officer,
        &app,
        Method::PUT,
        &format!("/api/v1/teams/{}", own.team),
        &json!({"name": "Tổ thôn Đông", "version": 1}),
    )
    .await;
    assert_eq!(renamed, StatusCode::OK);
}

#[tokio::test]
async fn personal_data_needs_signing_in() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await;
    let anonymous = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for path in [
        "/api/v1/members".to_string(),
        format!("/api/v1/teams/{}/members", team["id"]),
        "/api/v1/search?q=nguyen".into(),
    ] {
        let answer = anonymous.get(app.url(&path)).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::UNAUTHORIZED, "{path}");
        let body = answer.text().await.unwrap();
        assert!(
            body.contains("đăng nhập") && !body.contains("0914"),
            "{path}"
        );
    }
    for path in [
        format!("/teams/{}", team["id"]),
        "/export?format=csv".into(),
        "/".into(),
    ] {
        let answer = anonymous.get(app.url(&path)).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::SEE_OTHER, "{path}");
        let location = answer.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/login?next="), "{path} → {location}");
    }
    let forged = token_client("cnscd_not-a-real-token");
    let answer = forged.get(app.url("/api/v1/members")).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    // The sign-in page, the style sheet and the API description stay public.
    for path in [
        "/login",
        "/static/app.css",
        "/api/openapi.json",
        "/api/docs",
    ] {
        let answer = anonymous.get(app.url(path)).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn an_officer_imports_her_commune_only() {
    let app = spawn_app().await;
    app.add_user("hoa.xuanbinh", "commune_officer", Some(XUAN_BINH))
        .await;
    let hoa = app.sign_in("hoa.xuanbinh").await;
    // The sample file holds Xuân Bình and a second commune.
    let form = reqwest::multipart::Form::new()
        .text("csrf", hoa.csrf.clone())
        .part(
            "file",
            reqwest::multipart::Part::bytes(crate::import_export::messy_workbook())
                .file_name("ca-huyen.xlsx"),
        );
    let answer = hoa
        .client
        .post(hoa.url("/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = answer.text().await.unwrap();
    assert!(
        page.contains("tài khoản của bạn chỉ được nhập danh sách của xã/phường mã 16177"),
        "the page names what to remove"
    );
    assert!(!page.contains("/apply"), "nothing can be applied");
    assert_eq!(app.get_json("/api/v1/teams").await["total"], 0);
}
