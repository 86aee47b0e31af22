//! Signing in and out, CSRF, throttling, session expiry, API tokens, passwords and account management.

use crate::helpers::*;
use cnscd_web::WebSettings;
use reqwest::{Client, StatusCode};
use serde_json::Value;
use std::process::{Command, Stdio};
use std::time::Duration;

fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_session_cookie_is_httponly_samesite_and_secure_behind_tls() {
    let app = spawn_app().await;
    let answer = app.try_sign_in(&browser(), ADMIN, PASSWORD).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    let cookie = answer.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("cnscd_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP on a local network: {cookie}"
    );
    let behind_tls = sign_in_at(
        &browser(),
        &app.address,
        ADMIN,
        PASSWORD,
        &[("x-forwarded-proto", "https")],
    )
    .await;
    let cookie = behind_tls.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn the_sign_in_form_needs_its_own_csrf_token() {
    let app = spawn_app().await;
    // Another site posting the form: no token, no cookie.
    let forged = browser()
        .post(app.url("/login"))
        .form(&[
            ("username", ADMIN),
            ("password", PASSWORD),
            ("csrf", "đoán"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(forged
        .headers()
        .get_all("set-cookie")
        .iter()
        .all(|c| !c.to_str().unwrap().starts_with("cnscd_session=")));
    assert!(forged
        .text()
        .await
        .unwrap()
        .contains("Trang đăng nhập đã hết hạn"));
    let form = browser().get(app.url("/login")).send().await.unwrap();
    let cookie = form.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("cnscd_login=") && cookie.contains("SameSite=Strict"));
    assert_eq!(
        app.try_sign_in(&browser(), ADMIN, PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_form_without_the_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await;
    let session = app.sign_in(ADMIN).await;
    let path = format!("/teams/{}/edit", team["id"]);
    let fields = [("name", "Tổ bị giả mạo"), ("version", "1")];
    let missing = session
        .client
        .post(session.url(&path))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    assert!(missing
        .text()
        .await
        .unwrap()
        .contains("Biểu mẫu đã hết hạn"));
    let mut wrong = fields.to_vec();
    wrong.push(("csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    let wrong = session
        .client
        .post(session.url(&path))
        .form(&wrong)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    // A script posting JSON with the session cookie needs the token in a header.
    let json = session
        .client
        .put(session.url(&format!("/api/v1/teams/{}", team["id"])))
        .json(&serde_json::json!({"name": "Tổ bị giả mạo", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), StatusCode::FORBIDDEN);
    let team_now = app.get_json(&format!("/api/v1/teams/{}", team["id"])).await;
    assert_eq!(team_now["name"], "Tổ thôn 1", "nothing changed");

    let signed = session.post_form(&path, &fields).await;
    assert_eq!(
        signed.status(),
        StatusCode::SEE_OTHER,
        "with the token it works"
    );
    let with_header = session
        .client
        .put(session.url(&format!("/api/v1/teams/{}", team["id"])))
        .header("x-csrf-token", &session.csrf)
        .json(&serde_json::json!({"name": "Tổ thôn Một", "version": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(with_header.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_upload_form_needs_its_csrf_token_too() {
    let app = spawn_app().await;
    let session = app.sign_in(ADMIN).await;
    let upload = |with_token: bool| {
        let mut form = reqwest::multipart::Form::new();
        if with_token {
            form = form.text("csrf", session.csrf.clone());
        }
        let form = form.part(
            "file",
            reqwest::multipart::Part::bytes(crate::import_export::messy_workbook())
                .file_name("xuan-binh.xlsx"),
        );
        session
            .client
            .post(session.url("/import"))
            .multipart(form)
            .send()
    };
    assert_eq!(upload(false).await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(upload(true).await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn wrong_usernames_and_wrong_passwords_get_the_same_answer() {
    let app = spawn_app().await;
    let unknown = app.try_sign_in(&browser(), "khong.co.ai", PASSWORD).await;
    let wrong = app.try_sign_in(&browser(), ADMIN, "sai mật khẩu rồi").await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let (unknown, wrong) = (unknown.text().await.unwrap(), wrong.text().await.unwrap());
    assert!(wrong.contains("Tên đăng nhập hoặc mật khẩu không đúng"));
    let same_token = |page: &str| page.replace(&csrf_of(page), "token");
    assert_eq!(
        same_token(&unknown.replace("khong.co.ai", "admin")),
        same_token(&wrong),
        "the page does not tell whether the account exists"
    );
}

#[tokio::test]
async fn repeated_failures_block_the_account_then_the_address_with_a_clear_message() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let answer = app.try_sign_in(&browser(), ADMIN, "đoán mò mật khẩu").await;
        assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    }
    let blocked = app.try_sign_in(&browser(), ADMIN, PASSWORD).await;
    assert_eq!(
        blocked.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    let page = blocked.text().await.unwrap();
    assert!(page.contains("Đăng nhập sai quá nhiều lần") && page.contains("15 phút"));
    let nobody = app.try_sign_in(&browser(), "khong.co.ai", "x").await;
    assert_eq!(nobody.status(), StatusCode::UNAUTHORIZED);
    for _ in 0..4 {
        app.try_sign_in(&browser(), "khong.co.ai", "x").await;
    }
    let nobody = app.try_sign_in(&browser(), "khong.co.ai", "x").await;
    assert_eq!(
        nobody.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "unknown accounts are throttled alike, so throttling reveals nothing either"
    );

    // Another account from the same address: blocked once the address has failed 20 times.
    app.add_user("hoa.xuanbinh", "commune_officer", Some(XUAN_BINH))
        .await;
    for i in 0..10 {
        app.try_sign_in(&browser(), &format!("thu.{i}"), "x").await;
    }
    let address_blocked = app.try_sign_in(&browser(), "hoa.xuanbinh", PASSWORD).await;
    assert_eq!(address_blocked.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_session_expires_after_its_idle_time_and_sign_out_ends_it() {
    let clock = Clock::manual(chrono::Utc::now());
    let app = spawn_app_with_clock(
        WebSettings {
            session_lifetime: chrono::Duration::hours(2),
            ..WebSettings::default()
        },
        clock.clone(),
    )
    .await;
    let session = app.sign_in(ADMIN).await;
    assert_eq!(session.get("/account").await.status(), StatusCode::OK);
    // Used within its idle time, a session lasts: 100 minutes, use, 100 minutes more, still signed in.
    clock.advance(chrono::Duration::minutes(100));
    assert_eq!(session.get("/account").await.status(), StatusCode::OK);
    clock.advance(chrono::Duration::minutes(100));
    assert_eq!(session.get("/account").await.status(), StatusCode::OK);
    // Left alone past its idle time, it ends.
    clock.advance(chrono::Duration::minutes(121));
    let expired = session.get("/account").await;
    assert_eq!(expired.status(), StatusCode::SEE_OTHER);
    assert!(expired.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/login"));

    let app = spawn_app().await;
    let session = app.sign_in(ADMIN).await;
    let cookie_before = session.client.clone();
    let out = session.post_form("/logout", &[]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        cookie_before
            .get(session.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_personal_token_works_until_revoked() {
    let app = spawn_app().await;
    app.add_user("hoa.xuanbinh", "commune_officer", Some(XUAN_BINH))
        .await;
    let session = app.sign_in("hoa.xuanbinh").await;
    // Tokens are for those who script: a commune officer is not offered one, and cannot make one.
    let account = session.get("/account").await.text().await.unwrap();
    assert!(!account.contains("id=\"api-tokens\""));
    let refused = session
        .post_form("/account/tokens", &[("name", "Tập lệnh báo cáo")])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    // Given one at the console, it has her scope.
    let user = app.store.user_by_username("hoa.xuanbinh").await.unwrap();
    let (_, secret) = app
        .store
        .create_api_token(
            &user,
            "Tập lệnh báo cáo",
            &cnscd_store::Actor::command_line(),
        )
        .await
        .unwrap();
    assert!(secret.starts_with("cnscd_"));
    let script = token_client(&secret);
    let teams = script.get(app.url("/api/v1/teams")).send().await.unwrap();
    assert_eq!(teams.status(), StatusCode::OK);
    let other = script
        .get(app.url(&format!("/api/v1/communes/{HAC_THANH}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        other.status(),
        StatusCode::NOT_FOUND,
        "same scope as its owner"
    );
    // A province admin makes hers on the account page, under «Nâng cao», shown once.
    let admin = app.sign_in(ADMIN).await;
    let page = admin
        .post_form("/account/tokens", &[("name", "Báo cáo tuần")])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"api-tokens\" open"));
    let start = page.find("id=\"new-token\">").expect("secret shown once") + 15;
    let admin_secret = page[start..start + page[start..].find('<').unwrap()].to_string();
    assert_eq!(
        token_client(&admin_secret)
            .get(app.url("/api/v1/overview"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    let listed = admin.get("/account").await.text().await.unwrap();
    assert!(listed.contains("Báo cáo tuần") && !listed.contains(&admin_secret));
    let stored = app.store.user_by_username("hoa.xuanbinh").await.unwrap();
    let token_id = app.store.api_tokens(stored.id).await.unwrap()[0].id;
    let revoked = session
        .post_form(&format!("/account/tokens/{token_id}/revoke"), &[])
        .await;
    assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
    let after = script.get(app.url("/api/v1/teams")).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    // Someone else's token cannot be revoked by guessing its id.
    let admin_session = app.sign_in(ADMIN).await;
    let admin_token = app.store.api_tokens(1).await.unwrap()[0].id;
    let foreign = session
        .post_form(&format!("/account/tokens/{admin_token}/revoke"), &[])
        .await;
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
    assert_eq!(admin_session.get("/account").await.status(), StatusCode::OK);
    assert_eq!(
        app.get("/api/v1/teams").await.status(),
        StatusCode::OK,
        "the admin's token still works"
    );
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_every_session() {
    let app = spawn_app().await;
    let session = app.sign_in(ADMIN).await;
    let other_device = app.sign_in(ADMIN).await;
    let new = "sông Mã xa rồi 1947";
    let wrong = session
        .post_form(
            "/account/password",
            &[
                ("current", "không phải"),
                ("password", new),
                ("confirm", new),
            ],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong
        .text()
        .await
        .unwrap()
        .contains("Mật khẩu hiện tại không đúng"));
    let short = session
        .post_form(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("password", "ngan"),
                ("confirm", "ngan"),
            ],
        )
        .await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.text().await.unwrap().contains("ít nhất 10 ký tự"));
    let changed = session
        .post_form(
            "/account/password",
            &[("current", PASSWORD), ("password", new), ("confirm", new)],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        other_device.get("/account").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.try_sign_in(&browser(), ADMIN, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.try_sign_in(&browser(), ADMIN, new).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn an_admin_creates_rescopes_disables_and_resets_accounts_in_the_browser() {
    const GIVEN: &str = "mật khẩu tạm thời 2025";
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN).await;
    let missing_commune = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "hoa.xuanbinh"),
                ("full_name", "Lê Thị Hoa"),
                ("role", "commune_officer"),
                ("commune_code", ""),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(missing_commune.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing_commune
        .text()
        .await
        .unwrap()
        .contains("Cán bộ xã/phường phải gắn với một xã/phường"));
    let created = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "Hoa.XuanBinh"),
                ("full_name", "Lê Thị Hoa"),
                ("role", "commune_officer"),
                ("commune_code", XUAN_BINH),
                ("password", GIVEN),
            ],
        )
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let location = created.headers()["location"].to_str().unwrap().to_string();
    let taken = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "hoa.xuanbinh"),
                ("full_name", "Lê Thị Hoa"),
                ("role", "viewer"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert!(taken.text().await.unwrap().contains("đã có người dùng"));

    // The password the admin chose must be replaced by her own before anything else.
    let first = app.sign_in_with("hoa.xuanbinh", GIVEN).await;
    let elsewhere = first.get(&format!("/communes/{XUAN_BINH}")).await;
    assert_eq!(elsewhere.status(), StatusCode::SEE_OTHER);
    assert_eq!(elsewhere.headers()["location"], "/account");
    let account = first.get("/account").await.text().await.unwrap();
    assert!(account.contains("hãy đổi mật khẩu trước khi làm việc"));
    let api = first
        .client
        .get(first.url("/api/v1/teams"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::FORBIDDEN);
    let own = first
        .post_form(
            "/account/password",
            &[
                ("current", GIVEN),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(own.status(), StatusCode::SEE_OTHER);
    let hoa = app.sign_in("hoa.xuanbinh").await;
    assert_eq!(
        hoa.get(&format!("/communes/{XUAN_BINH}")).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        hoa.get(&format!("/communes/{HAC_THANH}")).await.status(),
        StatusCode::NOT_FOUND
    );
    // Moved to Hạc Thành: her reach follows at once.
    let version = |app: &TestApp| {
        let store = app.store.clone();
        async move {
            let user = store.user_by_username("hoa.xuanbinh").await.unwrap();
            user.version.to_string()
        }
    };
    let current = version(&app).await;
    let moved = admin
        .post_form(
            &location,
            &[
                ("full_name", "Lê Thị Hoa"),
                ("role", "commune_officer"),
                ("commune_code", HAC_THANH),
                ("version", &current),
            ],
        )
        .await;
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    let current = version(&app).await;
    assert_eq!(
        hoa.get(&format!("/communes/{HAC_THANH}")).await.status(),
        StatusCode::OK
    );
    let disabled = admin
        .post_form(
            &location,
            &[
                ("full_name", "Lê Thị Hoa"),
                ("role", "commune_officer"),
                ("commune_code", HAC_THANH),
                ("disabled", "on"),
                ("version", &current),
            ],
        )
        .await;
    assert_eq!(disabled.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        hoa.get("/account").await.status(),
        StatusCode::SEE_OTHER,
        "a disabled account is signed out"
    );
    assert_eq!(
        app.try_sign_in(&browser(), "hoa.xuanbinh", PASSWORD)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let reset = admin
        .post_form(
            &format!("{location}/password"),
            &[("password", "mật khẩu mới tinh 2026")],
        )
        .await;
    assert_eq!(reset.status(), StatusCode::SEE_OTHER);
    // An admin cannot lock herself out.
    let admin_user = app.store.user_by_username(ADMIN).await.unwrap();
    let myself = admin
        .post_form(
            &format!("/admin/users/{}", admin_user.id),
            &[
                ("full_name", "Quản trị"),
                ("role", "viewer"),
                ("version", &admin_user.version.to_string()),
            ],
        )
        .await;
    assert_eq!(myself.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Every step is in the account's history.
    let history = admin.get(&location).await.text().await.unwrap();
    for action in ["Tạo tài khoản", "Sửa tài khoản", "Đặt lại mật khẩu"] {
        assert!(history.contains(action), "{action}");
    }
    assert!(
        !history.contains("argon2"),
        "password hashes never leave the database"
    );
}

#[tokio::test]
async fn the_cli_creates_accounts_and_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("c.db").display());
    let cnscd = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_cnscd"))
            .args(args)
            .env("CNSCD_DATABASE_URL", &database)
            .env("CNSCD_NEW_PASSWORD", PASSWORD)
            .output()
            .unwrap()
    };
    let officer = cnscd(&[
        "user",
        "add",
        "hoa",
        "--role",
        "commune_officer",
        "--commune",
        XUAN_BINH,
    ]);
    assert!(officer.status.success());
    let text = String::from_utf8(officer.stdout).unwrap();
    assert!(text.contains("Xã Xuân Bình") && !text.contains(PASSWORD));
    let no_commune = cnscd(&["user", "add", "lan", "--role", "commune_officer"]);
    assert_eq!(no_commune.status.code(), Some(2));
    assert!(String::from_utf8(no_commune.stderr)
        .unwrap()
        .contains("phải gắn với một xã/phường"));
    let elsewhere = cnscd(&[
        "user",
        "add",
        "lan",
        "--role",
        "commune_officer",
        "--commune",
        HOAN_KIEM,
    ]);
    assert_eq!(
        elsewhere.status.code(),
        Some(2),
        "a commune of the province only"
    );
    let listed = String::from_utf8(cnscd(&["user", "list"]).stdout).unwrap();
    assert!(listed.contains("hoa") && !listed.contains("lan"));
    let token = cnscd(&["user", "token", "hoa"]);
    assert!(String::from_utf8(token.stdout)
        .unwrap()
        .starts_with("cnscd_"));
}

/// The server's log, at debug level, never holds a password, a token or a phone number.
#[tokio::test]
async fn logs_hold_no_passwords_tokens_or_phones() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("c.db").display());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let add = Command::new(env!("CARGO_BIN_EXE_cnscd"))
        .args(["user", "add", "admin", "--role", "province_admin"])
        .env("CNSCD_DATABASE_URL", &database)
        .env("CNSCD_NEW_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(add.status.success());
    let log = dir.path().join("serve.log");
    let mut server = Command::new(env!("CARGO_BIN_EXE_cnscd"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("CNSCD_DATABASE_URL", &database)
        .env("CNSCD_LOG", "debug")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = browser();
    let mut signed_in = None;
    for _ in 0..100 {
        if client.get(format!("{base}/login")).send().await.is_ok() {
            signed_in = Some(
                sign_in_at(&client, &base, "admin", PASSWORD, &[])
                    .await
                    .status(),
            );
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(signed_in, Some(StatusCode::SEE_OTHER));
    // The password given on the command line must first be replaced.
    let own = "mật khẩu riêng của tôi";
    let page = client
        .get(format!("{base}/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let changed = client
        .post(format!("{base}/account/password"))
        .form(&[
            ("current", PASSWORD),
            ("password", own),
            ("confirm", own),
            ("csrf", &csrf_of(&page)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    let again = sign_in_at(&client, &base, "admin", own, &[]).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    let page = client
        .get(format!("{base}/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&page);
    let page = client
        .post(format!("{base}/account/tokens"))
        .form(&[("name", "nhật ký"), ("csrf", &csrf)])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = page.find("id=\"new-token\">").unwrap() + 15;
    let token = page[start..start + page[start..].find('<').unwrap()].to_string();
    let created: Value = token_client(&token)
        .post(format!("{base}/api/v1/teams"))
        .json(
            &serde_json::json!({"commune_code": XUAN_BINH, "name": "Tổ thôn 1",
            "leader": {"full_name": "Nguyễn Văn An", "phone": "0914 994 123"}}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(created["team"]["id"].is_i64());
    let wrong = sign_in_at(&client, &base, "admin", "mật khẩu sai bét", &[]).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    server.kill().unwrap();
    server.wait().unwrap();
    let log = std::fs::read_to_string(log).unwrap();
    assert!(log.contains("signed in"), "the log does record events");
    for secret in [
        PASSWORD,
        own,
        "mật khẩu sai bét",
        &token,
        &csrf,
        "0914994123",
        "0914 994 123",
    ] {
        assert!(!log.contains(secret), "the log holds «{secret}»");
    }
}

#[tokio::test]
async fn an_admin_sets_the_team_size_rules_in_the_browser_and_others_cannot() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN).await;
    let bad = admin
        .post_form(
            "/admin/settings",
            &[("min_members", "5"), ("max_members", "4")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("không lớn hơn tối đa"));
    let good = admin
        .post_form(
            "/admin/settings",
            &[("min_members", "4"), ("max_members", "12")],
        )
        .await;
    assert_eq!(good.status(), StatusCode::SEE_OTHER);
    let rules = app.store.team_rules(PROVINCE).await.unwrap();
    assert_eq!((rules.min_members, rules.max_members), (4, 12));
    app.add_user("lanhdao", "viewer", None).await;
    let viewer = app.sign_in("lanhdao").await;
    let refused = viewer
        .post_form(
            "/admin/settings",
            &[("min_members", "1"), ("max_members", "30")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let log = admin
        .get("/admin/audit?kind=settings")
        .await
        .text()
        .await
        .unwrap();
    assert!(log.contains("1 thay đổi") && log.contains("Đổi quy định số thành viên"));
}

#[tokio::test]
async fn a_password_change_or_reset_ends_the_accounts_api_tokens_too() {
    let app = spawn_app().await;
    app.add_user("hoa", "commune_officer", Some(XUAN_BINH))
        .await;
    let script = app.token_client_for("hoa").await;
    assert_eq!(
        script
            .get(app.url("/api/v1/teams"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let hoa = app.sign_in("hoa").await;
    let changed = hoa
        .post_form(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("password", "một mật khẩu mới dài"),
                ("confirm", "một mật khẩu mới dài"),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        script
            .get(app.url("/api/v1/teams"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED,
        "whoever held the old password may have made the token"
    );
    let script = app.token_client_for("hoa").await;
    let user = app.store.user_by_username("hoa").await.unwrap();
    let reset = app
        .post_form(
            &format!("/admin/users/{}/password", user.id),
            &[("password", "mật khẩu do quản trị đặt")],
        )
        .await;
    assert_eq!(reset.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        script
            .get(app.url("/api/v1/teams"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let account = hoa.get("/account").await;
    assert_eq!(
        account.status(),
        StatusCode::SEE_OTHER,
        "her sessions ended as well"
    );
}

#[tokio::test]
async fn an_account_keeps_one_file_waiting_for_import_at_a_time() {
    let app = spawn_app().await;
    let session = app.sign_in(ADMIN).await;
    let upload = |name: &'static str| {
        let form = reqwest::multipart::Form::new()
            .text("csrf", session.csrf.clone())
            .part(
                "file",
                reqwest::multipart::Part::bytes(crate::import_export::messy_workbook())
                    .file_name(name),
            );
        session
            .client
            .post(session.url("/import"))
            .multipart(form)
            .send()
    };
    let first = upload("mot.xlsx").await.unwrap().text().await.unwrap();
    let second = upload("hai.xlsx").await.unwrap().text().await.unwrap();
    let apply = |page: &str| {
        let start = page.find("action=\"/import/").unwrap() + 8;
        page[start..start + page[start..].find('"').unwrap()].to_string()
    };
    let stale = session.post_form(&apply(&first), &[]).await;
    assert_eq!(
        stale.status(),
        StatusCode::NOT_FOUND,
        "the earlier file was replaced by the later one"
    );
    assert!(stale
        .text()
        .await
        .unwrap()
        .contains("đã thay bằng tệp khác"));
    assert_eq!(
        session.post_form(&apply(&second), &[]).await.status(),
        StatusCode::OK
    );
}
