//! Both renderers on a document with every kind of block and a table that runs over several pages, read back by
//! independent readers: pdftotext and pdftoppm (poppler), python-docx.

use cnscd_documents::{render, Format, RenderError, MAX_TABLE_ROWS};
use cnscd_domain::official::{
    Annex, Block, Column, DocumentKind, OfficialDocument, Signature, Table,
};
use std::process::Command;

fn sample(rows: usize) -> OfficialDocument {
    let table = Table {
        columns: vec![
            Column::number("TT", 5),
            Column::text("Tên tổ", 20),
            Column::text("Họ tên thành viên", 25),
            Column::text("Chức vụ trong tổ", 15),
            Column::text("Số điện thoại", 15),
        ],
        rows: (1..=rows)
            .map(|i| {
                vec![
                    i.to_string(),
                    format!("Tổ CNSCĐ thôn Đông Hưng {}", i / 7 + 1),
                    format!("Nguyễn Thị Ngọc Ánh {i}"),
                    "Thành viên".into(),
                    "0912345678".into(),
                ]
            })
            .collect(),
        total: None,
    };
    OfficialDocument {
        kind: DocumentKind::Report,
        parent_body: String::new(),
        body: "UBND XÃ HOẰNG HÓA".into(),
        number: "Số: 05/BC-UBND".into(),
        excerpt: String::new(),
        place_and_date: "Hoằng Hóa, ngày 05 tháng 12 năm 2026".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
        title: "BÁO CÁO".into(),
        subject: "Kết quả hoạt động Tổ Công nghệ số cộng đồng quý IV/2026".into(),
        authority: String::new(),
        addressees: vec!["Sở Khoa học và Công nghệ tỉnh Thanh Hóa".into()],
        blocks: vec![
            Block::Heading {
                text: "I. TÌNH HÌNH CHUNG".into(),
            },
            Block::Paragraph {
                text: "Ủy ban nhân dân xã đã kiện toàn 12 tổ với 84 thành viên; người dân được hướng dẫn cài đặt ứng dụng VNeID, thanh toán không dùng tiền mặt và nhận diện lừa đảo trực tuyến.\nĐoạn thứ hai: ưu tiên đồng bào vùng sâu, vùng xa.".into(),
            },
            Block::Ground {
                text: "Căn cứ Luật Tổ chức chính quyền địa phương;".into(),
            },
            Block::Centered {
                text: "QUYẾT ĐỊNH:".into(),
            },
            Block::Article {
                label: "Điều 1.".into(),
                text: "Kiện toàn các Tổ Công nghệ số cộng đồng.".into(),
            },
        ],
        recipients: vec!["- Như trên;".into(), "- Lưu: VT, VHXH.".into()],
        signature: Signature {
            capacity: vec!["TM. ỦY BAN NHÂN DÂN".into(), "KT. CHỦ TỊCH".into()],
            title: "PHÓ CHỦ TỊCH".into(),
            name: "Lê Văn Hòa".into(),
        },
        annexes: vec![Annex {
            label: "Phụ lục".into(),
            title: "DANH SÁCH TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG".into(),
            note: "(Kèm theo Báo cáo số 05/BC-UBND ngày 05/12/2026 của UBND xã Hoằng Hóa)".into(),
            blocks: vec![Block::Table(table)],
        }],
    }
}

/// A tool of the test machine; under `CI=true` its absence fails the test, elsewhere the check is skipped loudly.
fn tool(name: &str) -> bool {
    let found = Command::new(name).arg("-v").output().is_ok();
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{name} is missing in CI"
        );
        eprintln!("SKIPPED: {name} is not installed");
    }
    found
}

fn pdf_text(pdf: &[u8], first: usize, last: usize) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout", "-f", &first.to_string(), "-l", &last.to_string()])
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn page_count(pdf: &[u8]) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdfinfo").arg(&path).output().unwrap();
    let info = String::from_utf8(out.stdout).unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn pdf_keeps_every_letter_numbers_pages_from_two_and_repeats_the_table_header() {
    let pdf = render(&sample(120), Format::Pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    if let Ok(path) = std::env::var("CNSCD_KEEP_SAMPLE_PDF") {
        std::fs::write(path, &pdf).unwrap();
    }
    if !tool("pdftotext") {
        return;
    }
    let pages = page_count(&pdf);
    assert!(pages >= 4, "{pages} pages");
    let first = pdf_text(&pdf, 1, 1);
    for text in [
        "UBND XÃ HOẰNG HÓA",
        "Số: 05/BC-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hoằng Hóa, ngày 05 tháng 12 năm 2026",
        "BÁO CÁO",
        "Kính gửi: Sở Khoa học và Công nghệ tỉnh Thanh Hóa",
        "ứng dụng VNeID",
    ] {
        assert!(first.contains(text), "page 1 lacks «{text}»:\n{first}");
    }
    // The motto and the number block sit above everything else on page 1.
    let motto_line = first.lines().position(|l| l.contains("CỘNG HÒA")).unwrap();
    let title_line = first.lines().position(|l| l.trim() == "BÁO CÁO").unwrap();
    assert!(motto_line < title_line);
    assert!(
        !first
            .lines()
            .next()
            .unwrap()
            .trim()
            .chars()
            .all(|c| c.is_ascii_digit()),
        "no page number on page 1"
    );
    // Numbered from page 2; the annex on its own, from its own second page.
    let annex = (1..=pages)
        .find(|&page| pdf_text(&pdf, page, page).contains("DANH SÁCH TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG"))
        .expect("the annex");
    for page in 2..=pages {
        let text = pdf_text(&pdf, page, page);
        let top = text.lines().find(|l| !l.trim().is_empty()).unwrap().trim();
        if page == annex {
            assert_eq!(top, "Phụ lục", "the annex's first page:\n{text}");
        } else {
            let number = if page < annex { page } else { page - annex + 1 };
            assert_eq!(top, number.to_string(), "page {page} number:\n{text}");
        }
    }
    // The annex table runs over the last pages, each starting with its header row.
    for page in pages - 1..=pages {
        let text = pdf_text(&pdf, page, page);
        assert!(text.contains("Họ tên thành viên"), "page {page}:\n{text}");
    }
    let all = pdf_text(&pdf, 1, pages);
    assert!(all.contains("Nguyễn Thị Ngọc Ánh 120"));
    assert!(all.contains("PHÓ CHỦ TỊCH"));
    assert!(all.contains("Lê Văn Hòa"));
}

#[test]
fn pdf_renders_to_png() {
    let pdf = render(&sample(10), Format::Pdf).unwrap();
    if !tool("pdftoppm") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.pdf"), &pdf).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "40", "-f", "1", "-l", "1"])
        .arg(dir.path().join("d.pdf"))
        .arg(dir.path().join("page"))
        .status()
        .unwrap();
    assert!(status.success());
    let png = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "png"))
        .expect("a PNG page");
    assert!(png.metadata().unwrap().len() > 1_000);
}

#[test]
fn docx_is_read_back_by_python_docx() {
    let docx = render(&sample(60), Format::Docx).unwrap();
    if !tool("python3") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.docx");
    std::fs::write(&path, &docx).unwrap();
    let script = r#"
import sys, docx, unicodedata
d = docx.Document(sys.argv[1])
s = d.sections[0]
print("page", s.page_width.mm, s.page_height.mm, s.left_margin.mm, s.right_margin.mm, s.top_margin.mm)
print("title_pg", s.different_first_page_header_footer)
print("first_header", repr("".join(p.text for p in s.first_page_header.paragraphs)))
texts = [p.text for p in d.paragraphs]
for t in d.tables:
    for r in t.rows:
        for c in r.cells:
            texts.append(c.text)
print("nfc", all(unicodedata.is_normalized("NFC", t) for t in texts))
heading = d.tables[0]
print("left", (heading.cell(0, 0).text + "|" + heading.cell(1, 0).text).replace("\n", "|"))
print("right", (heading.cell(0, 1).text + "|" + heading.cell(1, 1).text).replace("\n", "|"))
annex = d.tables[-1]
print("rows", len(annex.rows))
print("repeat", annex.rows[0]._tr.trPr is not None and annex.rows[0]._tr.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None)
print("body", any("VNeID" in t for t in texts))
print("indent", any(p.paragraph_format.first_line_indent is not None and "VNeID" in p.text for p in d.paragraphs))
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("No module named 'docx'") {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "python-docx is missing in CI"
        );
        eprintln!("SKIPPED: python-docx is not installed");
        return;
    }
    assert!(out.status.success(), "{stderr}");
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(report.contains("page 210.0"), "{report}");
    assert!(report.contains("title_pg True"), "{report}");
    assert!(report.contains("first_header ''"), "{report}");
    assert!(report.contains("nfc True"), "{report}");
    assert!(
        report.contains("left UBND XÃ HOẰNG HÓA||Số: 05/BC-UBND"),
        "{report}"
    );
    assert!(
        report.contains("right CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập - Tự do - Hạnh phúc||Hoằng Hóa, ngày 05 tháng 12 năm 2026"),
        "{report}"
    );
    assert!(report.contains("rows 61"), "{report}");
    assert!(report.contains("repeat True"), "{report}");
    assert!(report.contains("body True"), "{report}");
    assert!(report.contains("indent True"), "{report}");
}

#[test]
fn text_in_decomposed_form_comes_back_composed() {
    let mut document = sample(1);
    document.signature.name = "Le\u{302}\u{301} Va\u{306}n Ho\u{300}a".into();
    let pdf = render(&document, Format::Pdf).unwrap();
    if !tool("pdftotext") {
        return;
    }
    let pages = page_count(&pdf);
    let text = pdf_text(&pdf, 1, pages);
    assert!(text.contains("Lế Văn Hòa"), "{text}");
}

#[test]
fn a_document_beyond_the_row_bound_is_refused_before_any_layout() {
    let error = render(&sample(MAX_TABLE_ROWS + 1), Format::Pdf).unwrap_err();
    assert!(matches!(error, RenderError::TooLarge { .. }));
}

#[test]
fn a_letter_no_embedded_font_has_is_named_before_layout_and_the_docx_still_comes() {
    let mut document = sample(1);
    document.signature.name = "Hà Minh 中".into();
    match render(&document, Format::Pdf) {
        Err(RenderError::Unprintable { character, text }) => {
            assert_eq!(character, '中');
            assert_eq!(text, "Hà Minh 中");
        }
        other => panic!(
            "expected a refusal naming the letter, got {:?}",
            other.map(|b| b.len())
        ),
    }
    assert!(render(&document, Format::Docx).is_ok());
}
