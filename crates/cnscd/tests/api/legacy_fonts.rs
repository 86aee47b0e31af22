//! Files typed with the old Vietnamese font encodings come out in Unicode: a workbook in `.VnTime` (whose
//! header row is TCVN3 too, and a title in the capitals font `.VnTimeH`), and a CSV in VNI where no font says
//! anything. The conversion is said in the preview.

use crate::helpers::*;
use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;

/// Unicode, TCVN3 and VNI writings of the same texts (from the domain's table samples, checked there).
const TCVN3: [(&str, &str); 10] = [
    ("Họ tên thành viên", "Hä tªn thµnh viªn"),
    ("Chức vụ trong tổ", "Chøc vô trong tæ"),
    ("Số điện thoại liên hệ", "Sè ®iÖn tho¹i liªn hÖ"),
    ("Tên Phường\\xã", "Tªn Ph\u{AD}êng\\x·"),
    ("Tên Tổ", "Tªn Tæ"),
    ("Xã Xuân Bình", "X· Xu©n B×nh"),
    ("Thôn Đồng Mới", "Th«n §ång Míi"),
    ("Nguyễn Văn Hưởng", "NguyÔn V¨n H\u{AD}ëng"),
    ("Tổ trưởng", "Tæ tr\u{AD}ëng"),
    ("Trần Thị Thúy", "TrÇn ThÞ Thóy"),
];

fn tcvn3(unicode: &str) -> &'static str {
    TCVN3.iter().find(|(u, _)| *u == unicode).unwrap().1
}

fn vnitimes_workbook() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let body = Format::new().set_font_name(".VnTime");
    let capitals = Format::new().set_font_name(".VnTimeH");
    // The title in the capitals font: «DANH SÁCH TỔ» typed as the H font expects.
    sheet
        .write_string_with_format(0, 0, "DANH S¸CH Tæ CNSC§", &capitals)
        .unwrap();
    let header = [
        "TT",
        tcvn3("Tên Phường\\xã"),
        tcvn3("Tên Tổ"),
        "Sè QuyÕt ®Þnh",
        tcvn3("Họ tên thành viên"),
        tcvn3("Chức vụ trong tổ"),
        tcvn3("Số điện thoại liên hệ"),
        "Ghi chó",
    ];
    for (c, title) in header.iter().enumerate() {
        sheet
            .write_string_with_format(2, c as u16, *title, &body)
            .unwrap();
    }
    let rows = [
        [
            "1",
            tcvn3("Xã Xuân Bình"),
            tcvn3("Thôn Đồng Mới"),
            "",
            tcvn3("Nguyễn Văn Hưởng"),
            tcvn3("Tổ trưởng"),
            "0914994123",
            "",
        ],
        ["", "", "", "", tcvn3("Trần Thị Thúy"), "", "0914994124", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                sheet
                    .write_string_with_format(3 + r as u32, c as u16, *text, &body)
                    .unwrap();
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

async fn preview(app: &TestApp, name: &str, bytes: Vec<u8>) -> String {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
    );
    let answer = app
        .client
        .post(app.url("/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), reqwest::StatusCode::OK, "{name}");
    answer.text().await.unwrap()
}

#[tokio::test]
async fn a_vntime_workbook_and_a_vni_csv_are_read_in_unicode() {
    let app = spawn_app().await;
    let page = preview(&app, "vntime.xlsx", vnitimes_workbook()).await;
    assert!(
        page.contains("gõ bằng bảng mã cũ TCVN3 (.VnTime) đã được chuyển sang Unicode"),
        "{page}"
    );
    assert!(
        page.contains("<li>Thôn Đồng Mới</li>"),
        "the team, in Unicode"
    );
    assert!(page.contains("Nguyễn Văn Hưởng") && page.contains("Trần Thị Thúy"));
    let start = page.find("action=\"/import/").unwrap() + 8;
    let apply = &page[start..start + page[start..].find('"').unwrap()];
    assert_eq!(
        app.post_form(apply, &[]).await.status(),
        reqwest::StatusCode::OK
    );
    let members: Value = app.get_json("/api/v1/members?commune=16177").await;
    let names: Vec<&str> = members["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["full_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Nguyễn Văn Hưởng", "Trần Thị Thúy"]);
    let leader = &members["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["role"] == "leader")
        .unwrap()["full_name"];
    assert_eq!(
        leader, "Nguyễn Văn Hưởng",
        "«Tæ tr\u{AD}ëng» read as Tổ trưởng"
    );

    // A CSV keeps no font: the text itself says VNI.
    let csv = "TT,Teân Phöôøng\\xaõ,Teân Toå,Soá Quyeát ñònh,Hoï teân thaønh vieân,Chöùc vuï trong toå,Soá ñieän thoaïi lieân heä,Ghi chuù\n\
               1,Phöôøng Haïc Thaønh,Thoân Ñoàng Môùi,,Nguyeãn Vaên Höôûng,Toå tröôûng,0914994125,\n";
    let page = preview(&app, "vni.csv", csv.as_bytes().to_vec()).await;
    assert!(
        page.contains("VNI (VNI-Times) đã được chuyển sang Unicode"),
        "{page}"
    );
    assert!(
        page.contains("Phường Hạc Thành") && page.contains("Nguyễn Văn Hưởng"),
        "{page}"
    );
}
