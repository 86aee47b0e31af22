//! One running application per test, with one helper per endpoint.

use cnscd_store::Store;
use cnscd_web::{router, AppState};
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

pub struct TestApp {
    pub address: String,
    pub store: Store,
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
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = fresh_database(&dir).await;
    let store = Store::open(&database_url).await.expect("open store");
    store.preload_units().await.expect("preload units");
    let state = AppState::new(store.clone(), PROVINCE)
        .await
        .expect("working province");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        axum::serve(listener, router(state)).await.expect("serve");
    });
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp {
        address,
        store,
        client,
        _dir: dir,
    }
}

impl TestApp {
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

    pub async fn members_of(&self, team_id: i64) -> Vec<Value> {
        self.get_json(&format!("/api/v1/teams/{team_id}/members"))
            .await
            .as_array()
            .expect("array")
            .clone()
    }
}

/// The error body's field errors as (field, code) pairs.
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
