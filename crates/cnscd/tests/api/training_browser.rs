//! In a real browser on a phone-sized window: an officer registers two of her leaders for a class; on the
//! day, the Department marks attendance from its phone.

use crate::browser::{click, connect, free_port, sign_in_browser, start_driver, text_of};
use crate::helpers::*;
use chrono::{Duration, Utc};
use cnscd_domain::clock::Clock;
use fantoccini::Locator;
use serde_json::json;

#[tokio::test]
async fn an_officer_registers_two_leaders_and_the_department_marks_attendance() {
    let port = free_port();
    let Some(_driver) = start_driver(port) else {
        return;
    };
    let clock = Clock::manual(Utc::now());
    let app = spawn_app_with_clock(cnscd_web::WebSettings::default(), clock.clone()).await;
    let at = |days: i64, hours: i64| {
        (clock.now() + Duration::days(days) + Duration::hours(hours)).to_rfc3339()
    };
    let response = app
        .post_json(
            "/api/v1/training/classes",
            &json!({"topic": "Hướng dẫn dịch vụ công trực tuyến", "starts_at": at(5, 0), "ends_at": at(5, 3),
                    "venue": "Hội trường Sở KH&CN", "capacity": 30, "registration_deadline": at(3, 0)}),
        )
        .await;
    let class = response.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    for (team, leader, phone) in [
        ("Tổ thôn Đông", "Lê Thị Hoa", "0914994123"),
        ("Tổ thôn Tây", "Trần Văn Bình", "0914994124"),
        ("Tổ thôn Nam", "Đỗ Thị Cúc", "0914994125"),
    ] {
        app.create_team(XUAN_BINH, team, leader, phone).await;
    }
    app.add_user("officer", "commune_officer", Some(XUAN_BINH))
        .await;
    let browser = connect(port).await;
    browser.set_window_size(390, 844).await.unwrap();

    // The officer opens the class from the menu's page and ticks two of her three leaders.
    sign_in_browser(&browser, &app, "officer").await;
    browser.goto(&app.url("/training")).await.unwrap();
    browser
        .wait()
        .for_element(Locator::LinkText("Hướng dẫn dịch vụ công trực tuyến"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let text = text_of(&browser, "main").await;
    assert!(text.contains("Đang nhận đăng ký"), "{text}");
    for name in ["Lê Thị Hoa", "Trần Văn Bình"] {
        let label = browser
            .wait()
            .for_element(Locator::XPath(&format!(
                "//form[@id='register-form']//label[contains(., '{name}')]/input"
            )))
            .await
            .unwrap();
        label.click().await.unwrap();
    }
    click(&browser, "#register-form button[type=submit]").await;
    let notices = browser
        .wait()
        .for_element(Locator::Id("notices"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        notices.contains("Lê Thị Hoa: đã đăng ký, có chỗ.")
            && notices.contains("Trần Văn Bình: đã đăng ký, có chỗ."),
        "{notices}"
    );
    let list = text_of(&browser, "main").await;
    assert!(list.contains("Người đã đăng ký (2)"), "{list}");
    assert!(
        !list.contains("Điểm danh\nCó mặt"),
        "no marking before the day"
    );

    // On the day, the Department marks one present and one excused, from its phone.
    clock.advance(Duration::days(5));
    browser.delete_all_cookies().await.unwrap();
    sign_in_browser(&browser, &app, ADMIN).await;
    browser
        .goto(&app.url(&format!("/training/{class}")))
        .await
        .unwrap();
    for (name, value) in [("Lê Thị Hoa", "present"), ("Trần Văn Bình", "excused")] {
        browser
            .find(Locator::Css(&format!(
                "select[aria-label='Điểm danh {name}'] option[value={value}]"
            )))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    click(&browser, "#attendance-form > button[type=submit]").await;
    // After the save the page comes back (the list may still be loading): read what is now stored.
    for (name, expected) in [("Lê Thị Hoa", "Có mặt"), ("Trần Văn Bình", "Vắng có phép")]
    {
        let css =
            format!("#registration-list select[aria-label='Điểm danh {name}'] option:checked");
        let mut seen = String::new();
        for _ in 0..50 {
            if let Ok(option) = browser.find(Locator::Css(&css)).await {
                seen = option.text().await.unwrap_or_default();
                if seen == expected {
                    break;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(seen, expected, "{name}");
    }
    let stored = app
        .get_json(&format!("/api/v1/training/classes/{class}/registrations"))
        .await;
    let marks: Vec<(String, String)> = stored
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["full_name"].as_str().unwrap().to_string(),
                r["attendance"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(
        marks.contains(&("Lê Thị Hoa".into(), "present".into())),
        "{marks:?}"
    );
    assert!(
        marks.contains(&("Trần Văn Bình".into(), "excused".into())),
        "{marks:?}"
    );
    let width = browser
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth]",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        width[0].as_i64() <= width[1].as_i64(),
        "the class page fits the phone: {width}"
    );
    browser.close().await.unwrap();
}
