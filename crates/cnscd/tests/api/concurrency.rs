//! Writes sent at the same moment. Every task waits at a barrier and all are released together, over their own
//! connections, so the server really handles them at once; the suite runs on SQLite and PostgreSQL. Each test
//! counts that every accepted change survived, every stale one was refused with 409, and that the counts kept
//! on team rows equal the members table afterwards.

use crate::helpers::*;
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use std::future::Future;
use std::sync::Arc;
use tokio::sync::Barrier;

/// Runs `count` requests made by `request(i)`, released together; returns their statuses and bodies.
async fn at_once<F, Fut>(count: usize, request: F) -> Vec<(StatusCode, Value)>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Response> + Send,
{
    let barrier = Arc::new(Barrier::new(count));
    let request = Arc::new(request);
    let tasks: Vec<_> = (0..count)
        .map(|i| {
            let barrier = barrier.clone();
            let request = request.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                let answer = request(i).await;
                let status = answer.status();
                (status, answer.json::<Value>().await.unwrap_or(Value::Null))
            })
        })
        .collect();
    let mut answers = Vec::with_capacity(count);
    for task in tasks {
        answers.push(task.await.expect("task"));
    }
    answers
}

fn count(answers: &[(StatusCode, Value)], status: StatusCode) -> usize {
    answers.iter().filter(|(s, _)| *s == status).count()
}

/// A client with its own connection pool, so that requests do not queue behind each other on one connection.
async fn admin_client(app: &TestApp) -> reqwest::Client {
    app.token_client_for(ADMIN).await
}

/// The team's stored counts against the members table.
async fn assert_counts_match(app: &TestApp, team_id: i64) {
    let team = app.get_json(&format!("/api/v1/teams/{team_id}")).await;
    let members = app.members_of(team_id).await;
    assert_eq!(
        team["members"].as_i64().unwrap(),
        members.len() as i64,
        "the count kept on the team row equals its active members"
    );
    let leaders = members.iter().filter(|m| m["role"] == "leader").count();
    assert_eq!(leaders, 1, "exactly one leader");
    assert_eq!(team["leader"].is_string(), leaders == 1);
}

#[tokio::test]
async fn of_twenty_simultaneous_edits_with_one_version_exactly_one_is_saved() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await;
    let (id, version) = (
        team["id"].as_i64().unwrap(),
        team["version"].as_i64().unwrap(),
    );
    let client = admin_client(&app).await;
    let url = app.url(&format!("/api/v1/teams/{id}"));
    let answers = at_once(20, move |i| {
        let request = client
            .put(&url)
            .json(&json!({"name": format!("Tổ thôn {}", i + 100), "version": version}));
        async move { request.send().await.unwrap() }
    })
    .await;
    assert_eq!(count(&answers, StatusCode::OK), 1, "{answers:?}");
    assert_eq!(count(&answers, StatusCode::CONFLICT), 19, "{answers:?}");
    for (_, body) in answers.iter().filter(|(s, _)| *s == StatusCode::CONFLICT) {
        assert_eq!(body["error"]["current_version"], version + 1);
    }
    let winner = &answers
        .iter()
        .find(|(s, _)| *s == StatusCode::OK)
        .unwrap()
        .1;
    let saved = app.get_json(&format!("/api/v1/teams/{id}")).await;
    assert_eq!(saved["version"], version + 1, "one save, one new version");
    assert_eq!(
        saved["name"], winner["name"],
        "the accepted edit is the one kept"
    );
}

#[tokio::test]
async fn a_counter_kept_by_twenty_clients_loses_no_accepted_update() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await;
    let id = team["id"].as_i64().unwrap();
    let client = admin_client(&app).await;
    let url = app.url(&format!("/api/v1/teams/{id}"));
    const INCREMENTS: usize = 5;
    // Each client reads the team, adds one to the number in its note and saves with the version it read;
    // when refused as stale it reads again and retries, until it has made INCREMENTS accepted changes.
    let answers = at_once(20, move |_| {
        let (client, url) = (client.clone(), url.clone());
        async move {
            let mut accepted = 0;
            let mut last = None;
            while accepted < INCREMENTS {
                let current: Value = json_from(&client, &url).await;
                let value: i64 = current["note"].as_str().unwrap().parse().unwrap_or(0);
                let answer = client
                    .put(&url)
                    .json(
                        &json!({"name": "Tổ thôn 1", "note": (value + 1).to_string(),
                                  "version": current["version"]}),
                    )
                    .send()
                    .await
                    .unwrap();
                match answer.status() {
                    StatusCode::OK => accepted += 1,
                    StatusCode::CONFLICT => {}
                    other => panic!("unexpected {other}"),
                }
                last = Some(answer);
            }
            last.unwrap()
        }
    })
    .await;
    assert_eq!(count(&answers, StatusCode::OK), 20);
    let saved = app.get_json(&format!("/api/v1/teams/{id}")).await;
    assert_eq!(
        saved["note"],
        (20 * INCREMENTS).to_string(),
        "every accepted increment counted"
    );
    assert_eq!(saved["version"], 1 + 20 * INCREMENTS as i64);
}

#[tokio::test]
async fn sixty_simultaneous_adds_never_pass_the_team_size_limit() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await;
    let id = team["id"].as_i64().unwrap();
    let client = admin_client(&app).await;
    let url = app.url(&format!("/api/v1/teams/{id}/members"));
    let answers = at_once(60, move |i| {
        let request = client.post(&url).json(&json!({
            "full_name": format!("Trần Văn {}", ["An", "Bình", "Cường", "Dũng", "Em", "Giang"][i % 6]),
            "role": "member",
            "phone": format!("09149{:05}", i),
        }));
        async move { request.send().await.unwrap() }
    })
    .await;
    // The default rules allow 15 members: the leader and 14 more.
    assert_eq!(count(&answers, StatusCode::CREATED), 14, "{answers:?}");
    assert_eq!(count(&answers, StatusCode::UNPROCESSABLE_ENTITY), 46);
    assert!(answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::UNPROCESSABLE_ENTITY)
        .all(|(_, b)| b["error"]["fields"][0]["code"] == "team_full"));
    assert_eq!(app.members_of(id).await.len(), 15);
    assert_counts_match(&app, id).await;
}

#[tokio::test]
async fn simultaneous_promotions_leave_one_leader_and_no_server_error() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await;
    let id = team["id"].as_i64().unwrap();
    for (i, name) in [
        "Lê Thị Bình",
        "Phạm Văn Cường",
        "Hoàng Thị Dung",
        "Vũ Văn Em",
    ]
    .iter()
    .enumerate()
    {
        let phone = format!("091200000{i}");
        assert_eq!(
            app.add_member(id, name, "member", &phone).await.status(),
            StatusCode::CREATED
        );
    }
    let members: Vec<(i64, i64)> = app
        .members_of(id)
        .await
        .iter()
        .filter(|m| m["role"] == "member")
        .map(|m| (m["id"].as_i64().unwrap(), m["version"].as_i64().unwrap()))
        .collect();
    let client = admin_client(&app).await;
    let base = app.url("/api/v1/members");
    // Each of the four is made leader five times over, all at once; and a second leader is also proposed
    // by editing roles directly.
    let answers = at_once(24, move |i| {
        let (member, version) = members[i % members.len()];
        let request = if i < 20 {
            client
                .post(format!("{base}/{member}/make-leader"))
                .json(&json!({"version": version}))
        } else {
            client.put(format!("{base}/{member}")).json(&json!({
                "full_name": "Người Được Đề Cử", "role": "leader", "version": version}))
        };
        async move { request.send().await.unwrap() }
    })
    .await;
    assert!(
        answers.iter().all(|(s, _)| !s.is_server_error()),
        "no 500s: {answers:?}"
    );
    assert!(count(&answers, StatusCode::OK) >= 1);
    assert!(answers.iter().all(|(s, _)| matches!(
        *s,
        StatusCode::OK | StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
    )));
    assert_counts_match(&app, id).await;
}

#[tokio::test]
async fn simultaneous_decisions_with_one_number_keep_one_and_name_the_field() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await;
    let client = admin_client(&app).await;
    let url = app.url("/api/v1/decisions");
    let team_id = team["id"].clone();
    let answers = at_once(10, move |_| {
        let request = client.post(&url).json(&json!({
            "commune_code": XUAN_BINH, "number": "01/QĐ-UBND", "signed_on": "10/07/2025",
            "kind": "establish", "team_ids": [team_id]}));
        async move { request.send().await.unwrap() }
    })
    .await;
    assert_eq!(count(&answers, StatusCode::CREATED), 1, "{answers:?}");
    for (status, body) in answers.iter().filter(|(s, _)| *s != StatusCode::CREATED) {
        assert!(
            *status == StatusCode::CONFLICT || *status == StatusCode::UNPROCESSABLE_ENTITY,
            "{status} {body}"
        );
        assert_eq!(body["error"]["fields"][0]["code"], "decision_duplicate");
    }
}

/// Keeps editing a team through the API until `stop` is set; returns the statuses seen.
async fn keep_editing(
    client: reqwest::Client,
    base: String,
    team_id: i64,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> Vec<StatusCode> {
    let url = format!("{base}/api/v1/teams/{team_id}");
    let mut seen = Vec::new();
    let mut round = 0;
    while !stop.load(std::sync::atomic::Ordering::SeqCst) || round < 20 {
        round += 1;
        let current: Value = json_from(&client, &url).await;
        let answer = client
            .put(&url)
            .json(&json!({"name": format!("Tổ thôn {round}"), "version": current["version"]}))
            .send()
            .await
            .unwrap();
        seen.push(answer.status());
    }
    seen
}

#[tokio::test]
async fn two_servers_and_a_cli_import_on_one_database_wait_their_turn() {
    let app = spawn_app().await;
    // A second server process on the same database (its own pool and writer queue, as another process has).
    let second_store = cnscd_store::Store::open(&app.database_url).await.unwrap();
    let second = serve(second_store, cnscd_web::WebSettings::default()).await;
    // Phường Quảng Phú: a commune the imported file does not touch.
    let team = app
        .create_team("16522", "Tổ phố 1", "Nguyễn Văn An", "0914994123")
        .await;
    let id = team["id"].as_i64().unwrap();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let client = admin_client(&app).await;
    let writers: Vec<_> = [
        app.address.clone(),
        second.clone(),
        app.address.clone(),
        second,
    ]
    .into_iter()
    .map(|base| tokio::spawn(keep_editing(client.clone(), base, id, stop.clone())))
    .collect();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("xuan-binh.xlsx");
    std::fs::write(&file, crate::import_export::messy_workbook()).unwrap();
    let url = app.database_url.clone();
    let import = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_cnscd"))
            .args(["import", file.to_str().unwrap()])
            .env("CNSCD_DATABASE_URL", url)
            .env_remove("CNSCD_PROVINCE")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut statuses = Vec::new();
    for writer in writers {
        statuses.extend(writer.await.unwrap());
    }
    let stderr = String::from_utf8_lossy(&import.stderr);
    assert!(
        import.status.success(),
        "the CLI import waited its turn: {stderr}"
    );
    assert!(!stderr.contains("locked"), "{stderr}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT),
        "no request failed: {statuses:?}"
    );
    assert!(statuses.contains(&StatusCode::OK));
}

/// `count` browsers that have each opened the sign-in form: (client, the form's token).
async fn sign_in_forms(app: &TestApp, count: usize) -> Vec<(reqwest::Client, String)> {
    let mut forms = Vec::with_capacity(count);
    for _ in 0..count {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let page = client
            .get(app.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        forms.push((client, csrf_of(&page)));
    }
    forms
}

#[tokio::test]
async fn a_hundred_simultaneous_guesses_get_no_more_checks_than_the_throttle_allows() {
    let app = spawn_app().await;
    let forms = Arc::new(sign_in_forms(&app, 100).await);
    let url = app.url("/login");
    let (shared, target) = (forms.clone(), url.clone());
    let guesses = at_once(100, move |i| {
        let (client, token) = shared[i].clone();
        let request = client.post(&target).form(&[
            ("username", ADMIN),
            ("password", "đoán mò mật khẩu"),
            ("next", "/"),
            ("csrf", token.as_str()),
        ]);
        async move { request.send().await.unwrap() }
    })
    .await;
    let checked = count(&guesses, StatusCode::UNAUTHORIZED);
    assert!(
        checked <= 5,
        "at most 5 passwords checked for one account: {checked}"
    );
    assert_eq!(
        checked + count(&guesses, StatusCode::TOO_MANY_REQUESTS),
        100
    );
    let (client, token) = sign_in_forms(&app, 1).await.remove(0);
    let right = client
        .post(&url)
        .form(&[
            ("username", ADMIN),
            ("password", PASSWORD),
            ("next", "/"),
            ("csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        right.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the right password then waits too"
    );

    // From one address, many accounts at once (on a fresh installation): no more than the address's limit.
    let app = spawn_app().await;
    let url = app.url("/login");
    let forms = Arc::new(sign_in_forms(&app, 100).await);
    let guesses = at_once(100, move |i| {
        let (client, token) = forms[i].clone();
        let request = client.post(&url).form(&[
            ("username", format!("ai.do.{i}")),
            ("password", "x".to_string()),
            ("next", "/".to_string()),
            ("csrf", token),
        ]);
        async move { request.send().await.unwrap() }
    })
    .await;
    // Attempts are counted while in flight: when all arrive at once, possibly none is checked.
    let checked = count(&guesses, StatusCode::UNAUTHORIZED);
    assert!(
        checked <= 20,
        "at most 20 checks from one address: {checked}"
    );
    assert_eq!(
        checked + count(&guesses, StatusCode::TOO_MANY_REQUESTS),
        100
    );
}

#[tokio::test]
async fn the_same_team_created_twenty_times_at_once_exists_once() {
    let app = spawn_app().await;
    let client = admin_client(&app).await;
    let base = app.address.clone();
    let answers = at_once(20, move |i| {
        let client = client.clone();
        let url = format!("{base}/api/v1/teams");
        // However it is written, it is one team.
        let name = ["Tổ CNSCĐ thôn Đồng Mới", "Thôn Đồng Mới", "TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG THÔN ĐỒNG MỚI"][i % 3];
        let body = json!({"commune_code": XUAN_BINH, "name": name,
                          "leader": {"full_name": "Nguyễn Văn An", "phone": format!("09149941{i:02}")}});
        async move { client.post(url).json(&body).send().await.unwrap() }
    })
    .await;
    assert_eq!(count(&answers, StatusCode::CREATED), 1, "{answers:?}");
    assert_eq!(count(&answers, StatusCode::CONFLICT), 19, "{answers:?}");
    let refused = answers
        .iter()
        .find(|(s, _)| *s == StatusCode::CONFLICT)
        .unwrap();
    assert_eq!(refused.1["error"]["fields"][0]["code"], "team_name_taken");
    let teams = app
        .get_json(&format!("/api/v1/teams?commune={XUAN_BINH}"))
        .await;
    assert_eq!(teams["total"], 1, "{teams}");
}

#[tokio::test]
async fn a_previewed_file_applied_five_times_at_once_is_imported_once() {
    let app = spawn_app().await;
    let url = app.url(&previewed_import(&app).await);
    let client = app.client.clone();
    let answers = at_once(5, move |_| {
        let (client, url) = (client.clone(), url.clone());
        async move { client.post(url).form(&[("x", "")]).send().await.unwrap() }
    })
    .await;
    assert_eq!(count(&answers, StatusCode::OK), 1, "{answers:?}");
    assert_eq!(count(&answers, StatusCode::NOT_FOUND), 4, "{answers:?}");
    let imports = app.store.commune_imports(XUAN_BINH, 10).await.unwrap();
    assert_eq!(imports.len(), 1, "one import recorded");
}

#[tokio::test]
async fn a_report_submitted_and_reviewed_at_once_moves_once() {
    let app = spawn_app().await;
    let round = app
        .open_round(json!({"title": "Tháng 12", "deadline": days_ahead(10), "indicators": ["sessions_held"]}))
        .await;
    let path = format!("/api/v1/rounds/{round}/reports/{XUAN_BINH}");
    let client = admin_client(&app).await;
    // Ten saves of a new draft at once: one creates it, the others find it there and must give its version.
    let saves = {
        let (client, url) = (client.clone(), app.url(&path));
        at_once(10, move |i| {
            let request = client
                .put(&url)
                .json(&json!({"figures": {"sessions_held": i}, "narrative": {"results": "Tốt"}}));
            async move { request.send().await.unwrap() }
        })
        .await
    };
    assert_eq!(count(&saves, StatusCode::OK), 1, "{saves:?}");
    assert_eq!(
        count(&saves, StatusCode::UNPROCESSABLE_ENTITY),
        9,
        "{saves:?}"
    );
    // Ten submissions at once: one is recorded; the others are told it was already submitted.
    let submits = {
        let (client, url) = (client.clone(), app.url(&format!("{path}/submit")));
        at_once(10, move |_| {
            let request = client.post(&url);
            async move { request.send().await.unwrap() }
        })
        .await
    };
    assert_eq!(count(&submits, StatusCode::OK), 1, "{submits:?}");
    assert_eq!(count(&submits, StatusCode::CONFLICT), 9, "{submits:?}");
    // Accept and return at once: one review wins.
    let reviews = {
        let (client, url) = (client.clone(), app.url(&path));
        at_once(10, move |i| {
            let request = if i % 2 == 0 {
                client.post(format!("{url}/accept"))
            } else {
                client
                    .post(format!("{url}/return"))
                    .json(&json!({"reason": "Kiểm tra lại"}))
            };
            async move { request.send().await.unwrap() }
        })
        .await
    };
    assert_eq!(count(&reviews, StatusCode::OK), 1, "{reviews:?}");
    let report = app.get_json(&path).await;
    assert_eq!(report["submissions"], 1);
    assert!(report["state"] == "accepted" || report["state"] == "returned");
}

/// A letterhead is a setting: the last save holds. Ten saves released together (the first ones of a commune,
/// so they race to insert its row) all succeed without a server error, the letterhead read afterwards is one
/// of them whole, and each save is in the log.
#[tokio::test]
async fn ten_simultaneous_letterhead_saves_leave_one_of_them_whole() {
    let app = spawn_app().await;
    let clients: Vec<reqwest::Client> = {
        let mut clients = Vec::new();
        for _ in 0..10 {
            clients.push(admin_client(&app).await);
        }
        clients
    };
    let clients = Arc::new(clients);
    let url = app.url(&format!("/api/v1/communes/{XUAN_BINH}/letterhead"));
    let signers = [
        "An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khánh", "Lâm", "Minh", "Nga",
    ];
    let answers = at_once(10, move |i| {
        let (clients, url) = (clients.clone(), url.clone());
        async move {
            clients[i]
                .put(&url)
                .json(&json!({"signer_name": format!("Lê Văn {}", signers[i]),
                              "signer_title": format!("CHỦ TỊCH {i}")}))
                .send()
                .await
                .unwrap()
        }
    })
    .await;
    assert_eq!(count(&answers, StatusCode::OK), 10, "{answers:?}");
    let saved = app
        .get_json(&format!("/api/v1/communes/{XUAN_BINH}/letterhead"))
        .await;
    let name = saved["signer_name"].as_str().unwrap();
    let i = signers
        .iter()
        .position(|s| name == format!("Lê Văn {s}"))
        .expect("one of the saves");
    assert_eq!(
        saved["signer_title"],
        format!("CHỦ TỊCH {i}"),
        "both fields from the same save"
    );
    assert_eq!(
        app.logged(cnscd_store::Action::LetterheadSet, None)
            .await
            .len(),
        10
    );
}

/// The messy Xuân Bình workbook uploaded for a replacing import: the path that applies it.
pub(crate) async fn previewed_import(app: &TestApp) -> String {
    let (status, page) = crate::safe_import::upload(
        app,
        "xuan-binh.xlsx",
        crate::import_export::messy_workbook(),
        "replace",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    crate::safe_import::apply_path(&page)
}

/// The teams of a commune, each with its members' names and roles, as the API lists them (in name order).
async fn commune_listing(app: &TestApp, commune: &str) -> Vec<(String, Vec<(String, String)>)> {
    let teams = app
        .get_json(&format!("/api/v1/teams?commune={commune}&per_page=100"))
        .await;
    let mut listing = Vec::new();
    for team in teams["items"].as_array().expect("teams") {
        let mut members: Vec<(String, String)> = app
            .members_of(team["id"].as_i64().unwrap())
            .await
            .iter()
            .map(|m| (m["full_name"].to_string(), m["role"].to_string()))
            .collect();
        members.sort();
        listing.push((team["name"].to_string(), members));
    }
    listing
}

#[tokio::test]
async fn an_import_applied_while_teams_are_created_elsewhere_gives_everyone_their_own_record() {
    // The import takes its new rows' ids before writing them; creations elsewhere take theirs at the same
    // moment. Whoever takes an id another already has fails the whole change.
    let app = spawn_app().await;
    let apply = app.url(&previewed_import(&app).await);
    let browser = app.client.clone();
    let api = admin_client(&app).await;
    let teams_url = app.url("/api/v1/teams");
    let answers = at_once(11, move |i| {
        let request = if i == 0 {
            browser.post(apply.clone()).form(&[("x", "")])
        } else {
            // Phường Quảng Phú: a commune the file does not touch.
            api.post(teams_url.clone()).json(&json!({
                "commune_code": "16522", "name": format!("Tổ phố {i}"),
                "leader": {"full_name": "Trần Thị Bình", "phone": format!("09149942{i:02}")}}))
        };
        async move { request.send().await.unwrap() }
    })
    .await;
    assert_eq!(answers[0].0, StatusCode::OK, "the import was applied");
    assert_eq!(count(&answers, StatusCode::CREATED), 10, "{answers:?}");
    for (_, created) in &answers[1..] {
        let id = created["team"]["id"].as_i64().unwrap();
        let members = app.members_of(id).await;
        assert_eq!(members.len(), 1, "{members:?}");
        assert_eq!(members[0]["full_name"], "Trần Thị Bình");
        assert_counts_match(&app, id).await;
    }
    // The same file imported with nothing else happening gives the same commune.
    let alone = spawn_app().await;
    let applied = alone.post_form(&previewed_import(&alone).await, &[]).await;
    assert_eq!(applied.status(), StatusCode::OK);
    let listing = commune_listing(&app, XUAN_BINH).await;
    assert!(!listing.is_empty());
    assert_eq!(listing, commune_listing(&alone, XUAN_BINH).await);
}

#[tokio::test]
async fn an_import_undone_five_times_at_once_is_undone_once() {
    let app = spawn_app().await;
    app.create_team(XUAN_BINH, "Tổ thôn 9", "Nguyễn Văn An", "0914994123")
        .await;
    let applied = app
        .post_form(
            &previewed_import(&app).await,
            &[("confirm_removals", XUAN_BINH)],
        )
        .await;
    assert_eq!(applied.status(), StatusCode::OK);
    let import = app.store.commune_imports(XUAN_BINH, 1).await.unwrap()[0].id;
    let url = app.url(&format!("/imports/{import}/undo"));
    let client = app.client.clone();
    let answers = at_once(5, move |_| {
        let (client, url) = (client.clone(), url.clone());
        async move { client.post(url).form(&[("x", "")]).send().await.unwrap() }
    })
    .await;
    let undone = answers
        .iter()
        .filter(|(s, _)| s.is_redirection() || *s == StatusCode::OK)
        .count();
    assert_eq!(undone, 1, "{answers:?}");
    assert_eq!(
        count(&answers, StatusCode::UNPROCESSABLE_ENTITY),
        4,
        "{answers:?}"
    );
    let teams = app
        .get_json(&format!("/api/v1/teams?commune={XUAN_BINH}&status=active"))
        .await;
    assert_eq!(teams["total"], 1, "back to the one team: {teams}");
    assert_eq!(
        app.logged(cnscd_store::Action::ImportUndo, None)
            .await
            .len(),
        1,
        "one undo in the log"
    );
}

#[tokio::test]
async fn simultaneous_changes_to_different_teams_of_one_commune_keep_its_sums_exact() {
    // Each change recounts its commune's sums; two recounts at once must not each miss the other's change.
    let app = spawn_app().await;
    let mut urls = Vec::new();
    for i in 0..8 {
        let team = app
            .create_team(
                XUAN_BINH,
                &format!("Tổ thôn {}", i + 1),
                "Nguyễn Văn An",
                &format!("09149941{i:02}"),
            )
            .await;
        urls.push(app.url(&format!("/api/v1/teams/{}/members", team["id"])));
    }
    let client = admin_client(&app).await;
    let answers = at_once(8, move |i| {
        let request = client
            .post(&urls[i])
            .json(&json!({"full_name": "Lê Thị Mai"}));
        async move { request.send().await.unwrap() }
    })
    .await;
    assert_eq!(count(&answers, StatusCode::CREATED), 8, "{answers:?}");
    let xuan_binh = app.overview_of(XUAN_BINH).await;
    assert_eq!(xuan_binh["teams"], 8);
    assert_eq!(xuan_binh["members"], 16, "{xuan_binh}");
    assert_eq!(xuan_binh["members_without_phone"], 8, "{xuan_binh}");
}
