//! The public team finder: what a citizen sees without signing in, decided by each member's consent; the
//! commune's contact otherwise; posters whose QR code leads back; rate limits, no cookies, small pages.

use crate::helpers::*;
use reqwest::{header, Client, StatusCode};
use serde_json::{json, Value};
use std::collections::{BTreeSet, VecDeque};

fn anonymous() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn text_of(client: &Client, url: String) -> String {
    let response = client.get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "GET {url}");
    response.text().await.unwrap()
}

/// A team of Xuân Bình with a leader, a deputy and a member, each with a phone; (team, leader, deputy, member).
async fn village_team(app: &TestApp) -> (i64, i64, i64, i64) {
    let team = app
        .create_team(XUAN_BINH, "Tổ CNSCĐ thôn Đông", "Lê Thị Hoa", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    for (name, role, phone) in [
        ("Trần Văn Bình", "deputy", "0987654321"),
        ("Phạm Thị Cúc", "member", "0356111222"),
    ] {
        assert_eq!(
            app.add_member(team, name, role, phone).await.status(),
            StatusCode::CREATED
        );
    }
    let members = app.members_of(team).await;
    let id = |name: &str| {
        members.iter().find(|m| m["full_name"] == name).unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    (
        team,
        id("Lê Thị Hoa"),
        id("Trần Văn Bình"),
        id("Phạm Thị Cúc"),
    )
}

async fn give(app: &TestApp, member: i64) -> Value {
    let response = app
        .put_json(
            &format!("/api/v1/members/{member}/consent"),
            &json!({"method": "paper_form"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn consent_given_withdrawn_or_never_given_decides_what_the_public_sees() {
    let app = spawn_app().await;
    let (team, leader, deputy, member) = village_team(&app).await;
    let citizen = anonymous();
    let public_commune = || async {
        let answer: Value = json_from(
            &citizen,
            app.url(&format!("/api/public/communes/{XUAN_BINH}")),
        )
        .await;
        answer
    };
    let page = || text_of(&citizen, app.url(&format!("/public/communes/{XUAN_BINH}")));

    // Not given: the team is listed, nobody is named, no phone anywhere; the page says to ask the commune.
    let answer = public_commune().await;
    assert_eq!(answer["teams"][0]["name"], "Tổ CNSCĐ thôn Đông");
    assert_eq!(answer["teams"][0]["contacts"], json!([]));
    assert_eq!(answer["contact"], Value::Null);
    let html = page().await;
    for private in [
        "Lê Thị Hoa",
        "0914",
        "Trần Văn Bình",
        "0987",
        "Phạm Thị Cúc",
        "0356",
    ] {
        assert!(!html.contains(private), "{private} shown without consent");
    }
    assert!(html.contains("Hãy hỏi Ủy ban nhân dân"));

    // The commune's contact fills in for the teams without a consenting leader.
    let response = app
        .put_json(
            &format!("/api/v1/communes/{XUAN_BINH}/contact"),
            &json!({"label": "Văn phòng UBND xã", "phone": "0237.3861.234"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(page().await.contains("Văn phòng UBND xã"));
    assert!(page().await.contains("0237 3861 234"));

    // Given by the leader and the (ordinary) member: the leader is named with her phone; a member never is.
    let consent = give(&app, leader).await;
    assert_eq!(consent["in_force"], true);
    assert_eq!(consent["method"], "paper_form");
    assert_eq!(consent["recorded_by"], ADMIN);
    give(&app, member).await;
    // Giving it again changes nothing.
    assert_eq!(
        give(&app, leader).await["recorded_at"],
        consent["recorded_at"]
    );
    let answer = public_commune().await;
    assert_eq!(
        answer["teams"][0]["contacts"],
        json!([{"full_name": "Lê Thị Hoa", "role": "leader", "phone": "0914994123"}])
    );
    let html = page().await;
    assert!(html.contains("Lê Thị Hoa") && html.contains("0914 994 123"));
    assert!(html.contains("tel:0914994123"));
    assert!(!html.contains("Phạm Thị Cúc") && !html.contains("0356"));
    assert!(
        !html.contains("Trần Văn Bình"),
        "the deputy did not consent"
    );
    give(&app, deputy).await;
    assert!(page().await.contains("0987 654 321"));

    // A new number is not public on the old consent: she consents again for it.
    let version = app.get_json(&format!("/api/v1/members/{leader}")).await["version"]
        .as_i64()
        .unwrap();
    let changed = app
        .put_json(
            &format!("/api/v1/members/{leader}"),
            &json!({"full_name": "Lê Thị Hoa", "role": "leader", "phone": "0912345678", "version": version}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    let html = page().await;
    assert!(
        !html.contains("0912 345 678") && !html.contains("Lê Thị Hoa"),
        "{html}"
    );
    let again = give(&app, leader).await;
    assert_eq!(again["phone"], "0912345678");
    assert!(page().await.contains("0912 345 678"));

    // Withdrawn: gone at the next look, even for a browser holding the earlier copy's validator.
    let earlier = citizen
        .get(app.url(&format!("/public/teams/{team}")))
        .send()
        .await
        .unwrap();
    let tag = earlier.headers()[header::ETAG]
        .to_str()
        .unwrap()
        .to_string();
    assert!(earlier.text().await.unwrap().contains("0912 345 678"));
    let response = app
        .delete(&format!("/api/v1/members/{leader}/consent"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = citizen
        .get(app.url(&format!("/public/teams/{team}")))
        .header(header::IF_NONE_MATCH, &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the page changed: no 304"
    );
    let html = response.text().await.unwrap();
    assert!(!html.contains("Lê Thị Hoa") && !html.contains("0912"));
    assert!(html.contains("Trần Văn Bình"), "the deputy's consent holds");
    let state: Value = app
        .get_json(&format!("/api/v1/members/{leader}/consent"))
        .await;
    assert_eq!(state["in_force"], false);

    // A deputy who leaves the team leaves the public pages, consent or not.
    let version = app.get_json(&format!("/api/v1/members/{deputy}")).await["version"]
        .as_i64()
        .unwrap();
    let response = app
        .delete(&format!("/api/v1/members/{deputy}?version={version}"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(!page().await.contains("Trần Văn Bình"));

    // Every step is in the member's history, with who did it.
    let history: Vec<(String, String)> = app
        .store
        .object_history(cnscd_store::ObjectKind::Member, &leader.to_string(), 20)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action.code().to_string(), e.username))
        .collect();
    for action in ["member.consent_give", "member.consent_withdraw"] {
        assert!(
            history.contains(&(action.to_string(), ADMIN.to_string())),
            "{action} in {history:?}"
        );
    }
}

#[tokio::test]
async fn consent_and_contact_are_checked_and_kept_within_scope() {
    let app = spawn_app().await;
    let (_, leader, _, _) = village_team(&app).await;
    let response = app
        .put_json(
            &format!("/api/v1/members/{leader}/consent"),
            &json!({"method": "email"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_errors(response).await,
        [("method".to_string(), "method_invalid".to_string())]
    );
    let response = app
        .put_json(
            &format!("/api/v1/communes/{XUAN_BINH}/contact"),
            &json!({"label": "", "phone": "12345"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = field_errors(response)
        .await
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(fields, ["label", "phone"]);

    // An officer of another commune: the member and the commune do not exist for her.
    app.add_user("hacthanh", "commune_officer", Some(HAC_THANH))
        .await;
    let neighbour = app.token_client_for("hacthanh").await;
    let status = |r: reqwest::Response| r.status();
    let answer = neighbour
        .put(app.url(&format!("/api/v1/members/{leader}/consent")))
        .json(&json!({"method": "in_person"}))
        .send()
        .await
        .unwrap();
    assert_eq!(status(answer), StatusCode::NOT_FOUND);
    let answer = neighbour
        .put(app.url(&format!("/api/v1/communes/{XUAN_BINH}/contact")))
        .json(&json!({"label": "Văn phòng", "phone": "0237 3861 234"}))
        .send()
        .await
        .unwrap();
    assert_eq!(status(answer), StatusCode::NOT_FOUND);
    // A viewer reads and records nothing.
    app.add_user("lanhdao", "viewer", None).await;
    let viewer = app.token_client_for("lanhdao").await;
    let answer = viewer
        .put(app.url(&format!("/api/v1/members/{leader}/consent")))
        .json(&json!({"method": "in_person"}))
        .send()
        .await
        .unwrap();
    assert_eq!(status(answer), StatusCode::FORBIDDEN);
    assert_eq!(
        app.get_json(&format!("/api/v1/members/{leader}/consent"))
            .await["in_force"],
        false
    );
}

/// Every page a citizen can reach by following links from the finder, without signing in: none holds the phone
/// or name of anyone who did not consent; none sets a cookie or needs a script; each is under 30 KB.
#[tokio::test]
async fn an_anonymous_crawl_finds_only_consented_phones() {
    let app = spawn_app().await;
    let (_, leader, _, _) = village_team(&app).await;
    give(&app, leader).await;
    let other = app
        .create_team(XUAN_BINH, "Tổ CNSCĐ thôn Tây", "Đỗ Văn Em", "0912000111")
        .await["id"]
        .as_i64()
        .unwrap();
    let citizen = anonymous();
    let mut queue: VecDeque<String> = VecDeque::from(["/public?q=xuan binh".to_string()]);
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut pages = 0;
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        // Within Xuân Bình (the other communes found are empty pages like the one tested elsewhere).
        let other_commune = path.starts_with("/public/communes/")
            && !path.starts_with(&format!("/public/communes/{XUAN_BINH}"));
        if !path.starts_with("/public") || other_commune {
            continue;
        }
        let response = citizen.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(
            response.headers().get(header::SET_COOKIE).is_none(),
            "{path} sets a cookie"
        );
        let html = response.text().await.unwrap();
        pages += 1;
        assert!(html.len() < 30 * 1024, "{path}: {} bytes", html.len());
        assert!(!html.contains("<script"), "{path} carries a script");
        for private in [
            "0987",
            "0356",
            "0912",
            "Trần Văn Bình",
            "Phạm Thị Cúc",
            "Đỗ Văn Em",
        ] {
            assert!(!html.contains(private), "{path} shows {private}");
        }
        for link in html.split("href=\"").skip(1) {
            let link = link.split('"').next().unwrap().replace("&amp;", "&");
            if link.starts_with('/') && !link.starts_with("/static/") {
                queue.push_back(link);
            }
        }
    }
    assert!(
        seen.contains(&format!("/public/teams/{other}/poster")),
        "the crawl reached every team's poster: {seen:?}"
    );
    assert!(pages >= 6, "{pages} public pages crawled");
    let css = citizen
        .get(app.url("/static/public.css"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(
        css.len() < 4 * 1024,
        "the public style sheet: {} bytes",
        css.len()
    );
}

#[tokio::test]
async fn the_public_province_only_and_active_teams_only() {
    let app = spawn_app().await;
    let (team, _, _, _) = village_team(&app).await;
    let citizen = anonymous();
    for path in [
        format!("/public/communes/{HOAN_KIEM}"),
        format!("/api/public/communes/{HOAN_KIEM}"),
        "/public/communes/99999".to_string(),
        "/api/public/teams/999999".to_string(),
    ] {
        let response = citizen.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        if !path.starts_with("/api/") {
            let page = response.text().await.unwrap();
            assert!(
                page.contains("Không mở được trang này") && page.contains("href=\"/public\""),
                "a citizen's error page: {page}"
            );
        }
    }
    let odd = citizen
        .get(app.url("/public/teams/99999999999999999999999"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        odd.status(),
        StatusCode::NOT_FOUND,
        "not a team, in Vietnamese"
    );
    let found: Value = json_from(&citizen, app.url("/api/public/communes?q=XUAN binh")).await;
    assert_eq!(found[0]["code"], XUAN_BINH, "{found}");
    let too_long = "x".repeat(101);
    let status = citizen
        .get(app.url(&format!("/api/public/communes?q={too_long}")))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let version = app.get_json(&format!("/api/v1/teams/{team}")).await["version"]
        .as_i64()
        .unwrap();
    let response = app
        .delete(&format!("/api/v1/teams/{team}?version={version}"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let status = citizen
        .get(app.url(&format!("/public/teams/{team}")))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a dissolved team is not public"
    );
}

#[tokio::test]
async fn public_requests_are_limited_per_address() {
    let settings = cnscd_web::WebSettings {
        public_requests_per_minute: std::num::NonZeroU32::new(5).unwrap(),
        ..Default::default()
    };
    let app = spawn_app_with(settings).await;
    let citizen = anonymous();
    for _ in 0..5 {
        let status = citizen
            .get(app.url("/public"))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, StatusCode::OK);
    }
    let refused = citizen
        .get(app.url("/api/public/communes"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.headers()[header::RETRY_AFTER], "60");
    let body: Value = refused.json().await.unwrap();
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("quá nhiều"));
    let page = citizen.get(app.url("/public")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS);
    // Signed-in work is not the public pages' budget.
    assert_eq!(
        app.get(&format!("/api/v1/communes/{XUAN_BINH}"))
            .await
            .status(),
        StatusCode::OK
    );
}

/// The dark modules of the poster's QR code, read back from its SVG path (`M{x} {y}h{w}v{h}H{x}V{y}` per run),
/// decoded by an independent reader (rqrr).
fn decode_qr(svg: &str) -> String {
    let number = |s: &str| s.parse::<usize>().unwrap();
    let size = svg
        .split("width=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(number)
        .unwrap();
    let path = svg
        .split(" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let mut dark = vec![false; size * size];
    for run in path.split('M').filter(|r| !r.is_empty()) {
        let (x, rest) = run.split_once(' ').unwrap();
        let (y, rest) = rest.split_once('h').unwrap();
        let (w, rest) = rest.split_once('v').unwrap();
        let h = rest.split('H').next().unwrap();
        let (x, y, w, h) = (number(x), number(y), number(w), number(h));
        for row in y..y + h {
            for column in x..x + w {
                dark[row * size + column] = true;
            }
        }
    }
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| {
        if dark[y * size + x] {
            0
        } else {
            255
        }
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().unwrap().1
}

#[tokio::test]
async fn posters_carry_a_qr_code_that_leads_to_the_public_page() {
    let app = spawn_app().await;
    let (team, leader, _, _) = village_team(&app).await;
    give(&app, leader).await;
    let citizen = anonymous();
    let poster = text_of(&citizen, app.url(&format!("/public/teams/{team}/poster"))).await;
    assert!(poster.contains("Tổ CNSCĐ thôn Đông") && poster.contains("0914 994 123"));
    for area in cnscd_domain::public::TASK_AREAS {
        assert!(poster.contains(area), "{area}");
    }
    let svg = &poster[poster.find("<svg").unwrap()..];
    assert_eq!(decode_qr(svg), app.url(&format!("/public/teams/{team}")));

    // The commune's poster lists its teams and leads to the commune's page; a configured public address
    // replaces the request's.
    let settings = cnscd_web::WebSettings {
        public_url: Some("https://cnscd.thanhhoa.gov.vn/".into()),
        ..Default::default()
    };
    let site = spawn_app_with(settings).await;
    site.create_team(XUAN_BINH, "Tổ CNSCĐ thôn Nam", "Lê Văn Nam", "0914994000")
        .await;
    let poster = text_of(
        &citizen,
        site.url(&format!("/public/communes/{XUAN_BINH}/poster")),
    )
    .await;
    assert!(poster.contains("Tổ CNSCĐ thôn Nam"));
    let svg = &poster[poster.find("<svg").unwrap()..];
    assert_eq!(
        decode_qr(svg),
        format!("https://cnscd.thanhhoa.gov.vn/public/communes/{XUAN_BINH}")
    );
}

/// Ten officers' browsers record the same consent at the same moment, then withdraw it at the same moment:
/// one consent in force, then none, and one audit entry for each change.
#[tokio::test]
async fn simultaneous_consents_and_withdrawals_record_one_change_each() {
    let app = spawn_app().await;
    let (_, leader, _, _) = village_team(&app).await;
    for (method, path) in [("PUT", "consent"), ("DELETE", "consent")] {
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(10));
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let (client, barrier) = (app.client.clone(), barrier.clone());
                let url = app.url(&format!("/api/v1/members/{leader}/{path}"));
                let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
                tokio::spawn(async move {
                    barrier.wait().await;
                    client
                        .request(method, url)
                        .json(&json!({"method": "in_person"}))
                        .send()
                        .await
                        .unwrap()
                        .status()
                })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap(), StatusCode::OK, "{method}");
        }
    }
    let history = app
        .store
        .object_history(cnscd_store::ObjectKind::Member, &leader.to_string(), 50)
        .await
        .unwrap();
    let count = |code: &str| history.iter().filter(|e| e.action.code() == code).count();
    assert_eq!(count("member.consent_give"), 1);
    assert_eq!(count("member.consent_withdraw"), 1);
    assert_eq!(
        app.get_json(&format!("/api/v1/members/{leader}/consent"))
            .await["in_force"],
        false
    );
}
