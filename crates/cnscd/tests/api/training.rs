//! Training classes: capacity and the waiting list under simultaneous registrations, overlapping classes,
//! who may attend, scope, deadlines and attendance on an injected clock, flags, cancellation, the roster.

use crate::helpers::*;
use chrono::{Duration, Utc};
use cnscd_domain::clock::Clock;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

fn at(clock: &Clock, days: i64, hours: i64) -> String {
    (clock.now() + Duration::days(days) + Duration::hours(hours)).to_rfc3339()
}

/// A class from day `day` 08:00 to 11:00 (from the clock's now), registrations closing two days before.
fn class_body(clock: &Clock, topic: &str, day: i64, capacity: i64, audience: &str) -> Value {
    json!({"topic": topic, "starts_at": at(clock, day, 0), "ends_at": at(clock, day, 3),
           "venue": "Hội trường Sở KH&CN", "capacity": capacity, "audience": audience,
           "registration_deadline": at(clock, day - 2, 0)})
}

async fn open_class(app: &TestApp, body: Value) -> i64 {
    let response = app.post_json("/api/v1/training/classes", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "open class {body}");
    response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn register(client: &Client, app: &TestApp, class: i64, member: i64) -> reqwest::Response {
    client
        .post(app.url(&format!("/api/v1/training/classes/{class}/registrations")))
        .json(&json!({"member_id": member}))
        .send()
        .await
        .unwrap()
}

/// The leader of a new team in `commune`.
async fn leader_of(app: &TestApp, commune: &str, team: &str, leader: &str, phone: &str) -> i64 {
    let team = app.create_team(commune, team, leader, phone).await["id"]
        .as_i64()
        .unwrap();
    app.members_of(team).await[0]["id"].as_i64().unwrap()
}

async fn clocked_app() -> (TestApp, Clock) {
    let clock = Clock::manual(Utc::now());
    let app = spawn_app_with_clock(cnscd_web::WebSettings::default(), clock.clone()).await;
    (app, clock)
}

#[tokio::test]
async fn two_officers_taking_the_last_seat_at_once_get_one_seat_and_one_place_in_line() {
    let (app, clock) = clocked_app().await;
    let class = open_class(&app, class_body(&clock, "Dịch vụ công", 10, 1, "")).await;
    let hoa = leader_of(&app, XUAN_BINH, "Tổ thôn Đông", "Lê Thị Hoa", "0914994123").await;
    let lan = leader_of(&app, HAC_THANH, "Tổ phố 1", "Trần Thị Lan", "0914994124").await;
    app.add_user("xuanbinh", "commune_officer", Some(XUAN_BINH))
        .await;
    app.add_user("hacthanh", "commune_officer", Some(HAC_THANH))
        .await;
    let officers = [
        (app.token_client_for("xuanbinh").await, hoa),
        (app.token_client_for("hacthanh").await, lan),
    ];
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(2));
    let tasks: Vec<_> = officers
        .into_iter()
        .map(|(client, member)| {
            let (barrier, url) = (
                barrier.clone(),
                app.url(&format!("/api/v1/training/classes/{class}/registrations")),
            );
            tokio::spawn(async move {
                barrier.wait().await;
                let response = client
                    .post(url)
                    .json(&json!({"member_id": member}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), StatusCode::CREATED);
                response.json::<Value>().await.unwrap()
            })
        })
        .collect();
    let mut seats = Vec::new();
    for task in tasks {
        let registration = task.await.unwrap();
        seats.push((
            registration["seat"].as_str().unwrap().to_string(),
            registration["id"].as_i64().unwrap(),
        ));
    }
    seats.sort();
    assert_eq!(
        seats.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>(),
        ["seated", "waiting"]
    );
    let class_now = app
        .get_json(&format!("/api/v1/training/classes/{class}"))
        .await;
    assert_eq!(
        (class_now["seated"].clone(), class_now["waiting"].clone()),
        (json!(1), json!(1))
    );

    // The seated one withdraws: the waiting one moves up, and the log says so.
    let seated = seats[0].1;
    let waiting = seats[1].1;
    let response = app
        .delete(&format!("/api/v1/training/registrations/{seated}"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let registrations = app
        .get_json(&format!("/api/v1/training/classes/{class}/registrations"))
        .await;
    let registrations = registrations.as_array().unwrap();
    assert_eq!(registrations.len(), 1);
    assert_eq!(registrations[0]["id"], waiting);
    assert_eq!(registrations[0]["seat"], "seated");
    let history = app
        .store
        .object_history(
            cnscd_store::ObjectKind::Registration,
            &waiting.to_string(),
            10,
        )
        .await
        .unwrap();
    let actions: Vec<&str> = history.iter().map(|e| e.action.code()).collect();
    assert!(actions.contains(&"training.seat_given"), "{actions:?}");
}

#[tokio::test]
async fn overlap_eligibility_and_people_who_left_are_refused_by_name() {
    let (app, clock) = clocked_app().await;
    let morning = open_class(&app, class_body(&clock, "Buổi sáng", 10, 30, "")).await;
    // 10:00–13:00 overlaps 08:00–11:00 of the same day (hours are from the clock's now).
    let mut overlapping = class_body(&clock, "Trùng giờ", 10, 30, "");
    overlapping["starts_at"] = json!(at(&clock, 10, 2));
    overlapping["ends_at"] = json!(at(&clock, 10, 5));
    let overlapping = open_class(&app, overlapping).await;
    let mut back_to_back = class_body(&clock, "Nối tiếp", 10, 30, "");
    back_to_back["starts_at"] = json!(at(&clock, 10, 3));
    back_to_back["ends_at"] = json!(at(&clock, 10, 6));
    let back_to_back = open_class(&app, back_to_back).await;
    let everyone = open_class(
        &app,
        class_body(&clock, "Mọi thành viên", 20, 30, "any_member"),
    )
    .await;

    let team = app
        .create_team(XUAN_BINH, "Tổ thôn Đông", "Lê Thị Hoa", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    app.add_member(team, "Phạm Văn Cường", "member", "0987654321")
        .await;
    app.add_member(team, "Đỗ Thị Dung", "deputy", "0987654322")
        .await;
    let members = app.members_of(team).await;
    let id = |name: &str| {
        members.iter().find(|m| m["full_name"] == name).unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (hoa, cuong, dung) = (id("Lê Thị Hoa"), id("Phạm Văn Cường"), id("Đỗ Thị Dung"));

    assert_eq!(
        register(&app.client, &app, morning, hoa).await.status(),
        StatusCode::CREATED
    );
    let refused = register(&app.client, &app, overlapping, hoa).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = refused.json().await.unwrap();
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("Lê Thị Hoa") && message.contains("Buổi sáng"),
        "{message}"
    );
    assert_eq!(body["error"]["fields"][0]["code"], "classes_overlap");
    assert_eq!(
        register(&app.client, &app, back_to_back, hoa)
            .await
            .status(),
        StatusCode::CREATED,
        "back to back is no overlap"
    );
    // Moving the back-to-back class onto the morning's hours is refused, naming her.
    let mut onto = class_body(&clock, "Nối tiếp", 10, 30, "");
    onto["starts_at"] = json!(at(&clock, 10, 1));
    onto["ends_at"] = json!(at(&clock, 10, 4));
    onto["version"] = json!(1);
    let refused = app
        .put_json(&format!("/api/v1/training/classes/{back_to_back}"), &onto)
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let message = refused.json::<Value>().await.unwrap()["error"]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("Lê Thị Hoa") && message.contains("Buổi sáng"),
        "{message}"
    );
    // Twice for one class: refused.
    assert_eq!(
        register(&app.client, &app, morning, hoa).await.status(),
        StatusCode::CONFLICT
    );

    // A plain member is not a leader or deputy; the class for everyone takes her.
    let refused = register(&app.client, &app, morning, cuong).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["code"], "not_eligible");
    assert_eq!(
        register(&app.client, &app, everyone, cuong).await.status(),
        StatusCode::CREATED
    );

    // Leaving is recorded once it has happened, not ahead.
    let version = app.get_json(&format!("/api/v1/members/{dung}")).await["version"]
        .as_i64()
        .unwrap();
    let ahead = app
        .delete(&format!(
            "/api/v1/members/{dung}?version={version}&left_on=31/12/2099"
        ))
        .await;
    assert_eq!(ahead.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Someone who left is refused; someone who leaves after registering is flagged, not dropped.
    assert_eq!(
        register(&app.client, &app, everyone, dung).await.status(),
        StatusCode::CREATED
    );
    let version = app.get_json(&format!("/api/v1/members/{dung}")).await["version"]
        .as_i64()
        .unwrap();
    let left = app
        .delete(&format!("/api/v1/members/{dung}?version={version}"))
        .await;
    assert_eq!(left.status(), StatusCode::OK);
    let registrations = app
        .get_json(&format!(
            "/api/v1/training/classes/{everyone}/registrations"
        ))
        .await;
    let dung_row = registrations
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["member_id"] == dung)
        .expect("still listed");
    assert_eq!(dung_row["member_left"], true);
    assert_eq!(
        register(&app.client, &app, morning, dung).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn deadlines_attendance_and_cancellation_follow_the_clock() {
    let (app, clock) = clocked_app().await;
    let class = open_class(&app, class_body(&clock, "An toàn trên mạng", 10, 30, "")).await;
    let hoa = leader_of(&app, XUAN_BINH, "Tổ thôn Đông", "Lê Thị Hoa", "0914994123").await;
    let lan = leader_of(&app, XUAN_BINH, "Tổ thôn Tây", "Trần Thị Lan", "0914994124").await;
    let registration = register(&app.client, &app, class, hoa).await;
    let registration: Value = registration.json().await.unwrap();
    let registration = registration["id"].as_i64().unwrap();
    let mark = |value: &'static str| {
        let (client, url) = (
            app.client.clone(),
            app.url(&format!(
                "/api/v1/training/registrations/{registration}/attendance"
            )),
        );
        async move {
            client
                .put(url)
                .json(&json!({"attendance": value}))
                .send()
                .await
                .unwrap()
        }
    };
    // Before the class's day, nobody can be marked present.
    assert_eq!(mark("present").await.status(), StatusCode::CONFLICT);
    // After the registration deadline: the commune neither registers nor withdraws; the Department still can,
    // until the class starts.
    app.add_user("xuanbinh", "commune_officer", Some(XUAN_BINH))
        .await;
    let officer = app.token_client_for("xuanbinh").await;
    clock.advance(Duration::days(9));
    assert_eq!(
        register(&officer, &app, class, lan).await.status(),
        StatusCode::CONFLICT
    );
    let withdraw = officer
        .delete(app.url(&format!("/api/v1/training/registrations/{registration}")))
        .send()
        .await
        .unwrap();
    assert_eq!(withdraw.status(), StatusCode::CONFLICT);
    let late: Value = register(&app.client, &app, class, lan)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(late["seat"], "seated", "the Department registers late");
    let late_id = late["id"].as_i64().unwrap();
    assert_eq!(
        app.delete(&format!("/api/v1/training/registrations/{late_id}"))
            .await
            .status(),
        StatusCode::OK
    );
    // On the day the Department marks her present; she counts as trained.
    clock.advance(Duration::days(1));
    assert_eq!(
        mark("maybe").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let marked = mark("present").await;
    assert_eq!(marked.status(), StatusCode::OK);
    assert_eq!(
        marked.json::<Value>().await.unwrap()["attendance"],
        "present"
    );
    let admin = app.sign_in(ADMIN).await;
    let dashboard = admin.get("/dashboard").await.text().await.unwrap();
    assert!(dashboard.contains("<b>1</b>tổ trưởng, tổ phó đã tập huấn"));
    // A round can ask for it: the commune's report form starts with the registry's number.
    let round = app
        .open_round(
            json!({"title": "Tập huấn quý IV", "deadline": at(&clock, 20, 0),
                           "indicators": ["leaders_trained", "sessions_held"]}),
        )
        .await;
    let form = admin
        .get(&format!("/rounds/{round}/reports/{XUAN_BINH}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        form.contains("name=\"figures.leaders_trained\" value=\"1\""),
        "the registry's count in the form"
    );
    let member_page = admin
        .get(&format!("/members/{hoa}/edit"))
        .await
        .text()
        .await
        .unwrap();
    assert!(member_page.contains("An toàn trên mạng") && member_page.contains("có mặt"));
    // Once attendance is marked, the class keeps its times.
    let mut moved = class_body(&clock, "An toàn trên mạng", 5, 30, "");
    moved["version"] = json!(1);
    let refused = app
        .put_json(&format!("/api/v1/training/classes/{class}"), &moved)
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // An officer does not mark attendance.
    let status = officer
        .put(app.url(&format!(
            "/api/v1/training/registrations/{registration}/attendance"
        )))
        .json(&json!({"attendance": "absent"}))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A cancelled class says so to those registered and takes no one.
    let later = open_class(&app, class_body(&clock, "Thanh toán số", 10, 30, "")).await;
    assert_eq!(
        register(&app.client, &app, later, lan).await.status(),
        StatusCode::CREATED
    );
    let refused = app
        .post_json(
            &format!("/api/v1/training/classes/{later}/cancel"),
            &json!({"version": 1, "reason": ""}),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let cancelled = app
        .post_json(
            &format!("/api/v1/training/classes/{later}/cancel"),
            &json!({"version": 1, "reason": "Giảng viên bận, dời sang tháng sau"}),
        )
        .await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    let officer_page = app.sign_in("xuanbinh").await;
    let page = officer_page
        .get(&format!("/training/{later}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Lớp đã huỷ: Giảng viên bận, dời sang tháng sau"));
    assert!(
        page.contains("Trần Thị Lan"),
        "her registration is still shown"
    );
    let hoa_again = register(&app.client, &app, later, hoa).await;
    assert_eq!(hoa_again.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn an_officer_registers_and_sees_only_her_communes_people() {
    let (app, clock) = clocked_app().await;
    let class = open_class(&app, class_body(&clock, "Chuyển đổi số", 10, 30, "")).await;
    let hoa = leader_of(&app, XUAN_BINH, "Tổ thôn Đông", "Lê Thị Hoa", "0914994123").await;
    let lan = leader_of(&app, HAC_THANH, "Tổ phố 1", "Trần Thị Lan", "0914994124").await;
    app.add_user("xuanbinh", "commune_officer", Some(XUAN_BINH))
        .await;
    app.add_user("lanhdao", "viewer", None).await;
    let officer = app.token_client_for("xuanbinh").await;
    let viewer = app.token_client_for("lanhdao").await;
    assert_eq!(
        register(&officer, &app, class, lan).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        register(&viewer, &app, class, hoa).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        register(&officer, &app, class, hoa).await.status(),
        StatusCode::CREATED
    );
    let lan_registration: Value = register(&app.client, &app, class, lan)
        .await
        .json()
        .await
        .unwrap();
    let lan_registration = lan_registration["id"].as_i64().unwrap();
    // Her list holds her commune's registration only; another commune's is "not found" to her.
    let mine: Value = json_from(
        &officer,
        app.url(&format!("/api/v1/training/classes/{class}/registrations")),
    )
    .await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["full_name"], "Lê Thị Hoa");
    let status = officer
        .delete(app.url(&format!(
            "/api/v1/training/registrations/{lan_registration}"
        )))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The Department sees both, and which communes registered nobody.
    let admin = app.sign_in(ADMIN).await;
    let page = admin
        .get(&format!("/training/{class}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Lê Thị Hoa") && page.contains("Trần Thị Lan"));
    assert!(
        page.contains("Xã/phường chưa đăng ký ai (164)"),
        "166 communes, 2 registered"
    );

    // The roster, read back by an independent reader.
    let roster = admin.get(&format!("/training/{class}/roster.xlsx")).await;
    assert_eq!(roster.status(), StatusCode::OK);
    let bytes = roster.bytes().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    let read = crate::workbook::python(
        "import sys, openpyxl\nws = openpyxl.load_workbook(sys.argv[1]).active\n\
         print(ws.title)\nprint(ws['A1'].value)\n\
         for row in ws.iter_rows(min_row=4, values_only=True): print('|'.join('' if v is None else str(v) for v in row))\n\
         print(ws.page_setup.orientation, ws.print_title_rows)",
        &[path.to_str().unwrap()],
    );
    if let Some(read) = read {
        assert!(read.contains("Danh sách học viên"), "{read}");
        assert!(
            read.contains("DANH SÁCH HỌC VIÊN — CHUYỂN ĐỔI SỐ"),
            "{read}"
        );
        assert!(
            read.contains(
                "2|Lê Thị Hoa|Tổ trưởng|Tổ thôn Đông|Xã Xuân Bình|0914 994 123|Đã có chỗ|"
            ),
            "{read}"
        );
        assert!(
            read.contains("landscape $4:$4"),
            "the header repeats on every page: {read}"
        );
    }
    let sheet = admin.get(&format!("/training/{class}/sign-in.xlsx")).await;
    assert_eq!(sheet.status(), StatusCode::OK);
    let officer_session = app.sign_in("xuanbinh").await;
    let status = officer_session
        .get(&format!("/training/{class}/sign-in.xlsx"))
        .await
        .status();
    assert_eq!(status, StatusCode::FORBIDDEN);
}
