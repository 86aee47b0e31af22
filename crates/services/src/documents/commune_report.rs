//! A commune's report in a round (Báo cáo của UBND xã), with its team list as the annex.

use super::tables::{commune_roster, counts_sentence, indicator_table, team_annex};
use super::{
    as_allowed, capitalised, commune_letterhead, period_phrase, subject_phrase, Defaults, Issued,
    Prepared,
};
use crate::scope::{self, Intent};
use crate::{Caller, Error};
use cnscd_domain::official::{Block, DocumentKind, DocumentRequest};
use cnscd_domain::role::Role;
use cnscd_domain::roster::RosterCommune;
use cnscd_domain::text::{group_thousands, lowercase_first, slug};
use cnscd_store::Store;

pub(super) async fn prepare(
    store: &Store,
    caller: &Caller,
    round_id: i64,
    commune_code: &str,
    request: &DocumentRequest,
) -> Result<Prepared, Error> {
    let view = crate::rounds::report(store, caller, round_id, commune_code).await?;
    let commune = scope::commune(store, caller, commune_code, Intent::Read).await?;
    let (round, report) = (&view.round, &view.report);
    let department = format!(
        "Sở Khoa học và Công nghệ {}",
        lowercase_first(&super::province_name(store, &commune.province_code).await?)
    );
    let defaults = Defaults {
        addressees: vec![department],
        recipients: vec!["Như trên".into(), "Chủ tịch, các Phó Chủ tịch UBND".into()],
        remarks: String::new(),
        address: String::new(),
    };
    let saved = commune_letterhead(store, &commune).await?;
    let may_edit = caller
        .access()
        .can_write(&commune.province_code, &commune.code);
    let issue = as_allowed(request, may_edit).issue(store, &saved, &defaults)?;
    let listed: RosterCommune = match &report.roster {
        Some(frozen) => crate::rounds::frozen_commune(frozen)?,
        None => commune_roster(store, &commune).await?,
    };
    let committee = format!("Ủy ban nhân dân {}", lowercase_first(&commune.name));
    let title = subject_phrase(&round.title);
    let mut document = issue.frame(DocumentKind::Report, &capitalised(&title));
    let basis = if round.basis.is_empty() {
        "yêu cầu của Sở Khoa học và Công nghệ".to_string()
    } else {
        round.basis.clone()
    };
    let period = period_phrase(round.period_start, round.period_end)
        .map(|p| format!(" ({p})"))
        .unwrap_or_default();
    let count_role = |role: Role| {
        listed
            .teams
            .iter()
            .flat_map(|t| &t.members)
            .filter(|m| m.role == role)
            .count() as i64
    };
    let figures = report.submitted_figures.as_ref().unwrap_or(&report.figures);
    let narrative = |text: &str| {
        if text.is_empty() {
            "Không có.".to_string()
        } else {
            text.to_string()
        }
    };
    document.blocks = vec![
        Block::Paragraph {
            text: format!("Thực hiện {basis}, {committee} báo cáo {title}{period} như sau:"),
        },
        Block::Heading {
            text: "I. TÌNH HÌNH TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG".into(),
        },
        Block::Paragraph {
            text: if listed.teams.is_empty() {
                "Trên địa bàn chưa có Tổ Công nghệ số cộng đồng nào đang hoạt động.".to_string()
            } else {
                format!(
                    "Trên địa bàn có {}, trong đó {} tổ trưởng và {} tổ phó; danh sách các tổ tại Phụ lục kèm theo.",
                    counts_sentence(&listed),
                    group_thousands(count_role(Role::Leader)),
                    group_thousands(count_role(Role::Deputy)),
                )
            },
        },
        Block::Heading {
            text: "II. KẾT QUẢ THỰC HIỆN".into(),
        },
        Block::Table(indicator_table(&round.indicators, Some(figures))),
        Block::Paragraph {
            text: narrative(&report.narrative.results),
        },
        Block::Heading {
            text: "III. KHÓ KHĂN, VƯỚNG MẮC".into(),
        },
        Block::Paragraph {
            text: narrative(&report.narrative.difficulties),
        },
        Block::Heading {
            text: "IV. ĐỀ XUẤT, KIẾN NGHỊ".into(),
        },
        Block::Paragraph {
            text: narrative(&report.narrative.proposals),
        },
        Block::Paragraph {
            text: format!("Trên đây là báo cáo {title} của {committee}./."),
        },
    ];
    if !listed.teams.is_empty() {
        let issuer = format!("UBND {}", lowercase_first(&commune.name));
        document.annexes.push(team_annex(
            &listed,
            issue.annex_note("Báo cáo", DocumentKind::Report, &issuer),
            true,
        ));
    }
    Ok(Prepared {
        editable: may_edit,
        description: format!("Báo cáo của {} — {}", commune.name, round.title),
        file_stem: format!("bao-cao-{}-{}", slug(&commune.name), slug(&round.title)),
        document,
        issue,
    })
}
