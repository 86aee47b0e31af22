//! Small files built to exhaust a reader: each must be refused with a Vietnamese message naming the limit,
//! by the CLI under a memory cap and by a running server that stays up. The files are made here, byte by
//! byte where needed: a cell at `XFD1048576`, an `.xls` with a cell at each corner of every sheet, an `.ods`
//! whose one cell repeats across 16,384 columns, a shared-strings table declaring four billion texts, XML
//! nested a hundred thousand deep, sixty sheets, and a CSV with data after 200,000 blank lines.

use crate::helpers::*;
use std::io::{Cursor, Write};
use std::process::Command;

/// Address space the CLI may use while reading a hostile file: a bound far below what the files would take
/// (hundreds of GB), with room for the runtime's own reservations.
const MEMORY_CAP_BYTES: u64 = 1024 * 1024 * 1024;

fn zip_of(parts: &[(&str, String)]) -> Vec<u8> {
    let mut archive = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts {
        archive.start_file(*name, options).unwrap();
        archive.write_all(content.as_bytes()).unwrap();
    }
    archive.finish().unwrap().into_inner()
}

/// A minimal `.xlsx` whose sheets hold the given `sheetData` XML, with a shared-strings table.
fn xlsx(sheets: &[String], shared_strings: &str) -> Vec<u8> {
    let mut parts = vec![
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        ("xl/sharedStrings.xml", shared_strings.to_string()),
    ];
    let mut names = String::new();
    let mut rels = String::new();
    for i in 1..=sheets.len() {
        names.push_str(&format!(
            r#"<sheet name="Trang{i}" sheetId="{i}" r:id="rId{i}"/>"#
        ));
        rels.push_str(&format!(r#"<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>"#));
    }
    parts.push(("xl/workbook.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{names}</sheets></workbook>"#)));
    parts.push(("xl/_rels/workbook.xml.rels", format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#)));
    let sheet_names: Vec<String> = (1..=sheets.len())
        .map(|i| format!("xl/worksheets/sheet{i}.xml"))
        .collect();
    for (name, data) in sheet_names.iter().zip(sheets) {
        parts.push((name.as_str(), format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData></worksheet>"#)));
    }
    let parts: Vec<(&str, String)> = parts.iter().map(|(n, c)| (*n, c.clone())).collect();
    zip_of(&parts)
}

const NO_STRINGS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>"#;

fn inline(cell: &str, text: &str) -> String {
    format!(r#"<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// One cell at A1 (`TT`) and one at the last cell Excel has.
fn far_corner_xlsx() -> Vec<u8> {
    let data = format!(
        r#"<row r="1">{}</row><row r="1048576">{}</row>"#,
        inline("A1", "TT"),
        inline("XFD1048576", "x")
    );
    xlsx(&[data], NO_STRINGS)
}

fn huge_string_table_xlsx() -> Vec<u8> {
    let strings = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4000000000" uniqueCount="4000000000"><si><t>a</t></si></sst>"#;
    xlsx(
        &[format!(r#"<row r="1">{}</row>"#, inline("A1", "TT"))],
        strings,
    )
}

fn deep_xml_xlsx() -> Vec<u8> {
    let depth = 100_000;
    let data = format!(
        r#"<row r="1">{}{}{}</row>"#,
        "<x>".repeat(depth),
        inline("A1", "TT"),
        "</x>".repeat(depth)
    );
    xlsx(&[data], NO_STRINGS)
}

fn many_sheets_xlsx() -> Vec<u8> {
    let sheets: Vec<String> = (0..60)
        .map(|_| format!(r#"<row r="1">{}</row>"#, inline("A1", "TT")))
        .collect();
    xlsx(&sheets, NO_STRINGS)
}

/// An `.ods` whose one non-empty cell repeats across 16,384 columns, in 500 rows.
fn repeated_ods() -> Vec<u8> {
    let rows = r#"<table:table-row><table:table-cell office:value-type="string" table:number-columns-repeated="16384"><text:p>x</text:p></table:table-cell></table:table-row>"#.repeat(500);
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Trang1">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    zip_of(&[
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet".into()),
        ("content.xml", content),
        (
            "META-INF/manifest.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#.into(),
        ),
    ])
}

fn record(kind: u16, data: &[u8]) -> Vec<u8> {
    let mut out = kind.to_le_bytes().to_vec();
    out.extend((data.len() as u16).to_le_bytes());
    out.extend(data);
    out
}

/// A BIFF8 NUMBER record at (row, column).
fn number(row: u16, column: u16) -> Vec<u8> {
    let mut data = row.to_le_bytes().to_vec();
    data.extend(column.to_le_bytes());
    data.extend(0u16.to_le_bytes());
    data.extend(1.0f64.to_le_bytes());
    record(0x0203, &data)
}

/// An `.xls` of `sheets` sheets, each declaring and using the whole of Excel 97's 65,536 × 256 cells: a cell at
/// each corner.
fn corners_xls(sheets: usize) -> Vec<u8> {
    let bof = |kind: u16| {
        let mut data = 0x0600u16.to_le_bytes().to_vec();
        data.extend(kind.to_le_bytes());
        data.extend([0u8; 12]);
        record(0x0809, &data)
    };
    let eof = record(0x000A, &[]);
    let sheet_stream = {
        let mut dimensions = 0u32.to_le_bytes().to_vec();
        dimensions.extend(65_536u32.to_le_bytes());
        dimensions.extend(0u16.to_le_bytes());
        dimensions.extend(256u16.to_le_bytes());
        dimensions.extend(0u16.to_le_bytes());
        let mut s = bof(0x0010);
        s.extend(record(0x0200, &dimensions));
        for (row, column) in [(0, 0), (0, 255), (65_535, 0), (65_535, 255)] {
            s.extend(number(row, column));
        }
        s.extend(&eof);
        s
    };
    let bound_sheet = |offset: u32, name: &str| {
        let mut data = offset.to_le_bytes().to_vec();
        data.extend([0u8, 0u8]);
        data.push(name.len() as u8);
        data.push(0);
        data.extend(name.as_bytes());
        record(0x0085, &data)
    };
    let globals_len = |count: usize| {
        bof(0x0005).len()
            + (0..count)
                .map(|i| bound_sheet(0, &format!("S{i}")).len())
                .sum::<usize>()
            + eof.len()
    };
    let mut stream = bof(0x0005);
    let start = globals_len(sheets);
    for i in 0..sheets {
        let offset = start + i * sheet_stream.len();
        stream.extend(bound_sheet(offset as u32, &format!("S{i}")));
    }
    stream.extend(&eof);
    for _ in 0..sheets {
        stream.extend(&sheet_stream);
    }
    let mut compound = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    compound
        .create_stream("/Workbook")
        .unwrap()
        .write_all(&stream)
        .unwrap();
    compound.flush().unwrap();
    compound.into_inner().into_inner()
}

/// A commune's list with 200,000 blank lines in the middle of it.
fn blank_rows_csv() -> Vec<u8> {
    let mut text = String::from(
        "TT,Tên Phường\\xã,Tên Tổ,Số Quyết định,Họ tên thành viên,Chức vụ trong tổ,Số điện thoại liên hệ,Ghi chú\n\
         1,Xã Xuân Bình,Thôn 1,01/QĐ-UBND ngày 10/7/2025,Lê Văn An,Tổ trưởng,0914994123,\n",
    );
    text.push_str(&",,,,,,,\n".repeat(200_000));
    text.push_str(",,,,Lê Văn Bình,Thành viên,0914994124,\n");
    text.into_bytes()
}

/// Each hostile file and words its refusal must contain.
fn corpus() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    vec![
        ("goc-xa.xlsx", far_corner_xlsx(), "dòng 1.048.576"),
        ("chuoi.xlsx", huge_string_table_xlsx(), "quá nhiều chuỗi"),
        ("long.xlsx", deep_xml_xlsx(), "«long.xlsx»"),
        ("nhieu-trang.xlsx", many_sheets_xlsx(), "50 trang"),
        ("lap.ods", repeated_ods(), "cột"),
        ("goc.xls", corners_xls(3), "quá giới hạn"),
        ("dong-trong.csv", blank_rows_csv(), "dòng 200.003"),
    ]
}

#[tokio::test]
async fn the_cli_refuses_each_hostile_file_within_a_memory_cap() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(&dir).await;
    let store = cnscd_store::Store::open(&url).await.unwrap();
    store.preload_units().await.unwrap();
    store.close().await;
    let capped = Command::new("prlimit").arg("--version").output().is_ok();
    assert!(
        capped || std::env::var("CI").is_err(),
        "CI must have prlimit (util-linux)"
    );
    for (name, bytes, expected) in corpus() {
        assert!(
            bytes.len() < 2 * 1024 * 1024,
            "{name} is small: {} bytes",
            bytes.len()
        );
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let mut command = if capped {
            let mut c = Command::new("prlimit");
            c.arg(format!("--as={MEMORY_CAP_BYTES}"))
                .arg(env!("CARGO_BIN_EXE_cnscd"));
            c
        } else {
            eprintln!("SKIPPED memory cap: prlimit is not installed");
            Command::new(env!("CARGO_BIN_EXE_cnscd"))
        };
        let output = command
            .args(["import", "--dry-run", path.to_str().unwrap()])
            .env("CNSCD_DATABASE_URL", &url)
            .env_remove("CNSCD_PROVINCE")
            .output()
            .unwrap();
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            matches!(output.status.code(), Some(1) | Some(2)),
            "{name}: refused, not killed ({:?}): {said}",
            output.status
        );
        assert!(
            said.contains(expected),
            "{name}: the message names the limit: {said}"
        );
    }
}

#[tokio::test]
async fn a_server_refuses_each_hostile_upload_and_stays_up() {
    let app = spawn_app().await;
    let session = app.sign_in(ADMIN).await;
    for (name, bytes, expected) in corpus() {
        let form = reqwest::multipart::Form::new()
            .text("csrf", session.csrf.clone())
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name),
            );
        let answer = session
            .client
            .post(session.url("/import"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(
            answer.status(),
            reqwest::StatusCode::UNPROCESSABLE_ENTITY,
            "{name}"
        );
        let page = answer.text().await.unwrap();
        assert!(page.contains(expected), "{name}: {page}");
        assert!(!page.contains("/apply"), "{name}: nothing to apply");
    }
    assert_eq!(
        app.get_json("/api/v1/teams").await["total"],
        0,
        "nothing written"
    );
}

/// Kills the server when the test ends, however it ends.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn a_server_under_a_memory_cap_refuses_them_all_and_stays_up() {
    if Command::new("prlimit").arg("--version").output().is_err() {
        assert!(
            std::env::var("CI").is_err(),
            "CI must have prlimit (util-linux)"
        );
        eprintln!("SKIPPED capped server: prlimit is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(&dir).await;
    let cnscd = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_cnscd"))
            .args(args)
            .env("CNSCD_DATABASE_URL", &url)
            .env("CNSCD_NEW_PASSWORD", PASSWORD)
            .env_remove("CNSCD_PROVINCE")
            .output()
            .unwrap()
    };
    assert!(cnscd(&["user", "add", "admin", "--role", "province_admin"])
        .status
        .success());
    let token = String::from_utf8(cnscd(&["user", "token", "admin"]).stdout).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _server = Server(
        Command::new("prlimit")
            .arg(format!("--as={MEMORY_CAP_BYTES}"))
            .arg(env!("CARGO_BIN_EXE_cnscd"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .env("CNSCD_DATABASE_URL", &url)
            .env_remove("CNSCD_PROVINCE")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let client = token_client(token.trim());
    let base = format!("http://127.0.0.1:{port}");
    let mut up = false;
    for _ in 0..100 {
        if client
            .get(format!("{base}/api/v1/teams"))
            .send()
            .await
            .is_ok()
        {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(up, "the server started");
    for (name, bytes, expected) in corpus() {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name),
        );
        let answer = client
            .post(format!("{base}/import"))
            .multipart(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{name}: the server answered: {e}"));
        assert_eq!(
            answer.status(),
            reqwest::StatusCode::UNPROCESSABLE_ENTITY,
            "{name}"
        );
        assert!(answer.text().await.unwrap().contains(expected), "{name}");
    }
    let alive = client
        .get(format!("{base}/api/v1/teams"))
        .send()
        .await
        .unwrap();
    assert_eq!(alive.status(), reqwest::StatusCode::OK, "still serving");
}

#[tokio::test]
async fn a_file_with_an_error_on_every_row_gets_a_short_page_and_a_full_list_to_download() {
    let app = spawn_app().await;
    let session = app.sign_in(ADMIN).await;
    let mut text = String::from(
        "TT,Tên Phường\\xã,Tên Tổ,Số Quyết định,Họ tên thành viên,Chức vụ trong tổ,Số điện thoại liên hệ,Ghi chú\n",
    );
    for i in 0..20_000 {
        text.push_str(&format!(
            "{i},Xã Xuân Bình,Thôn {i},,Lê Văn An,Tổ trưởng,12345,\n"
        ));
    }
    let form = reqwest::multipart::Form::new()
        .text("csrf", session.csrf.clone())
        .part(
            "file",
            reqwest::multipart::Part::bytes(text.into_bytes()).file_name("sai-het.csv"),
        );
    let answer = session
        .client
        .post(session.url("/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    let page = answer.text().await.unwrap();
    assert!(
        page.len() < 500_000,
        "the page stays small: {} bytes",
        page.len()
    );
    let counted = page
        .split("<b>Có ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap();
    assert!(
        counted.parse::<usize>().unwrap() >= 20_000,
        "every error is counted: {counted}"
    );
    assert!(
        page.contains("<td class=\"num\">20000</td><td>Số điện thoại"),
        "and counted by kind"
    );
    assert!(page.contains("chỉ liệt kê 300 lỗi đầu tiên"));
    assert!(!page.contains("/apply"));
    let start = page.find("href=\"/import/").expect("a download link") + 6;
    let link = &page[start..start + page[start..].find('"').unwrap()];
    let csv = session.get(link).await;
    assert_eq!(csv.status(), reqwest::StatusCode::OK);
    let csv = csv.text().await.unwrap();
    // Up to the import's bound: the invalid phones (a leader refused for her phone still leads her team, so
    // no team is also called leaderless).
    assert_eq!(csv.lines().count(), 1 + 10_000);
    assert!(!csv.contains("leader_missing"));
    assert!(csv.lines().nth(1).unwrap().contains("phone_invalid"));
}
