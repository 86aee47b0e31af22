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
        let status: Value = app
            .client
            .get(app.url(&format!("/api/v1/rounds/{round}/status")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
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
}

#[tokio::test]
async fn without_rounds_the_dashboard_says_so_and_draws_nothing() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN).await;
    let page = admin.get("/dashboard").await.text().await.unwrap();
    assert!(page.contains("Chưa có đợt báo cáo nào."));
    assert!(!page.contains("<svg"));
}
