//! A real browser (headless Debian chromium through chromedriver) walks the registry as an officer does.

use crate::helpers::*;
use fantoccini::{ClientBuilder, Locator};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub(crate) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts chromedriver, or says why the test cannot run (a failure in CI, where it must be installed).
pub(crate) fn start_driver(port: u16) -> Option<Driver> {
    if !std::path::Path::new(CHROMEDRIVER).exists() {
        assert!(
            std::env::var("CI").is_err(),
            "CI must install chromium and chromium-driver"
        );
        eprintln!(
            "SKIPPED browser test: {CHROMEDRIVER} is not installed (apt-get install chromium chromium-driver)"
        );
        return None;
    }
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    Some(Driver(child))
}

pub(crate) async fn connect(port: u16) -> fantoccini::Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({"args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--window-size=412,915"]}),
    );
    for _ in 0..50 {
        if let Ok(client) = ClientBuilder::native()
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            return client;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("chromedriver did not answer");
}

/// A port free on this machine, for chromedriver.
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) async fn click(browser: &fantoccini::Client, css: &str) {
    browser
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css} on the page"))
        .click()
        .await
        .unwrap();
}

/// The text of the first element matching `css`, once the page has it. A click's page may still be loading:
/// an element of the page before it goes stale, and is looked for again (up to five seconds).
pub(crate) async fn text_of(browser: &fantoccini::Client, css: &str) -> String {
    for _ in 0..50 {
        if let Ok(element) = browser.find(Locator::Css(css)).await {
            if let Ok(text) = element.text().await {
                return text;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} on the page");
}

/// Waits (up to five seconds) until the element's text holds `expected`: a click's page may still be loading.
pub(crate) async fn wait_text(browser: &fantoccini::Client, css: &str, expected: &str) {
    let mut seen = String::new();
    for _ in 0..50 {
        if let Ok(element) = browser.find(Locator::Css(css)).await {
            seen = element.text().await.unwrap_or_default();
            if seen.contains(expected) {
                return;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{css} should say «{expected}», says «{seen}»");
}

/// Opens the header's menu, folded behind one button on a phone.
async fn open_menu(browser: &fantoccini::Client) {
    browser
        .find(Locator::Css("details.menu > summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Fills the sign-in form as a person does; lands on the account's home page.
pub(crate) async fn sign_in_browser(browser: &fantoccini::Client, app: &TestApp, username: &str) {
    browser.goto(&app.url("/")).await.unwrap();
    assert!(browser.current_url().await.unwrap().path() == "/login");
    browser
        .find(Locator::Css("input[name=username]"))
        .await
        .unwrap()
        .send_keys(username)
        .await
        .unwrap();
    browser
        .find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    browser
        .find(Locator::Css("form[action='/login'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    if browser
        .wait()
        .for_element(Locator::Css("form[action='/logout']"))
        .await
        .is_err()
    {
        panic!("not signed in: {}", browser.source().await.unwrap());
    }
}

#[tokio::test]
async fn a_commune_officer_edits_her_team_cannot_open_another_communes_team_and_signs_out() {
    let port = free_port();
    let Some(_driver) = start_driver(port) else {
        return;
    };
    let app = spawn_app().await;
    let own = app
        .create_team(XUAN_BINH, "Tổ thôn Đông", "Nguyễn Văn An", "0914994123")
        .await;
    let other = app
        .create_team(HAC_THANH, "Tổ dân phố 1", "Lê Văn Bình", "0914994124")
        .await;
    app.add_user("hoa.xuanbinh", "commune_officer", Some(XUAN_BINH))
        .await;
    let browser = connect(port).await;

    sign_in_browser(&browser, &app, "hoa.xuanbinh").await;
    assert_eq!(
        browser.current_url().await.unwrap().path(),
        format!("/communes/{XUAN_BINH}"),
        "her home is her commune"
    );
    browser
        .find(Locator::LinkText("Tổ thôn Đông"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .find(Locator::LinkText("Sửa, chuyển hoặc giải thể tổ"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let name = browser.find(Locator::Id("f-name")).await.unwrap();
    name.clear().await.unwrap();
    name.send_keys("Tổ thôn Đông Hải").await.unwrap();
    browser
        .find(Locator::Css("form[action$='/edit'] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let heading = browser
        .wait()
        .for_element(Locator::XPath("//h1[contains(., 'Tổ thôn Đông Hải')]"))
        .await
        .expect("saved under the new name");
    assert!(heading.text().await.unwrap().contains("Đông Hải"));
    let history = browser.find(Locator::Css("table.audit")).await.unwrap();
    assert!(
        history.text().await.unwrap().contains("hoa.xuanbinh"),
        "the change is in the team's history, with her name"
    );

    browser
        .goto(&app.url(&format!("/teams/{}", other["id"])))
        .await
        .unwrap();
    let body = browser.find(Locator::Css("main")).await.unwrap();
    assert!(body.text().await.unwrap().contains("Không tìm thấy tổ"));
    assert!(!browser.source().await.unwrap().contains("0914 994 124"));

    // The error page keeps her menu: she signs out from there.
    open_menu(&browser).await;
    browser
        .find(Locator::Css("details.menu form[action='/logout'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Css("form[action='/login']"))
        .await
        .expect("back to the sign-in form");
    browser
        .goto(&app.url(&format!("/teams/{}", own["id"])))
        .await
        .unwrap();
    assert_eq!(
        browser.current_url().await.unwrap().path(),
        "/login",
        "signed out: the team page asks to sign in again"
    );
    browser.close().await.unwrap();
}

#[tokio::test]
async fn an_officer_walks_to_a_team_fixes_a_bad_phone_and_finds_the_member_without_diacritics() {
    let port = free_port();
    let Some(_driver) = start_driver(port) else {
        return;
    };
    let app = spawn_app().await;
    app.create_team(XUAN_BINH, "Tổ thôn Đông", "Nguyễn Văn An", "0914994123")
        .await;
    let browser = connect(port).await;

    sign_in_browser(&browser, &app, ADMIN).await;
    browser
        .find(Locator::LinkText("Xã Xuân Bình"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .find(Locator::LinkText("Tổ thôn Đông"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(browser
        .current_url()
        .await
        .unwrap()
        .path()
        .starts_with("/teams/"));

    browser
        .find(Locator::Id("f-full_name"))
        .await
        .unwrap()
        .send_keys("Hoàng Thị Thuý")
        .await
        .unwrap();
    let phone = browser.find(Locator::Id("f-phone")).await.unwrap();
    phone.send_keys("0914 99").await.unwrap();
    // Checked as the officer types, by the server's own rule.
    let live = browser
        .wait()
        .at_most(Duration::from_secs(5))
        .for_element(Locator::Css("#f-phone-check.invalid"))
        .await
        .unwrap();
    assert!(live.text().await.unwrap().contains("Số điện thoại «"));
    browser
        .find(Locator::Css("#add-member-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    let error = browser
        .wait()
        .for_element(Locator::Id("f-phone-error"))
        .await
        .unwrap();
    assert!(error
        .text()
        .await
        .unwrap()
        .contains("Số điện thoại «0914 99» không đủ hoặc thừa chữ số"));
    let phone = browser.find(Locator::Id("f-phone")).await.unwrap();
    assert_eq!(
        phone.prop("value").await.unwrap().as_deref(),
        Some("0914 99"),
        "what was typed is kept"
    );
    phone.clear().await.unwrap();
    phone.send_keys("0914 994 777").await.unwrap();
    browser
        .find(Locator::Css("#add-member-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The page with the error has a members table too: wait for the saved member's row.
    let saved = Locator::XPath("//table[@id='members']//td[contains(., 'Hoàng Thị Thúy')]");
    browser.wait().for_element(saved).await.unwrap();
    let table = browser
        .find(Locator::Id("members"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        table.contains("Hoàng Thị Thúy") && table.contains("0914 994 777"),
        "{table}"
    );

    let search = browser
        .find(Locator::Css("input[type=search]"))
        .await
        .unwrap();
    search.send_keys("hoang thi thuy\n").await.unwrap();
    let results = browser
        .wait()
        .for_element(Locator::Id("member-results"))
        .await
        .unwrap();
    assert!(results.text().await.unwrap().contains("Hoàng Thị Thúy"));
    browser.close().await.unwrap();
}

/// Chooses a file on the import page, sends it, and waits for the element with `expected_id` on the answer.
async fn upload_file(
    browser: &fantoccini::Client,
    path: &std::path::Path,
    expected_id: &str,
) -> fantoccini::elements::Element {
    let chooser = browser.find(Locator::Id("f-file")).await.unwrap();
    chooser
        .send_keys(&path.display().to_string())
        .await
        .unwrap();
    browser
        .find(Locator::Css("form[data-upload] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Id(expected_id))
        .await
        .unwrap()
}

#[tokio::test]
async fn an_officer_uploads_a_file_sees_its_errors_then_applies_a_good_one() {
    let port = free_port();
    let Some(_driver) = start_driver(port) else {
        return;
    };
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let faulty = dir.path().join("loi.xlsx");
    std::fs::write(&faulty, crate::import_export::faulty_workbook()).unwrap();
    let good = dir.path().join("xuan-binh.xlsx");
    std::fs::write(&good, crate::import_export::messy_workbook()).unwrap();
    let browser = connect(port).await;

    sign_in_browser(&browser, &app, ADMIN).await;
    open_menu(&browser).await;
    browser
        .find(Locator::Css("details.menu a[href='/import']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let errors = upload_file(&browser, &faulty, "import-errors").await;
    assert!(
        errors.text().await.unwrap().contains("Xã Xuân Bình"),
        "the suggestion is shown"
    );

    let apply = upload_file(&browser, &good, "apply-import").await;
    apply.click().await.unwrap();
    // The preview has a summary too: wait for the applied one.
    let summary = browser
        .wait()
        .for_element(Locator::Css("#import-summary.info"))
        .await
        .unwrap();
    assert!(summary.text().await.unwrap().contains("Đã nhập."));
    browser
        .goto(&app.url("/search?q=pham+thi+thuy"))
        .await
        .unwrap();
    let results = browser
        .wait()
        .for_element(Locator::Id("member-results"))
        .await
        .unwrap();
    assert!(results.text().await.unwrap().contains("Phạm Thị Thúy"));
    browser.close().await.unwrap();
}

/// Visible controls lower than a finger (44 px), as "tag.class text (height)".
const SMALL_TARGETS: &str = r#"
    const selector = "button, .button, summary, select, nav.links a, header.top a, \
        input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file])";
    return [...document.querySelectorAll(selector)]
        .filter(e => e.offsetParent !== null)
        .map(e => [e, e.getBoundingClientRect().height])
        .filter(([e, h]) => h < 44)
        .map(([e, h]) => `${e.tagName}.${e.className} «${(e.textContent || e.name || "").trim()}» (${h}px)`);
"#;

pub(crate) async fn small_targets(browser: &fantoccini::Client) -> Vec<serde_json::Value> {
    let found = browser.execute(SMALL_TARGETS, vec![]).await.unwrap();
    found.as_array().unwrap().clone()
}

#[tokio::test]
async fn on_a_390_px_phone_content_starts_high_targets_fit_a_finger_and_the_commune_column_stays() {
    let port = free_port();
    let Some(_driver) = start_driver(port) else {
        return;
    };
    let app = spawn_app().await;
    app.create_team(XUAN_BINH, "Tổ thôn Đông", "Nguyễn Văn An", "0914994123")
        .await;
    let browser = connect(port).await;
    browser.set_window_size(390, 844).await.unwrap();
    sign_in_browser(&browser, &app, ADMIN).await;
    let width = browser
        .execute("return window.innerWidth", vec![])
        .await
        .unwrap();
    assert!(
        width.as_i64().unwrap() <= 390,
        "a phone-sized window: {width}"
    );

    // The page's own content begins in the first third of the screen.
    let top = browser
        .execute(
            "return [document.querySelector('main').getBoundingClientRect().top, window.innerHeight]",
            vec![],
        )
        .await
        .unwrap();
    let (main_top, height) = (top[0].as_f64().unwrap(), top[1].as_f64().unwrap());
    assert!(
        main_top < height / 3.0,
        "content starts at {main_top}px of {height}px"
    );

    for page in [
        "/",
        &format!("/communes/{XUAN_BINH}"),
        "/import",
        "/admin/users",
        "/rounds",
        "/rounds/new",
    ] {
        browser.goto(&app.url(page)).await.unwrap();
        let small = small_targets(&browser).await;
        assert!(small.is_empty(), "{page}: controls under 44 px: {small:?}");
        open_menu(&browser).await;
        let small = small_targets(&browser).await;
        assert!(small.is_empty(), "{page} with the menu open: {small:?}");
    }

    // Scrolled sideways, the overview keeps the commune's name in view while the numbers move.
    browser.goto(&app.url("/")).await.unwrap();
    let positions = browser
        .execute(
            r#"const wrap = document.querySelector('.table-wrap');
               const row = document.querySelector('#communes tbody tr');
               const before = [row.cells[0].getBoundingClientRect().left, row.cells[2].getBoundingClientRect().left];
               wrap.scrollLeft = 300;
               const after = [row.cells[0].getBoundingClientRect().left, row.cells[2].getBoundingClientRect().left];
               return [wrap.scrollWidth > wrap.clientWidth, before, after, wrap.getBoundingClientRect().left];"#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(positions[0], true, "the table is wider than the phone");
    let left = |i: usize, j: usize| positions[i][j].as_f64().unwrap();
    let wrap_left = positions[3].as_f64().unwrap();
    assert!(
        (left(2, 0) - wrap_left).abs() <= 2.0,
        "the commune column stays: {positions}"
    );
    assert!(
        left(2, 1) < left(1, 1) - 100.0,
        "the other columns scroll: {positions}"
    );
    browser.close().await.unwrap();
}
