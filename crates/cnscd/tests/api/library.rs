//! The library of guidance documents: the letter's documents listed from the start, search without
//! diacritics and filters, uploads checked by content and size, downloads that never open as a page,
//! deletions that keep the log, scope.

use crate::helpers::*;
use reqwest::{header, StatusCode};
use serde_json::{json, Value};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n";

async fn add(app: &TestApp, body: Value) -> Value {
    let response = app.post_json("/api/v1/documents", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{body}");
    response.json().await.unwrap()
}

async fn upload(
    app: &TestApp,
    id: i64,
    version: i64,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    app.client
        .put(app.url(&format!(
            "/api/v1/documents/{id}/file?name={name}&version={version}"
        )))
        .body(bytes)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_letters_documents_are_listed_and_found_without_diacritics() {
    let app = spawn_app().await;
    let all = app.get_json("/api/v1/documents").await;
    let numbers: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["number"].as_str().unwrap())
        .collect();
    for number in [
        "557/STTTT-CNTT",
        "10832/UBND-HCKSTTHC",
        "10882/UBND-HCKSTTHC",
        "06-NQ/TU",
        "266-KH/TU",
        "101/KH-UBND",
        "265-KH/TU",
        "02-KH/BCĐTW",
    ] {
        assert!(numbers.contains(&number), "{number} in {numbers:?}");
    }
    // Newest first, the undated last.
    let mut newest = numbers[..2].to_vec();
    newest.sort();
    assert_eq!(
        newest,
        ["10832/UBND-HCKSTTHC", "10882/UBND-HCKSTTHC"],
        "both of 08/07/2025"
    );
    assert_eq!(*numbers.last().unwrap(), "02-KH/BCĐTW");
    let found = app
        .get_json("/api/v1/documents?q=binh%20dan%20hoc%20vu")
        .await;
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["number"], "265-KH/TU");
    let found = app.get_json("/api/v1/documents?q=BÌNH%20DÂN").await;
    assert_eq!(
        found[0]["number"], "265-KH/TU",
        "with diacritics and capitals too"
    );
    let plans = app.get_json("/api/v1/documents?kind=ke_hoach").await;
    assert_eq!(plans.as_array().unwrap().len(), 4);

    // A document the Department adds, with a task area: the area filter finds it and only it.
    add(
        &app,
        json!({"issued_on": "01/12/2026", "issuer": "Sở Khoa học và Công nghệ", "kind": "tai_lieu_tap_huan",
               "title": "Tài liệu: nhận diện lừa đảo qua điện thoại", "areas": ["cyber_safety"]}),
    )
    .await;
    let safety = app
        .get_json("/api/v1/documents?area=cyber_safety&kind=tai_lieu_tap_huan")
        .await;
    assert_eq!(safety.as_array().unwrap().len(), 1);
    assert_eq!(
        safety[0]["title"],
        "Tài liệu: nhận diện lừa đảo qua điện thoại"
    );
    let page = app.sign_in(ADMIN).await.get("/library?q=lua+dao").await;
    let page = page.text().await.unwrap();
    assert!(page.contains("nhận diện lừa đảo qua điện thoại"));
    assert!(!page.contains("557/STTTT-CNTT"));
    // Deleting one of the letter's documents is final: the library does not list it again.
    let cited = app.get_json("/api/v1/documents?q=557").await;
    let (id, version) = (
        cited[0]["id"].as_i64().unwrap(),
        cited[0]["version"].as_i64().unwrap(),
    );
    assert_eq!(
        app.delete(&format!("/api/v1/documents/{id}?version={version}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.get_json("/api/v1/documents?q=557").await, json!([]));
}

#[tokio::test]
async fn uploads_are_checked_by_content_and_size_and_downloaded_never_inline() {
    let app = spawn_app().await;
    let document = add(
        &app,
        json!({"number": "12/HD-SKHCN", "issued_on": "2026-11-30", "issuer": "Sở Khoa học và Công nghệ",
               "kind": "huong_dan", "title": "Hướng dẫn báo cáo"}),
    )
    .await;
    let id = document["id"].as_i64().unwrap();

    // An HTML page renamed .pdf is refused, and so is a real PDF named .png.
    let html = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>";
    let refused = upload(&app, id, 1, "huong-dan.pdf", html.to_vec()).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let message = refused.json::<Value>().await.unwrap()["error"]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("không phải"), "{message}");
    let refused = upload(&app, id, 1, "anh.png", PDF.to_vec()).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Over 20 MB: refused before it is kept.
    let huge = vec![b'%'; 20 * 1024 * 1024 + 1];
    let refused = upload(&app, id, 1, "to.pdf", huge).await;
    assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        app.get_json(&format!("/api/v1/documents/{id}")).await["file"],
        Value::Null
    );

    let stored = upload(&app, id, 1, "Hướng dẫn 12.pdf", PDF.to_vec()).await;
    assert_eq!(stored.status(), StatusCode::OK);
    let stored: Value = stored.json().await.unwrap();
    assert_eq!(stored["file"]["content_type"], "application/pdf");
    assert_eq!(stored["file"]["size"], PDF.len());
    let sha = {
        use sha2::Digest;
        sha2::Sha256::digest(PDF)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    assert_eq!(stored["file"]["sha256"], sha);

    // Every account of the province downloads it as an attachment, byte for byte.
    app.add_user("xuanbinh", "commune_officer", Some(XUAN_BINH))
        .await;
    let officer = app.sign_in("xuanbinh").await;
    let download = officer.get(&format!("/library/{id}/file")).await;
    assert_eq!(download.status(), StatusCode::OK);
    let headers = download.headers().clone();
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    let disposition = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains("filename*=UTF-8''H%C6%B0%E1%BB%9Bng"),
        "{disposition}"
    );
    assert_eq!(headers[header::CONTENT_SECURITY_POLICY], "sandbox");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);

    // The officer reads; she adds nothing. Another province does not see it.
    let officer_api = app.token_client_for("xuanbinh").await;
    let status = officer_api
        .post(app.url("/api/v1/documents"))
        .json(&json!({"issuer": "Xã", "kind": "cong_van", "title": "Của xã"}))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::FORBIDDEN);
    create_account(&app.store, "01", "admin.hanoi", "province_admin", None).await;
    let hanoi = app.token_client_for("admin.hanoi").await;
    let status = hanoi
        .get(app.url(&format!("/api/v1/documents/{id}/file")))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Deleted: the file goes, the record stays in the log with who deleted it.
    let version = stored["version"].as_i64().unwrap();
    let deleted = app
        .delete(&format!("/api/v1/documents/{id}?version={version}"))
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        officer.get(&format!("/library/{id}/file")).await.status(),
        StatusCode::NOT_FOUND
    );
    let history = app
        .store
        .object_history(cnscd_store::ObjectKind::Document, &id.to_string(), 10)
        .await
        .unwrap();
    let actions: Vec<&str> = history.iter().map(|e| e.action.code()).collect();
    assert_eq!(
        actions,
        ["document.delete", "document.update", "document.create"],
        "newest first"
    );
    assert_eq!(history[0].username, ADMIN);
}

#[tokio::test]
async fn the_page_form_takes_a_file_and_says_what_is_wrong_with_a_bad_one() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN).await;
    let form = |file: &'static [u8], name: &'static str| {
        reqwest::multipart::Form::new()
            .text("csrf", admin.csrf.clone())
            .text("number", "15/KH-SKHCN")
            .text("issued_on", "02/12/2026")
            .text("issuer", "Sở Khoa học và Công nghệ")
            .text("kind", "ke_hoach")
            .text("title", "Kế hoạch tập huấn năm 2027")
            .text("areas", "public_services")
            .text("areas", "cyber_safety")
            .part(
                "file",
                reqwest::multipart::Part::bytes(file).file_name(name),
            )
    };
    let refused = admin
        .client
        .post(admin.url("/library/new"))
        .multipart(form(b"<html>not a plan</html>", "ke-hoach.docx"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("Kế hoạch tập huấn năm 2027"),
        "what was typed is kept"
    );
    assert!(page.contains("không phải PDF, Word"), "{page}");
    let saved = admin
        .client
        .post(admin.url("/library/new"))
        .multipart(form(PDF, "ke-hoach.pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let found = app.get_json("/api/v1/documents?q=tap%20huan%202027").await;
    assert_eq!(
        found[0]["areas"],
        json!(["public_services", "cyber_safety"])
    );
    assert_eq!(found[0]["file"]["name"], "ke-hoach.pdf");
}

#[tokio::test]
async fn a_date_to_come_and_a_file_too_large_are_refused_by_the_page_with_the_real_limit() {
    let app = spawn_app().await;
    let future = app
        .post_json(
            "/api/v1/documents",
            &json!({"issued_on": "01/01/2030", "issuer": "Sở", "kind": "cong_van", "title": "Năm gõ nhầm"}),
        )
        .await;
    assert_eq!(future.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let admin = app.sign_in(ADMIN).await;
    let huge: &'static [u8] = Box::leak(vec![b'%'; 21 * 1024 * 1024].into_boxed_slice());
    let form = reqwest::multipart::Form::new()
        .text("csrf", admin.csrf.clone())
        .text("issuer", "Sở Khoa học và Công nghệ")
        .text("kind", "huong_dan")
        .text("title", "Tài liệu lớn")
        .part(
            "file",
            reqwest::multipart::Part::bytes(huge).file_name("lon.pdf"),
        );
    let refused = admin
        .client
        .post(admin.url("/library/new"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("20 MB"),
        "the library's limit, not the forms' 1 MB: {page}"
    );
}

#[tokio::test]
async fn a_round_and_a_class_point_to_documents_their_readers_see() {
    let app = spawn_app().await;
    let letter = add(
        &app,
        json!({"number": "2100/SKHCN-CĐS", "issued_on": "01/12/2026", "issuer": "Sở Khoa học và Công nghệ",
               "kind": "cong_van", "title": "Về việc báo cáo kết quả hoạt động quý IV"}),
    )
    .await;
    let letter = letter["id"].as_i64().unwrap();
    let round = app
        .open_round(json!({"title": "Quý IV", "deadline": days_ahead(20)}))
        .await;
    let linked = app
        .client
        .put(app.url(&format!("/api/v1/rounds/{round}/documents/{letter}")))
        .send()
        .await
        .unwrap();
    assert_eq!(linked.status(), StatusCode::NO_CONTENT);
    app.add_user("xuanbinh", "commune_officer", Some(XUAN_BINH))
        .await;
    let officer = app.sign_in("xuanbinh").await;
    let report = officer
        .get(&format!("/rounds/{round}/reports/{XUAN_BINH}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(report.contains("Văn bản kèm theo"), "{report}");
    assert!(report.contains("Về việc báo cáo kết quả hoạt động quý IV"));
    let class = app
        .post_json(
            "/api/v1/training/classes",
            &json!({"topic": "Dịch vụ công", "starts_at": days_ahead(20), "ends_at": days_ahead(21),
                    "venue": "Hội trường", "capacity": 30, "registration_deadline": days_ahead(10)}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let linked = app
        .client
        .put(app.url(&format!(
            "/api/v1/training/classes/{class}/documents/{letter}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(linked.status(), StatusCode::NO_CONTENT);
    let page = officer
        .get(&format!("/training/{class}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Tài liệu của lớp") && page.contains("quý IV"));
    // Unlinked: gone from the class; the log has both changes of the class.
    let unlinked = app
        .client
        .delete(app.url(&format!(
            "/api/v1/training/classes/{class}/documents/{letter}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(unlinked.status(), StatusCode::NO_CONTENT);
    let page = officer
        .get(&format!("/training/{class}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Chưa gắn văn bản nào"));
}
