//! Who holds a phone number is personal data: a warning, a page, a preview or an error names another member
//! only to someone who may read that member; to anyone else it says only that the number is used elsewhere.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A member of Hạc Thành holding 0914 994 123, and an officer of Xuân Bình with a team of her own.
async fn neighbours(app: &TestApp) -> (reqwest::Client, i64) {
    app.create_team(HAC_THANH, "Tổ phố 1", "Trần Thị Bí Mật", "0914994123")
        .await;
    let own = app
        .create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994100")
        .await;
    app.add_user("hoa", "commune_officer", Some(XUAN_BINH))
        .await;
    (
        app.token_client_for("hoa").await,
        own["id"].as_i64().unwrap(),
    )
}

#[tokio::test]
async fn a_warning_does_not_name_a_member_the_officer_may_not_read() {
    let app = spawn_app().await;
    let (officer, team) = neighbours(&app).await;
    let added: Value = officer
        .post(app.url(&format!("/api/v1/teams/{team}/members")))
        .json(&json!({"full_name": "Lê Văn Bình", "role": "member", "phone": "0914 994 123"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let warning = &added["warnings"][0];
    let text = warning.to_string();
    assert!(warning["message"]
        .as_str()
        .unwrap()
        .contains("0914 994 123"));
    assert!(text.contains("một tổ khác"), "{text}");
    assert!(
        !text.contains("Bí Mật") && !text.contains("Tổ phố 1") && !text.contains("Hạc Thành"),
        "{text}"
    );
    assert!(warning["member_id"].is_null() && warning["team_id"].is_null());

    // The province admin, who may read both communes, is told who it is.
    let admin_view = app
        .add_member(team, "Phạm Văn Cường", "member", "0914994123")
        .await;
    let admin_view: Value = admin_view.json().await.unwrap();
    assert!(admin_view["warnings"]
        .to_string()
        .contains("Trần Thị Bí Mật (Tổ phố 1, Phường Hạc Thành)"));

    // The team page shows the officer the same discretion.
    let page = app
        .sign_in("hoa")
        .await
        .get(&format!("/teams/{team}"))
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains("một tổ khác"));
    assert!(!page.contains("Bí Mật") && !page.contains("Hạc Thành"));
}

#[tokio::test]
async fn another_provinces_admin_is_not_told_who_holds_a_number() {
    let app = spawn_app().await;
    app.create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await;
    create_account(&app.store, "01", "admin.hanoi", "province_admin", None).await;
    let hanoi = app.token_client_for("admin.hanoi").await;
    let created: Value = hanoi
        .post(app.url("/api/v1/teams"))
        .json(&json!({"commune_code": HOAN_KIEM, "name": "Tổ phố 1",
                      "leader": {"full_name": "Lê Văn Hà", "phone": "0914994123"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let text = created["warnings"].to_string();
    assert!(text.contains("một tổ khác"), "{text}");
    assert!(
        !text.contains("Nguyễn Văn An") && !text.contains("Xuân Bình"),
        "{text}"
    );
}

#[tokio::test]
async fn an_import_preview_does_not_name_members_of_other_communes() {
    let app = spawn_app().await;
    let (_, _) = neighbours(&app).await;
    let session = app.sign_in("hoa").await;
    let csv = "TT,Tên Phường\\xã,Tên Tổ,Số Quyết định,Họ tên thành viên,Chức vụ trong tổ,Số điện thoại liên hệ,Ghi chú\n\
               1,Xã Xuân Bình,Thôn 1,01/QĐ-UBND ngày 10/7/2025,Lê Văn An,Tổ trưởng,0914994123,\n";
    let form = reqwest::multipart::Form::new()
        .text("csrf", session.csrf.clone())
        .part(
            "file",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("xb.csv"),
        );
    let answer = session
        .client
        .post(session.url("/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let page = answer.text().await.unwrap();
    assert!(
        page.contains("phone_duplicate") || page.contains("một tổ khác"),
        "{page}"
    );
    assert!(
        !page.contains("Bí Mật") && !page.contains("Hạc Thành"),
        "{page}"
    );
}

#[tokio::test]
async fn nothing_a_signed_in_account_sees_is_kept_by_the_browser() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn Đông", "Nguyễn Văn An", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    let admin = app.sign_in(ADMIN).await;
    for path in [
        format!("/teams/{team}"),
        format!("/communes/{XUAN_BINH}"),
        "/search?q=nguyen".to_string(),
        format!("/export?commune={XUAN_BINH}&format=xlsx"),
        "/khong-co".to_string(),
    ] {
        let answer = admin.get(&path).await;
        assert_eq!(
            answer.headers()["cache-control"],
            "no-store, private",
            "{path}"
        );
    }
    let api = app.get(&format!("/api/v1/teams/{team}")).await;
    assert_eq!(api.headers()["cache-control"], "no-store, private");
}

/// The overview is kept between changes: read first by one province, it must still answer every other caller
/// with their own province, or nothing.
#[tokio::test]
async fn the_kept_overview_answers_each_caller_with_their_own_province() {
    let app = spawn_app().await;
    create_account(&app.store, "01", "admin.hanoi", "province_admin", None).await;
    let hanoi = app.token_client_for("admin.hanoi").await;
    app.create_team(XUAN_BINH, "Tổ thôn 1", "Nguyễn Văn An", "0914994123")
        .await;
    // Nothing changes between the two readings: Hà Nội's comes while Thanh Hóa's is kept.
    let thanh_hoa = app.get_json("/api/v1/overview").await;
    assert_eq!(thanh_hoa["province_name"], "Thanh Hóa");
    let seen: Value = json_from(&hanoi, app.url("/api/v1/overview")).await;
    assert_eq!(seen["province_name"], "Thành phố Hà Nội");
    assert_eq!(seen["totals"]["teams"], 0);
    assert!(!seen.to_string().contains("Xuân Bình"));
    let page = hanoi.get(app.url("/")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(!page.text().await.unwrap().contains("Xuân Bình"));
    // Thanh Hóa's officer is sent to her commune; the overview API refuses her.
    app.add_user("hoa", "commune_officer", Some(XUAN_BINH))
        .await;
    let officer = app.token_client_for("hoa").await;
    let refused = officer
        .get(app.url("/api/v1/overview"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(!refused.text().await.unwrap().contains("Xuân Bình"));
}
