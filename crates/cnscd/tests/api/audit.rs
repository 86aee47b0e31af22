//! The audit log: written with every change in its transaction, absent when the change rolls back, never
//! editable, browsable and exportable by admins, shown as history on team and member pages.

use crate::helpers::*;
use cnscd_store::{AuditFilter, ObjectKind, PageRequest};
use reqwest::StatusCode;
use serde_json::json;

async fn entries(app: &TestApp, kind: Option<ObjectKind>) -> Vec<cnscd_store::AuditEntry> {
    let filter = AuditFilter {
        province_code: PROVINCE.into(),
        object_kind: kind,
        ..Default::default()
    };
    app.store
        .audit_entries(&filter, PageRequest::new(Some(1), Some(500)))
        .await
        .unwrap()
        .items
}

#[tokio::test]
async fn every_change_records_who_where_and_the_values_before_and_after() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await;
    let renamed = app
        .put_json(
            &format!("/api/v1/teams/{}", team["id"]),
            &json!({"name": "Tổ thôn Đông", "version": 1}),
        )
        .await;
    assert_eq!(renamed.status(), StatusCode::OK);
    let member = app.members_of(team["id"].as_i64().unwrap()).await[0].clone();
    let edited = app
        .put_json(
            &format!("/api/v1/members/{}", member["id"]),
            &json!({"full_name": "Nguyễn Văn An", "role": "leader", "phone": "0987 654 321", "version": 1}),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);

    let teams = entries(&app, Some(ObjectKind::Team)).await;
    let actions: Vec<&str> = teams.iter().map(|e| e.action.code()).collect();
    assert_eq!(actions, ["team.update", "team.create"], "newest first");
    let update = &teams[0];
    assert_eq!(update.username, ADMIN);
    assert_eq!(update.address, "127.0.0.1");
    assert_eq!(update.commune_code.as_deref(), Some(XUAN_BINH));
    assert_eq!(update.object_id, team["id"].to_string());
    let changes = update.changes();
    assert_eq!(changes.len(), 1, "only what changed: {changes:?}");
    assert_eq!(
        (
            changes[0].field.as_str(),
            changes[0].before.as_str(),
            changes[0].after.as_str()
        ),
        ("name", "Tổ thôn 1", "Tổ thôn Đông")
    );
    let phone = &entries(&app, Some(ObjectKind::Member)).await[0];
    assert_eq!(phone.action.code(), "member.update");
    assert_eq!(phone.team_id, team["id"].as_i64());
    let change = &phone.changes()[0];
    assert_eq!(
        (
            change.field.as_str(),
            change.before.as_str(),
            change.after.as_str()
        ),
        ("phone", "0914994123", "0987654321")
    );
}

#[tokio::test]
async fn a_change_that_fails_or_rolls_back_leaves_no_entry() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await;
    let before = entries(&app, None).await.len();
    let second_leader = app
        .add_member(team["id"].as_i64().unwrap(), "Lê Văn Bình", "leader", "")
        .await;
    assert_eq!(second_leader.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let stale = app
        .put_json(
            &format!("/api/v1/teams/{}", team["id"]),
            &json!({"name": "Tổ cũ", "version": 7}),
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    assert_eq!(entries(&app, None).await.len(), before);

    // An import's preview does the whole replacement, records it, and rolls everything back.
    let session = app.sign_in(ADMIN).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", session.csrf.clone())
        .part(
            "file",
            reqwest::multipart::Part::bytes(crate::import_export::messy_workbook())
                .file_name("xuan-binh.xlsx"),
        );
    let preview = session
        .client
        .post(session.url("/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(preview.status(), StatusCode::OK);
    let page = preview.text().await.unwrap();
    assert!(entries(&app, Some(ObjectKind::Commune)).await.is_empty());
    // What it would have changed is gone; that the file was previewed, by whom, is kept.
    let previews = entries(&app, Some(ObjectKind::Import)).await;
    assert_eq!(previews.len(), 1);
    assert_eq!(previews[0].action.code(), "import.preview");
    assert_eq!(
        previews[0].after.as_ref().unwrap()["file"],
        "xuan-binh.xlsx"
    );
    assert_eq!(entries(&app, None).await.len(), before + 1);

    let start = page.find("action=\"/import/").unwrap() + 8;
    let apply = &page[start..start + page[start..].find('"').unwrap()];
    // The file replaces the commune's one team: more than a fifth, so the removal is confirmed.
    let applied = session
        .post_form(apply, &[("confirm_removals", XUAN_BINH)])
        .await;
    assert_eq!(applied.status(), StatusCode::OK);
    let imports = entries(&app, Some(ObjectKind::Commune)).await;
    assert!(imports
        .iter()
        .all(|e| e.action.code() == "roster.import" && e.username == ADMIN));
    let xuan_binh = imports
        .iter()
        .find(|e| e.object_id == XUAN_BINH)
        .expect("one entry per commune imported");
    assert_eq!(xuan_binh.before.as_ref().unwrap()["teams"], "1");
    assert_ne!(xuan_binh.before, xuan_binh.after);
}

#[tokio::test]
async fn nobody_can_edit_or_delete_entries() {
    use sqlx::Connection;
    let app = spawn_app().await;
    app.create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await;
    let count = entries(&app, None).await.len();
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&app.database_url)
        .await
        .unwrap();
    for statement in [
        "UPDATE audit_log SET username = 'ai đó'",
        "DELETE FROM audit_log",
    ] {
        let refused = sqlx::query(statement).execute(&mut conn).await;
        assert!(refused.is_err(), "{statement} must be refused");
    }
    let after = entries(&app, None).await;
    assert_eq!(after.len(), count);
    assert!(after.iter().all(|e| e.username != "ai đó"));
    // And the application has no route that would.
    for (method, path) in [
        (reqwest::Method::DELETE, "/admin/audit"),
        (reqwest::Method::POST, "/admin/audit"),
    ] {
        let answer = app
            .client
            .request(method, app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::METHOD_NOT_ALLOWED);
    }
}

#[tokio::test]
async fn admins_filter_and_export_the_log_and_pages_show_their_history() {
    let app = spawn_app().await;
    let own = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await;
    app.create_team(HAC_THANH, "Tổ dân phố 1", "Lê Văn Bình", "0914994124")
        .await;
    app.add_user("hoa.xuanbinh", "commune_officer", Some(XUAN_BINH))
        .await;
    let hoa = app.token_client_for("hoa.xuanbinh").await;
    let renamed = hoa
        .put(app.url(&format!("/api/v1/teams/{}", own["id"])))
        .json(&json!({"name": "Tổ thôn Đông", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), StatusCode::OK);

    let admin = app.sign_in(ADMIN).await;
    let by_user = admin
        .get("/admin/audit?user=hoa.xuanbinh&kind=team")
        .await
        .text()
        .await
        .unwrap();
    assert!(by_user.contains("1 thay đổi") && by_user.contains("Tổ thôn Đông"));
    let by_commune = admin
        .get(&format!("/admin/audit?commune={HAC_THANH}&kind=team"))
        .await
        .text()
        .await
        .unwrap();
    assert!(by_commune.contains("1 thay đổi") && by_commune.contains("Tổ dân phố 1"));
    let future = admin
        .get("/admin/audit?from=01/01/2099")
        .await
        .text()
        .await
        .unwrap();
    assert!(future.contains("0 thay đổi"));
    let bad_date = admin.get("/admin/audit?from=32/13/2026").await;
    assert_eq!(bad_date.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let csv = admin
        .get("/admin/audit.csv?user=hoa.xuanbinh&kind=team")
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("nhat-ky"));
    let csv = csv.text().await.unwrap();
    assert_eq!(csv.lines().count(), 2, "a header and one entry: {csv}");
    assert!(csv.contains("team.update") && csv.contains("Tổ thôn Đông"));

    let team_page = admin
        .get(&format!("/teams/{}", own["id"]))
        .await
        .text()
        .await
        .unwrap();
    assert!(team_page.contains("Lịch sử thay đổi"));
    assert!(team_page.contains("hoa.xuanbinh") && team_page.contains("Sửa tổ"));
    assert!(
        team_page.contains("Thêm thành viên"),
        "its members' changes too"
    );
    assert!(
        team_page.contains("Chức vụ/vai trò: Tổ trưởng"),
        "values read as the forms show them, not as stored codes"
    );
    let member = app.members_of(own["id"].as_i64().unwrap()).await[0].clone();
    let member_page = admin
        .get(&format!("/members/{}/edit", member["id"]))
        .await
        .text()
        .await
        .unwrap();
    assert!(member_page.contains("Thêm thành viên") && member_page.contains(ADMIN));
}
