//! One running application per test, with one helper per endpoint.

use cnscd_domain::account::AccountDraft;
pub use cnscd_domain::clock::Clock;
use cnscd_store::{Actor, Store, User};
use cnscd_web::{AppState, ServeLimits, WebSettings};
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU32, Ordering};

pub const PROVINCE: &str = "38";
/// Xã Xuân Bình, Thanh Hóa.
pub const XUAN_BINH: &str = "16177";
/// Phường Hạc Thành, Thanh Hóa.
pub const HAC_THANH: &str = "14797";
/// Phường Hoàn Kiếm, Hà Nội: outside the working province.
pub const HOAN_KIEM: &str = "00070";

/// The province admin every test app starts with; its API token is the default client's.
pub const ADMIN: &str = "admin";
/// The password of every account the tests create.
pub const PASSWORD: &str = "mây trắng bay 2025";

pub struct TestApp {
    pub address: String,
    pub database_url: String,
    pub store: Store,
    /// Sends the admin's API token with every request.
    pub client: Client,
    _dir: tempfile::TempDir,
}

static DATABASE_COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh database URL: a new PostgreSQL database when `CNSCD_TEST_DATABASE_URL` is set, else a SQLite file.
pub async fn fresh_database(dir: &tempfile::TempDir) -> String {
    match std::env::var("CNSCD_TEST_DATABASE_URL") {
        Ok(server) if !server.is_empty() => {
            let name = format!(
                "cnscd_test_{}_{}_{}",
                std::process::id(),
                DATABASE_COUNTER.fetch_add(1, Ordering::SeqCst),
                chrono::Utc::now().timestamp_micros() % 1_000_000
            );
            use sqlx::Connection;
            let mut admin = sqlx::PgConnection::connect(&server)
                .await
                .expect("PostgreSQL test server reachable");
            sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str())
                .await
                .expect("create test database");
            let base = server
                .rsplit_once('/')
                .map(|(base, _)| base)
                .unwrap_or(&server);
            format!("{base}/{name}")
        }
        _ => format!("sqlite://{}", dir.path().join("cnscd.db").display()),
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(WebSettings::default()).await
}

/// A client that sends an API token with every request.
pub fn token_client(token: &str) -> Client {
    let mut headers = HeaderMap::new();
    headers.insert(
        AUTHORIZATION,
        HeaderValue::from_str(&format!("Bearer {token}")).expect("header"),
    );
    Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

pub async fn spawn_app_with(settings: WebSettings) -> TestApp {
    spawn_app_with_clock(settings, Clock::system()).await
}

/// An application whose time is `clock`'s: tests move a manual clock instead of sleeping.
pub async fn spawn_app_with_clock(settings: WebSettings, clock: Clock) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = fresh_database(&dir).await;
    let store = Store::open(&database_url)
        .await
        .expect("open store")
        .with_clock(clock.clone());
    store.preload_units().await.expect("preload units");
    let admin = create_account(&store, PROVINCE, ADMIN, "province_admin", None).await;
    let (_, token) = store
        .create_api_token(&admin, "tests", &Actor::command_line())
        .await
        .expect("token");
    let address = serve(store.clone(), settings).await;
    let client = token_client(&token);
    TestApp {
        address,
        database_url,
        store,
        client,
        _dir: dir,
    }
}

/// Serves the application over `store` on a free port; returns its base address.
pub async fn serve(store: Store, settings: WebSettings) -> String {
    serve_with_limits(store, settings, ServeLimits::default()).await
}

/// The same within given connection limits.
pub async fn serve_with_limits(store: Store, settings: WebSettings, limits: ServeLimits) -> String {
    let state = AppState::new(store, settings);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        cnscd_web::serve(listener, state, limits, std::future::pending())
            .await
            .expect("serve");
    });
    address
}

pub async fn create_account(
    store: &Store,
    province: &str,
    username: &str,
    role: &str,
    commune: Option<&str>,
) -> User {
    let account = AccountDraft {
        username: username.into(),
        full_name: format!("Người dùng {username}"),
        role: role.into(),
        commune_code: commune.unwrap_or_default().into(),
        phone: String::new(),
        email: String::new(),
        password: PASSWORD.into(),
    }
    .validate()
    .expect("valid account");
    let user = store
        .create_user(province, &account, &Actor::command_line())
        .await
        .expect("create account");
    // As if its owner had already replaced the password an admin gave her.
    store
        .set_password(user.id, PASSWORD, &user.actor("127.0.0.1"))
        .await
        .expect("own password");
    store.user(user.id).await.expect("account")
}

/// A browser-like client signed in with a session cookie; it knows its session's CSRF token.
pub struct Session {
    pub address: String,
    pub client: Client,
    pub csrf: String,
}

/// The value of the first hidden `csrf` field of a page.
pub fn csrf_of(page: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = page.find(marker).expect("csrf field") + marker.len();
    page[start..start + page[start..].find('"').unwrap()].to_string()
}

impl Session {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// Posts a form with the session's CSRF token, as the pages' forms do.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let mut fields = fields.to_vec();
        fields.push(("csrf", &self.csrf));
        self.client
            .post(self.url(path))
            .form(&fields)
            .send()
            .await
            .expect("request")
    }
}

impl TestApp {
    /// Creates an account of the working province with [`PASSWORD`].
    pub async fn add_user(&self, username: &str, role: &str, commune: Option<&str>) -> User {
        create_account(&self.store, PROVINCE, username, role, commune).await
    }

    /// A client sending a new API token of the account.
    pub async fn token_client_for(&self, username: &str) -> Client {
        let user = self.store.user_by_username(username).await.expect("user");
        let (_, token) = self
            .store
            .create_api_token(&user, "tests", &Actor::command_line())
            .await
            .expect("token");
        token_client(&token)
    }

    /// Opens the sign-in form and posts it, as a browser does (the client must keep cookies); returns the
    /// answer (303 on success, with the session cookie).
    pub async fn try_sign_in(&self, client: &Client, username: &str, password: &str) -> Response {
        sign_in_at(client, &self.address, username, password, &[]).await
    }

    /// Signs in through the form, as a browser does.
    pub async fn sign_in(&self, username: &str) -> Session {
        self.sign_in_with(username, PASSWORD).await
    }

    /// Signs in with a given password.
    pub async fn sign_in_with(&self, username: &str, password: &str) -> Session {
        let client = Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let answer = self.try_sign_in(&client, username, password).await;
        assert_eq!(
            answer.status(),
            StatusCode::SEE_OTHER,
            "signed in as {username}"
        );
        let page = client
            .get(self.url("/account"))
            .send()
            .await
            .expect("request")
            .text()
            .await
            .expect("page");
        Session {
            address: self.address.clone(),
            client,
            csrf: csrf_of(&page),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.json().await.expect("json")
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn put_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .put(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.client
            .delete(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .expect("request")
    }

    /// Creates a team with a leader through the API and returns the created team.
    pub async fn create_team(&self, commune: &str, name: &str, leader: &str, phone: &str) -> Value {
        let response = self
            .post_json(
                "/api/v1/teams",
                &json!({"commune_code": commune, "name": name, "leader": {"full_name": leader, "phone": phone}}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "create team {name}");
        response.json::<Value>().await.expect("json")["team"].clone()
    }

    /// Adds a member through the API; returns the response for the test to inspect.
    pub async fn add_member(
        &self,
        team_id: i64,
        full_name: &str,
        role: &str,
        phone: &str,
    ) -> Response {
        self.post_json(
            &format!("/api/v1/teams/{team_id}/members"),
            &json!({"full_name": full_name, "role": role, "phone": phone}),
        )
        .await
    }

    /// The entries recording `action` among the latest 500 of the province's log (or of one commune's),
    /// newest first.
    pub async fn logged(
        &self,
        action: cnscd_store::Action,
        commune: Option<&str>,
    ) -> Vec<cnscd_store::AuditEntry> {
        let filter = cnscd_store::AuditFilter {
            province_code: PROVINCE.into(),
            commune_code: commune.map(str::to_string),
            ..Default::default()
        };
        self.store
            .audit_entries(&filter, cnscd_store::PageRequest::new(Some(1), Some(500)))
            .await
            .expect("the log")
            .items
            .into_iter()
            .filter(|e| e.action == action)
            .collect()
    }

    /// A team's active members as (name, role), in name order.
    pub async fn roles_in(&self, team_id: i64) -> Vec<(String, String)> {
        let mut roles: Vec<(String, String)> = self
            .members_of(team_id)
            .await
            .iter()
            .map(|m| {
                (
                    m["full_name"].as_str().unwrap().into(),
                    m["role"].as_str().unwrap().into(),
                )
            })
            .collect();
        roles.sort();
        roles
    }

    /// A commune's line of the province overview (`/api/v1/overview`).
    pub async fn overview_of(&self, commune: &str) -> Value {
        let overview = self.get_json("/api/v1/overview").await;
        overview["communes"]
            .as_array()
            .expect("communes")
            .iter()
            .find(|c| c["code"] == commune)
            .expect("the commune's line")
            .clone()
    }

    pub async fn members_of(&self, team_id: i64) -> Vec<Value> {
        self.get_json(&format!("/api/v1/teams/{team_id}/members"))
            .await
            .as_array()
            .expect("array")
            .clone()
    }
}

/// The error body's field errors as (field, code) pairs.
/// The JSON answer to a GET sent by `client` (with its own session or token).
pub async fn json_from(client: &Client, url: impl reqwest::IntoUrl) -> Value {
    client
        .get(url)
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("a JSON answer")
}

pub async fn field_errors(response: Response) -> Vec<(String, String)> {
    let body: Value = response.json().await.expect("json error body");
    body["error"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Opens the sign-in form at `base` and posts it with its CSRF token and any extra headers.
pub async fn sign_in_at(
    client: &Client,
    base: &str,
    username: &str,
    password: &str,
    headers: &[(&str, &str)],
) -> Response {
    let with_headers = |mut request: reqwest::RequestBuilder| {
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request
    };
    let form = with_headers(client.get(format!("{base}/login")))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("page");
    let token = csrf_of(&form);
    with_headers(client.post(format!("{base}/login")))
        .form(&[
            ("username", username),
            ("password", password),
            ("next", "/"),
            ("csrf", &token),
        ])
        .send()
        .await
        .expect("request")
}

/// A deadline `days` from now (RFC 3339): rounds are opened with deadlines still to come.
pub fn days_ahead(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days)).to_rfc3339()
}

/// The default indicators' codes, in the catalogue's order.
pub const INDICATORS: [&str; 8] = [
    "public_services",
    "online_shopping",
    "other_platforms",
    "business_support",
    "cashless_payments",
    "cyber_safety",
    "vneid_activated",
    "sessions_held",
];

impl TestApp {
    /// Saves a commune's figures (with a line of results) and submits them, as the province admin.
    pub async fn submit_report(&self, round: i64, commune: &str, figures: Value) {
        let path = format!("/api/v1/rounds/{round}/reports/{commune}");
        let body = json!({"figures": figures, "narrative": {"results": "Tốt"}});
        let saved = self.put_json(&path, &body).await;
        assert_eq!(saved.status(), StatusCode::OK, "save {path}");
        let submitted = self.post_json(&format!("{path}/submit"), &json!({})).await;
        assert_eq!(submitted.status(), StatusCode::OK, "submit {path}");
    }

    /// Opens a round through the API as the province admin; returns its id.
    pub async fn open_round(&self, body: Value) -> i64 {
        let response = self.post_json("/api/v1/rounds", &body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "open round {body}");
        let round: Value = response.json().await.expect("json");
        round["id"].as_i64().expect("id")
    }
}
