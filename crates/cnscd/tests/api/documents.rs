//! Official documents from the registry's own data, read back by independent readers: every PDF through
//! poppler (pdftotext page by page, pdftoppm to PNG), every DOCX through python-docx. The Vietnamese text must
//! come back exactly; the heading blocks sit on page 1; pages are numbered from 2; the annex table carries its
//! header onto every page it runs onto.

use crate::helpers::*;
use crate::workbook::python;
use reqwest::StatusCode;
use serde_json::json;
use std::process::Command;

/// Xã Hoằng Hóa: no team in these tests.
const HOANG_HOA: &str = "15865";

/// Whether poppler is here; in CI its absence fails the test, elsewhere the check is skipped loudly.
fn poppler() -> bool {
    let found = Command::new("pdftotext").arg("-v").output().is_ok();
    if !found {
        assert!(
            std::env::var("CI").is_err(),
            "CI must install poppler-utils"
        );
        eprintln!("SKIPPED: pdftotext (poppler-utils) is not installed");
    }
    found
}

/// The text of each page, as laid out.
fn pdf_pages(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.pdf");
    std::fs::write(&path, pdf).unwrap();
    let info = Command::new("pdfinfo").arg(&path).output().unwrap();
    let pages: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .expect("pdfinfo reads the file")
        .trim()
        .parse()
        .unwrap();
    (1..=pages)
        .map(|page| {
            let out = Command::new("pdftotext")
                .args(["-layout", "-f", &page.to_string(), "-l", &page.to_string()])
                .arg(&path)
                .arg("-")
                .output()
                .unwrap();
            String::from_utf8(out.stdout).expect("UTF-8 text")
        })
        .collect()
}

/// The page's words joined by single spaces (pdftotext breaks lines where the layout does).
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn download(app: &TestApp, path: &str) -> Vec<u8> {
    let response = app.get(path).await;
    let status = response.status();
    let disposition = response
        .headers()
        .get("content-disposition")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = response.bytes().await.unwrap().to_vec();
    assert_eq!(
        status,
        StatusCode::OK,
        "{path}: {}",
        String::from_utf8_lossy(&bytes[..bytes.len().min(400)])
    );
    assert!(disposition.starts_with("attachment"), "{disposition}");
    bytes
}

/// Checks the structure of a DOCX with python-docx; returns its report (None when python-docx is missing
/// outside CI).
fn docx_report(docx: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.docx");
    std::fs::write(&path, docx).unwrap();
    python(
        r#"
import sys, docx, unicodedata
d = docx.Document(sys.argv[1])
s = d.sections[0]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
print("page", round(s.page_width.mm), round(s.page_height.mm), round(s.left_margin.mm), round(s.right_margin.mm), round(s.top_margin.mm), round(s.bottom_margin.mm))
print("numbered_from_2", s.different_first_page_header_footer, any(r.tag.endswith("fldSimple") or "PAGE" in (r.text or "") for r in s.header._element.iter()))
texts = [p.text for p in d.paragraphs]
for t in d.tables:
    for r in t.rows:
        for c in r.cells:
            texts.append(c.text)
print("nfc", all(unicodedata.is_normalized("NFC", t) for t in texts))
head = d.tables[0]
print("left", (head.cell(0, 0).text + "|" + head.cell(1, 0).text).replace("\n", "|"))
print("right", (head.cell(0, 1).text + "|" + head.cell(1, 1).text).replace("\n", "|"))
last = max(d.tables[1:], key=lambda t: len(t.rows))
print("annex_rows", len(last.rows))
print("annex_header", "|".join(c.text for c in last.rows[0].cells))
print("annex_repeats", last.rows[0]._tr.find(W + "trPr/" + W + "tblHeader") is not None)
fonts = d.styles.element.find(W + "docDefaults/" + W + "rPrDefault/" + W + "rPr/" + W + "rFonts")
print("fonts", fonts.get(W + "ascii"), fonts.get(W + "hAnsi"))
print("text", " ".join(texts).replace("\n", " "))
"#,
        &[path.to_str().unwrap()],
    )
}

/// Xuân Bình with three teams, one of 16 members so that the annex runs over a page, and a submitted report.
async fn commune_with_report(app: &TestApp) -> i64 {
    for (name, leader) in [
        ("Tổ CNSCĐ thôn Đông Hưng", "Nguyễn Thị Ngọc Ánh"),
        ("Tổ CNSCĐ thôn Quyết Thắng", "Trần Văn Đức"),
    ] {
        app.create_team(XUAN_BINH, name, leader, "0912345678").await;
    }
    // A province that allows large teams: one team's members run the annex onto a second page.
    app.store
        .set_team_rules(
            PROVINCE,
            cnscd_domain::rules::TeamRules::new(3, 60).unwrap(),
            &cnscd_store::Actor::command_line(),
        )
        .await
        .unwrap();
    let big = app
        .create_team(
            XUAN_BINH,
            "Tổ CNSCĐ thôn Thượng",
            "Lê Thị Hường",
            "0987654321",
        )
        .await;
    let big = big["id"].as_i64().unwrap();
    let given = [
        "An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khánh", "Lâm", "Ước",
    ];
    for (i, surname) in ["Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"].iter().enumerate() {
        for name in given {
            let role = if i == 0 && name == "An" {
                "deputy"
            } else {
                "member"
            };
            let answer = app
                .add_member(big, &format!("{surname} Văn {name}"), role, "")
                .await;
            assert_eq!(answer.status(), StatusCode::CREATED);
        }
    }
    let round = app
        .open_round(json!({"title": "Báo cáo kết quả hoạt động quý IV/2026", "deadline": days_ahead(10),
                           "basis": "Công văn số 1234/SKHCN-CĐS ngày 10/11/2026 của Sở Khoa học và Công nghệ",
                           "indicators": ["public_services", "sessions_held"]}))
        .await;
    let path = format!("/api/v1/rounds/{round}/reports/{XUAN_BINH}");
    let saved = app
        .put_json(
            &path,
            &json!({"figures": {"public_services": 1234, "sessions_held": 7},
                    "narrative": {"results": "Các tổ đã hướng dẫn người dân cài đặt VNeID và nộp hồ sơ trực tuyến.\nTổ thôn Đông Hưng làm tốt nhất.",
                                  "difficulties": "Sóng điện thoại yếu ở vùng đồi.",
                                  "proposals": "Đề nghị hỗ trợ điện thoại thông minh cho tổ trưởng."}}),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let submitted = app.post_json(&format!("{path}/submit"), &json!({})).await;
    assert_eq!(submitted.status(), StatusCode::OK);
    round
}

#[tokio::test]
async fn a_commune_report_as_pdf_and_docx_carries_its_letterhead_figures_narrative_and_team_list() {
    let app = spawn_app().await;
    let round = commune_with_report(&app).await;
    let set = app
        .put_json(
            &format!("/api/v1/communes/{XUAN_BINH}/letterhead"),
            &json!({"signer_name": "Lê Văn Hoà", "archive": "VT, VHXH"}),
        )
        .await;
    assert_eq!(set.status(), StatusCode::OK);
    let path =
        format!("/api/v1/rounds/{round}/reports/{XUAN_BINH}/document?number=07&date=05/12/2026");
    let pdf = download(&app, &path).await;
    assert!(pdf.starts_with(b"%PDF-"));
    let docx = download(&app, &format!("{path}&format=docx")).await;
    assert!(docx.starts_with(b"PK"));

    if poppler() {
        let pages = pdf_pages(&pdf);
        assert!(pages.len() >= 3, "{} pages", pages.len());
        let first = flat(&pages[0]);
        for text in [
            "ỦY BAN NHÂN DÂN",
            "XÃ XUÂN BÌNH",
            "Số: 07/BC-UBND",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Xuân Bình, ngày 05 tháng 12 năm 2026",
            "BÁO CÁO",
            "Kết quả hoạt động của Tổ Công nghệ số cộng đồng quý IV/2026",
            "Kính gửi: Sở Khoa học và Công nghệ tỉnh Thanh Hóa",
            "Thực hiện Công văn số 1234/SKHCN-CĐS",
        ] {
            assert!(first.contains(text), "page 1 lacks «{text}»:\n{}", pages[0]);
        }
        // The heading blocks come before the title on page 1, and page 1 has no number.
        let lines: Vec<&str> = pages[0].lines().filter(|l| !l.trim().is_empty()).collect();
        let motto = lines.iter().position(|l| l.contains("CỘNG HÒA")).unwrap();
        let title = lines.iter().position(|l| l.trim() == "BÁO CÁO").unwrap();
        assert!(
            motto < title && lines[0].contains("ỦY BAN NHÂN DÂN"),
            "{}",
            pages[0]
        );
        // The number and the date line share a line.
        assert!(
            lines
                .iter()
                .any(|l| l.contains("Số: 07/BC-UBND") && l.contains("ngày 05 tháng 12")),
            "{}",
            pages[0]
        );
        // Pages are numbered from 2; the annex is numbered on its own, from its own second page.
        let annex = pages
            .iter()
            .position(|p| p.contains("DANH SÁCH TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG"))
            .expect("the annex");
        for (i, page) in pages.iter().enumerate().skip(1) {
            let top = page.lines().find(|l| !l.trim().is_empty()).unwrap().trim();
            let expected = if i < annex { i + 1 } else { i - annex + 1 };
            if i == annex {
                assert!(
                    top.starts_with("Phụ lục"),
                    "the annex's first page:\n{page}"
                );
            } else {
                assert_eq!(top, expected.to_string(), "page {} number:\n{page}", i + 1);
            }
        }
        let all = flat(&pages.join("\n"));
        for text in [
            "Người dân được hướng dẫn sử dụng",
            "1.234",
            "Các tổ đã hướng dẫn người dân cài đặt VNeID và nộp hồ sơ trực tuyến.",
            "Sóng điện thoại yếu ở vùng đồi.",
            "Đề nghị hỗ trợ điện thoại thông minh cho tổ trưởng.",
            "TM. ỦY BAN NHÂN DÂN",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "Lê Văn Hòa",
            "- Lưu: VT, VHXH.",
            "DANH SÁCH TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG",
            "(Kèm theo Báo cáo số 07/BC-UBND ngày 05/12/2026 của UBND xã Xuân Bình)",
            "Nguyễn Thị Ngọc Ánh",
            "Trần Văn Đức",
            "Đặng Văn Khánh",
        ] {
            assert!(all.contains(text), "the PDF lacks «{text}»");
        }
        // The annex's table runs onto the last page with its header repeated.
        let last = pages.last().unwrap();
        assert!(
            last.contains("Họ tên thành viên") && last.contains("Bùi Văn Ước"),
            "{last}"
        );
        let png_dir = tempfile::tempdir().unwrap();
        std::fs::write(png_dir.path().join("d.pdf"), &pdf).unwrap();
        let status = Command::new("pdftoppm")
            .args(["-png", "-r", "30", "-f", "1", "-l", "1"])
            .arg(png_dir.path().join("d.pdf"))
            .arg(png_dir.path().join("p"))
            .status()
            .unwrap();
        assert!(status.success(), "pdftoppm renders the first page");
    }

    if let Some(report) = docx_report(&docx) {
        assert!(report.contains("page 210 297 30 15 20 20"), "{report}");
        assert!(report.contains("numbered_from_2 True True"), "{report}");
        assert!(report.contains("nfc True"), "{report}");
        assert!(
            report.contains("left ỦY BAN NHÂN DÂN|XÃ XUÂN BÌNH||Số: 07/BC-UBND"),
            "{report}"
        );
        assert!(
            report.contains("right CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập - Tự do - Hạnh phúc||Xuân Bình, ngày 05 tháng 12 năm 2026"),
            "{report}"
        );
        assert!(
            report.contains("annex_header TT|Tên tổ|Số, ngày quyết định|Họ tên thành viên|Chức vụ trong tổ|Số điện thoại"),
            "{report}"
        );
        assert!(report.contains("annex_repeats True"), "{report}");
        assert!(
            report.contains("fonts Times New Roman Times New Roman"),
            "{report}"
        );
        for text in [
            "Sóng điện thoại yếu ở vùng đồi.",
            "Lê Văn Hòa",
            "Nguyễn Thị Ngọc Ánh",
            "Kính gửi: Sở Khoa học và Công nghệ tỉnh Thanh Hóa",
        ] {
            assert!(report.contains(text), "the DOCX lacks «{text}»");
        }
    }
}

#[tokio::test]
async fn the_consolidated_report_names_the_communes_that_did_not_report_and_sums_the_counted_ones()
{
    let app = spawn_app().await;
    let round = commune_with_report(&app).await;
    app.submit_report(
        round,
        HAC_THANH,
        json!({"public_services": 66, "sessions_held": 3}),
    )
    .await;
    let path = format!("/api/v1/rounds/{round}/consolidated-report?number=15&date=06/12/2026");
    let pdf = download(&app, &path).await;
    let docx = download(&app, &format!("{path}&format=docx")).await;
    if poppler() {
        let pages = pdf_pages(&pdf);
        let all = flat(&pages.join("\n"));
        for text in [
            "UBND TỈNH THANH HÓA",
            "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
            "Số: 15/BC-SKHCN",
            "Thanh Hóa, ngày 06 tháng 12 năm 2026",
            "Kính gửi: Ủy ban nhân dân tỉnh Thanh Hóa",
            "Số xã, phường phải báo cáo: 166; đã gửi: 2 (1,2%), trong đó đúng hạn 2, trễ hạn 0; chưa gửi: 164",
            "KT. GIÁM ĐỐC",
            "Phụ lục I",
            "KẾT QUẢ CỦA TỪNG XÃ, PHƯỜNG",
            "Phụ lục II",
        ] {
            assert!(all.contains(text), "the PDF lacks «{text}»");
        }
        // 1,234 + 66 over the two counted reports.
        assert!(all.contains("1.300 2"), "the total of the first indicator");
        let missing = all
            .split("Các xã, phường chưa gửi báo cáo:")
            .nth(1)
            .expect("the missing communes are named")
            .split('.')
            .next()
            .unwrap()
            .to_string();
        assert!(missing.contains("Xã Hoằng Hóa"), "{missing}");
        assert!(
            !missing.contains("Xuân Bình") && !missing.contains("Hạc Thành"),
            "{missing}"
        );
        // Annex I lists the 166 communes over several pages, each with the table's header.
        let annex: Vec<&String> = pages
            .iter()
            .skip_while(|p| !p.contains("KẾT QUẢ CỦA TỪNG XÃ, PHƯỜNG"))
            .take_while(|p| !p.contains("Phụ lục II"))
            .collect();
        assert!(annex.len() >= 3, "{} pages of annex I", annex.len());
        for page in annex {
            assert!(flat(page).contains("TT Xã, phường Tình trạng"), "{page}");
        }
    }
    if let Some(report) = docx_report(&docx) {
        assert!(report.contains("nfc True"), "{report}");
        assert!(report.contains("annex_repeats True"), "{report}");
        assert!(report.contains("Tổng cộng"), "{report}");
    }
}

#[tokio::test]
async fn the_round_letter_and_the_commune_decision_say_what_the_registry_holds() {
    let app = spawn_app().await;
    let round = commune_with_report(&app).await;
    let letter = download(
        &app,
        &format!("/api/v1/rounds/{round}/letter?number=1234&number_suffix=SKHCN-CĐS"),
    )
    .await;
    let decision = download(
        &app,
        &format!("/api/v1/communes/{XUAN_BINH}/decision-document?signer_name=Lê%20Văn%20Hòa"),
    )
    .await;
    let list = download(
        &app,
        &format!("/api/v1/communes/{XUAN_BINH}/team-list-document?format=docx"),
    )
    .await;
    let province = download(&app, "/api/v1/team-list-document").await;
    if poppler() {
        let letter = flat(&pdf_pages(&letter).join("\n"));
        for text in [
            "Số: 1234/SKHCN-CĐS",
            "V/v báo cáo kết quả hoạt động của Tổ Công nghệ số cộng đồng quý IV/2026",
            "Kính gửi: Ủy ban nhân dân các xã, phường",
            &format!("/rounds/{round}"),
            "Người dân được hướng dẫn sử dụng dịch vụ công trực tuyến",
        ] {
            assert!(letter.contains(text), "the letter lacks «{text}»: {letter}");
        }
        assert!(!letter.contains("BÁO CÁO"), "a letter has no title");
        let decision = flat(&pdf_pages(&decision).join("\n"));
        for text in [
            "QUYẾT ĐỊNH",
            "Về việc kiện toàn Tổ Công nghệ số cộng đồng trên địa bàn xã Xuân Bình",
            "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ XUÂN BÌNH",
            "Căn cứ Luật Tổ chức chính quyền địa phương",
            "Điều 1. Kiện toàn 3 Tổ Công nghệ số cộng đồng",
            "Điều 2.",
            "Điều 3.",
            "- Như Điều 3;",
            "Lê Văn Hòa",
            "(Kèm theo Quyết định số /QĐ-UBND ngày",
            "Luật Tổ chức chính quyền địa phương số 72/2025/QH15",
            "thay thế các quyết định trước đây",
        ] {
            assert!(
                decision.contains(text),
                "the decision lacks «{text}»: {decision}"
            );
        }
        assert!(
            !decision.contains("TM. ỦY BAN NHÂN DÂN"),
            "the Chairman signs a decision in her own capacity"
        );
        let province = flat(&pdf_pages(&province).join("\n"));
        assert!(
            province.contains("trên địa bàn tỉnh Thanh Hóa: 3 tổ với"),
            "{province}"
        );
        assert!(province.contains("Xã Xuân Bình 3"), "{province}");
    }
    if let Some(report) = docx_report(&list) {
        assert!(report.contains("Tổ CNSCĐ thôn Thượng"), "{report}");
        assert!(report.contains("annex_repeats True"), "{report}");
    }
}

#[tokio::test]
async fn documents_answer_only_within_scope_and_refuse_bad_fields_by_name() {
    let app = spawn_app().await;
    let round = commune_with_report(&app).await;
    app.add_user("canbo_hac_thanh", "commune_officer", Some(HAC_THANH))
        .await;
    let other = app.token_client_for("canbo_hac_thanh").await;
    let status = |path: String| {
        let request = other.get(app.url(&path));
        async move { request.send().await.unwrap().status() }
    };
    assert_eq!(
        status(format!(
            "/api/v1/rounds/{round}/reports/{XUAN_BINH}/document"
        ))
        .await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        status(format!("/api/v1/communes/{XUAN_BINH}/decision-document")).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        status(format!("/api/v1/rounds/{round}/consolidated-report")).await,
        StatusCode::FORBIDDEN
    );
    // Her own commune is hers to read: it has no team yet, which the refusal says (not a 404).
    assert_eq!(
        status(format!("/api/v1/communes/{HAC_THANH}/team-list-document")).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let put = other
        .put(app.url("/api/v1/letterhead"))
        .json(&json!({"signer_name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), StatusCode::FORBIDDEN);

    let bad = app
        .get(&format!(
            "/api/v1/rounds/{round}/reports/{XUAN_BINH}/document?number=05a&date=31/02/2026&body=a%0Ab%0Ac&recipients={}",
            "x%0A".repeat(20)
        ))
        .await;
    let fields: Vec<String> = field_errors(bad)
        .await
        .into_iter()
        .map(|(field, _)| field)
        .collect();
    for field in ["number", "date", "body", "recipients"] {
        assert!(fields.contains(&field.to_string()), "{field} in {fields:?}");
    }
    let wrong_format = app
        .get(&format!("/api/v1/rounds/{round}/letter?format=odt"))
        .await;
    assert_eq!(wrong_format.status(), StatusCode::BAD_REQUEST);

    let changed = app
        .put_json("/api/v1/letterhead", &json!({"number_suffix": "SKHCN/CĐS"}))
        .await;
    assert_eq!(field_errors(changed).await[0].0, "number_suffix");
    let saved = app
        .put_json(
            "/api/v1/letterhead",
            &json!({"signer_name": "Nguyễn Thị Mai", "signer_capacity": "KT. GIÁM ĐỐC"}),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let letterhead = app.get_json("/api/v1/letterhead").await;
    assert_eq!(letterhead["signer_name"], "Nguyễn Thị Mai");
    assert_eq!(letterhead["body"], "SỞ KHOA HỌC VÀ CÔNG NGHỆ");
    let filter = cnscd_store::AuditFilter {
        province_code: PROVINCE.into(),
        ..Default::default()
    };
    let audit = app
        .store
        .audit_entries(&filter, cnscd_store::PageRequest::new(Some(1), Some(100)))
        .await
        .unwrap();
    assert!(audit
        .items
        .iter()
        .any(|e| e.action == cnscd_store::Action::LetterheadSet));
}

#[tokio::test]
async fn the_document_page_shows_the_prefilled_form_then_downloads_or_names_the_field_at_fault() {
    let app = spawn_app().await;
    let round = commune_with_report(&app).await;
    let session = app.sign_in(ADMIN).await;
    let form = session
        .get(&format!("/rounds/{round}/reports/{XUAN_BINH}/document"))
        .await;
    assert_eq!(form.status(), StatusCode::OK);
    let page = form.text().await.unwrap();
    for text in [
        "XÃ XUÂN BÌNH",
        "Sở Khoa học và Công nghệ tỉnh Thanh Hóa",
        "Tải PDF",
        "Tải Word (.docx)",
    ] {
        assert!(page.contains(text), "the form lacks «{text}»");
    }
    let file = session
        .get(&format!(
            "/rounds/{round}/reports/{XUAN_BINH}/document?number=3&signer_name=Lê+Văn+Hòa&format=docx"
        ))
        .await;
    assert_eq!(file.status(), StatusCode::OK);
    assert!(file.bytes().await.unwrap().starts_with(b"PK"));
    let refused = session
        .get(&format!(
            "/rounds/{round}/reports/{XUAN_BINH}/document?number=ba&format=pdf"
        ))
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains("chỉ gồm chữ số"), "{page}");
    assert!(page.contains("Chưa tải được văn bản"), "{page}");
    assert!(
        page.contains("value=\"ba\""),
        "what was typed stays in the form"
    );
}

#[tokio::test]
async fn a_training_class_sign_in_sheet_lists_everyone_seated_with_room_to_sign() {
    let app = spawn_app().await;
    let team = app
        .create_team(
            XUAN_BINH,
            "Tổ CNSCĐ thôn Đông Hưng",
            "Nguyễn Thị Ngọc Ánh",
            "0912345678",
        )
        .await;
    let leader = app.members_of(team["id"].as_i64().unwrap()).await[0]["id"]
        .as_i64()
        .unwrap();
    let class = app
        .post_json(
            "/api/v1/training/classes",
            &json!({"topic": "Hướng dẫn dịch vụ công trực tuyến", "starts_at": days_ahead(20),
                    "ends_at": days_ahead(21), "venue": "Hội trường Sở", "capacity": 30,
                    "registration_deadline": days_ahead(10)}),
        )
        .await;
    assert_eq!(class.status(), StatusCode::CREATED);
    let class = class.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let registered = app
        .post_json(
            &format!("/api/v1/training/classes/{class}/registrations"),
            &json!({"member_id": leader}),
        )
        .await;
    assert_eq!(registered.status(), StatusCode::CREATED);
    let pdf = download(
        &app,
        &format!("/api/v1/training/classes/{class}/sign-in-sheet"),
    )
    .await;
    let docx = download(
        &app,
        &format!("/api/v1/training/classes/{class}/sign-in-sheet?format=docx"),
    )
    .await;
    if poppler() {
        let text = flat(&pdf_pages(&pdf).join("\n"));
        for expected in [
            "DANH SÁCH KÝ NHẬN THAM DỰ LỚP TẬP HUẤN",
            "Hướng dẫn dịch vụ công trực tuyến",
            "Hội trường Sở",
            "Nguyễn Thị Ngọc",
            "Ký tên",
        ] {
            assert!(
                text.contains(expected),
                "the sheet lacks «{expected}»: {text}"
            );
        }
    }
    if let Some(report) = docx_report(&docx) {
        assert!(
            report.contains("annex_header TT|Họ và tên|Chức vụ|Tổ|Xã, phường|Số điện thoại|Ký tên"),
            "{report}"
        );
    }
}

#[tokio::test]
async fn what_a_pdf_cannot_print_is_named_and_the_rest_reads_as_typed() {
    let app = spawn_app().await;
    let round = commune_with_report(&app).await;
    // A letter the documents cannot print: refused in a typed field by name; in the registry's own data (a
    // member's name) named with the text it is in when a PDF is asked (422, never a 500), the Word file still
    // comes.
    let typed = app
        .get(&format!(
            "/api/v1/rounds/{round}/letter?signer_name=Hà%20Minh%20中"
        ))
        .await;
    assert_eq!(field_errors(typed).await[0].0, "signer_name");
    let team = app
        .create_team(HAC_THANH, "Tổ CNSCĐ khu phố 1", "Hà Minh 中", "0912345679")
        .await;
    assert!(team["id"].as_i64().is_some());
    let path = format!("/api/v1/communes/{HAC_THANH}/team-list-document");
    let refused = app.get(&path).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let message = refused.text().await.unwrap();
    assert!(
        message.contains("«中»") && message.contains("Hà Minh 中"),
        "{message}"
    );
    assert_eq!(
        app.get(&format!("{path}?format=docx")).await.status(),
        StatusCode::OK
    );

    // The officer reads the letter addressed to her commune.
    app.add_user("canbo_xuan_binh", "commune_officer", Some(XUAN_BINH))
        .await;
    let officer = app.token_client_for("canbo_xuan_binh").await;
    let letter = officer
        .get(app.url(&format!("/api/v1/rounds/{round}/letter?format=docx")))
        .send()
        .await
        .unwrap();
    assert_eq!(letter.status(), StatusCode::OK);

    // A commune without teams has no decision to draft and no list to send.
    let no_team = app
        .get(&format!("/api/v1/communes/{HOANG_HOA}/decision-document"))
        .await;
    assert_eq!(field_errors(no_team).await[0].0, "commune");
    let no_team = app
        .get(&format!("/api/v1/communes/{HOANG_HOA}/team-list-document"))
        .await;
    assert_eq!(field_errors(no_team).await[0].0, "commune");

    let bad = app
        .get(&format!(
            "/api/v1/rounds/{round}/letter?number=0&date={}&address=javascript:alert(1)",
            (chrono::Utc::now() + chrono::Duration::days(800)).format("%d/%m/%Y")
        ))
        .await;
    let fields: Vec<String> = field_errors(bad)
        .await
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    for field in ["number", "date", "address"] {
        assert!(fields.contains(&field.to_string()), "{field} in {fields:?}");
    }
    if poppler() {
        let pdf = download(
            &app,
            &format!(
                "/api/v1/rounds/{round}/letter?number=5&archive=&address=https://cnscd.thanhhoa.gov.vn/"
            ),
        )
        .await;
        let text = flat(&pdf_pages(&pdf).join("\n"));
        assert!(text.contains("Số: 05/SKHCN"), "{text}");
        assert!(text.contains("- Lưu: VT."), "{text}");
        assert!(
            text.contains(&format!("https://cnscd.thanhhoa.gov.vn/rounds/{round}")),
            "{text}"
        );
    }
}
