use crate::helpers::*;
use crate::workbook::*;
use cnscd_store::Store;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

struct Cli {
    url: String,
    dir: tempfile::TempDir,
}

impl Cli {
    async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = fresh_database(&dir).await;
        let store = Store::open(&url).await.unwrap();
        store.preload_units().await.unwrap();
        store.close().await;
        Self { url, dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let output = Command::new(env!("CARGO_BIN_EXE_cnscd"))
            .args(args)
            .env("CNSCD_DATABASE_URL", &self.url)
            .env_remove("CNSCD_PROVINCE")
            .output()
            .unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// `cnscd import --json FILE…`: the exit code and the report.
    fn import(&self, files: &[&Path], extra: &[&str]) -> (i32, Value) {
        let mut args = vec!["import", "--json"];
        args.extend(extra);
        let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
        args.extend(paths.iter().map(String::as_str));
        let (code, stdout, stderr) = self.run(&args);
        let report = serde_json::from_str(&stdout)
            .unwrap_or_else(|_| panic!("JSON report, got {stdout} {stderr}"));
        (code, report)
    }

    async fn store(&self) -> Store {
        Store::open(&self.url).await.unwrap()
    }
}

fn codes(report: &Value, kind: &str) -> Vec<String> {
    report[kind]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap().to_string())
        .collect()
}

/// A file as communes really send it: a title block and the national motto above a header on row 7, columns
/// reordered with an extra one, two sheets (merged blocks in one, unmerged in the other), decomposed Unicode,
/// every writing of roles, phones and decisions, blank rows and a TỔNG row.
pub fn messy_workbook() -> Vec<u8> {
    let motto = vec![
        Text(""),
        Text(""),
        Text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ];
    let first = Sheet {
        name: "Xuân Bình",
        rows: vec![
            vec![Text("UBND XÃ XUÂN BÌNH")],
            motto.clone(),
            vec![Text(""), Text(""), Text("Độc lập - Tự do - Hạnh phúc")],
            vec![],
            vec![Text("DANH SÁCH TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG")],
            vec![],
            vec![
                Text("STT"),
                Text("Xã/phường"),
                Text("Tên tổ"),
                Text("Họ và tên"),
                Text("Năm sinh"),
                Text("Chức vụ"),
                Text("SĐT"),
                Text("Quyết định thành lập"),
                Text("Ghi chú"),
            ],
            vec![
                Text("1"),
                Text("Xuân Bình"),
                Text("Thôn 1"),
                Text("NGUYỄN VĂN AN"),
                Number(1970.0),
                Text("TỔ TRƯỞNG"),
                Number(914994123.0),
                Text("01/QĐ-UBND ngày 10/7/2025"),
                Text(""),
            ],
            vec![
                Text(""),
                Text(""),
                Text(""),
                Text("Le\u{302} Thi\u{323} Hoa\u{300}"),
                Text(""),
                Text("Phó tổ trưởng"),
                Text("0914.994.124"),
                Text(""),
                Text(""),
            ],
            vec![
                Text(""),
                Text(""),
                Text(""),
                Text("Trần  Văn   Bình"),
                Text(""),
                Text("TV"),
                Text("+84 914 994 125"),
                Text(""),
                Text(""),
            ],
            vec![],
            vec![
                Text(""),
                Text(""),
                Text("Thôn 2"),
                Text("Phạm Thị Thuý"),
                Text(""),
                Text("tổ trưởng"),
                Text("84914994126"),
                Text("Số 02/QĐ-UBND, ngày 10 tháng 7 năm 2025"),
                Text(""),
            ],
            vec![
                Text(""),
                Text(""),
                Text(""),
                Text("Đỗ Văn Cường"),
                Text(""),
                Text("Tổ viên"),
                Text("(0914) 994-127"),
                Text(""),
                Text("=HYPERLINK(\"x\")"),
            ],
            vec![
                Text(""),
                Text(""),
                Text("Thôn 3"),
                Text("Hoàng Văn Dũng"),
                Text(""),
                Text("Tổ Trưởng"),
                Text(""),
                Text("QĐ số 03/QĐ-UBND\nngày 10/07/2025"),
                Text(""),
            ],
            vec![
                Text(""),
                Text(""),
                Text(""),
                Text("Vũ Thị Hà"),
                Text(""),
                Text("thành viên"),
                Text("0237 3852 123"),
                Text(""),
                Text(""),
            ],
            vec![Text(""), Text("TỔNG"), Text("3 tổ"), Text("6 thành viên")],
            vec![
                Text(""),
                Text(""),
                Text("Thôn 9"),
                Text("Không Được Đọc"),
                Text(""),
                Text("Tổ trưởng"),
            ],
        ],
        merges: vec![],
    };
    let second = Sheet {
        name: "Hạc Thành",
        rows: vec![
            vec![Text("DANH SÁCH TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG")],
            vec![],
            header(),
            row([
                "1",
                "PHƯỜNG HẠC THÀNH",
                "Tổ KP1",
                "04/QĐ-UBND - 10.7.2025",
                "Lý Văn Em",
                "Tổ trưởng",
                "0388 123 001",
                "",
            ]),
            row(["", "", "", "", "Lò Thị Gấm", "Thành viên", "0388123002", ""]),
            row([
                "",
                "",
                "Tổ KP2",
                "05/QĐ-UBND ngày 11/7/2025",
                "Cầm Văn Hải",
                "Tổ trưởng",
                "0388123003",
                "",
            ]),
            row(["", "", "", "", "Hà Thị Yến", "Thành viên", "", ""]),
        ],
        // Team and decision merged over their block, commune over the whole commune.
        merges: vec![
            (3, 0, 6, 0),
            (3, 1, 6, 1),
            (3, 2, 4, 2),
            (3, 3, 4, 3),
            (5, 2, 6, 2),
            (5, 3, 6, 3),
        ],
    };
    xlsx(&[first, second])
}

#[tokio::test]
async fn a_messy_workbook_is_read_with_every_writing_normalised() {
    let cli = Cli::new().await;
    let file = cli.write("xuan-binh.xlsx", &messy_workbook());
    let (code, report) = cli.import(&[&file], &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        (
            report["communes"].as_u64(),
            report["teams"].as_u64(),
            report["members"].as_u64()
        ),
        (Some(2), Some(5), Some(11))
    );
    assert_eq!(
        (
            report["added"].as_u64(),
            report["changed"].as_u64(),
            report["removed"].as_u64()
        ),
        (Some(11), Some(0), Some(0))
    );

    let store = cli.store().await;
    let roster = store
        .roster(PROVINCE, &[XUAN_BINH.to_string()])
        .await
        .unwrap();
    let teams = &roster.communes[0].teams;
    assert_eq!(
        teams.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["Thôn 1", "Thôn 2", "Thôn 3"]
    );
    let thon1: Vec<(String, String, Option<String>)> = teams[0]
        .members
        .iter()
        .map(|m| {
            let phone = m.phone.as_ref().map(|p| p.as_str().to_string());
            (
                m.name.as_str().to_string(),
                m.role.code().to_string(),
                phone,
            )
        })
        .collect();
    assert_eq!(
        thon1,
        [
            (
                "Nguyễn Văn An".to_string(),
                "leader".to_string(),
                Some("0914994123".to_string())
            ),
            (
                "Lê Thị Hòa".into(),
                "deputy".into(),
                Some("0914994124".into())
            ),
            (
                "Trần Văn Bình".into(),
                "member".into(),
                Some("0914994125".into())
            ),
        ]
    );
    let decisions: Vec<String> = teams
        .iter()
        .map(|t| {
            format!(
                "{:?}",
                t.decision
                    .as_ref()
                    .map(|d| (d.number.as_str(), d.date.to_string()))
            )
        })
        .collect();
    assert_eq!(decisions[0], r#"Some(("01/QĐ-UBND", "2025-07-10"))"#);
    assert_eq!(decisions[1], r#"Some(("02/QĐ-UBND", "2025-07-10"))"#);
    assert_eq!(decisions[2], r#"Some(("03/QĐ-UBND", "2025-07-10"))"#);
    assert_eq!(
        teams[1].members[0].name.as_str(),
        "Phạm Thị Thúy",
        "old tone placement"
    );
    assert_eq!(
        teams[1].members[1].note, "=HYPERLINK(\"x\")",
        "kept as text"
    );
    assert_eq!(
        teams[2].members[1].phone.as_ref().map(|p| p.as_str()),
        Some("02373852123"),
        "landline"
    );
    let hac_thanh = store
        .roster(PROVINCE, &[HAC_THANH.to_string()])
        .await
        .unwrap();
    let kp = &hac_thanh.communes[0].teams;
    assert_eq!(kp.len(), 2);
    assert_eq!(
        kp[0].decision.as_ref().unwrap().number.as_str(),
        "04/QĐ-UBND"
    );
    assert_eq!(kp[1].members.len(), 2, "merged team cell covers its block");
    store.close().await;
}

/// One block per problem, each in its own team.
pub fn faulty_workbook() -> Vec<u8> {
    xlsx(&[Sheet {
        name: "Danh sách",
        rows: vec![
            header(),
            row([
                "1",
                "Xã Xuân Bìn",
                "Thôn 1",
                "01/QĐ-UBND ngày 10/7/2025",
                "Lê Văn A",
                "Tổ trưởng",
                "0914994123",
                "",
            ]),
            row([
                "2",
                "Xã Xuân Bình",
                "Thôn 2",
                "01/QĐ-UBND ngày 10/7/2025",
                "Lê Văn B",
                "Thành viên",
                "0914994124",
                "",
            ]),
            row([
                "",
                "",
                "Thôn 3",
                "01/QĐ-UBND ngày 10/7/2025",
                "Lê Văn C",
                "Tổ trưởng",
                "0914994125",
                "",
            ]),
            row(["", "", "", "", "Lê Văn D", "Tổ trưởng", "0914994126", ""]),
            row([
                "",
                "",
                "Thôn 4",
                "01/QĐ-UBND ngày 10/7/2025",
                "Lê Văn E",
                "Tổ trưởng",
                "12345",
                "",
            ]),
            row(["", "", "", "", "", "Thành viên", "0914994127", ""]),
            row([
                "",
                "",
                "Thôn 5",
                "Quyết định thành lập tổ",
                "Lê Văn G",
                "Tổ trưởng",
                "0914994128",
                "",
            ]),
            row([
                "",
                "",
                "Thôn 6",
                "01/QĐ-UBND ngày 10/7/2025",
                "Lê Văn H",
                "Tổ trưởng",
                "0914994128",
                "",
            ]),
        ],
        merges: vec![],
    }])
}

#[tokio::test]
async fn every_problem_is_reported_with_its_place_and_nothing_is_written() {
    let cli = Cli::new().await;
    let file = cli.write("loi.xlsx", &faulty_workbook());
    let (code, report) = cli.import(&[&file], &[]);
    assert_eq!(code, 1, "errors mean exit 1");
    let errors = codes(&report, "errors");
    for expected in [
        "commune_unknown",
        "leader_multiple",
        "phone_invalid",
        "name_missing",
        "decision_invalid",
    ] {
        assert!(
            errors.contains(&expected.to_string()),
            "{expected} in {errors:?}"
        );
    }
    // A team without a leader is what the registry itself holds while a team is reorganised: a warning.
    let mut warnings = codes(&report, "warnings");
    warnings.dedup();
    assert_eq!(warnings, ["leader_missing", "phone_duplicate"]);
    let unknown = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "commune_unknown")
        .unwrap();
    assert_eq!(
        (
            unknown["sheet"].as_str(),
            unknown["row"].as_u64(),
            unknown["column"].as_str()
        ),
        (Some("Danh sách"), Some(2), Some("B"))
    );
    assert_eq!(unknown["suggest"], "Xã Xuân Bình");
    assert!(unknown["message"]
        .as_str()
        .unwrap()
        .contains("Có phải «Xã Xuân Bình»?"));
    let phone = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "phone_invalid")
        .unwrap();
    assert_eq!(
        (
            phone["row"].as_u64(),
            phone["column"].as_str(),
            phone["field"].as_str()
        ),
        (Some(6), Some("G"), Some("phone"))
    );
    assert_eq!(phone["member"], "Lê Văn E");
    let (teams, members) = (
        report["teams"].as_u64().unwrap(),
        report["added"].as_u64().unwrap(),
    );
    assert!(teams > 0 && members == 0);

    let store = cli.store().await;
    assert!(
        !store.province_has_teams(PROVINCE).await.unwrap(),
        "a file with any error writes nothing"
    );
    store.close().await;
    let (_, text, _) = cli.run(&["import", &file.display().to_string()]);
    assert!(
        text.contains("Trang «Danh sách», dòng 6, cột G") && text.contains("chưa ghi gì vào sổ"),
        "{text}"
    );
}

fn commune_file(members: &[[&'static str; 8]]) -> Vec<u8> {
    let mut rows = vec![header()];
    rows.extend(members.iter().map(|m| row(*m)));
    xlsx(&[Sheet {
        name: "Danh sách",
        rows,
        merges: vec![],
    }])
}

#[tokio::test]
async fn a_commune_resends_its_list_and_history_is_kept() {
    let cli = Cli::new().await;
    let first = cli.write(
        "lan1.xlsx",
        &commune_file(&[
            [
                "1",
                "Xã Xuân Bình",
                "Thôn 1",
                "01/QĐ-UBND ngày 10/7/2025",
                "Lê Văn An",
                "Tổ trưởng",
                "0914994123",
                "",
            ],
            [
                "",
                "",
                "",
                "",
                "Lê Văn Bình",
                "Thành viên",
                "0914994124",
                "",
            ],
            [
                "",
                "",
                "",
                "",
                "Lê Văn Cường",
                "Thành viên",
                "0914994125",
                "",
            ],
            [
                "",
                "",
                "Thôn 2",
                "01/QĐ-UBND ngày 10/7/2025",
                "Trần Văn Dũng",
                "Tổ trưởng",
                "",
                "",
            ],
        ]),
    );
    assert_eq!(cli.import(&[&first], &[]).0, 0);
    let second = cli.write(
        "lan2.xlsx",
        &commune_file(&[
            [
                "1",
                "Xã Xuân Bình",
                "Thôn 1",
                "15/QĐ-UBND ngày 01/10/2025",
                "Lê Văn An",
                "Thành viên",
                "0914994123",
                "",
            ],
            [
                "",
                "",
                "",
                "",
                "Lê Văn Bình",
                "Tổ trưởng",
                "0914 994 999",
                "",
            ],
            ["", "", "", "", "Phạm Thị Én", "Thành viên", "", ""],
        ]),
    );
    let (code, dry) = cli.import(&[&second], &["--dry-run"]);
    assert_eq!(code, 1, "the dry run says applying would be refused");
    assert_eq!(dry["removals_refused"], true);
    let (_, said, _) = cli.run(&["import", "--dry-run", &second.display().to_string()]);
    assert!(
        said.contains("Sẽ thêm") && said.contains("Khi áp dụng, lệnh này sẽ không ghi gì"),
        "{said}"
    );
    let (code, confirmed) = cli.import(&[&second], &["--dry-run", "--allow-removals"]);
    assert_eq!((code, &confirmed["removals_refused"]), (0, &json!(false)));
    let store = cli.store().await;
    assert_eq!(
        store.roster(PROVINCE, &[]).await.unwrap().member_count(),
        4,
        "a dry run writes nothing"
    );
    assert_eq!(
        dry["changes"][0]["large_removal"], true,
        "half the teams go: {dry:#}"
    );
    let (code, refused) = cli.import(&[&second], &[]);
    assert_eq!(code, 1, "removing half the commune needs --allow-removals");
    assert_eq!(refused["removals_refused"], true);
    assert_eq!(
        store.roster(PROVINCE, &[]).await.unwrap().member_count(),
        4,
        "and nothing is written without it"
    );
    let (code, report) = cli.import(&[&second], &["--allow-removals"]);
    assert_eq!(code, 0);
    for key in ["added", "changed", "removed", "teams_removed"] {
        assert_eq!(
            dry[key], report[key],
            "the dry run announced exactly what happened: {key}"
        );
    }
    // Phạm Thị Én joins; An and Bình swap roles and Bình's phone changes; Cường leaves; Thôn 2 is dissolved.
    assert_eq!(
        (
            report["added"].as_u64(),
            report["changed"].as_u64(),
            report["removed"].as_u64()
        ),
        (Some(1), Some(2), Some(2))
    );
    assert_eq!(report["teams_removed"], 1);
    let teams = store
        .teams(
            &cnscd_store::TeamFilter {
                commune_code: Some(XUAN_BINH.into()),
                ..Default::default()
            },
            Default::default(),
        )
        .await
        .unwrap();
    let thon1 = teams.items.iter().find(|t| t.name == "Thôn 1").unwrap();
    assert_eq!(thon1.leader.as_deref(), Some("Lê Văn Bình"));
    assert_eq!(
        thon1.decision_number.as_deref(),
        Some("15/QĐ-UBND"),
        "the reorganisation is recorded"
    );
    let history = store.team_members(thon1.id, true).await.unwrap();
    let cuong = history
        .iter()
        .find(|m| m.full_name == "Lê Văn Cường")
        .unwrap();
    assert!(
        cuong.left_on.is_some(),
        "a member no longer listed is marked as left, not erased"
    );
    let thon2 = teams.items.iter().find(|t| t.name == "Thôn 2").unwrap();
    assert_eq!(thon2.status, cnscd_domain::team::TeamStatus::Dissolved);
    // The same file again changes nothing and is not recorded: it does not stand before the last import's undo.
    let (code, unchanged) = cli.import(&[&second], &["--allow-removals"]);
    assert_eq!(code, 0);
    assert_eq!(unchanged["import_id"], Value::Null, "{unchanged:#}");
    assert_eq!(unchanged["decisions_added"], 0);
    let (_, said, _) = cli.run(&["import", &second.display().to_string()]);
    assert!(said.contains("Không có thay đổi nào"), "{said}");
    assert_eq!(store.commune_imports(XUAN_BINH, 10).await.unwrap().len(), 2);
    store.close().await;
}

#[tokio::test]
async fn old_xls_and_ods_files_are_read() {
    let cli = Cli::new().await;
    let xlsx_path = cli.write("goc.xlsx", &messy_workbook());
    let xls_path = cli.path("cu.xls");
    let ods_path = cli.path("libre.ods");
    let Some(()) = xls_from(
        &xlsx_path.display().to_string(),
        &xls_path.display().to_string(),
    ) else {
        return;
    };
    let Some(()) = ods_from(
        &xlsx_path.display().to_string(),
        &ods_path.display().to_string(),
    ) else {
        return;
    };
    for path in [&xls_path, &ods_path] {
        let (code, report) = cli.import(&[path], &["--dry-run"]);
        assert_eq!(code, 0, "{}: {report:#}", path.display());
        assert_eq!(
            (report["teams"].as_u64(), report["members"].as_u64()),
            (Some(5), Some(11)),
            "{}",
            path.display()
        );
    }
}

#[tokio::test]
async fn csv_files_are_read_without_any_other_tool() {
    let cli = Cli::new().await;
    let csv = "\u{feff}TT,Tên Phường\\xã,Tên Tổ,Số Quyết định,Họ tên thành viên,Chức vụ trong tổ,Số điện thoại liên hệ,Ghi chú\n\
               1,Xã Xuân Bình,Thôn 1,01/QĐ-UBND ngày 10/7/2025,Lê Văn An,Tổ trưởng,914994123,\n\
               ,,,,Lê Văn Bình,Thành viên,0914 994 124,\n";
    let csv_path = cli.write("danh-sach.csv", csv.as_bytes());
    let (code, report) = cli.import(&[&csv_path], &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["added"], 2);
    let (code, _, stderr) = cli.run(&["import", "/khong/co/tep.xlsx"]);
    assert_eq!(code, 2, "a missing file is an I/O error");
    assert!(stderr.contains("không đọc được tệp"));
}

#[tokio::test]
async fn the_export_is_the_exact_template_and_reads_back_unchanged() {
    let cli = Cli::new().await;
    let file = cli.write("xuan-binh.xlsx", &messy_workbook());
    assert_eq!(cli.import(&[&file], &[]).0, 0);
    let out = cli.path("xuat.xlsx");
    let (code, _, stderr) = cli.run(&["export", "--out", &out.display().to_string()]);
    assert_eq!(code, 0, "{stderr}");
    let (code, report) = cli.import(&[&out], &["--dry-run"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        (
            report["added"].as_u64(),
            report["changed"].as_u64(),
            report["removed"].as_u64()
        ),
        (Some(0), Some(0), Some(0)),
        "round trip"
    );

    // An independent reader (openpyxl) sees the template: merges, the TỔNG row, fonts, print settings.
    let script = r#"
import sys, json, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
rows = list(ws.iter_rows(values_only=True))
total = next(r for r in rows if r[1] and str(r[1]).startswith("TỔNG"))
print(json.dumps({
  "title": ws["A1"].value, "header": list(rows[2]),
  "merges": sorted(str(m) for m in ws.merged_cells.ranges),
  "total": [total[1], total[2], total[4]],
  "font": ws["E9"].font.name, "orientation": ws.page_setup.orientation, "paper": ws.page_setup.paperSize,
  "title_rows": ws.print_title_rows, "note_type": [c.data_type for c in ws["H"] if c.value and str(c.value).startswith("=")],
  "phone_type": ws["G9"].data_type,
}))
"#;
    let Some(checked) = python(script, &[&out.display().to_string()]) else {
        return;
    };
    let checked: Value = serde_json::from_str(&checked).unwrap();
    assert_eq!(checked["title"], "DANH SÁCH TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG");
    assert_eq!(checked["header"], serde_json::json!(TEMPLATE_HEADER));
    assert_eq!(
        checked["total"],
        serde_json::json!(["TỔNG: 166 xã/phường", "5 tổ", "11 thành viên"]),
        "every commune of the province counted, those without a team listed as such"
    );
    let merges: Vec<&str> = checked["merges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    // Every commune in Vietnamese order, one row «chưa có tổ» for those without a team: Phường Hạc Thành's
    // block is rows 9–12, Xã Xuân Bình's rows 158–164.
    for expected in [
        "A1:H1",
        "A9:A12",
        "B9:B12",
        "C9:C10",
        "D9:D10",
        "C11:C12",
        "A158:A164",
        "B158:B164",
        "C158:C160",
        "D158:D160",
        "C161:C162",
        "C163:C164",
    ] {
        assert!(merges.contains(&expected), "{expected} in {merges:?}");
    }
    assert_eq!(checked["font"], "Times New Roman");
    assert_eq!(checked["orientation"], "landscape");
    assert_eq!(checked["paper"], 9, "A4");
    assert_eq!(
        checked["title_rows"], "$3:$3",
        "the header repeats on every printed page"
    );
    assert_eq!(
        checked["note_type"],
        serde_json::json!(["s"]),
        "a note starting with = is text, never a formula"
    );
    assert_eq!(checked["phone_type"], "s", "phones keep their leading zero");
}

#[tokio::test]
async fn export_in_json_and_csv() {
    let cli = Cli::new().await;
    let file = cli.write("xuan-binh.xlsx", &messy_workbook());
    assert_eq!(cli.import(&[&file], &[]).0, 0);
    let (code, json, _) = cli.run(&["export", "--commune", XUAN_BINH, "--format", "json"]);
    assert_eq!(code, 0);
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        json["province"],
        serde_json::json!({"code": "38", "name": "Thanh Hóa"})
    );
    let team = &json["communes"][0]["teams"][0];
    assert_eq!(
        team["decision"],
        serde_json::json!({"number": "01/QĐ-UBND", "date": "2025-07-10"})
    );
    assert_eq!(
        team["members"][0],
        serde_json::json!({"name": "Nguyễn Văn An", "role": "leader", "phone": "0914994123"})
    );
    assert_eq!(json["communes"].as_array().unwrap().len(), 1);
    let (code, csv, _) = cli.run(&["export", "--format", "csv"]);
    assert_eq!(code, 0);
    assert!(csv.starts_with('\u{feff}'), "UTF-8 with BOM for Excel");
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"x\"\")\""),
        "a formula-looking note is guarded: {csv}"
    );
    // A failed export leaves the file it would have replaced as it was, and no stray file beside it.
    let kept = cli.write("giu-nguyen.xlsx", b"the previous export");
    let (code, _, stderr) = cli.run(&[
        "export",
        "--commune",
        HOAN_KIEM,
        "--out",
        &kept.display().to_string(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("không có xã/phường mã «00070»"));
    assert_eq!(std::fs::read(&kept).unwrap(), b"the previous export");
    let folder = kept.parent().unwrap();
    assert!(
        !std::fs::read_dir(folder).unwrap().any(|entry| entry
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".cnscd-export-")),
        "the staged file is removed"
    );
}

#[tokio::test]
async fn every_province_in_one_file() {
    let cli = Cli::new().await;
    let file = cli.write("xuan-binh.xlsx", &messy_workbook());
    assert_eq!(cli.import(&[&file], &[]).0, 0);
    let out = cli.path("toan-quoc.xlsx");
    let (code, _, stderr) = cli.run(&[
        "export",
        "--all-provinces",
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("Đã xuất 34 tỉnh, 5 tổ, 11 thành viên"),
        "{stderr}"
    );
    // One sheet per province, each the template: Thanh Hóa's holds the teams, with its merges.
    let script = r#"
import sys, json, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Thanh Hóa"]
rows = list(ws.iter_rows(values_only=True))
print(json.dumps({
  "sheets": len(wb.sheetnames), "first": wb.sheetnames[0],
  "subtitle": ws["A2"].value, "header": list(rows[2]),
  "merges": sorted(str(m) for m in ws.merged_cells.ranges),
  "totals": [next(r[1] for r in s.iter_rows(values_only=True) if r[1] and str(r[1]).startswith("TỔNG")) for s in wb.worksheets],
}))
"#;
    if let Some(checked) = python(script, &[&out.display().to_string()]) {
        let checked: Value = serde_json::from_str(&checked).unwrap();
        assert_eq!(checked["sheets"], 34);
        assert_eq!(checked["first"], "Thành phố Hà Nội");
        assert!(checked["subtitle"]
            .as_str()
            .unwrap()
            .starts_with("Thanh Hóa — số liệu ngày"));
        assert_eq!(checked["header"], serde_json::json!(TEMPLATE_HEADER));
        let merges = checked["merges"].as_array().unwrap();
        for expected in ["A158:A164", "B158:B164", "C158:C160", "D158:D160"] {
            assert!(
                merges.contains(&Value::from(expected)),
                "{expected} in {merges:?}"
            );
        }
        let totals = checked["totals"].as_array().unwrap();
        assert_eq!(totals.len(), 34, "every sheet closes with its TỔNG row");
        assert!(totals.contains(&Value::from("TỔNG: 166 xã/phường")));
    }

    // Text streams to standard output: CSV rows start with the province, JSON is one array of provinces.
    let (code, csv, _) = cli.run(&["export", "--all-provinces", "--format", "csv"]);
    assert_eq!(code, 0);
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("Tỉnh/thành phố,TT,Tên Phường\\xã,Tên Tổ"));
    assert_eq!(
        csv.lines().filter(|l| l.starts_with("Thanh Hóa,")).count(),
        11 + 164,
        "11 members, and one line for each of the 164 communes without a team"
    );
    let (code, json, _) = cli.run(&["export", "--all-provinces", "--format", "json"]);
    assert_eq!(code, 0);
    let json: Value = serde_json::from_str(&json).unwrap();
    let provinces = json.as_array().unwrap();
    assert_eq!(provinces.len(), 34);
    assert_eq!(provinces[0]["province"]["name"], "Thành phố Hà Nội");
    // The format follows the file's name; a folder that cannot take the file is said before any work.
    let csv_out = cli.path("toan-quoc.csv");
    let (code, _, _) = cli.run(&[
        "export",
        "--all-provinces",
        "--out",
        &csv_out.display().to_string(),
    ]);
    assert_eq!(code, 0);
    assert!(std::fs::read_to_string(&csv_out)
        .unwrap()
        .starts_with("\u{feff}Tỉnh/thành phố,"));
    let (code, _, stderr) = cli.run(&[
        "export",
        "--all-provinces",
        "--out",
        "/khong/co/thu-muc/toan-quoc.xlsx",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("không ghi được tệp /khong/co/thu-muc/toan-quoc.xlsx"),
        "{stderr}"
    );
    let (code, _, stderr) = cli.run(&["export", "--all-provinces", "--commune", XUAN_BINH]);
    assert_eq!(
        code, 2,
        "one commune of every province makes no sense: {stderr}"
    );
}

async fn upload(app: &TestApp, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let form = reqwest::multipart::Form::new().part("file", part);
    app.client
        .post(app.url("/import"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_browser_import_previews_then_applies() {
    let app = spawn_app().await;
    let bad = upload(&app, "loi.xlsx", faulty_workbook()).await;
    assert_eq!(bad.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    let page = bad.text().await.unwrap();
    assert!(page.contains("chưa ghi gì vào sổ") && page.contains("Có phải «Xã Xuân Bình»?"));
    assert!(
        !page.contains("/apply"),
        "a file with errors cannot be applied"
    );

    let good = upload(&app, "xuan-binh.xlsx", messy_workbook()).await;
    assert_eq!(good.status(), reqwest::StatusCode::OK);
    let page = good.text().await.unwrap();
    assert!(
        page.contains("Nếu áp dụng, sẽ thêm 11 thành viên"),
        "{page}"
    );
    assert!(
        !app.store.province_has_teams(PROVINCE).await.unwrap(),
        "the preview writes nothing"
    );
    let token = page
        .split("/import/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_string();
    let applied = app
        .client
        .post(app.url(&format!("/import/{token}/apply")))
        .send()
        .await
        .unwrap();
    assert_eq!(applied.status(), reqwest::StatusCode::OK);
    assert!(applied.text().await.unwrap().contains("Đã nhập."));
    assert_eq!(
        app.store
            .roster(PROVINCE, &[])
            .await
            .unwrap()
            .member_count(),
        11
    );
    let again = app
        .client
        .post(app.url(&format!("/import/{token}/apply")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.status(),
        reqwest::StatusCode::NOT_FOUND,
        "a file is applied once"
    );

    let garbage = upload(&app, "anh.xlsx", b"not a spreadsheet".to_vec()).await;
    assert_eq!(garbage.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(garbage
        .text()
        .await
        .unwrap()
        .contains("không phải bảng tính"));
}

#[tokio::test]
async fn the_template_downloads_for_a_commune_or_the_province() {
    let app = spawn_app().await;
    upload(&app, "xuan-binh.xlsx", messy_workbook()).await;
    let xlsx = app.get(&format!("/export?commune={XUAN_BINH}")).await;
    assert_eq!(xlsx.status(), reqwest::StatusCode::OK);
    assert_eq!(
        xlsx.headers()["content-disposition"],
        "attachment; filename=\"danh-sach-to-cnscd-xa-xuan-binh.xlsx\""
    );
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    let csv = app.get("/export?format=csv").await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        app.get("/export?format=pdf").await.status(),
        reqwest::StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get(&format!("/export?commune={HOAN_KIEM}"))
            .await
            .status(),
        reqwest::StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn communes_whose_names_differ_only_by_diacritics_are_told_apart() {
    let cli = Cli::new().await;
    // Phường Đông Tiến (15853) and Xã Đồng Tiến (15724) fold to the same letters.
    let file = cli.write(
        "dong-tien.xlsx",
        &commune_file(&[
            [
                "1",
                "Phường Đông Tiến",
                "Tổ dân phố 1",
                "",
                "Lê Văn An",
                "Tổ trưởng",
                "",
                "",
            ],
            [
                "2",
                "Đồng Tiến",
                "Thôn 1",
                "",
                "Lê Văn Bình",
                "Tổ trưởng",
                "",
                "",
            ],
        ]),
    );
    let (code, report) = cli.import(&[&file], &[]);
    assert_eq!(code, 0, "{report:#}");
    let store = cli.store().await;
    assert_eq!(
        store
            .roster(PROVINCE, &["15853".to_string()])
            .await
            .unwrap()
            .communes[0]
            .teams[0]
            .name,
        "Tổ dân phố 1"
    );
    assert_eq!(
        store
            .roster(PROVINCE, &["15724".to_string()])
            .await
            .unwrap()
            .communes[0]
            .teams[0]
            .name,
        "Thôn 1"
    );
    store.close().await;
    let ambiguous = cli.write(
        "dong-tien-khong-dau.xlsx",
        &commune_file(&[[
            "1",
            "Dong Tien",
            "Thôn 1",
            "",
            "Lê Văn An",
            "Tổ trưởng",
            "",
            "",
        ]]),
    );
    let (code, report) = cli.import(&[&ambiguous], &[]);
    assert_eq!(code, 1);
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("khớp với nhiều xã/phường")
            && message.contains("Xã Đồng Tiến")
            && message.contains("Phường Đông Tiến"),
        "{message}"
    );
}

#[tokio::test]
async fn two_members_with_the_same_name_survive_a_re_import() {
    let cli = Cli::new().await;
    let file = cli.write(
        "trung-ten.xlsx",
        &commune_file(&[
            [
                "1",
                "Xã Xuân Bình",
                "Thôn 1",
                "",
                "Nguyễn Văn An",
                "Thành viên",
                "0914994001",
                "",
            ],
            [
                "",
                "",
                "",
                "",
                "Nguyễn Văn An",
                "Tổ trưởng",
                "0914994002",
                "",
            ],
        ]),
    );
    assert_eq!(cli.import(&[&file], &[]).0, 0);
    let (code, report) = cli.import(&[&file], &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        (
            report["added"].as_u64(),
            report["changed"].as_u64(),
            report["removed"].as_u64()
        ),
        (Some(0), Some(0), Some(0))
    );
}
