//! In a real browser: the officer records her leader's consent; then a citizen on a 390 px phone, without
//! signing in, finds her village's team and its leader's phone.

use crate::browser::{
    click, connect, free_port, sign_in_browser, small_targets, start_driver, text_of, wait_text,
};
use crate::helpers::*;
use fantoccini::Locator;

#[tokio::test]
async fn a_citizen_on_a_phone_finds_her_village_leader_once_the_leader_consented() {
    let port = free_port();
    let Some(_driver) = start_driver(port) else {
        return;
    };
    let app = spawn_app().await;
    let team = app
        .create_team(XUAN_BINH, "Tổ CNSCĐ thôn Đông", "Lê Thị Hoa", "0914994123")
        .await["id"]
        .as_i64()
        .unwrap();
    app.create_team(XUAN_BINH, "Tổ CNSCĐ thôn Tây", "Đỗ Văn Em", "0912000111")
        .await;
    let leader = app.members_of(team).await[0]["id"].as_i64().unwrap();
    app.add_user("officer", "commune_officer", Some(XUAN_BINH))
        .await;
    let browser = connect(port).await;

    // The officer records, on the leader's page, that she signed the consent form.
    sign_in_browser(&browser, &app, "officer").await;
    browser
        .goto(&app.url(&format!("/members/{leader}/edit")))
        .await
        .unwrap();
    browser
        .find(Locator::Css("#f-method option[value=paper_form]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click(&browser, "form[action$='/consent'] button").await;
    wait_text(&browser, "main", "phiếu đồng ý có chữ ký").await;

    // A citizen, on another phone: no account, no cookie.
    browser.delete_all_cookies().await.unwrap();
    browser.set_window_size(390, 844).await.unwrap();
    browser.goto(&app.url("/public")).await.unwrap();
    let search = browser.find(Locator::Css("input[name=q]")).await.unwrap();
    search.send_keys("xuan binh").await.unwrap();
    click(&browser, "form.find button").await;
    // The unfiltered list has the same link: wait for the search's answer before following it.
    for _ in 0..50 {
        let url = browser.current_url().await.unwrap();
        if url.query().is_some_and(|q| q.contains("q=xuan")) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    wait_text(&browser, "main", "trong 166 xã, phường").await;
    browser
        .wait()
        .for_element(Locator::LinkText("Xã Xuân Bình"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Css("section.team"))
        .await
        .unwrap();
    let text = text_of(&browser, "main").await;
    assert!(text.contains("Tổ CNSCĐ thôn Đông"), "{text}");
    assert!(text.contains("Lê Thị Hoa (Tổ trưởng)"), "{text}");
    assert!(text.contains("0914 994 123"), "{text}");
    assert!(
        !text.contains("Đỗ Văn Em") && !text.contains("0912"),
        "no consent, no name: {text}"
    );
    let call = browser
        .find(Locator::Css("a[href='tel:0914994123']"))
        .await
        .expect("the phone dials with one tap");
    assert!(call.is_displayed().await.unwrap());

    // Made for the phone: nothing wider than the screen, every tap target a finger's size, no script.
    let layout = browser
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth, document.scripts.length]",
            vec![],
        )
        .await
        .unwrap();
    let (scroll, width, scripts) = (
        layout[0].as_i64().unwrap(),
        layout[1].as_i64().unwrap(),
        layout[2].as_i64().unwrap(),
    );
    assert!(
        width <= 390 && scroll <= width,
        "{scroll}px wide in {width}px"
    );
    assert_eq!(scripts, 0);
    let small = small_targets(&browser).await;
    assert!(small.is_empty(), "controls under 44 px: {small:?}");
    let tiny_links = browser
        .execute(
            "return [...document.querySelectorAll('.phone a, ul.communes a')]
                .filter(a => a.getBoundingClientRect().height < 44).length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(tiny_links.as_i64(), Some(0), "phone links a finger can tap");
    let cookies = browser.get_all_cookies().await.unwrap();
    assert!(
        cookies.is_empty(),
        "the public pages set no cookie: {cookies:?}"
    );
    browser.close().await.unwrap();
}
