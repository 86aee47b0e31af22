//! The officer's everyday path has no dead ends: what she needs is offered, what she may not do is not shown,
//! lists are in the order people count, and every page speaks in names.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn page(session: &Session, path: &str) -> String {
    let response = session.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

/// Where each text first appears in a page, to check their order.
fn positions(text: &str, items: &[&str]) -> Vec<usize> {
    items
        .iter()
        .map(|item| text.find(item).unwrap_or_else(|| panic!("{item} missing")))
        .collect()
}

fn ascending(positions: &[usize]) -> bool {
    positions.windows(2).all(|w| w[0] < w[1])
}

#[tokio::test]
async fn search_finds_a_member_by_phone_however_it_is_written() {
    let app = spawn_app().await;
    app.create_team(XUAN_BINH, "Tổ thôn Đông", "Nguyễn Thị Lan", "0912345678")
        .await;
    for query in [
        "0912.345.678",
        "+84 912 345 678",
        "84912345678",
        "0912-345-678",
    ] {
        let found = app
            .get_json(&format!("/api/v1/search?q={}", urlencoding(query)))
            .await;
        let names: Vec<&str> = found["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["full_name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Nguyễn Thị Lan"], "{query}");
    }
    let admin = app.sign_in(ADMIN).await;
    let results = page(&admin, "/search?q=%2B84%20912%20345%20678").await;
    assert!(results.contains("Nguyễn Thị Lan"), "{results}");
}

fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'-' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn numbered_teams_are_in_counting_order_on_pages_forms_and_exports() {
    let app = spawn_app().await;
    for (name, phone) in [
        ("Tổ thôn 10", "0912000010"),
        ("Tổ thôn 2", "0912000002"),
        ("Tổ thôn 1", "0912000001"),
    ] {
        app.create_team(XUAN_BINH, name, "Lê Văn An", phone).await;
    }
    let order = ["Tổ thôn 1<", "Tổ thôn 2<", "Tổ thôn 10<"];
    let admin = app.sign_in(ADMIN).await;
    let commune = page(&admin, &format!("/communes/{XUAN_BINH}")).await;
    assert!(ascending(&positions(&commune, &order)), "commune page");
    let form = page(&admin, &format!("/communes/{XUAN_BINH}/decisions/new")).await;
    let in_form = [
        " Tổ thôn 1</label>",
        " Tổ thôn 2</label>",
        " Tổ thôn 10</label>",
    ];
    assert!(ascending(&positions(&form, &in_form)), "decision form");
    let export: Value = admin
        .get(&format!("/export?commune={XUAN_BINH}&format=json"))
        .await
        .json()
        .await
        .unwrap();
    let text = export.to_string();
    assert!(
        ascending(&positions(
            &text,
            &["\"Tổ thôn 1\"", "\"Tổ thôn 2\"", "\"Tổ thôn 10\""]
        )),
        "export"
    );
}

#[tokio::test]
async fn an_unknown_address_gets_the_applications_own_page_with_its_menu() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN).await;
    let response = admin.get("/khong-co-trang-nay").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body = response.text().await.unwrap();
    assert!(body.contains("Không tìm thấy trang"), "{body}");
    assert!(
        body.contains("action=\"/logout\"") && body.contains("href=\"/import\""),
        "the menu is there"
    );
}

#[tokio::test]
async fn the_decision_form_ticks_its_team_refuses_none_and_links_an_existing_number() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn Đông", "Nguyễn Văn An", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    let other = app
        .create_team(XUAN_BINH, "Tổ thôn Tây", "Lê Văn Bình", "0914994124")
        .await["id"]
        .as_i64()
        .unwrap();
    let admin = app.sign_in(ADMIN).await;
    let form = page(
        &admin,
        &format!("/communes/{XUAN_BINH}/decisions/new?team={team}"),
    )
    .await;
    assert!(
        form.contains(&format!("value=\"{team}\" checked")),
        "opened from the team, it is ticked"
    );
    assert!(!form.contains(&format!("value=\"{other}\" checked")));

    let path = format!("/communes/{XUAN_BINH}/decisions/new");
    let fields = [
        ("number", "01/QĐ-UBND"),
        ("signed_on", "10/07/2025"),
        ("kind", "establish"),
    ];
    let none = admin.post_form(&path, &fields).await;
    assert_eq!(none.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none
        .text()
        .await
        .unwrap()
        .contains("Hãy chọn ít nhất một tổ"));
    assert!(app
        .get_json(&format!("/api/v1/decisions?commune={XUAN_BINH}"))
        .await
        .as_array()
        .unwrap()
        .is_empty());

    let team_id = team.to_string();
    let mut with_team = fields.to_vec();
    with_team.push(("team_ids", &team_id));
    let first = admin.post_form(&path, &with_team).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let decision = app
        .get_json(&format!("/api/v1/decisions?commune={XUAN_BINH}"))
        .await[0]["id"]
        .as_i64()
        .unwrap();
    let again = admin.post_form(&path, &with_team).await;
    assert!(again.status().is_client_error());
    let again = again.text().await.unwrap();
    assert!(
        again.contains("id=\"existing-decision\"")
            && again.contains(&format!("href=\"/decisions/{decision}/edit\"")),
        "{again}"
    );
}

#[tokio::test]
async fn after_a_password_change_the_sign_in_page_says_it_worked() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN).await;
    let changed = admin
        .post_form(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("password", "sông núi xanh biếc 2026"),
                ("confirm", "sông núi xanh biếc 2026"),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    let next = changed.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(next, "/login?changed=1");
    let login = admin.get(&next).await.text().await.unwrap();
    assert!(login.contains("id=\"password-changed\"") && login.contains("Đã đổi mật khẩu"));
}

#[tokio::test]
async fn histories_and_the_audit_file_speak_in_names() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn Đông", "Nguyễn Văn An", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    let lan: Value = app
        .add_member(team, "Nguyễn Thị Lan", "member", "0912345678")
        .await
        .json()
        .await
        .unwrap();
    let lan = lan["member"]["id"].as_i64().or(lan["id"].as_i64()).unwrap();
    let version = app.get_json(&format!("/api/v1/members/{lan}")).await["version"].clone();
    let left = app
        .delete(&format!("/api/v1/members/{lan}?version={version}"))
        .await;
    assert!(left.status().is_success(), "{}", left.text().await.unwrap());
    let admin = app.sign_in(ADMIN).await;
    let history = page(&admin, &format!("/teams/{team}")).await;
    assert!(history.contains("Nguyễn Thị Lan"), "{history}");
    assert!(history.contains("Thành viên rời tổ"), "the action in words");
    let audit = page(&admin, "/admin/audit.csv").await;
    assert!(
        audit.contains("Xã Xuân Bình") && audit.contains("Tổ thôn Đông"),
        "{audit}"
    );
    assert!(
        audit.contains("Nguyễn Thị Lan") && audit.contains("0912 345 678"),
        "{audit}"
    );
    assert!(
        !audit.contains("mã 16177") && !audit.contains("team_id"),
        "{audit}"
    );
}

#[tokio::test]
async fn an_officer_is_offered_her_own_export_and_the_blank_template_and_nothing_of_the_province() {
    let app = spawn_app().await;
    app.create_team(XUAN_BINH, "Tổ thôn Đông", "Nguyễn Văn An", "0914994123")
        .await;
    app.add_user("hoa.xuanbinh", "commune_officer", Some(XUAN_BINH))
        .await;
    let officer = app.sign_in("hoa.xuanbinh").await;
    let import = page(&officer, "/import").await;
    assert!(import.contains(&format!("/export?format=xlsx&amp;commune={XUAN_BINH}")));
    assert!(import.contains("href=\"/static/mau-danh-sach-to-cnscd.xlsx\""));
    assert!(!import.contains("Cả tỉnh") && !import.contains("href=\"/export?format=xlsx\""));
    assert!(!import.contains("href=\"/admin/"), "no admin menu");
    let blank = officer.get("/static/mau-danh-sach-to-cnscd.xlsx").await;
    assert_eq!(blank.status(), StatusCode::OK);

    let export = officer
        .get(&format!("/export?format=xlsx&commune={XUAN_BINH}"))
        .await;
    assert_eq!(export.status(), StatusCode::OK);
    let disposition = export.headers()["content-disposition"].to_str().unwrap();
    assert!(
        disposition.contains("danh-sach-to-cnscd-xa-xuan-binh.xlsx"),
        "{disposition}"
    );

    // Her own account page offers no API tokens: those are for province admins' scripts.
    let account = page(&officer, "/account").await;
    assert!(!account.contains("id=\"api-tokens\""));
    let token = officer
        .post_form("/account/tokens", &[("name", "thử")])
        .await;
    assert_eq!(token.status(), StatusCode::FORBIDDEN);
    let admin = app.sign_in(ADMIN).await;
    let account = page(&admin, "/account").await;
    assert!(account.contains("<details class=\"advanced\" id=\"api-tokens\""));
}

#[tokio::test]
async fn phone_fields_open_the_keypad_and_role_changes_ask_first() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn Đông", "Nguyễn Văn An", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    app.add_member(team, "Nguyễn Thị Lan", "member", "0912345678")
        .await;
    let admin = app.sign_in(ADMIN).await;
    let team_page = page(&admin, &format!("/teams/{team}")).await;
    assert!(
        team_page.contains("type=\"tel\" id=\"f-phone\"")
            && team_page.contains("inputmode=\"tel\" autocomplete=\"tel\""),
        "{team_page}"
    );
    assert!(team_page.contains("data-confirm=\"Đặt Nguyễn Thị Lan làm tổ trưởng?"));
}

#[tokio::test]
async fn the_overview_links_its_figures_sorts_and_keeps_missing_phones_apart_from_blocking_problems(
) {
    let app = spawn_app().await;
    // Xuân Bình: a complete team but one member without a phone. Hạc Thành: a team without a decision.
    let complete = app
        .create_team(XUAN_BINH, "Tổ thôn Đông", "Nguyễn Văn An", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    app.add_member(complete, "Nguyễn Thị Lan", "member", "0912345678")
        .await;
    app.add_member(complete, "Trần Văn Ba", "member", "").await;
    let decision = app
        .post_json(
            "/api/v1/decisions",
            &json!({"commune_code": XUAN_BINH, "number": "01/QĐ-UBND", "signed_on": "10/07/2025",
                    "kind": "establish", "team_ids": [complete]}),
        )
        .await;
    assert_eq!(decision.status(), StatusCode::CREATED);
    for phone in ["0914994125", "0914994126"] {
        app.create_team(
            HAC_THANH,
            &format!("Tổ dân phố {}", &phone[9..]),
            "Lê Văn Bình",
            phone,
        )
        .await;
    }
    let admin = app.sign_in(ADMIN).await;
    let overview = page(&admin, "/").await;
    for link in [
        "href=\"/?filter=no_team\"",
        "href=\"/?filter=no_decision&amp;sort=no_decision\"",
        "href=\"/?filter=no_phone&amp;sort=no_phone\"",
    ] {
        assert!(overview.contains(link), "{link}");
    }
    let row = |name: &str| format!(">{name}</a>");
    let blocking = page(&admin, "/?filter=blocking").await;
    assert!(
        !blocking.contains(&row("Xã Xuân Bình")),
        "a missing phone does not block"
    );
    assert!(blocking.contains(&row("Phường Hạc Thành")));
    let no_phone = page(&admin, "/?filter=no_phone").await;
    assert!(
        no_phone.contains(&row("Xã Xuân Bình")) && !no_phone.contains(&row("Phường Hạc Thành"))
    );
    let by_teams = page(&admin, "/?filter=all&sort=teams").await;
    assert!(
        ascending(&positions(
            &by_teams,
            &[&row("Phường Hạc Thành"), &row("Xã Xuân Bình")]
        )),
        "most teams first"
    );
}
