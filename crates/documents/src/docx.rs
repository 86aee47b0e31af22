//! DOCX through docx-rs: the same model as the PDF, in Word's own terms (twips, half-points), Times New Roman.

use crate::RenderError;
use cnscd_domain::official::{Annex, Block, OfficialDocument, Table as DataTable};
use docx_rs::{
    AlignmentType, BorderType, Docx, Header, HeightRule, LineSpacing, PageMargin, PageNum,
    Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts,
    SpecialIndentType, Table, TableCell, TableCellMargins, TableLayoutType, TableRow, WidthType,
};
use std::io::Cursor;

const FONT: &str = "Times New Roman";
/// A4 in twips.
const PAGE: (u32, u32) = (11906, 16838);
/// Margins in twips: top and bottom 20 mm, left 30 mm, right 15 mm.
const MARGINS: (i32, i32, i32, i32) = (1134, 1134, 1701, 850);
const TEXT_WIDTH: usize = (PAGE.0 as i32 - MARGINS.2 - MARGINS.3) as usize;
/// First-line indent of body text: 1 cm.
const INDENT: i32 = 567;

/// A run of `size` points.
fn run(text: &str, size: usize) -> Run {
    Run::new().add_text(text).size(size * 2)
}

fn centered(run: Run) -> Paragraph {
    Paragraph::new().add_run(run).align(AlignmentType::Center)
}

/// The letterhead's lines and the national name: 12 points (the decree allows 12 to 13), so that
/// `SỞ KHOA HỌC VÀ CÔNG NGHỆ` and `CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM` each keep to one line in Word too.
const LETTERHEAD_HALF_POINTS: usize = 24;

/// Several lines in one centred paragraph, with line breaks between them.
fn lines_run(text: &str, half_points: usize, style: impl Fn(Run) -> Run) -> Paragraph {
    let mut paragraph = Paragraph::new().align(AlignmentType::Center);
    for (i, line) in text.lines().enumerate() {
        let mut piece = Run::new();
        if i > 0 {
            piece = piece.add_break(docx_rs::BreakType::TextWrapping);
        }
        paragraph = paragraph.add_run(style(piece.add_text(line).size(half_points)));
    }
    paragraph
}

/// A short centred rule: an empty paragraph whose bottom border is narrowed by its indents.
fn rule(cell_width: usize, share_percent: usize) -> Paragraph {
    let side = (cell_width * (100 - share_percent) / 200) as i32;
    let mut paragraph = Paragraph::new()
        .add_run(Run::new().size(4))
        .indent(Some(side), None, Some(side), None)
        .line_spacing(LineSpacing::new().before(0).after(80).line(60));
    paragraph.property = paragraph.property.set_borders(
        ParagraphBorders::with_empty().set(
            ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                .val(BorderType::Single)
                .size(6),
        ),
    );
    paragraph
}

fn cell(width: usize) -> TableCell {
    TableCell::new().width(width, WidthType::Dxa)
}

fn heading(document: &OfficialDocument) -> Table {
    let (left, right) = (TEXT_WIDTH * 45 / 100, TEXT_WIDTH * 55 / 100);
    let mut body = cell(left);
    if !document.parent_body.is_empty() {
        body = body.add_paragraph(lines_run(
            &document.parent_body.to_uppercase(),
            LETTERHEAD_HALF_POINTS,
            |r| r,
        ));
    }
    body = body
        .add_paragraph(lines_run(&document.body, LETTERHEAD_HALF_POINTS, Run::bold))
        .add_paragraph(rule(left, 40));
    let mut number = cell(left).add_paragraph(centered(run(&document.number, 13)));
    if !document.excerpt.is_empty() {
        number = number.add_paragraph(centered(run(&document.excerpt, 12)));
    }
    let motto = cell(right)
        .add_paragraph(centered(
            Run::new()
                .add_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
                .size(LETTERHEAD_HALF_POINTS)
                .bold(),
        ))
        .add_paragraph(centered(run("Độc lập - Tự do - Hạnh phúc", 14).bold()))
        .add_paragraph(rule(right, 62));
    let date = cell(right).add_paragraph(centered(run(&document.place_and_date, 14).italic()));
    // Two rows: the number and the date line up, whatever the number of the body's lines.
    Table::without_borders(vec![
        TableRow::new(vec![body, motto]),
        TableRow::new(vec![number, date]),
    ])
    .set_grid(vec![left, right])
    .margins(TableCellMargins::new().margin(0, 0, 0, 0))
    .layout(TableLayoutType::Fixed)
}

fn body_paragraph(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, 14))
        .align(AlignmentType::Both)
        .indent(None, Some(SpecialIndentType::FirstLine(INDENT)), None, None)
        .line_spacing(LineSpacing::new().before(0).after(120))
}

/// Header rows are marked here with an "auto" height of [`HEADER_MARK`] twips (which Word ignores) and given
/// `tblHeader` when the package is written (docx-rs has no setter for it): Word and LibreOffice then repeat them
/// on every page the table runs onto.
fn data_table(table: &DataTable, size: usize) -> Table {
    let total: usize = table.columns.iter().map(|c| c.width as usize).sum();
    let widths: Vec<usize> = table
        .columns
        .iter()
        .map(|c| TEXT_WIDTH * c.width as usize / total)
        .collect();
    let text_cell = |text: &str, width: usize, align: AlignmentType, bold: bool| {
        let piece = if bold {
            run(text, size).bold()
        } else {
            run(text, size)
        };
        cell(width).add_paragraph(Paragraph::new().add_run(piece).align(align))
    };
    let header = TableRow::new(
        table
            .columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| text_cell(&c.title, *w, AlignmentType::Center, true))
            .collect(),
    )
    .row_height(HEADER_MARK)
    .height_rule(HeightRule::Auto);
    let line = |cells: &Vec<String>, bold: bool| {
        TableRow::new(
            cells
                .iter()
                .zip(table.columns.iter().zip(&widths))
                .map(|(text, (column, width))| {
                    let align = if column.numeric {
                        AlignmentType::Right
                    } else {
                        AlignmentType::Left
                    };
                    text_cell(text, *width, align, bold)
                })
                .collect(),
        )
    };
    let mut rows = vec![header];
    rows.extend(table.rows.iter().map(|r| line(r, false)));
    rows.extend(table.total.iter().map(|r| line(r, true)));
    Table::new(rows)
        .set_grid(widths)
        .margins(TableCellMargins::new().margin(20, 60, 20, 60))
        .layout(TableLayoutType::Fixed)
}

/// Appends the blocks of the body or of an annex, in order.
fn add_blocks(mut docx: Docx, blocks: &[Block], table_size: usize) -> Docx {
    for (index, block) in blocks.iter().enumerate() {
        // The body's last paragraph keeps with the signature that follows it.
        let last = index + 1 == blocks.len();
        docx = match block {
            Block::Heading { text } => docx.add_paragraph(
                Paragraph::new()
                    .add_run(run(text, 14).bold())
                    .line_spacing(LineSpacing::new().before(120).after(120))
                    .keep_next(true),
            ),
            Block::Paragraph { text } => text
                .lines()
                .filter(|l| !l.is_empty())
                .fold(docx, |docx, line| {
                    docx.add_paragraph(body_paragraph(line).keep_next(last))
                }),
            Block::Ground { text } => docx.add_paragraph(
                Paragraph::new()
                    .add_run(run(text, 14).italic())
                    .align(AlignmentType::Both)
                    .indent(None, Some(SpecialIndentType::FirstLine(INDENT)), None, None),
            ),
            Block::Centered { text } => docx.add_paragraph(
                centered(run(text, 14).bold())
                    .line_spacing(LineSpacing::new().before(120).after(120)),
            ),
            Block::Article { label, text } => docx.add_paragraph(
                Paragraph::new()
                    .add_run(run(label, 14).bold())
                    .add_run(run(&format!(" {text}"), 14))
                    .align(AlignmentType::Both)
                    .indent(None, Some(SpecialIndentType::FirstLine(INDENT)), None, None)
                    .line_spacing(LineSpacing::new().before(0).after(120)),
            ),
            Block::Table(table) => docx
                .add_table(data_table(table, table_size))
                .add_paragraph(Paragraph::new()),
        };
    }
    docx
}

fn signature(document: &OfficialDocument) -> Table {
    let (left, right) = (TEXT_WIDTH * 45 / 100, TEXT_WIDTH * 55 / 100);
    let mut recipients = cell(left);
    if !document.recipients.is_empty() {
        recipients = recipients
            .add_paragraph(Paragraph::new().add_run(run("Nơi nhận:", 12).bold().italic()));
    }
    for line in &document.recipients {
        recipients = recipients.add_paragraph(Paragraph::new().add_run(run(line, 11)));
    }
    let mut signer = cell(right);
    for line in &document.signature.capacity {
        signer = signer.add_paragraph(centered(run(line, 14).bold()));
    }
    signer = signer.add_paragraph(centered(run(&document.signature.title, 14).bold()));
    // Room for the signature and the seal.
    for _ in 0..2 {
        signer = signer.add_paragraph(Paragraph::new());
    }
    signer = signer.add_paragraph(centered(run(&document.signature.name, 14).bold()));
    // One block: the signature never breaks across pages.
    Table::without_borders(vec![TableRow::new(vec![recipients, signer]).cant_split()])
        .set_grid(vec![left, right])
        .layout(TableLayoutType::Fixed)
}

fn add_annex(docx: Docx, annex: &Annex) -> Docx {
    let docx = docx
        .add_paragraph(centered(run(&annex.label, 14).bold()).page_break_before(true))
        .add_paragraph(centered(run(&annex.title, 14).bold()))
        .add_paragraph(centered(run(&annex.note, 13).italic()))
        .add_paragraph(Paragraph::new());
    add_blocks(docx, &annex.blocks, 11)
}

pub fn render(document: &OfficialDocument) -> Result<Vec<u8>, RenderError> {
    let fonts = RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .cs(FONT)
        .east_asia(FONT);
    let page_number = Header::new().add_paragraph(
        Paragraph::new()
            .add_page_num(PageNum::new())
            .align(AlignmentType::Center),
    );
    let mut docx = Docx::new()
        .page_size(PAGE.0, PAGE.1)
        .page_margin(
            PageMargin::new()
                .top(MARGINS.0)
                .bottom(MARGINS.1)
                .left(MARGINS.2)
                .right(MARGINS.3)
                .header(567)
                .footer(567),
        )
        .default_fonts(fonts)
        // The document's own date, not 1970: Word shows it in the file's properties.
        .created_at(&format!("{}T00:00:00Z", document.date))
        .updated_at(&format!("{}T00:00:00Z", document.date))
        .default_size(28)
        .header(page_number)
        // Decree 30 numbers pages from the second: the first page has a header of its own, empty.
        .first_header(Header::new())
        .add_table(heading(document))
        .add_paragraph(Paragraph::new());
    if !document.title.is_empty() {
        docx = docx
            .add_paragraph(centered(run(&document.title, 14).bold()))
            .add_paragraph(centered(run(&document.subject, 14).bold()))
            .add_paragraph(rule(TEXT_WIDTH, 25));
    }
    if !document.authority.is_empty() {
        docx = docx.add_paragraph(centered(run(&document.authority, 14).bold()));
    }
    match document.addressees.as_slice() {
        [] => {}
        [one] => docx = docx.add_paragraph(centered(run(&format!("Kính gửi: {one}"), 14))),
        many => {
            docx = docx.add_paragraph(centered(run("Kính gửi:", 14)));
            for addressee in many {
                docx = docx.add_paragraph(centered(run(&format!("- {addressee}"), 14)));
            }
        }
    }
    docx = add_blocks(docx.add_paragraph(Paragraph::new()), &document.blocks, 12);
    // A form to sign (a sign-in sheet) has no signature block.
    if !document.signature.title.is_empty() || !document.recipients.is_empty() {
        docx = docx.add_table(signature(document));
    }
    for annex in &document.annexes {
        docx = add_annex(docx, annex);
    }
    let mut package = docx.build();
    package.document = repeat_header_rows(&package.document);
    let mut bytes = Cursor::new(Vec::new());
    package
        .pack(&mut bytes)
        .map_err(|e| RenderError::Layout(e.to_string()))?;
    Ok(bytes.into_inner())
}

/// The mark of a header row (see [`data_table`]).
const HEADER_MARK: f32 = 1.0;

/// The marked header rows become `tblHeader` rows.
fn repeat_header_rows(xml: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(xml)
        .replace(
            r#"<w:trHeight w:val="1" w:hRule="auto" />"#,
            "<w:tblHeader />",
        )
        .into_bytes()
}
