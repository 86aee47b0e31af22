//! A wrong file must not cost a commune its registry: what an import removes is listed by name, a large
//! removal needs a confirmation, a team written another way is the same team, a dissolved team comes back
//! with its history, an applied import can be undone, and a commune's own export comes back unchanged.

use crate::helpers::*;
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

const HEADER: &str = "TT,Tên Phường\\xã,Tên Tổ,Số Quyết định,Họ tên thành viên,Chức vụ trong tổ,Số điện thoại liên hệ,Ghi chú\n";

/// Xuân Bình with five teams, each with its leader and one member who joined in 2024.
async fn five_teams(app: &TestApp) -> Vec<i64> {
    let mut ids = Vec::new();
    for (i, name) in [
        "Tổ CNSCĐ thôn Đồng Mới",
        "Thôn Bắc",
        "Thôn Nam",
        "Thôn Đông",
        "Tổ dân phố số 3",
    ]
    .iter()
    .enumerate()
    {
        let team = app
            .create_team(
                XUAN_BINH,
                name,
                &format!("Lê Văn {}", ["An", "Bình", "Cường", "Dũng", "Em"][i]),
                &format!("09149941{i:02}"),
            )
            .await;
        let id = team["id"].as_i64().unwrap();
        let added = app
            .post_json(
                &format!("/api/v1/teams/{id}/members"),
                &json!({"full_name": format!("Trần Thị {}", ["Hoa", "Lan", "Mai", "Nga", "Oanh"][i]),
                        "phone": format!("09149942{i:02}"), "joined_on": "01/03/2024"}),
            )
            .await;
        assert_eq!(added.status(), StatusCode::CREATED);
        ids.push(id);
    }
    ids
}

pub(crate) async fn upload(
    app: &TestApp,
    name: &str,
    bytes: Vec<u8>,
    mode: &str,
) -> (StatusCode, String) {
    let form = reqwest::multipart::Form::new()
        .text("mode", mode.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    let answer = app
        .client
        .post(app.url("/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (answer.status(), answer.text().await.unwrap())
}

pub(crate) fn apply_path(page: &str) -> String {
    let start = page.find("action=\"/import/").expect("an apply form") + 8;
    page[start..start + page[start..].find('"').unwrap()].to_string()
}

/// The changes a preview showed, as its apply form sends them back.
pub(crate) fn seen_plan(page: &str) -> String {
    let marker = "name=\"plan\" value=\"";
    let start = page.find(marker).expect("the plan seen") + marker.len();
    page[start..start + page[start..].find('"').unwrap()].to_string()
}

pub(crate) async fn apply(app: &TestApp, page: &str, confirm: bool) -> (StatusCode, String) {
    let plan = seen_plan(page);
    let mut fields = vec![("plan", plan.as_str())];
    if confirm {
        fields.push(("confirm_removals", XUAN_BINH));
    }
    let answer = app.post_form(&apply_path(page), &fields).await;
    (answer.status(), answer.text().await.unwrap())
}

/// Xuân Bình's own export, as CSV.
async fn commune_csv(app: &TestApp) -> String {
    app.get(&format!("/export?commune={XUAN_BINH}&format=csv"))
        .await
        .text()
        .await
        .unwrap()
}

async fn export_json(app: &TestApp) -> Value {
    app.get_json(&format!("/export?commune={XUAN_BINH}&format=json"))
        .await
}

async fn active_teams(app: &TestApp) -> Vec<(i64, String)> {
    let page = app
        .get_json(&format!("/api/v1/teams?commune={XUAN_BINH}&status=active"))
        .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["id"].as_i64().unwrap(),
                t["name"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The officer's mistake: the blank template filled with two teams, one written without «Tổ CNSCĐ».
fn wrong_file() -> Vec<u8> {
    format!(
        "{HEADER}1,Xã Xuân Bình,Thôn Đồng Mới,,Lê Văn An,Tổ trưởng,0914994100,\n,,,,Trần Thị Hoa,Thành viên,0914994200,\n\
         2,Xã Xuân Bình,Thôn Mới,,Phạm Văn Phúc,Tổ trưởng,0914994300,\n"
    )
    .into_bytes()
}

/// The address of the undo button on the page of an applied import.
fn undo_path(applied: &str) -> String {
    let start = applied.find("action=\"/imports/").expect("an undo form") + 8;
    applied[start..start + applied[start..].find('"').unwrap()].to_string()
}

/// The wrong file applied, then (after `between`) a second file over it that brings back a team and a leader
/// the first removed, so that both changed the same records; then the newer one undone. Answers the older
/// import's undo.
async fn undo_older_after_newer(
    app: &TestApp,
    between: impl std::future::Future<Output = ()>,
) -> Response {
    let (_, page) = upload(app, "sai.csv", wrong_file(), "replace").await;
    let (status, first) = apply(app, &page, true).await;
    assert_eq!(status, StatusCode::OK);
    between.await;
    let corrected = format!(
        "{HEADER}1,Xã Xuân Bình,Thôn Đồng Mới,,Lê Văn An,Tổ trưởng,0914994100,\n,,,,Trần Thị Hoa,Thành viên,0914994200,\n\
         2,Xã Xuân Bình,Thôn Bắc,,Lê Văn Bình,Tổ trưởng,0914994101,\n"
    );
    let (_, page) = upload(app, "sua.csv", corrected.into_bytes(), "replace").await;
    let (status, second) = apply(app, &page, true).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    let too_early = app.post_form(&undo_path(&first), &[]).await;
    assert_eq!(too_early.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let too_early = too_early.text().await.unwrap();
    assert!(
        too_early.contains("Lần nhập tệp «sua.csv»")
            && too_early.contains("hãy hoàn tác lần đó trước"),
        "the newer import is named: {too_early}"
    );
    assert!(
        !too_early.contains("không hợp lệ"),
        "a refusal, not bad data"
    );
    let newer = app.post_form(&undo_path(&second), &[]).await;
    assert_eq!(newer.status(), StatusCode::SEE_OTHER, "the newer undone");
    app.post_form(&undo_path(&first), &[]).await
}

#[tokio::test]
async fn two_imports_undone_newest_first_bring_the_commune_back_as_it_was() {
    let app = spawn_app().await;
    five_teams(&app).await;
    let before = export_json(&app).await;
    let older = undo_older_after_newer(&app, async {}).await;
    assert_eq!(
        older.status(),
        StatusCode::SEE_OTHER,
        "{}",
        older.text().await.unwrap()
    );
    assert_eq!(export_json(&app).await, before, "exactly as before both");
    assert_eq!(active_teams(&app).await.len(), 5);
}

#[tokio::test]
async fn three_imports_of_one_record_are_undone_one_after_another_back_to_the_start() {
    let app = spawn_app().await;
    five_teams(&app).await;
    let before = export_json(&app).await;
    let mut applied = Vec::new();
    for phone in ["0914994150", "0914994151", "0914994152"] {
        let file = format!(
            "{HEADER}1,Xã Xuân Bình,Tổ CNSCĐ thôn Đồng Mới,,Lê Văn An,Tổ trưởng,{phone},\n"
        );
        let (_, page) = upload(
            &app,
            &format!("{phone}.csv"),
            file.into_bytes(),
            "add_update",
        )
        .await;
        let (status, done) = apply(&app, &page, false).await;
        assert_eq!(status, StatusCode::OK, "{done}");
        applied.push(done);
    }
    for done in applied.iter().rev() {
        let undone = app.post_form(&undo_path(done), &[]).await;
        assert_eq!(
            undone.status(),
            StatusCode::SEE_OTHER,
            "{}",
            undone.text().await.unwrap()
        );
    }
    assert_eq!(
        export_json(&app).await,
        before,
        "exactly as before all three"
    );
}

#[tokio::test]
async fn a_commune_listed_unchanged_does_not_stand_before_its_earlier_undo() {
    let app = spawn_app().await;
    five_teams(&app).await;
    let before = export_json(&app).await;
    let an = "1,Xã Xuân Bình,Tổ CNSCĐ thôn Đồng Mới,,Lê Văn An,Tổ trưởng,0914994150,\n";
    let (_, page) = upload(
        &app,
        "an.csv",
        format!("{HEADER}{an}").into_bytes(),
        "add_update",
    )
    .await;
    let (status, first) = apply(&app, &page, false).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    // A file of two communes, Xuân Bình as it now is: only Hạc Thành changes.
    let file = format!(
        "{HEADER}{an}2,Phường Hạc Thành,Tổ dân phố 9,,Nguyễn Văn Ba,Tổ trưởng,0914994301,\n"
    );
    let (_, page) = upload(&app, "hai-xa.csv", file.into_bytes(), "add_update").await;
    assert!(page.contains("Không có thay đổi nào."), "{page}");
    let (status, second) = apply(&app, &page, false).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    // Xuân Bình's log has the first import (which only changed a phone), not the second.
    let imports = app
        .logged(cnscd_store::Action::RosterImport, Some(XUAN_BINH))
        .await;
    assert_eq!(imports.len(), 1, "{imports:?}");
    assert_eq!(imports[0].after.as_ref().unwrap()["file"], "an.csv");
    let undone = app.post_form(&undo_path(&first), &[]).await;
    assert_eq!(
        undone.status(),
        StatusCode::SEE_OTHER,
        "{}",
        undone.text().await.unwrap()
    );
    assert_eq!(export_json(&app).await, before);
}

#[tokio::test]
async fn a_record_edited_by_hand_between_two_imports_still_stops_the_older_undo() {
    let app = spawn_app().await;
    five_teams(&app).await;
    // Phạm Văn Phúc, brought by the first file, gets a new phone by hand; the second file lets him go.
    let edit = async {
        let found = app.get_json("/api/v1/search?q=pham van phuc").await;
        let id = found["members"][0]["id"].as_i64().expect("Phúc");
        let member = app.get_json(&format!("/api/v1/members/{id}")).await;
        let edited = app
            .put_json(
                &format!("/api/v1/members/{id}"),
                &json!({"full_name": "Phạm Văn Phúc", "role": "leader", "phone": "0987654399",
                        "version": member["version"]}),
            )
            .await;
        assert!(
            edited.status().is_success(),
            "{}",
            edited.text().await.unwrap()
        );
    };
    let older = undo_older_after_newer(&app, edit).await;
    assert_eq!(older.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(older.text().await.unwrap().contains("Phạm Văn Phúc"));
}

#[tokio::test]
async fn a_wrong_file_is_shown_by_name_refused_until_confirmed_and_undone_exactly() {
    let app = spawn_app().await;
    let ids = five_teams(&app).await;
    let before = export_json(&app).await;

    let (status, page) = upload(&app, "sai.csv", wrong_file(), "replace").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"danger-16177\""), "shown as a danger");
    assert!(
        page.contains("Sẽ giải thể 4/5 tổ và cho 8/10 thành viên rời tổ"),
        "{page}"
    );
    for dissolved in ["Thôn Bắc", "Thôn Nam", "Thôn Đông", "Tổ dân phố số 3"] {
        assert!(
            page.contains(&format!("<li>{dissolved}</li>")),
            "{dissolved} named"
        );
    }
    assert!(
        page.contains("Lê Văn Bình <span class=\"muted\">— Thôn Bắc</span>"),
        "leavers named"
    );
    assert!(
        !page.contains("<li>Tổ CNSCĐ thôn Đồng Mới</li>"),
        "«Thôn Đồng Mới» is the same team"
    );
    assert!(page.contains("name=\"confirm_removals\""));

    let (status, refused) = apply(&app, &page, false).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.contains("Chưa áp dụng"));
    assert_eq!(
        export_json(&app).await,
        before,
        "nothing written without the confirmation"
    );

    let (status, applied) = apply(&app, &page, true).await;
    assert_eq!(status, StatusCode::OK);
    let told = applied.to_lowercase();
    assert!(
        applied.contains("Tổ đã giải thể: 4")
            && applied.contains("Thành viên đã rời tổ: 8")
            && !told.contains("sẽ giải thể")
            && !told.contains("sẽ rời tổ")
            && !applied.contains("id=\"danger-"),
        "once applied, the page says what was done: {applied}"
    );
    let teams = active_teams(&app).await;
    assert_eq!(teams.len(), 2);
    assert!(
        teams.contains(&(ids[0], "Tổ CNSCĐ thôn Đồng Mới".into())),
        "kept, not replaced: {teams:?}"
    );

    // Undone: the registry is exactly as before, as one audited change.
    let undo = &undo_path(&applied);
    let answer = app.post_form(undo, &[]).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    let location = answer.headers()["location"].to_str().unwrap().to_string();
    let landing = app.get(&location).await.text().await.unwrap();
    assert!(
        landing.contains("id=\"undone\"") && landing.contains("Đã hoàn tác lần nhập"),
        "the undo says it was done, on {location}"
    );
    assert_eq!(
        export_json(&app).await,
        before,
        "exactly the state before the import"
    );
    assert_eq!(active_teams(&app).await.len(), 5);
    let again = app.post_form(undo, &[]).await;
    assert_eq!(
        again.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "undone once only"
    );
    let commune = app
        .get(&format!("/communes/{XUAN_BINH}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        commune.contains("sai.csv") && commune.contains("Đã hoàn tác"),
        "the commune page lists its imports"
    );
    assert!(
        !commune.contains("id=\"undone\""),
        "the notice is said once, after the undo"
    );
    // Each team the undo brought back says so in its own history, as the import did.
    let history = app
        .get(&format!("/teams/{}", ids[1]))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        history.contains("Hoàn tác nhập tệp: tổ trở về như trước"),
        "{history}"
    );
    assert!(history.contains("Hoàn tác nhập tệp: thành viên trở về như trước"));

    // Applied again, the file creates its team anew under a new id: the undone team's id is never given
    // again, so its history cannot show up on another team.
    let undone: Vec<i64> = teams
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| *id != ids[0])
        .collect();
    assert_eq!(undone.len(), 1, "{teams:?}");
    let (_, page) = upload(&app, "sai.csv", wrong_file(), "replace").await;
    let (status, _) = apply(&app, &page, true).await;
    assert_eq!(status, StatusCode::OK);
    let created: Vec<i64> = active_teams(&app)
        .await
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| *id != ids[0])
        .collect();
    assert_eq!(created.len(), 1);
    assert!(created[0] > undone[0], "{created:?} after {undone:?}");
}

#[tokio::test]
async fn a_communes_own_export_brings_back_its_dissolved_teams_with_their_history() {
    let app = spawn_app().await;
    let ids = five_teams(&app).await;
    let export = commune_csv(&app).await;
    let (_, page) = upload(&app, "sai.csv", wrong_file(), "replace").await;
    assert_eq!(apply(&app, &page, true).await.0, StatusCode::OK);

    // Coming back, Lan brings a new phone: the preview says so beside her name.
    assert_eq!(export.matches("0914994201").count(), 1, "{export}");
    let export = export.replace("0914994201", "0914994299").into_bytes();
    let (status, page) = upload(&app, "ban-xuat.csv", export, "replace").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Tổ hoạt động trở lại: 4"), "{page}");
    assert!(
        page.contains(
            "sẽ thêm 8 thành viên (8 người trở lại tổ), sửa 0, cho 1 thành viên rời tổ; \
             thêm 4 tổ (4 tổ hoạt động trở lại), giải thể 1 tổ."
        ),
        "the summary counts who comes back: {page}"
    );
    // The full list, for Excel: each change in its own columns.
    let start = page.find("href=\"/import/").expect("the list's link") + 6;
    let link = &page[start..start + page[start..].find('"').unwrap()];
    let csv = app.get(link).await.text().await.unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "\u{feff}Mức,Xã/phường,Tổ,Người,Trang,Dòng,Cột,Mã lỗi,Thay đổi,Nội dung,Gợi ý"
    );
    assert!(
        csv.contains(
            "Thay đổi,Xã Xuân Bình,Thôn Bắc,Trần Thị Lan,,,,,Thành viên trở lại,Số điện thoại: 0914 994 201 → 0914 994 299,\n"
        ),
        "{csv}"
    );
    assert!(
        csv.contains("Thay đổi,Xã Xuân Bình,Thôn Bắc,,,,,,Tổ hoạt động trở lại,,\n"),
        "{csv}"
    );
    assert!(
        page.contains(
            "Trần Thị Lan <span class=\"muted\">— Thôn Bắc</span>: Số điện thoại <del>0914 994 201</del> → <b>0914 994 299</b>"
        ),
        "{page}"
    );
    assert!(
        page.contains("<li>Thôn Mới</li>"),
        "the wrong file's team goes"
    );
    assert_eq!(apply(&app, &page, true).await.0, StatusCode::OK);
    let teams = active_teams(&app).await;
    let mut active: Vec<i64> = teams.iter().map(|(id, _)| *id).collect();
    active.sort_unstable();
    assert_eq!(active, ids, "the same teams, not new ones");
    let all = app
        .get_json(&format!("/api/v1/teams?commune={XUAN_BINH}"))
        .await;
    assert_eq!(all["total"], 6, "no duplicates among the dissolved: {all}");
    let members = app.members_of(ids[1]).await;
    let lan = members
        .iter()
        .find(|m| m["full_name"] == "Trần Thị Lan")
        .unwrap();
    assert_eq!(lan["joined_on"], "2024-03-01", "she keeps her join date");
    assert_eq!(lan["phone"], "0914994299", "and takes the file's phone");
    let history = app
        .get(&format!("/teams/{}", ids[1]))
        .await
        .text()
        .await
        .unwrap();
    assert!(history.contains("Tổ hoạt động trở lại") && history.contains("Thành viên trở lại tổ"));
}

#[tokio::test]
async fn each_commune_losing_much_is_confirmed_on_its_own() {
    let app = spawn_app().await;
    app.create_team(XUAN_BINH, "Thôn Cũ", "Lê Văn An", "0914994100")
        .await;
    app.create_team(HAC_THANH, "Tổ dân phố Cũ", "Lê Văn Bình", "0914994101")
        .await;
    let file = format!(
        "{HEADER}1,Phường Hạc Thành,Tổ dân phố Mới,,Nguyễn Văn Ba,Tổ trưởng,0914994301,\n\
         2,Xã Xuân Bình,Thôn Mới,,Nguyễn Văn Tư,Tổ trưởng,0914994302,\n"
    );
    let (status, page) = upload(&app, "hai-xa.csv", file.into_bytes(), "replace").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    for code in [XUAN_BINH, HAC_THANH] {
        assert!(
            page.contains(&format!("name=\"confirm_removals\" value=\"{code}\"")),
            "a box for {code}"
        );
    }
    let before = app.get_json("/export?format=json").await;
    let one = app
        .post_form(&apply_path(&page), &[("confirm_removals", XUAN_BINH)])
        .await;
    assert_eq!(one.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let one = one.text().await.unwrap();
    assert!(
        one.contains("thành viên của Phường Hạc Thành, chưa được xác nhận"),
        "the page names the commune still to confirm: {one}"
    );
    assert!(
        one.contains(&format!("value=\"{XUAN_BINH}\" required checked>"))
            && one.contains(&format!("value=\"{HAC_THANH}\" required>")),
        "the box ticked stays ticked: {one}"
    );
    assert_eq!(
        app.get_json("/export?format=json").await,
        before,
        "one box does not confirm the other commune"
    );
    let both = app
        .post_form(
            &apply_path(&page),
            &[
                ("confirm_removals", XUAN_BINH),
                ("confirm_removals", HAC_THANH),
            ],
        )
        .await;
    assert_eq!(both.status(), StatusCode::OK);
    assert_ne!(app.get_json("/export?format=json").await, before);
}

#[tokio::test]
async fn a_preview_is_not_applied_once_the_registry_has_changed_under_it() {
    let app = spawn_app().await;
    let ids = five_teams(&app).await;
    let csv = commune_csv(&app).await;
    let (_, page) = upload(
        &app,
        "lan.csv",
        csv.replace("0914994201", "0987654321").into_bytes(),
        "replace",
    )
    .await;
    assert!(page.contains("sửa 1"), "{page}");
    // Meanwhile Hoa's phone is corrected by hand: the file, which still has the old one, would undo that.
    let hoa = app
        .members_of(ids[0])
        .await
        .into_iter()
        .find(|m| m["full_name"] == "Trần Thị Hoa")
        .unwrap();
    let id = hoa["id"].as_i64().unwrap();
    let edited = app
        .put_json(
            &format!("/api/v1/members/{id}"),
            &json!({"full_name": "Trần Thị Hoa", "role": "member", "phone": "0987000111",
                    "version": hoa["version"]}),
        )
        .await;
    assert!(edited.status().is_success());
    let before = export_json(&app).await;
    let (status, again) = apply(&app, &page, false).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again.contains("sổ đã thay đổi từ lúc bạn xem trước"),
        "{again}"
    );
    assert_eq!(export_json(&app).await, before, "nothing written");
    assert!(
        again.contains("sửa 2") && again.contains("<del>0987 000 111</del> → <b>0914 994 200</b>"),
        "the new changes are shown: {again}"
    );
    let (status, applied) = apply(&app, &again, false).await;
    assert_eq!(status, StatusCode::OK, "seen, then applied: {applied}");
    let members = app.members_of(ids[0]).await;
    assert!(members.iter().any(|m| m["phone"] == "0914994200"));
}

#[tokio::test]
async fn a_decision_given_to_a_registered_team_is_shown_counted_and_recorded() {
    let app = spawn_app().await;
    five_teams(&app).await;
    let file = format!(
        "{HEADER}1,Xã Xuân Bình,Thôn Bắc,251/QĐ-UBND ngày 10/7/2025,Lê Văn Bình,Tổ trưởng,0914994101,\n"
    );
    let (status, page) = upload(&app, "qd.csv", file.clone().into_bytes(), "add_update").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Tổ được ghi thêm quyết định: 1")
            && page.contains(
                "<li>Thôn Bắc: 251/QĐ-UBND ngày 10/07/2025 (quyết định mới của xã/phường)</li>"
            )
            && page.contains("ghi thêm quyết định cho 1 tổ"),
        "{page}"
    );
    let (status, applied) = apply(&app, &page, false).await;
    assert_eq!(status, StatusCode::OK, "{applied}");
    let decisions = app
        .get_json(&format!("/api/v1/decisions?commune={XUAN_BINH}"))
        .await;
    assert_eq!(decisions.as_array().unwrap().len(), 1, "{decisions}");
    assert_eq!(decisions[0]["number"], "251/QĐ-UBND");
    let history = app
        .get(&format!("/admin/audit?commune={XUAN_BINH}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(history.contains("Thêm quyết định"), "recorded in the log");
    // Sent again, the file has nothing left to change.
    let (_, again) = upload(&app, "qd.csv", file.into_bytes(), "add_update").await;
    assert!(
        again.contains("sổ đã đúng như tệp") && !again.contains("Nếu áp dụng"),
        "{again}"
    );
    // An older decision is recorded too, and the preview says the team keeps showing the later one.
    let older = format!(
        "{HEADER}1,Xã Xuân Bình,Thôn Bắc,12/QĐ-UBND ngày 02/01/2024,Lê Văn Bình,Tổ trưởng,0914994101,\n"
    );
    let (_, page) = upload(&app, "qd-cu.csv", older.into_bytes(), "add_update").await;
    assert!(
        page.contains("<li>Thôn Bắc: 12/QĐ-UBND ngày 02/01/2024 (quyết định mới của xã/phường) — tổ vẫn theo quyết định mới hơn 251/QĐ-UBND ngày 10/07/2025</li>"),
        "{page}"
    );
    // A recorded decision given to one more team: the decision's own history says so.
    let another = format!(
        "{HEADER}1,Xã Xuân Bình,Thôn Nam,251/QĐ-UBND ngày 10/7/2025,Lê Văn Cường,Tổ trưởng,0914994102,\n"
    );
    let (_, page) = upload(&app, "qd-them.csv", another.into_bytes(), "add_update").await;
    assert!(
        page.contains("<li>Thôn Nam: 251/QĐ-UBND ngày 10/07/2025</li>"),
        "{page}"
    );
    assert_eq!(apply(&app, &page, false).await.0, StatusCode::OK);
    let updates = app.logged(cnscd_store::Action::DecisionUpdate, None).await;
    let update = updates.first().expect("the link is in the log");
    assert_eq!(update.object_id, decisions[0]["id"].to_string());
    let changes = update.changes();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].field, "teams");
    assert_eq!(changes[0].after.split(", ").count(), 2, "{changes:?}");
    // Undone, the decision's history shows the team taken off it again.
    let import = app.store.commune_imports(XUAN_BINH, 1).await.unwrap()[0].id;
    let undone = app.post_form(&format!("/imports/{import}/undo"), &[]).await;
    assert!(undone.status().is_redirection(), "{}", undone.status());
    let updates = app.logged(cnscd_store::Action::DecisionUpdate, None).await;
    assert_eq!(updates.len(), 2, "{updates:?}");
    assert!(updates
        .iter()
        .any(|e| e.changes()[0].after.split(", ").count() == 1));
}

#[tokio::test]
async fn adding_and_updating_only_removes_nothing() {
    let app = spawn_app().await;
    five_teams(&app).await;
    let (status, page) = upload(&app, "bo-sung.csv", wrong_file(), "add_update").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("id=\"danger-16177\""));
    assert!(
        page.contains("cho 0 thành viên rời tổ; thêm 1 tổ, giải thể 0 tổ"),
        "{page}"
    );
    assert_eq!(apply(&app, &page, false).await.0, StatusCode::OK);
    assert_eq!(active_teams(&app).await.len(), 6);
}

#[tokio::test]
async fn a_new_leader_added_takes_over_and_the_former_one_stays_as_a_member() {
    let app = spawn_app().await;
    let ids = five_teams(&app).await;
    let file = format!("{HEADER}1,Xã Xuân Bình,Thôn Bắc,,Phạm Văn Dũng,Tổ trưởng,0914994350,\n");
    let (status, page) = upload(&app, "to-truong-moi.csv", file.into_bytes(), "add_update").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Lê Văn Bình <span class=\"muted\">— Thôn Bắc</span>: Chức vụ <del>Tổ trưởng</del> → <b>Thành viên</b>"),
        "the preview says who steps down: {page}"
    );
    let (status, applied) = apply(&app, &page, false).await;
    assert_eq!(status, StatusCode::OK, "{applied}");
    let roles = app.roles_in(ids[1]).await;
    for (name, role) in [
        ("Phạm Văn Dũng", "leader"),
        ("Lê Văn Bình", "member"),
        ("Trần Thị Lan", "member"),
    ] {
        assert!(
            roles.contains(&(name.into(), role.into())),
            "{name} {role}: {roles:?}"
        );
    }
}

#[tokio::test]
async fn a_member_added_as_leader_of_another_team_is_a_warning_naming_her_first_team() {
    let app = spawn_app().await;
    five_teams(&app).await;
    // Trần Thị Lan is a member of Thôn Bắc; the file makes her leader of a new team and does not list Thôn Bắc.
    let file = format!("{HEADER}1,Xã Xuân Bình,Thôn Tây,,Trần Thị Lan,Tổ trưởng,0914994201,\n");
    let (status, page) = upload(&app, "to-moi.csv", file.into_bytes(), "add_update").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("trùng với Trần Thị Lan (Thôn Bắc, Xã Xuân Bình)"),
        "the preview says the phone stays with her in Thôn Bắc: {page}"
    );
    // Replacing, she leaves Thôn Bắc: nothing to warn about.
    let (_, page) = upload(
        &app,
        "to-moi.csv",
        format!("{HEADER}1,Xã Xuân Bình,Thôn Tây,,Trần Thị Lan,Tổ trưởng,0914994201,\n")
            .into_bytes(),
        "replace",
    )
    .await;
    assert!(!page.contains("trùng với Trần Thị Lan"), "{page}");
}

#[tokio::test]
async fn export_then_one_phone_edited_then_import_is_exactly_one_change() {
    let app = spawn_app().await;
    let ids = five_teams(&app).await;
    let csv = commune_csv(&app).await;
    assert!(csv.contains("0914994201"));
    let edited = csv.replace("0914994201", "0987654321");
    let (status, page) = upload(&app, "sua-mot-so.csv", edited.into_bytes(), "replace").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(
            "sẽ thêm 0 thành viên, sửa 1, cho 0 thành viên rời tổ; thêm 0 tổ, giải thể 0 tổ"
        ),
        "{page}"
    );
    assert!(page.contains("Trần Thị Lan <span class=\"muted\">— Thôn Bắc</span>: Số điện thoại <del>0914 994 201</del> → <b>0987 654 321</b>"));
    assert_eq!(apply(&app, &page, false).await.0, StatusCode::OK);
    let lan = app
        .members_of(ids[1])
        .await
        .into_iter()
        .find(|m| m["full_name"] == "Trần Thị Lan")
        .unwrap();
    assert_eq!(lan["phone"], "0987654321");
    let history = app
        .get(&format!("/members/{}/edit", lan["id"]))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        history.contains("Sửa thành viên"),
        "the import's change is in her own history"
    );

    // Edited again by hand, she cannot be put back by the undo: it says who changed since and what to do.
    let version = lan["version"].as_i64().unwrap();
    let edited = app
        .put_json(
            &format!("/api/v1/members/{}", lan["id"]),
            &serde_json::json!({"full_name": "Trần Thị Lan", "role": "member", "phone": "0987654322", "version": version}),
        )
        .await;
    assert!(
        edited.status().is_success(),
        "{}",
        edited.text().await.unwrap()
    );
    let import = app.store.commune_imports(XUAN_BINH, 1).await.unwrap()[0].id;
    let refused = app.post_form(&format!("/imports/{import}/undo"), &[]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.text().await.unwrap();
    assert!(
        refused.contains("sau đó Trần Thị Lan đã được sửa riêng")
            && refused.contains("nhập lại một tệp danh sách đúng"),
        "{refused}"
    );
}

#[tokio::test]
async fn a_join_date_column_sets_join_dates() {
    let app = spawn_app().await;
    let file = "TT,Tên Phường\\xã,Tên Tổ,Số Quyết định,Họ tên thành viên,Chức vụ trong tổ,Số điện thoại liên hệ,Ghi chú,Ngày vào tổ\n\
                1,Xã Xuân Bình,Thôn 1,,Lê Văn An,Tổ trưởng,0914994123,,15/08/2023\n\
                ,,,,Lê Thị Bình,,0914994124,,\n";
    let (status, page) = upload(&app, "ngay.csv", file.as_bytes().to_vec(), "replace").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(apply(&app, &page, false).await.0, StatusCode::OK);
    let team = active_teams(&app).await[0].0;
    let members = app.members_of(team).await;
    let an = members
        .iter()
        .find(|m| m["full_name"] == "Lê Văn An")
        .unwrap();
    assert_eq!(an["joined_on"], "2023-08-15");
    let binh = members
        .iter()
        .find(|m| m["full_name"] == "Lê Thị Bình")
        .unwrap();
    assert_eq!(
        binh["joined_on"],
        app.store.clock().today().format("%Y-%m-%d").to_string()
    );
}

#[tokio::test]
async fn consents_marked_in_notes_on_request_come_back_as_no_change() {
    let app = spawn_app().await;
    let ids = five_teams(&app).await;
    let leader = app.members_of(ids[0]).await[0].clone();
    let consent = app
        .put_json(
            &format!("/api/v1/members/{}/consent", leader["id"]),
            &serde_json::json!({"method": "paper_form"}),
        )
        .await;
    assert_eq!(consent.status(), StatusCode::OK);
    let plain = app
        .get(&format!("/export?commune={XUAN_BINH}&format=csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!plain.contains("Đồng ý công khai"), "only when asked");
    let marked = app
        .get(&format!("/export?commune={XUAN_BINH}&format=csv&consent=1"))
        .await
        .text()
        .await
        .unwrap();
    let line = marked
        .lines()
        .find(|l| l.contains(leader["full_name"].as_str().unwrap()))
        .unwrap();
    assert!(
        line.contains("[Đồng ý công khai SĐT: phiếu đồng ý có chữ ký, "),
        "{line}"
    );
    assert_eq!(marked.matches("Đồng ý công khai").count(), 1, "one consent");
    // The file comes back without a change: the mark is not a note.
    let (status, page) = upload(&app, "co-dong-y.csv", marked.into_bytes(), "replace").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Không có thay đổi nào: sổ đã đúng như tệp"),
        "{page}"
    );
    // A commune officer does not ask for it.
    app.add_user("xuanbinh", "commune_officer", Some(XUAN_BINH))
        .await;
    let officer = app.token_client_for("xuanbinh").await;
    let status = officer
        .get(app.url(&format!("/export?commune={XUAN_BINH}&format=csv&consent=1")))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_undo_that_would_take_a_team_from_under_someone_added_since_is_refused_by_name() {
    let app = spawn_app().await;
    five_teams(&app).await;
    // The wrong file dissolves four teams and creates Thôn Mới.
    let (_, page) = upload(&app, "sai.csv", wrong_file(), "replace").await;
    let (status, wrong) = apply(&app, &page, true).await;
    assert_eq!(status, StatusCode::OK, "{wrong}");
    let created = active_teams(&app)
        .await
        .into_iter()
        .find(|(_, name)| name == "Thôn Mới")
        .expect("Thôn Mới")
        .0;
    let added = app.add_member(created, "Lê Thị Mai", "", "").await;
    assert_eq!(added.status(), StatusCode::CREATED);
    let undone = app.post_form(&undo_path(&wrong), &[]).await;
    assert_eq!(undone.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = undone.text().await.unwrap();
    assert!(
        text.contains("«Lê Thị Mai» đã được thêm vào tổ «Thôn Mới»"),
        "{text}"
    );
    assert_eq!(active_teams(&app).await.len(), 2, "nothing was undone");

    // Having left, she still belongs to the team's history, which the undo would delete: still refused.
    let mai = app.members_of(created).await;
    let mai = mai.iter().find(|m| m["full_name"] == "Lê Thị Mai").unwrap();
    let left = app
        .delete(&format!(
            "/api/v1/members/{}?version={}",
            mai["id"], mai["version"]
        ))
        .await;
    assert_eq!(left.status(), StatusCode::OK);
    let undone = app.post_form(&undo_path(&wrong), &[]).await;
    assert_eq!(undone.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn an_undo_that_would_dissolve_a_team_under_someone_added_since_is_refused_by_name() {
    let app = spawn_app().await;
    let ids = five_teams(&app).await;
    let export = commune_csv(&app).await;
    let (_, page) = upload(&app, "sai.csv", wrong_file(), "replace").await;
    assert_eq!(apply(&app, &page, true).await.0, StatusCode::OK);
    // The commune's own export brings Thôn Bắc back; someone is added to it by hand.
    let (_, page) = upload(&app, "ban-xuat.csv", export.into_bytes(), "replace").await;
    let (status, revived) = apply(&app, &page, true).await;
    assert_eq!(status, StatusCode::OK, "{revived}");
    let added = app.add_member(ids[1], "Đỗ Văn Nam", "", "").await;
    assert_eq!(added.status(), StatusCode::CREATED);
    let undone = app.post_form(&undo_path(&revived), &[]).await;
    assert_eq!(undone.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = undone.text().await.unwrap();
    assert!(
        text.contains("«Đỗ Văn Nam» đã được thêm vào tổ «Thôn Bắc»"),
        "{text}"
    );
}

#[tokio::test]
async fn adding_to_a_team_beyond_the_provinces_maximum_is_refused_whole() {
    let app = spawn_app().await;
    let ids = five_teams(&app).await;
    // Thôn Bắc has two members; the file adds fourteen (within the limit on its own) and keeps them.
    let given = [
        "An", "Bình", "Chi", "Dung", "Giang", "Hà", "Khánh", "Linh", "Minh", "Nga", "Oanh", "Phúc",
        "Quang", "Sơn",
    ];
    let mut file = String::from(HEADER);
    for (i, name) in given.iter().enumerate() {
        file.push_str(&format!(
            "1,Xã Xuân Bình,Thôn Bắc,,Hoàng Thị {name},Thành viên,09149947{i:02},\n"
        ));
    }
    let (status, page) = upload(&app, "them.csv", file.clone().into_bytes(), "add_update").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(
        page.contains(
            "Tổ «Thôn Bắc» (Xã Xuân Bình) sẽ có 16 thành viên sau khi nhập, quá mức tối đa 15"
        ),
        "{page}"
    );
    assert!(
        !page.contains("action=\"/import/"),
        "nothing to apply: {page}"
    );
    // The console is refused the same way, and writes nothing.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("them.csv");
    std::fs::write(&path, &file).unwrap();
    let url = app.database_url.clone();
    let console = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_cnscd"))
            .args(["import", "--mode", "add-update", path.to_str().unwrap()])
            .env("CNSCD_DATABASE_URL", url)
            .env_remove("CNSCD_PROVINCE")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let said = String::from_utf8_lossy(&console.stdout).to_string()
        + &String::from_utf8_lossy(&console.stderr);
    assert_eq!(console.status.code(), Some(1), "{said}");
    assert!(said.contains("quá mức tối đa 15"), "{said}");
    assert_eq!(app.members_of(ids[1]).await.len(), 2);
    // Replacing the team with the same list is within the limit.
    let (status, page) = upload(&app, "them.csv", file.into_bytes(), "replace").await;
    assert_eq!(status, StatusCode::OK, "{page}");
}

#[tokio::test]
async fn a_file_adding_to_a_team_without_naming_its_leader_is_not_told_the_team_has_none() {
    let app = spawn_app().await;
    five_teams(&app).await;
    let file = format!("{HEADER}1,Xã Xuân Bình,Thôn Bắc,,Hoàng Thị Nga,Thành viên,0914994777,\n");
    let (status, page) = upload(&app, "them.csv", file.clone().into_bytes(), "add_update").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        !page.contains("chưa có tổ trưởng"),
        "Lê Văn Bình stays its leader: {page}"
    );
    // Replacing, he leaves: the team would have no leader.
    let (_, page) = upload(&app, "them.csv", file.into_bytes(), "replace").await;
    assert!(page.contains("chưa có tổ trưởng"), "{page}");
}

#[tokio::test]
async fn an_import_that_swapped_a_teams_leader_and_a_member_is_undone_to_the_same_roles() {
    let app = spawn_app().await;
    let ids = five_teams(&app).await;
    let roles = || app.roles_in(ids[1]);
    let before = roles().await;
    let file = format!(
        "{HEADER}1,Xã Xuân Bình,Thôn Bắc,,Trần Thị Lan,Tổ trưởng,0914994201,\n,,,,Lê Văn Bình,Thành viên,0914994101,\n"
    );
    let (_, page) = upload(&app, "doi.csv", file.into_bytes(), "add_update").await;
    let (status, applied) = apply(&app, &page, false).await;
    assert_eq!(status, StatusCode::OK, "{applied}");
    assert!(roles()
        .await
        .contains(&("Trần Thị Lan".into(), "leader".into())));
    // The undo puts Bình back as leader only once Lan has stepped down: one leader at every step.
    let undone = app.post_form(&undo_path(&applied), &[]).await;
    let status = undone.status();
    assert!(status.is_redirection(), "{}", undone.text().await.unwrap());
    assert_eq!(roles().await, before);
}
