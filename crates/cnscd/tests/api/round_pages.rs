//! Reporting rounds in the pages: the Department opens a round from the form, the officer sees it on her
//! commune's page, fills in and submits, the Department returns it with a reason and accepts the correction.

use crate::helpers::*;
use chrono::{DateTime, Utc};
use reqwest::StatusCode;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

async fn text(response: reqwest::Response, expected: StatusCode) -> String {
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, expected, "{}", &body[..body.len().min(3000)]);
    body
}

#[tokio::test]
async fn a_round_from_opening_to_acceptance_through_the_pages() {
    let clock = Clock::manual(at("2025-07-10T08:00:00+07:00"));
    // Days pass in this test: sessions that last as long.
    let settings = cnscd_web::WebSettings {
        session_lifetime: chrono::Duration::days(30),
        ..Default::default()
    };
    let app = spawn_app_with_clock(settings, clock.clone()).await;
    app.add_user("officer", "commune_officer", Some(XUAN_BINH))
        .await;
    let admin = app.sign_in(ADMIN).await;
    let officer = app.sign_in("officer").await;

    // The Department opens a round; a wrong date is named and what was typed stays.
    let mut fields = vec![
        ("title", "Báo cáo quý III/2025"),
        ("basis", "Công văn số 1234/SKHCN-CĐS ngày 10/7/2025"),
        ("kind", "quarterly"),
        ("deadline_date", "2025-07-32"),
        ("deadline_time", "17:00"),
    ];
    fields.extend(INDICATORS.iter().map(|c| ("indicators", *c)));
    let refused = text(
        admin.post_form("/rounds/new", &fields).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(
        refused.contains("Hạn nộp «2025-07-32 17:00» không hợp lệ"),
        "{refused}"
    );
    assert!(refused.contains("value=\"Báo cáo quý III/2025\""));
    fields[3] = ("deadline_date", "2025-07-15");
    let opened = admin.post_form("/rounds/new", &fields).await;
    assert_eq!(opened.status(), StatusCode::SEE_OTHER);
    let board_path = opened.headers()["location"].to_str().unwrap().to_string();
    let board = text(admin.get(&board_path).await, StatusCode::OK).await;
    assert!(
        board.contains("17:00 15/07/2025"),
        "deadline in Vietnam time"
    );
    assert!(board.contains("<b>166</b>xã/phường phải báo cáo"));
    assert!(board.contains("còn 5 ngày"));
    let round_id: i64 = board_path.rsplit('/').next().unwrap().parse().unwrap();
    let report_path = format!("/rounds/{round_id}/reports/{XUAN_BINH}");

    // The officer's commune page says what she has to send and by when; her link to the board leads to her
    // own report.
    let home = text(
        officer.get(&format!("/communes/{XUAN_BINH}")).await,
        StatusCode::OK,
    )
    .await;
    assert!(
        home.contains("Báo cáo cần nộp") && home.contains("Chưa nộp"),
        "{home}"
    );
    let redirected = officer.get(&board_path).await;
    assert_eq!(redirected.headers()["location"], report_path.as_str());

    // A bad figure is named next to its field; nothing else she typed is lost.
    let mut report: Vec<(&str, String)> =
        INDICATORS.iter().map(|c| (*c, "12".to_string())).collect();
    report[0].1 = "-3".into();
    let form = |report: &Vec<(&str, String)>, action: &'static str| {
        let mut fields: Vec<(String, String)> = report
            .iter()
            .map(|(c, v)| (format!("figures.{c}"), v.clone()))
            .collect();
        fields.push((
            "narrative.results".into(),
            "Hướng dẫn 120 lượt người dân.\n\nTổ chức 3 buổi.".into(),
        ));
        fields.push(("action".into(), action.into()));
        fields
    };
    let post = |fields: Vec<(String, String)>| {
        let officer = &officer;
        let path = report_path.clone();
        async move {
            let pairs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            officer.post_form(&path, &pairs).await
        }
    };
    let refused = text(
        post(form(&report, "submit")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(refused.contains("Số liệu không được âm."));
    assert!(refused.contains("Tổ chức 3 buổi."));
    report[0].1 = "1.250".into();
    let submitted = post(form(&report, "submit")).await;
    assert_eq!(submitted.status(), StatusCode::SEE_OTHER);
    let page = text(officer.get(&report_path).await, StatusCode::OK).await;
    assert!(
        page.contains("<b>Đã nộp</b>") && page.contains("đúng hạn"),
        "{page}"
    );
    assert!(page.contains("1.250 lượt"), "figures read back");
    assert!(
        !page.contains("id=\"report-form\""),
        "no editing once submitted"
    );

    // The Department sees it on the board and returns it; a return needs a reason.
    let board = text(admin.get(&board_path).await, StatusCode::OK).await;
    assert!(board.contains("Đã nộp") && board.contains("đúng hạn"));
    let review = text(admin.get(&report_path).await, StatusCode::OK).await;
    let version = review.split("id=\"accept-form\"").nth(1).unwrap();
    let version = version
        .split("name=\"version\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let no_reason = admin
        .post_form(
            &format!("{report_path}/return"),
            &[("reason", " "), ("version", &version)],
        )
        .await;
    let no_reason = text(no_reason, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(no_reason.contains("Hãy ghi lý do trả lại"));
    let returned = admin
        .post_form(
            &format!("{report_path}/return"),
            &[
                ("reason", "Số lượt dịch vụ công chưa khớp sổ theo dõi."),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(returned.status(), StatusCode::SEE_OTHER);

    // She sees the reason on her commune's page and on the report, corrects after the deadline, submits again.
    let home = text(
        officer.get(&format!("/communes/{XUAN_BINH}")).await,
        StatusCode::OK,
    )
    .await;
    assert!(home.contains("Số lượt dịch vụ công chưa khớp sổ theo dõi."));
    clock.set(at("2025-07-16T09:00:00+07:00"));
    let page = text(officer.get(&report_path).await, StatusCode::OK).await;
    assert!(page.contains("id=\"return-reason\"") && page.contains("Lưu và nộp lại"));
    report[0].1 = "1200".into();
    let mut fields = form(&report, "submit");
    let version = page
        .split("name=\"version\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    fields.push(("version".into(), version));
    assert_eq!(post(fields).await.status(), StatusCode::SEE_OTHER);
    let board = text(admin.get(&board_path).await, StatusCode::OK).await;
    assert!(
        board.contains("Đã nộp lại") && board.contains("đúng hạn"),
        "the first submission counts"
    );

    let review = text(admin.get(&report_path).await, StatusCode::OK).await;
    let version = review.split("id=\"accept-form\"").nth(1).unwrap();
    let version = version
        .split("name=\"version\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let accepted = admin
        .post_form(&format!("{report_path}/accept"), &[("version", &version)])
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    let figures = text(
        admin.get(&format!("/rounds/{round_id}/figures")).await,
        StatusCode::OK,
    )
    .await;
    assert!(
        figures.contains("Đã tiếp nhận") && figures.contains(">1.200<"),
        "{figures}"
    );
    // The same figures as a workbook, read back by an independent reader.
    let workbook = admin.get(&format!("/rounds/{round_id}/figures.xlsx")).await;
    assert_eq!(workbook.status(), StatusCode::OK);
    let bytes = workbook.bytes().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("so-lieu.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    let read = crate::workbook::python(
        "import sys, openpyxl\n\
         ws = openpyxl.load_workbook(sys.argv[1]).active\n\
         rows = [[c for c in r] for r in ws.iter_rows(min_row=4, values_only=True)]\n\
         print(rows[0][3], rows[1][1], rows[1][2], rows[1][3], rows[-1][0], rows[-1][3])",
        &[path.to_str().unwrap()],
    );
    if let Some(read) = read {
        assert_eq!(
            read.trim(),
            "Người dân được hướng dẫn sử dụng dịch vụ công trực tuyến (lượt) Xã Xuân Bình Đã tiếp nhận 1200 TỔNG (báo cáo đã nộp hoặc đã tiếp nhận) 1200"
        );
    }
    // The reminder names the communes still missing, with their number.
    let board = text(admin.get(&board_path).await, StatusCode::OK).await;
    assert!(board.contains("165 trên 166 xã/phường chưa nộp báo cáo «Báo cáo quý III/2025»"));
}

#[tokio::test]
async fn rounds_compare_side_by_side_with_a_gap_where_an_indicator_was_not_asked() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN).await;
    let open = |title: &'static str, indicators: Option<Vec<&'static str>>| {
        let mut body = serde_json::json!({"title": title, "deadline": days_ahead(30)});
        if let Some(codes) = indicators {
            body["indicators"] = serde_json::json!(codes);
        }
        app.open_round(body)
    };
    let first = open("Tháng 1", None).await;
    let second = open("Tháng 2", Some(vec!["sessions_held"])).await;
    for (round, figures) in [
        (
            first,
            serde_json::Value::Object(
                INDICATORS
                    .iter()
                    .map(|c| (c.to_string(), serde_json::json!(3)))
                    .collect(),
            ),
        ),
        (second, serde_json::json!({"sessions_held": 5})),
    ] {
        app.submit_report(round, XUAN_BINH, figures).await;
    }
    let page = text(admin.get("/rounds/compare").await, StatusCode::OK).await;
    let table = page.split("id=\"comparison\"").nth(1).unwrap();
    let row = |label: &str| {
        table
            .split("<tr>")
            .find(|r| r.contains(label))
            .unwrap()
            .to_string()
    };
    let sessions = row("Buổi tuyên truyền");
    assert!(
        sessions.contains(">3<") && sessions.contains(">5<"),
        "{sessions}"
    );
    let shopping = row("mua sắm trực tuyến");
    assert!(
        shopping.contains(">3<") && shopping.contains(">—<"),
        "{shopping}"
    );
    assert!(row("Tỷ lệ xã/phường đã nộp").contains("0,6% (1/166)"));
    // Oldest first.
    assert!(table.find("Tháng 1").unwrap() < table.find("Tháng 2").unwrap());
}

#[tokio::test]
async fn drafts_stay_the_communes_own_conflicts_show_the_other_figures_and_extensions_are_visible()
{
    let clock = Clock::manual(at("2025-07-10T08:00:00+07:00"));
    let settings = cnscd_web::WebSettings {
        session_lifetime: chrono::Duration::days(30),
        ..Default::default()
    };
    let app = spawn_app_with_clock(settings, clock.clone()).await;
    app.add_user("officer", "commune_officer", Some(XUAN_BINH))
        .await;
    let id = app
        .open_round(
            serde_json::json!({"title": "Tháng 7", "deadline": "2025-07-15T17:00:00+07:00",
                                       "indicators": ["public_services", "sessions_held"]}),
        )
        .await;
    let path = format!("/rounds/{id}/reports/{XUAN_BINH}");
    let officer = app.sign_in("officer").await;
    let admin = app.sign_in(ADMIN).await;

    // A draft is saved, and said to be.
    let saved = officer
        .post_form(
            &path,
            &[("figures.public_services", "40"), ("action", "save")],
        )
        .await;
    let location = saved.headers()["location"].to_str().unwrap().to_string();
    let page = text(officer.get(&location).await, StatusCode::OK).await;
    assert!(page.contains("Đã lưu nháp."), "{page}");
    // The Department does not read a commune's draft figures.
    let figures = text(
        admin.get(&format!("/rounds/{id}/figures")).await,
        StatusCode::OK,
    )
    .await;
    assert!(
        figures.contains("Chưa xã/phường nào nộp báo cáo.") && !figures.contains("Xã Xuân Bình")
    );

    // Two tabs: the second save from the older version is refused and shows what the first one saved.
    let saved = officer
        .post_form(
            &path,
            &[
                ("figures.public_services", "41"),
                ("version", "1"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let stale = officer
        .post_form(
            &path,
            &[
                ("figures.public_services", "99"),
                ("version", "1"),
                ("action", "save"),
            ],
        )
        .await;
    let stale = text(stale, StatusCode::CONFLICT).await;
    assert!(
        stale.contains("Người dân được hướng dẫn sử dụng dịch vụ công trực tuyến: «41»"),
        "{stale}"
    );
    assert!(stale.contains("value=\"99\""), "what she typed is kept");

    // Submitting with a figure missing saves the draft and says so.
    let incomplete = officer
        .post_form(
            &path,
            &[
                ("figures.public_services", "42"),
                ("version", "2"),
                ("action", "submit"),
            ],
        )
        .await;
    let incomplete = text(incomplete, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        incomplete.contains("Đã lưu nháp, nhưng chưa nộp được"),
        "{incomplete}"
    );
    assert!(incomplete.contains("Chưa có số liệu «Buổi tuyên truyền"));

    // After the deadline the Department extends; a report in time only thanks to that says so.
    clock.set(at("2025-07-16T09:00:00+07:00"));
    let extended = admin
        .post_form(
            &format!("/rounds/{id}/extend"),
            &[
                ("deadline_date", "2025-07-20"),
                ("deadline_time", "17:00"),
                ("reason", "Mưa bão"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(
        extended.headers()["location"],
        format!("/rounds/{id}?done=extended").as_str()
    );
    let submitted = officer
        .post_form(
            &path,
            &[
                ("figures.public_services", "42"),
                ("figures.sessions_held", "2"),
                ("narrative.results", "Hướng dẫn 42 lượt."),
                ("version", "3"),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(submitted.status(), StatusCode::SEE_OTHER);
    let board = text(admin.get(&format!("/rounds/{id}")).await, StatusCode::OK).await;
    assert!(board.contains("đúng hạn (nhờ gia hạn)"), "{board}");
    assert!(board.contains("Mưa bão"));

    // The API's submit and accept take an empty JSON body as no body.
    let accepted = app
        .client
        .post(app.url(&format!("/api/v1/rounds/{id}/reports/{XUAN_BINH}/accept")))
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), StatusCode::OK);
    // One name, one indicator.
    let twin = app
        .client
        .post(app.url("/api/v1/indicators"))
        .json(&serde_json::json!({"code": "public_services_2", "name": "Người dân được hướng dẫn sử dụng dịch vụ công trực tuyến", "unit": "lượt"}))
        .send()
        .await
        .unwrap();
    assert_eq!(twin.status(), StatusCode::CONFLICT);
}
