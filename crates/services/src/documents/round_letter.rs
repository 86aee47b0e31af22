//! The Department's letter (Công văn) that opens a round: what is asked, by when, and where to send it.

use super::tables::indicator_table;
use super::{
    as_allowed, deadline_words, department_letterhead, period_phrase, subject_phrase, Defaults,
    Issued, Prepared,
};
use crate::scope::{self, Intent};
use crate::{Caller, Error};
use cnscd_domain::official::{Block, DocumentKind, DocumentRequest};
use cnscd_domain::text::slug;
use cnscd_store::Store;

pub(super) async fn prepare(
    store: &Store,
    caller: &Caller,
    round_id: i64,
    site_address: &str,
    request: &DocumentRequest,
) -> Result<Prepared, Error> {
    // Addressed to the communes: every account that reaches the round may read it.
    let round = scope::round(store, caller, round_id, Intent::Read).await?;
    let defaults = Defaults {
        addressees: vec!["Ủy ban nhân dân các xã, phường".into()],
        recipients: vec![
            "Như trên".into(),
            "UBND tỉnh (để báo cáo)".into(),
            "Giám đốc Sở (để báo cáo)".into(),
        ],
        remarks: String::new(),
        address: site_address.trim_end_matches('/').to_string(),
    };
    let saved = department_letterhead(store, caller.province_code()).await?;
    let may_edit = caller.access().is_admin();
    let issue = as_allowed(request, may_edit).issue(store, &saved, &defaults)?;
    let title = subject_phrase(&round.title);
    let mut document = issue.frame(DocumentKind::Letter, "");
    document.excerpt = format!("V/v báo cáo {title}");
    let basis = if round.basis.is_empty() {
        "kế hoạch của Ủy ban nhân dân tỉnh về phát triển Tổ Công nghệ số cộng đồng".to_string()
    } else {
        round.basis.clone()
    };
    let period = period_phrase(round.period_start, round.period_end)
        .map(|p| format!(" ({p})"))
        .unwrap_or_default();
    let address = format!("{}/rounds/{}", issue.address, round.id);
    let mut blocks = vec![
        Block::Paragraph {
            text: format!(
                "Thực hiện {basis}, Sở Khoa học và Công nghệ đề nghị Ủy ban nhân dân các xã, phường báo cáo \
                 {title}{period}, cụ thể như sau:"
            ),
        },
        Block::Paragraph {
            text: "1. Số liệu báo cáo:".into(),
        },
        Block::Table(indicator_table(&round.indicators, None)),
        Block::Paragraph {
            text: "2. Nội dung báo cáo: kết quả đạt được; khó khăn, vướng mắc; đề xuất, kiến nghị; kèm theo danh \
                   sách Tổ Công nghệ số cộng đồng đã cập nhật đến thời điểm báo cáo."
                .into(),
        },
        Block::Paragraph {
            text: format!(
                "3. Thời hạn và cách gửi: báo cáo được nhập và gửi qua Hệ thống quản lý Tổ Công nghệ số cộng đồng tại \
                 địa chỉ {address} trước {}. Xã, phường chưa có tài khoản liên hệ Sở Khoa học và Công nghệ để \
                 được cấp.",
                deadline_words(round.deadline)
            ),
        },
    ];
    if !issue.remarks.is_empty() {
        blocks.push(Block::Paragraph {
            text: issue.remarks.clone(),
        });
    }
    blocks.push(Block::Paragraph {
        text: "Đề nghị Ủy ban nhân dân các xã, phường quan tâm, chỉ đạo thực hiện đúng thời hạn./."
            .into(),
    });
    document.blocks = blocks;
    Ok(Prepared {
        editable: may_edit,
        description: format!("Công văn mở đợt — {}", round.title),
        file_stem: format!("cong-van-{}", slug(&round.title)),
        document,
        issue,
    })
}
