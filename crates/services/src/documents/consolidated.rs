//! The Department's consolidated report of a round to the Provincial People's Committee: who reported, the
//! province's teams, the indicator totals, each commune's figures (annex I) and the team summary (annex II).

use super::tables::summary_table;
use super::{
    as_allowed, department_letterhead, period_phrase, subject_phrase, Defaults, Issued, Prepared,
};
use crate::scope::{self, Intent};
use crate::{Caller, Error};
use cnscd_domain::official::{Annex, Block, Column, DocumentKind, DocumentRequest, Table};
use cnscd_domain::round::{on_time, ReportState};
use cnscd_domain::text::{group_thousands, lowercase_first, one_decimal, slug};
use cnscd_store::Store;
use std::collections::HashMap;

pub(super) async fn prepare(
    store: &Store,
    caller: &Caller,
    round_id: i64,
    request: &DocumentRequest,
) -> Result<Prepared, Error> {
    scope::whole_province(caller)?;
    scope::round(store, caller, round_id, Intent::Read).await?;
    let board = crate::rounds::board(store, caller, round_id).await?;
    let figures = crate::rounds::figures(store, caller, round_id).await?;
    let overview = store.province_overview(caller.province_code()).await?;
    let (round, done) = (&board.round, &board.completeness);
    let province = lowercase_first(&super::province_name(store, caller.province_code()).await?);
    let defaults = Defaults {
        addressees: vec![format!("Ủy ban nhân dân {province}")],
        recipients: vec!["Như trên".into(), "Giám đốc, các Phó Giám đốc Sở".into()],
        remarks: remarks(board.completeness.missing, &province),
        address: String::new(),
    };
    let saved = department_letterhead(store, caller.province_code()).await?;
    let may_edit = caller.access().is_admin();
    let issue = as_allowed(request, may_edit).issue(store, &saved, &defaults)?;
    let title = subject_phrase(&round.title);
    let mut document = issue.frame(DocumentKind::Report, &format!("Tổng hợp báo cáo {title}"));
    let basis = if round.basis.is_empty() {
        "kế hoạch của Ủy ban nhân dân tỉnh".to_string()
    } else {
        round.basis.clone()
    };
    let period = period_phrase(round.period_start, round.period_end)
        .map(|p| format!(" ({p})"))
        .unwrap_or_default();
    let missing: Vec<&str> = board
        .lines
        .iter()
        .filter(|l| l.first_submitted_at.is_none())
        .map(|l| l.commune_name.as_str())
        .collect();
    let missing_sentence = if missing.is_empty() {
        "Tất cả các xã, phường đã gửi báo cáo.".to_string()
    } else {
        format!("Các xã, phường chưa gửi báo cáo: {}.", missing.join(", "))
    };
    let totals = &overview.totals;
    let covered = overview.communes.len() as i64 - overview.communes_without_team;
    let mut blocks = vec![
        Block::Paragraph {
            text: format!(
                "Thực hiện {basis}, Sở Khoa học và Công nghệ đã đề nghị Ủy ban nhân dân các xã, phường báo cáo \
                 {title}{period}, hạn gửi {}. Sở Khoa học và Công nghệ tổng hợp, báo cáo như sau:",
                super::deadline_words(round.deadline)
            ),
        },
        Block::Heading {
            text: "I. TÌNH HÌNH GỬI BÁO CÁO".into(),
        },
        Block::Paragraph {
            text: format!(
                "Số xã, phường phải báo cáo: {}; đã gửi: {} ({}%), trong đó đúng hạn {}, trễ hạn {}; chưa gửi: {}; \
                 đang trả lại để hoàn thiện: {}; đã tiếp nhận: {}.\n{missing_sentence}",
                group_thousands(done.expected),
                group_thousands(done.submitted),
                one_decimal(done.reporting_rate),
                group_thousands(done.on_time),
                group_thousands(done.late),
                group_thousands(done.missing),
                group_thousands(done.returned),
                group_thousands(done.accepted),
            ),
        },
        Block::Heading {
            text: "II. TÌNH HÌNH TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG".into(),
        },
        Block::Paragraph {
            text: format!(
                "Toàn tỉnh có {} tổ với {} thành viên tại {}/{} xã, phường; {} xã, phường chưa có tổ; {} tổ chưa có \
                 tổ trưởng; {} tổ chưa có quyết định thành lập; {} tổ chưa đủ số thành viên tối thiểu. Chi tiết tại \
                 Phụ lục II.",
                group_thousands(totals.teams),
                group_thousands(totals.members),
                group_thousands(covered),
                group_thousands(overview.communes.len() as i64),
                group_thousands(overview.communes_without_team),
                group_thousands(totals.teams_without_leader),
                group_thousands(totals.teams_without_decision),
                group_thousands(totals.teams_understaffed),
            ),
        },
        Block::Heading {
            text: "III. KẾT QUẢ THỰC HIỆN".into(),
        },
        Block::Paragraph {
            text: "Số liệu tổng hợp từ các báo cáo đã gửi (không tính báo cáo đang trả lại để hoàn thiện); \
                   kết quả của từng xã, phường tại Phụ lục I."
                .into(),
        },
        Block::Table(Table {
            columns: vec![
                Column::number("TT", 6),
                Column::text("Chỉ tiêu", 50),
                Column::text("Đơn vị tính", 14),
                Column::number("Tổng", 14),
                Column::number("Số xã, phường báo cáo", 16),
            ],
            rows: figures
                .totals()
                .into_iter()
                .enumerate()
                .map(|(i, (indicator, total, communes))| {
                    vec![
                        (i + 1).to_string(),
                        indicator.name,
                        indicator.unit,
                        group_thousands(total),
                        group_thousands(communes),
                    ]
                })
                .collect(),
            total: None,
        }),
    ];
    if !issue.remarks.is_empty() {
        blocks.push(Block::Heading {
            text: "IV. NHẬN XÉT, ĐỀ XUẤT".into(),
        });
        blocks.push(Block::Paragraph {
            text: issue.remarks.clone(),
        });
    }
    blocks.push(Block::Paragraph {
        text: format!("Sở Khoa học và Công nghệ kính báo cáo Ủy ban nhân dân {province}./."),
    });
    document.blocks = blocks;

    let issuer = "Sở Khoa học và Công nghệ";
    let note = issue.annex_note("Báo cáo", DocumentKind::Report, issuer);
    let by_commune: HashMap<&str, &cnscd_store::CommuneFigures> = figures
        .communes
        .iter()
        .filter(|c| c.state.counted())
        .map(|c| (c.commune_code.as_str(), c))
        .collect();
    let legend = figures
        .indicators
        .iter()
        .enumerate()
        .map(|(i, indicator)| format!("({}) {} ({})", i + 1, indicator.name, indicator.unit))
        .collect::<Vec<_>>()
        .join("; ");
    let mut columns = vec![
        Column::number("TT", 5),
        Column::text("Xã, phường", 22),
        Column::text("Tình trạng", 13),
    ];
    let headers: Vec<String> = (1..=figures.indicators.len())
        .map(|i| format!("({i})"))
        .collect();
    columns.extend(headers.iter().map(|h| Column::number(h, 9)));
    let rows = board
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let state = match line.first_submitted_at {
                None => "Chưa gửi",
                Some(_) if line.state == ReportState::Returned => "Đang trả lại",
                Some(at) if on_time(at, round.deadline) => "Đúng hạn",
                Some(_) => "Trễ hạn",
            };
            let mut row = vec![
                (i + 1).to_string(),
                line.commune_name.clone(),
                state.to_string(),
            ];
            row.extend(figures.indicators.iter().map(|indicator| {
                by_commune
                    .get(line.commune_code.as_str())
                    .and_then(|c| c.figures.get(&indicator.code))
                    .map(|v| group_thousands(*v))
                    .unwrap_or_default()
            }));
            row
        })
        .collect();
    let mut total = vec![String::new(), "Tổng cộng".to_string(), String::new()];
    total.extend(
        figures
            .totals()
            .into_iter()
            .map(|(_, sum, _)| group_thousands(sum)),
    );
    document.annexes = vec![
        Annex {
            label: "Phụ lục I".into(),
            title: "KẾT QUẢ CỦA TỪNG XÃ, PHƯỜNG".into(),
            note: note.clone(),
            blocks: vec![
                Block::Paragraph {
                    text: format!("Chỉ tiêu: {legend}."),
                },
                Block::Table(Table {
                    columns,
                    rows,
                    total: Some(total),
                }),
            ],
        },
        Annex {
            label: "Phụ lục II".into(),
            title: "TỔNG HỢP TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG THEO XÃ, PHƯỜNG".into(),
            note,
            blocks: vec![Block::Table(summary_table(&overview.communes, totals))],
        },
    ];
    Ok(Prepared {
        editable: may_edit,
        description: format!("Báo cáo tổng hợp — {}", round.title),
        file_stem: format!("bao-cao-tong-hop-{}", slug(&round.title)),
        document,
        issue,
    })
}

/// The default remarks: what the Department will do next, which depends on whether communes are missing.
fn remarks(missing: i64, province: &str) -> String {
    let chase = if missing > 0 {
        "đôn đốc các xã, phường chưa gửi báo cáo, "
    } else {
        ""
    };
    format!(
        "Sở Khoa học và Công nghệ tiếp tục {chase}hướng dẫn các Tổ Công nghệ số cộng đồng còn thiếu tổ trưởng, \
         quyết định hoặc thành viên hoàn thiện, và tổng hợp kết quả kỳ sau báo cáo Ủy ban nhân dân {province}."
    )
}
