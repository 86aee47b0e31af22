//! The province's dashboard: charts drawn on the server as valid SVG, each beside a table whose numbers are
//! those of the data behind it.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn the_dashboard_draws_valid_charts_whose_tables_match_the_rounds() {
    let app = spawn_app().await;
    app.create_team(XUAN_BINH, "Tổ thôn Đông", "Nguyễn Văn An", "0914994123")
        .await;
    let first = app
        .open_round(json!({"title": "Tháng 10", "deadline": days_ahead(20)}))
        .await;
    let second = app
        .open_round(json!({"title": "Tháng 11", "deadline": days_ahead(40), "indicators": ["sessions_held"]}))
        .await;
    for (round, figures) in [
        (
            first,
            Value::Object(
                INDICATORS
                    .iter()
                    .map(|c| (c.to_string(), json!(4)))
                    .collect(),
            ),
        ),
        (second, json!({"sessions_held": 9})),
    ] {
        app.submit_report(round, XUAN_BINH, figures).await;
    }
    let admin = app.sign_in(ADMIN).await;
    let page = admin.get("/dashboard").await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();

    // Two charts, each a well-formed SVG with its title, read by an independent XML parser.
    let svgs: Vec<&str> = page
        .split("<svg")
        .skip(1)
        .map(|rest| rest.split("</svg>").next().unwrap())
        .collect();
    assert_eq!(svgs.len(), 2, "two charts");
    assert!(svgs[0].contains("Nộp báo cáo các đợt gần đây") && svgs[0].contains("Tháng 11"));
    assert!(svgs[1].contains("Kết quả theo chỉ tiêu"));
    let dir = tempfile::tempdir().unwrap();
    for (i, svg) in svgs.iter().enumerate() {
        let path = dir.path().join(format!("chart{i}.svg"));
        std::fs::write(&path, format!("<svg{svg}</svg>")).unwrap();
        let parsed = crate::workbook::python(
            "import sys, xml.etree.ElementTree as ET\nroot = ET.parse(sys.argv[1]).getroot()\nprint(root.tag, root.get('viewBox'))",
            &[path.to_str().unwrap()],
        );
        if let Some(parsed) = parsed {
            assert!(
                parsed.starts_with("{http://www.w3.org/2000/svg}svg 0 0 "),
                "{parsed}"
            );
        }
    }

    // The completeness table says what the status API says, round by round; the totals what the figures say.
    let table = page
        .split("id=\"completeness\"")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    for round in [first, second] {
        let status = json_from(
            &app.client,
            app.url(&format!("/api/v1/rounds/{round}/status")),
        )
        .await;
        let row = table
            .split("<tr>")
            .find(|r| r.contains(&format!("href=\"/rounds/{round}\"")))
            .unwrap();
        for key in ["on_time", "late", "missing"] {
            let shown = format!(">{}<", status[key]);
            assert!(row.contains(&shown), "{key} {shown} in {row}");
        }
    }
    let totals = page.split("id=\"indicator-totals\"").nth(1).unwrap();
    let sessions = totals
        .split("<tr>")
        .find(|r| r.contains("Buổi tuyên truyền"))
        .unwrap();
    assert!(
        sessions.contains(">4<") && sessions.contains(">9<"),
        "{sessions}"
    );
    let shopping = totals
        .split("<tr>")
        .find(|r| r.contains("mua sắm"))
        .unwrap();
    assert!(
        shopping.contains(">4<") && shopping.contains(">—<"),
        "{shopping}"
    );
    // Coverage: one commune of 166 has a team.
    assert!(
        page.contains("<b>1/166</b>xã/phường đã có tổ"),
        "coverage tile"
    );
    // The figures are kept between requests, and read again as soon as the registry changes.
    app.create_team(HAC_THANH, "Tổ phố 1", "Trần Văn Cả", "0914994124")
        .await;
    let page = admin.get("/dashboard").await.text().await.unwrap();
    assert!(
        page.contains("<b>2/166</b>xã/phường đã có tổ"),
        "not a stale copy"
    );
}

#[tokio::test]
async fn without_rounds_the_dashboard_says_so_and_draws_nothing() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN).await;
    let page = admin.get("/dashboard").await.text().await.unwrap();
    assert!(page.contains("Chưa có đợt báo cáo nào."));
    assert!(!page.contains("<svg"));
}

/// The rows of a table (by id) as (first cell's text, last number), read from the page.
fn ranked_rows(page: &str, id: &str) -> Vec<(String, i64)> {
    let table = page
        .split(&format!("id=\"{id}\""))
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    table
        .split("<tr>")
        .skip(2)
        .map(|row| {
            let name = row.split("\">").nth(1).unwrap().split('<').next().unwrap();
            let value = row
                .split("data-label=\"Số liệu\">")
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
                .replace('.', "");
            (name.to_string(), value.parse().unwrap())
        })
        .collect()
}

#[tokio::test]
async fn communes_are_ranked_by_the_chosen_indicator_of_the_latest_round_with_reports() {
    let app = spawn_app().await;
    let communes: Value = app.get_json("/api/v1/communes?per_page=8").await;
    let communes: Vec<(String, String)> = communes["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap().to_string(),
                c["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let round = app
        .open_round(json!({"title": "Quý IV", "deadline": days_ahead(20),
                           "indicators": ["public_services", "sessions_held"]}))
        .await;
    // Seven communes report 1,000 … 7,000 guided citizens (and the reverse in sessions); the eighth's report is
    // returned for correction and counts for nothing.
    for (i, (code, _)) in communes.iter().enumerate() {
        let n = i as i64 + 1;
        app.submit_report(
            round,
            code,
            json!({"public_services": n * 1000, "sessions_held": 10 - n}),
        )
        .await;
    }
    let returned = &communes[7].0;
    let answer = app
        .post_json(
            &format!("/api/v1/rounds/{round}/reports/{returned}/return"),
            &json!({"reason": "Số liệu chưa khớp"}),
        )
        .await;
    assert_eq!(answer.status(), StatusCode::OK);
    // A newer round without any report yet does not hide the ranking.
    app.open_round(json!({"title": "Tháng 1", "deadline": days_ahead(50)}))
        .await;

    let admin = app.sign_in(ADMIN).await;
    let page = admin.get("/dashboard").await.text().await.unwrap();
    assert!(
        page.contains("Xếp hạng xã/phường — Quý IV"),
        "ranking heading"
    );
    assert!(page.contains("7 xã/phường có số liệu được tính"));
    let name = |i: usize| communes[i].1.clone();
    assert_eq!(
        ranked_rows(&page, "ranking-top"),
        [
            (name(6), 7000),
            (name(5), 6000),
            (name(4), 5000),
            (name(3), 4000),
            (name(2), 3000)
        ]
    );
    assert_eq!(
        ranked_rows(&page, "ranking-bottom"),
        [(name(0), 1000), (name(1), 2000)],
        "the lowest, none repeated from the top"
    );
    let page = admin
        .get("/dashboard?indicator=sessions_held")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(ranked_rows(&page, "ranking-top")[0], (name(0), 9));
    assert_eq!(ranked_rows(&page, "ranking-bottom")[0], (name(6), 3));
}

#[tokio::test]
async fn an_officer_reads_her_communes_dashboard_and_no_other() {
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ thôn Đông", "Nguyễn Văn An", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        app.add_member(team, "Lê Văn Bình", "deputy", "0987654321")
            .await
            .status(),
        StatusCode::CREATED
    );
    app.create_team(HAC_THANH, "Tổ thôn Bắc", "Trần Văn Cả", "0914994124")
        .await;
    let first = app
        .open_round(json!({"title": "Tháng 10", "deadline": days_ahead(20), "indicators": ["sessions_held"]}))
        .await;
    app.submit_report(first, XUAN_BINH, json!({"sessions_held": 3}))
        .await;
    app.open_round(
        json!({"title": "Tháng 11", "deadline": days_ahead(40), "indicators": ["sessions_held"]}),
    )
    .await;
    app.add_user("officer", "commune_officer", Some(XUAN_BINH))
        .await;
    // She records how many villages the commune has: its one team covers one of three.
    let officer_api = app.token_client_for("officer").await;
    for (typed, expected) in [
        (json!(0), StatusCode::UNPROCESSABLE_ENTITY),
        (json!("3"), StatusCode::OK),
    ] {
        let status = officer_api
            .put(app.url(&format!("/api/v1/communes/{XUAN_BINH}/villages")))
            .json(&json!({ "villages": typed }))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, expected, "{typed}");
    }
    let officer = app.sign_in("officer").await;
    // Asking for another commune still shows her own.
    let page = officer
        .get(&format!("/dashboard?commune={HAC_THANH}"))
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains("Bảng điều hành — Xã Xuân Bình"));
    assert!(!page.contains("Hạc Thành"));
    assert!(
        page.contains("<b class=\"ok\">1</b>tổ đang hoạt động"),
        "one team"
    );
    assert!(page.contains("<b>2</b>thành viên"), "two members");
    assert!(
        page.contains("<b>1/3</b>thôn, tổ dân phố có tổ"),
        "villages covered"
    );
    let reports = page.split("id=\"commune-reports\"").nth(1).unwrap();
    assert!(reports.contains("Tháng 10") && reports.contains("đúng hạn"));
    assert!(reports.contains("Tháng 11") && reports.contains("chưa nộp"));
    let figures = page.split("id=\"commune-figures\"").nth(1).unwrap();
    let sessions = figures.split("<tr>").find(|r| r.contains("Buổi")).unwrap();
    assert!(
        sessions.contains(">3<") && sessions.contains(">—<"),
        "{sessions}"
    );
    assert_eq!(page.matches("<svg").count(), 1, "her figures' chart");

    // A province account opens any commune's dashboard of its province, none of another's.
    let admin = app.sign_in(ADMIN).await;
    let province = admin.get("/dashboard").await.text().await.unwrap();
    assert!(
        province.contains("<b>1/3</b>thôn, tổ dân phố có tổ (1 xã/phường đã ghi số thôn)"),
        "province coverage of villages"
    );
    let page = admin.get(&format!("/dashboard?commune={HAC_THANH}")).await;
    let page = page.text().await.unwrap();
    assert!(
        page.contains("Bảng điều hành — Phường Hạc Thành"),
        "the commune asked for"
    );
    assert!(page.contains("<b class=\"ok\">1</b>tổ đang hoạt động"));
    let status = admin
        .get(&format!("/dashboard?commune={HOAN_KIEM}"))
        .await
        .status();
    assert_eq!(status, StatusCode::NOT_FOUND);
}
