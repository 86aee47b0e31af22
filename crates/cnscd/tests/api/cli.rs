use crate::helpers::*;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

fn cnscd(database_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cnscd"))
        .args(args)
        .env("CNSCD_DATABASE_URL", database_url)
        .env_remove("CNSCD_PROVINCE")
        .output()
        .expect("run cnscd")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn demo_fills_the_province_once_and_refuses_to_mix_with_real_data() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(&dir).await;
    let first = cnscd(&url, &["demo", "--teams-per-commune", "4"]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(text(&first.stdout).contains("Đã tạo dữ liệu mẫu: 1 tỉnh"));

    let store = cnscd_store::Store::open(&url).await.unwrap();
    let overview = store.province_overview(PROVINCE).await.unwrap();
    assert!(overview.totals.teams > 300, "every commune has teams");
    assert!(
        overview.communes_without_team > 0,
        "and a few problems to find"
    );
    assert!(overview.totals.members_without_phone > 0);
    store.close().await;

    let again = cnscd(&url, &["demo"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        text(&again.stderr).contains("đã có dữ liệu tổ"),
        "{}",
        text(&again.stderr)
    );
}

#[tokio::test]
async fn settings_are_checked_and_errors_are_in_vietnamese() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(&dir).await;
    let set = cnscd(
        &url,
        &["settings", "--min-members", "5", "--max-members", "7"],
    );
    assert!(set.status.success());
    assert!(text(&set.stdout).contains("tổ có từ 5 đến 7 thành viên"));
    let absurd = cnscd(
        &url,
        &["settings", "--min-members", "9", "--max-members", "3"],
    );
    assert_eq!(absurd.status.code(), Some(2));
    assert!(text(&absurd.stderr).contains("Lỗi: Số thành viên tối thiểu"));
    let unknown = cnscd(&url, &["--province", "99", "settings"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("không có tỉnh mã «99»"));
}

#[test]
fn help_is_vietnamese_and_openapi_is_printed() {
    let help = Command::new(env!("CARGO_BIN_EXE_cnscd"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(text(&help.stdout).contains("Sổ đăng ký Tổ Công nghệ số cộng đồng"));
    let doc = Command::new(env!("CARGO_BIN_EXE_cnscd"))
        .arg("openapi")
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&doc.stdout).unwrap();
    assert!(doc["paths"]["/api/v1/teams"].is_object());
}

#[tokio::test]
async fn serve_needs_no_set_up_and_creates_its_database_where_told() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cnscd = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_cnscd"))
            .args(args)
            .current_dir(dir.path())
            .env_remove("CNSCD_DATABASE_URL")
            .output()
            .unwrap();
        assert!(output.status.success(), "cnscd {args:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let console = dir.path().join("console.txt");
    let mut server = Command::new(env!("CARGO_BIN_EXE_cnscd"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .current_dir(dir.path())
        .env_remove("CNSCD_DATABASE_URL")
        .stdout(std::fs::File::create(&console).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut page = None;
    for _ in 0..100 {
        if let Ok(response) = reqwest::get(format!("http://127.0.0.1:{port}/")).await {
            page = Some(response.text().await.unwrap());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let console = std::fs::read_to_string(&console).unwrap();
    assert!(
        console.contains("tài khoản quản trị tỉnh «admin», mật khẩu «"),
        "a new installation shows its first admin's password once: {console}"
    );
    let token = cnscd(&["user", "token", "admin", "--name", "kiểm thử"]);
    let communes = token_client(token.trim())
        .get(format!("http://127.0.0.1:{port}/api/v1/communes"))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    let page = page.expect("server answered");
    assert!(page.contains("Đăng nhập"), "the home page asks to sign in");
    assert_eq!(communes["total"], 166, "166 communes preloaded");
    assert!(
        dir.path().join("cnscd-data/cnscd.db").exists(),
        "default database under ./cnscd-data/"
    );
}

#[tokio::test]
async fn onboarding_from_the_console_prints_each_first_password_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(&dir).await;
    let list = dir.path().join("can-bo.csv");
    std::fs::write(
        &list,
        "Họ và tên,Xã/phường,Số điện thoại\nLê Thị Hoa,Xuân Bình,0912345678\nTrần Nam,Không Có,\n",
    )
    .unwrap();
    let refused = cnscd(
        &url,
        &[
            "--province",
            "12",
            "user",
            "onboard",
            "--file",
            list.to_str().unwrap(),
        ],
    );
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("Dòng 2: không có xã/phường «Xuân Bình» trong tỉnh."),
        "{}",
        text(&refused.stderr)
    );
    assert!(text(&refused.stderr).contains("Dòng 3:"));

    let every = cnscd(
        &url,
        &["--province", "12", "user", "onboard", "--every-commune"],
    );
    assert!(every.status.success(), "{}", text(&every.stderr));
    let lines: Vec<String> = text(&every.stdout)
        .lines()
        .skip(1)
        .map(String::from)
        .collect();
    assert_eq!(lines.len(), 38, "a line per commune of Lai Châu");
    let (username, password) = {
        let fields: Vec<&str> = lines[0].split('\t').collect();
        (fields[1].to_string(), fields[2].to_string())
    };
    let store = cnscd_store::Store::open(&url).await.unwrap();
    let user = store.user_by_username(&username).await.unwrap();
    assert!(user.must_change_password);
    assert!(store.password_matches(user.id, &password).await.unwrap());
}

#[tokio::test]
async fn the_blank_template_holds_no_example_rows_and_logs_to_a_pipe_carry_no_colour_codes() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(&dir).await;
    let blank = dir.path().join("mau.xlsx");
    std::fs::write(&blank, cnscd_services::export::blank_template()).unwrap();
    let empty = cnscd(&url, &["import", "--dry-run", blank.to_str().unwrap()]);
    assert!(text(&empty.stdout).contains("không có dòng dữ liệu nào dưới dòng tiêu đề"));
    assert!(
        !text(&empty.stdout).contains("Hạc Thành"),
        "no example rows in the blank"
    );
    assert!(
        !text(&empty.stderr).contains('\u{1b}'),
        "{}",
        text(&empty.stderr)
    );
}
