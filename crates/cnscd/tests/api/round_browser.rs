//! A round in a real browser on a phone-sized window: the officer fills in and submits her report, the
//! Department returns it with a reason, she corrects and submits again, the Department accepts.

use crate::browser::{
    click, connect, free_port, sign_in_browser, start_driver, text_of, wait_text,
};
use crate::helpers::*;
use fantoccini::{Client, Locator};
use serde_json::json;

async fn type_into(browser: &Client, css: &str, text: &str) {
    let field = browser.find(Locator::Css(css)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Signs out by forgetting the session, then signs in as someone else.
async fn switch_to(browser: &Client, app: &TestApp, username: &str) {
    browser.delete_all_cookies().await.unwrap();
    sign_in_browser(browser, app, username).await;
}

#[tokio::test]
async fn an_officer_submits_the_department_returns_she_corrects_and_it_is_accepted() {
    let port = free_port();
    let Some(_driver) = start_driver(port) else {
        return;
    };
    let app = spawn_app().await;
    app.add_user("officer", "commune_officer", Some(XUAN_BINH))
        .await;
    let round = app
        .open_round(
            json!({"title": "Báo cáo tháng 12", "deadline": days_ahead(30),
                           "indicators": ["public_services", "sessions_held"]}),
        )
        .await;
    let browser = connect(port).await;

    // Her commune's page says what is due; she opens it, fills it in and submits.
    sign_in_browser(&browser, &app, "officer").await;
    wait_text(&browser, "#open-rounds", "Chưa nộp").await;
    browser
        .find(Locator::LinkText("Báo cáo tháng 12"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    type_into(&browser, "#f-public_services", "120").await;
    type_into(&browser, "#f-sessions_held", "3").await;
    type_into(&browser, "#f-results", "Hướng dẫn 120 lượt người dân.").await;
    click(&browser, "button[value=submit]").await;
    // Submitting cannot be taken back: the page asks first.
    browser.accept_alert().await.unwrap();
    wait_text(&browser, "#report-state", "Đã nộp").await;
    assert!(browser.find(Locator::Id("report-form")).await.is_err());

    // The Department finds it on the board and returns it with a reason.
    switch_to(&browser, &app, ADMIN).await;
    browser
        .goto(&app.url(&format!("/rounds/{round}")))
        .await
        .unwrap();
    wait_text(&browser, "#completeness", "1\nđã nộp").await;
    browser
        .find(Locator::LinkText("Xã Xuân Bình"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    type_into(&browser, "#f-reason", "Số buổi chưa khớp biên bản.").await;
    click(&browser, "#return-form button").await;
    wait_text(&browser, "#completeness", "1\nđang trả lại").await;

    // She reads why, corrects, and submits again.
    switch_to(&browser, &app, "officer").await;
    wait_text(&browser, "#open-rounds", "Số buổi chưa khớp biên bản.").await;
    browser
        .goto(&app.url(&format!("/rounds/{round}/reports/{XUAN_BINH}")))
        .await
        .unwrap();
    wait_text(&browser, "#return-reason", "Số buổi chưa khớp biên bản.").await;
    type_into(&browser, "#f-sessions_held", "4").await;
    click(&browser, "button[value=submit]").await;
    // Submitting cannot be taken back: the page asks first.
    browser.accept_alert().await.unwrap();
    wait_text(&browser, "#report-state", "Đã nộp lại").await;

    // The Department accepts; the figures count.
    switch_to(&browser, &app, ADMIN).await;
    browser
        .goto(&app.url(&format!("/rounds/{round}/reports/{XUAN_BINH}")))
        .await
        .unwrap();
    click(&browser, "#accept-form button").await;
    wait_text(&browser, "#completeness", "1\nđã tiếp nhận").await;
    browser
        .goto(&app.url(&format!("/rounds/{round}/figures")))
        .await
        .unwrap();
    let totals = text_of(&browser, "#totals").await;
    assert!(totals.contains("120") && totals.contains("4"), "{totals}");
    browser.close().await.unwrap();
}
