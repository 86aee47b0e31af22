//! The commune's decision establishing or reorganising its teams (Quyết định của Chủ tịch UBND xã), with the
//! team list as the annex, pre-filled from the registry.

use super::tables::{commune_roster, counts_sentence, team_annex};
use super::{as_allowed, commune_letterhead, Defaults, Issued, Prepared};
use crate::scope::{self, Intent};
use crate::{Caller, Error};
use cnscd_domain::official::{Block, DocumentKind, DocumentRequest};
use cnscd_domain::public::TASK_AREAS;
use cnscd_domain::text::{lowercase_first, slug};
use cnscd_store::Store;

pub(super) async fn prepare(
    store: &Store,
    caller: &Caller,
    commune_code: &str,
    request: &DocumentRequest,
) -> Result<Prepared, Error> {
    let commune = scope::commune(store, caller, commune_code, Intent::Read).await?;
    let named = lowercase_first(&commune.name);
    let defaults = Defaults {
        addressees: Vec::new(),
        recipients: vec![
            "Như Điều 3".into(),
            "Sở Khoa học và Công nghệ (để báo cáo)".into(),
            "Chủ tịch, các Phó Chủ tịch UBND".into(),
        ],
        remarks: [
            "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025;",
            "Căn cứ hướng dẫn của Sở Khoa học và Công nghệ về kiện toàn Tổ Công nghệ số cộng đồng;",
            "Theo đề nghị của Trưởng phòng Văn hóa - Xã hội.",
        ]
        .join("\n"),
        address: String::new(),
    };
    // The Chairman decides: her own capacity, not the committee's (`TM. ỦY BAN NHÂN DÂN` does not apply).
    let mut saved = commune_letterhead(store, &commune).await?;
    saved.signer_capacity = saved
        .capacity_lines()
        .into_iter()
        .filter(|line| !line.starts_with("TM."))
        .collect::<Vec<_>>()
        .join("\n");
    let may_edit = caller
        .access()
        .can_write(&commune.province_code, &commune.code);
    let issue = as_allowed(request, may_edit).issue(store, &saved, &defaults)?;
    let listed = commune_roster(store, &commune).await?;
    if listed.teams.is_empty() {
        return Err(super::tables::no_team(&commune.name));
    }
    let mut document = issue.frame(
        DocumentKind::Decision,
        &format!("Về việc kiện toàn Tổ Công nghệ số cộng đồng trên địa bàn {named}"),
    );
    // A decision is addressed to no one: it names who carries it out (Điều 3).
    document.addressees.clear();
    document.authority = format!("CHỦ TỊCH ỦY BAN NHÂN DÂN {}", commune.name.to_uppercase());
    let tasks = TASK_AREAS
        .iter()
        .map(|task| lowercase_first(task))
        .collect::<Vec<_>>()
        .join("; ");
    let mut blocks: Vec<Block> = issue
        .remarks
        .lines()
        .filter(|l| !l.is_empty())
        .map(|line| Block::Ground {
            text: line.to_string(),
        })
        .collect();
    blocks.extend([
        Block::Centered {
            text: "QUYẾT ĐỊNH:".into(),
        },
        Block::Article {
            label: "Điều 1.".into(),
            text: format!(
                "Kiện toàn {} trên địa bàn {named} (có danh sách kèm theo).",
                counts_sentence(&listed).replacen(" tổ", " Tổ Công nghệ số cộng đồng", 1)
            ),
        },
        Block::Article {
            label: "Điều 2.".into(),
            text: format!(
                "Tổ Công nghệ số cộng đồng có nhiệm vụ hướng dẫn, hỗ trợ người dân: {tasks}. Tổ trưởng phân công \
                 thành viên phụ trách từng thôn, tổ dân phố và báo cáo kết quả theo yêu cầu của Ủy ban nhân dân."
            ),
        },
        Block::Article {
            label: "Điều 3.".into(),
            text: format!(
                "Quyết định này có hiệu lực kể từ ngày ký và thay thế các quyết định trước đây về thành lập, kiện \
                 toàn Tổ Công nghệ số cộng đồng trên địa bàn {named}. Văn phòng HĐND và UBND, Phòng Văn hóa - Xã \
                 hội, các tổ chức, cá nhân có liên quan và các thành viên có tên tại Điều 1 chịu trách nhiệm thi \
                 hành Quyết định này./."
            ),
        },
    ]);
    document.blocks = blocks;
    let issuer = format!("Chủ tịch UBND {named}");
    document.annexes.push(team_annex(
        &listed,
        issue.annex_note("Quyết định", DocumentKind::Decision, &issuer),
        // The teams' earlier decisions are the ones this one replaces.
        false,
    ));
    Ok(Prepared {
        editable: may_edit,
        description: format!("Quyết định kiện toàn tổ — {}", commune.name),
        file_stem: format!("quyet-dinh-kien-toan-to-{}", slug(&commune.name)),
        document,
        issue,
    })
}
