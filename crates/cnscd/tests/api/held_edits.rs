//! A hand edit saved while an import (or its undo) is being applied, on PostgreSQL. The edit is held open in
//! its own transaction, as the server's edit holds it (its team locked, the member updated), the import is
//! sent, and the edit commits only once the import waits for a lock: the import must then read the edit and
//! not write over it. A change caught in a cycle of locks is cancelled by PostgreSQL: a 409 that says to try
//! again, not a server error. SQLite has one writer at a time; its side is
//! `two_servers_and_a_cli_import_on_one_database_wait_their_turn`.

use crate::helpers::*;
use reqwest::StatusCode;
use sqlx::{Executor, PgPool, Postgres, Transaction};

const HAND_PHONE: &str = "0914994188";

/// Thôn 1 of Xuân Bình registered with Nguyễn Văn An as leader under another phone than the messy workbook's;
/// returns (team id, member id).
async fn registered_thon_1(app: &TestApp) -> (i64, i64) {
    let team = app
        .create_team(XUAN_BINH, "Thôn 1", "Nguyễn Văn An", "0914994199")
        .await;
    let team_id = team["id"].as_i64().unwrap();
    let member_id = app.members_of(team_id).await[0]["id"].as_i64().unwrap();
    (team_id, member_id)
}

/// The member's phone changed by hand, not yet committed: the edit's transaction, holding its locks.
async fn hold_hand_edit(
    pool: &PgPool,
    team_id: i64,
    member_id: i64,
) -> Transaction<'static, Postgres> {
    let mut edit = pool.begin().await.unwrap();
    sqlx::query("SELECT id FROM teams WHERE id = $1 FOR UPDATE")
        .bind(team_id)
        .fetch_one(&mut *edit)
        .await
        .unwrap();
    let done = sqlx::query(
        "UPDATE members SET phone = $1, version = version + 1 WHERE id = $2 RETURNING version",
    )
    .bind(HAND_PHONE)
    .bind(member_id)
    .fetch_all(&mut *edit)
    .await
    .unwrap();
    assert_eq!(done.len(), 1);
    edit
}

/// Waits until another connection to this database waits for a lock (the request sent meanwhile has reached
/// the held edit).
async fn until_someone_waits(pool: &PgPool) {
    for _ in 0..600 {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        if waiting > 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the request never reached the held edit");
}

/// Posts a form from a task of its own, so that the test can act while the request waits for a lock.
fn post_meanwhile(
    app: &TestApp,
    url: String,
    fields: Vec<(&'static str, String)>,
) -> tokio::task::JoinHandle<(StatusCode, String)> {
    let client = app.client.clone();
    tokio::spawn(async move {
        let answer = client.post(url).form(&fields).send().await.unwrap();
        (answer.status(), answer.text().await.unwrap())
    })
}

async fn phone_of(app: &TestApp, team_id: i64) -> String {
    app.members_of(team_id).await[0]["phone"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A pool of its own on the test's PostgreSQL database, or `None` on SQLite (said on the test's output).
async fn postgres(app: &TestApp) -> Option<PgPool> {
    if !app.database_url.starts_with("postgres") {
        eprintln!("skipped on SQLite: one writer at a time, nothing to hold open beside it");
        return None;
    }
    let pool = PgPool::connect(&app.database_url).await.unwrap();
    pool.execute("SELECT 1").await.unwrap();
    Some(pool)
}

#[tokio::test]
async fn an_edit_saved_while_an_import_is_applied_is_read_before_the_import_writes() {
    let app = spawn_app().await;
    let Some(pool) = postgres(&app).await else {
        return;
    };
    let (team_id, member_id) = registered_thon_1(&app).await;
    let (status, page) = crate::safe_import::upload(
        &app,
        "xuan-binh.xlsx",
        crate::import_export::messy_workbook(),
        "replace",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let plan = crate::safe_import::seen_plan(&page);
    let apply = app.url(&crate::safe_import::apply_path(&page));

    let edit = hold_hand_edit(&pool, team_id, member_id).await;
    let import = post_meanwhile(&app, apply, vec![("plan", plan)]);
    until_someone_waits(&pool).await;
    edit.commit().await.unwrap();
    let (status, page) = import.await.unwrap();

    // The preview showed An's phone going from 0914994199; it is now the hand edit's, so the preview no longer
    // holds: nothing is written and the new changes are shown.
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(
        page.contains("sổ đã thay đổi từ lúc bạn xem trước"),
        "{page}"
    );
    assert_eq!(phone_of(&app, team_id).await, HAND_PHONE);
    assert!(
        page.contains("0914 994 188"),
        "the new preview shows the edit: {page}"
    );
    // Applied as reviewed again, the import's record keeps the edit as what it found.
    let (status, page) = crate::safe_import::apply(&app, &page, false).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(phone_of(&app, team_id).await, "0914994123");
    let import = app.store.commune_imports(XUAN_BINH, 1).await.unwrap()[0].id;
    let undone = app.post_form(&format!("/imports/{import}/undo"), &[]).await;
    assert!(undone.status().is_redirection() || undone.status().is_success());
    assert_eq!(
        phone_of(&app, team_id).await,
        HAND_PHONE,
        "the undo gives the edit back"
    );
}

#[tokio::test]
async fn an_edit_saved_while_an_import_is_undone_stops_the_undo() {
    let app = spawn_app().await;
    let Some(pool) = postgres(&app).await else {
        return;
    };
    let (team_id, member_id) = registered_thon_1(&app).await;
    let applied = app
        .post_form(&crate::concurrency::previewed_import(&app).await, &[])
        .await;
    assert_eq!(applied.status(), StatusCode::OK);
    assert_eq!(phone_of(&app, team_id).await, "0914994123");
    let import = app.store.commune_imports(XUAN_BINH, 1).await.unwrap()[0].id;

    let edit = hold_hand_edit(&pool, team_id, member_id).await;
    let undone = post_meanwhile(&app, app.url(&format!("/imports/{import}/undo")), vec![]);
    until_someone_waits(&pool).await;
    edit.commit().await.unwrap();
    let (status, page) = undone.await.unwrap();

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(
        page.contains("Nguyễn Văn An"),
        "the refusal names the edited record: {page}"
    );
    assert_eq!(phone_of(&app, team_id).await, HAND_PHONE, "the edit stands");
}

#[tokio::test]
async fn an_import_caught_in_a_cycle_of_locks_is_refused_with_a_message_not_a_server_error() {
    let app = spawn_app().await;
    let Some(pool) = postgres(&app).await else {
        return;
    };
    let (team_id, _) = registered_thon_1(&app).await;
    let apply = app.url(&crate::concurrency::previewed_import(&app).await);
    // Another change holds the commune, and the import (holding the commune's teams) waits for it; that change
    // then waits for a team: PostgreSQL cancels the import, which waited first.
    let mut other = pool.begin().await.unwrap();
    // This side never looks for the cycle itself (as superuser, which the tests' server gives), so that the
    // import, which checks after PostgreSQL's default second, is the one cancelled however slow the machine.
    sqlx::query("SET LOCAL deadlock_timeout = '10min'")
        .execute(&mut *other)
        .await
        .unwrap();
    sqlx::query("SELECT code FROM communes WHERE code = $1 FOR UPDATE")
        .bind(XUAN_BINH)
        .fetch_one(&mut *other)
        .await
        .unwrap();
    let import = post_meanwhile(&app, apply, vec![]);
    until_someone_waits(&pool).await;
    sqlx::query("SELECT id FROM teams WHERE id = $1 FOR UPDATE")
        .bind(team_id)
        .fetch_one(&mut *other)
        .await
        .expect("the other change goes on once the import is cancelled");
    other.rollback().await.unwrap();
    let (status, page) = import.await.unwrap();
    assert_eq!(status, StatusCode::CONFLICT, "{page}");
    assert!(page.contains("Hãy tải lại trang và thử lại"), "{page}");
    assert!(app
        .store
        .commune_imports(XUAN_BINH, 1)
        .await
        .unwrap()
        .is_empty());
}
