//! A real browser (headless Debian chromium through chromedriver) walks the registry as an officer does.

use crate::helpers::*;
use fantoccini::{ClientBuilder, Locator};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts chromedriver, or says why the test cannot run (a failure in CI, where it must be installed).
fn start_driver(port: u16) -> Option<Driver> {
    if !std::path::Path::new(CHROMEDRIVER).exists() {
        assert!(
            std::env::var("CI").is_err(),
            "CI must install chromium and chromium-driver"
        );
        eprintln!(
            "skipped: {CHROMEDRIVER} is not installed (apt-get install chromium chromium-driver)"
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

async fn connect(port: u16) -> fantoccini::Client {
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

#[tokio::test]
async fn an_officer_walks_to_a_team_fixes_a_bad_phone_and_finds_the_member_without_diacritics() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let Some(_driver) = start_driver(port) else {
        return;
    };
    let app = spawn_app().await;
    app.create_team(XUAN_BINH, "Tổ thôn Đông", "Nguyễn Văn An", "0914994123")
        .await;
    let browser = connect(port).await;

    browser.goto(&app.url("/")).await.unwrap();
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
    assert!(live.text().await.unwrap().contains("không hợp lệ"));
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
        .contains("Số điện thoại «0914 99» không hợp lệ"));
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
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
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

    browser.goto(&app.url("/")).await.unwrap();
    browser
        .find(Locator::LinkText("Nhập/xuất Excel"))
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
