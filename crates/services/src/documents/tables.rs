//! The team list as a document's table: one commune's teams and members in the template's columns, or the
//! province's summary by commune.

use super::{as_allowed, commune_letterhead, department_letterhead, Defaults, Issued, Prepared};
use crate::scope::{self, Intent};
use crate::{Caller, Error};
use cnscd_domain::official::{Annex, Block, Column, DocumentKind, DocumentRequest, Table};
use cnscd_domain::roster::RosterCommune;
use cnscd_domain::round::Indicator;
use cnscd_domain::text::{group_thousands, lowercase_first, slug};
use cnscd_domain::FieldError;
use cnscd_store::{CommuneSummary, Store};
use std::collections::BTreeMap;

pub(crate) const TEAM_LIST_TITLE: &str = "DANH SÁCH TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG";

/// One commune's teams: the team, its decision (unless `with_decisions` is false: a decision's own annex) and
/// its number on the first row of each team.
pub(crate) fn team_table(commune: &RosterCommune, with_decisions: bool) -> Table {
    let mut rows = Vec::new();
    for (index, team) in commune.teams.iter().enumerate() {
        let decision = team
            .decision
            .as_ref()
            .map(|d| {
                format!(
                    "{} ngày {}",
                    d.number.as_str(),
                    cnscd_domain::date::format_date(d.date)
                )
            })
            .unwrap_or_default();
        let mut team_cells = vec![(index + 1).to_string(), team.name.clone()];
        if with_decisions {
            team_cells.push(decision);
        }
        let blank = vec![String::new(); team_cells.len()];
        if team.members.is_empty() {
            rows.push([team_cells.clone(), vec![String::new(); 3]].concat());
        }
        for (position, member) in team.members.iter().enumerate() {
            // The team's own cells on its first row only, as the template merges them.
            let mut row = if position == 0 {
                team_cells.clone()
            } else {
                blank.clone()
            };
            row.extend([
                member.name.as_str().to_string(),
                member.role.label().to_string(),
                member
                    .phone
                    .as_ref()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_default(),
            ]);
            rows.push(row);
        }
    }
    let mut columns = vec![Column::number("TT", 5), Column::text("Tên tổ", 20)];
    if with_decisions {
        columns.push(Column::text("Số, ngày quyết định", 18));
    }
    columns.extend([
        Column::text("Họ tên thành viên", 22),
        Column::text("Chức vụ trong tổ", 13),
        Column::text("Số điện thoại", 15),
    ]);
    Table {
        columns,
        rows,
        total: None,
    }
}

/// The indicators a round asks (TT, name, unit), with each one's result when `results` are given.
pub(crate) fn indicator_table(
    indicators: &[Indicator],
    results: Option<&BTreeMap<String, i64>>,
) -> Table {
    let mut columns = vec![
        Column::number("TT", 6),
        Column::text("Chỉ tiêu", if results.is_some() { 56 } else { 70 }),
        Column::text("Đơn vị tính", 18),
    ];
    if results.is_some() {
        columns.push(Column::number("Kết quả", 16));
    }
    let rows = indicators
        .iter()
        .enumerate()
        .map(|(i, indicator)| {
            let mut row = vec![
                (i + 1).to_string(),
                indicator.name.clone(),
                indicator.unit.clone(),
            ];
            if let Some(results) = results {
                row.push(
                    results
                        .get(&indicator.code)
                        .map(|v| group_thousands(*v))
                        .unwrap_or_else(|| "chưa nhập".into()),
                );
            }
            row
        })
        .collect();
    Table {
        columns,
        rows,
        total: None,
    }
}

/// Teams and members of a commune's list, as the body of a document says them.
pub(crate) fn counts_sentence(commune: &RosterCommune) -> String {
    let members: usize = commune.teams.iter().map(|t| t.members.len()).sum();
    format!(
        "{} tổ với {} thành viên",
        group_thousands(commune.teams.len() as i64),
        group_thousands(members as i64)
    )
}

/// The province by commune: teams, members, and what stops teams from working.
pub(crate) fn summary_table(communes: &[CommuneSummary], totals: &CommuneSummary) -> Table {
    let count = |n: i64| group_thousands(n);
    Table {
        columns: vec![
            Column::number("TT", 5),
            Column::text("Xã, phường", 26),
            Column::number("Số tổ", 9),
            Column::number("Số thành viên", 12),
            Column::number("Tổ chưa có tổ trưởng", 13),
            Column::number("Tổ chưa có quyết định", 13),
            Column::number("Tổ thiếu thành viên", 13),
        ],
        rows: communes
            .iter()
            .enumerate()
            .map(|(i, c)| {
                vec![
                    (i + 1).to_string(),
                    c.name.clone(),
                    count(c.teams),
                    count(c.members),
                    count(c.teams_without_leader),
                    count(c.teams_without_decision),
                    count(c.teams_understaffed),
                ]
            })
            .collect(),
        total: Some(vec![
            String::new(),
            "Tổng cộng".into(),
            count(totals.teams),
            count(totals.members),
            count(totals.teams_without_leader),
            count(totals.teams_without_decision),
            count(totals.teams_understaffed),
        ]),
    }
}

/// The team list alone: a commune's full list under its own letterhead, or the province's summary by commune
/// under the Department's. It is an annex: its heading names the list, not a report.
pub(crate) async fn prepare_team_list(
    store: &Store,
    caller: &Caller,
    commune_code: Option<&str>,
    request: &DocumentRequest,
) -> Result<Prepared, Error> {
    let province = super::province_name(store, caller.province_code()).await?;
    let in_province = lowercase_first(&province);
    match commune_code {
        Some(code) => {
            let commune = scope::commune(store, caller, code, Intent::Read).await?;
            let saved = commune_letterhead(store, &commune).await?;
            let may_edit = caller
                .access()
                .can_write(&commune.province_code, &commune.code);
            let defaults = Defaults {
                addressees: vec![format!("Sở Khoa học và Công nghệ {in_province}")],
                recipients: vec!["Như trên".into()],
                remarks: String::new(),
                address: String::new(),
            };
            let issue = as_allowed(request, may_edit).issue(store, &saved, &defaults)?;
            let listed = commune_roster(store, &commune).await?;
            if listed.teams.is_empty() {
                return Err(no_team(&commune.name));
            }
            let named = lowercase_first(&commune.name);
            let mut document = issue.frame(
                DocumentKind::Report,
                &format!("Danh sách Tổ Công nghệ số cộng đồng trên địa bàn {named}"),
            );
            document.blocks = vec![
                Block::Paragraph {
                    text: format!(
                        "Ủy ban nhân dân {named} báo cáo danh sách Tổ Công nghệ số cộng đồng đang hoạt động trên \
                         địa bàn: {}, như sau:",
                        counts_sentence(&listed)
                    ),
                },
                Block::Table(team_table(&listed, true)),
            ];
            Ok(Prepared {
                editable: may_edit,
                description: format!("Danh sách tổ của {}", commune.name),
                file_stem: format!("danh-sach-to-{}", slug(&commune.name)),
                document,
                issue,
            })
        }
        None => {
            scope::whole_province(caller)?;
            let saved = department_letterhead(store, caller.province_code()).await?;
            let may_edit = caller.access().is_admin();
            let defaults = Defaults {
                addressees: vec![format!("Ủy ban nhân dân {in_province}")],
                recipients: vec!["Như trên".into(), "Giám đốc, các Phó Giám đốc Sở".into()],
                remarks: String::new(),
                address: String::new(),
            };
            let issue = as_allowed(request, may_edit).issue(store, &saved, &defaults)?;
            let overview = store.province_overview(caller.province_code()).await?;
            let mut document = issue.frame(
                DocumentKind::Report,
                "Tổng hợp Tổ Công nghệ số cộng đồng theo xã, phường",
            );
            document.blocks = vec![
                Block::Paragraph {
                    text: format!(
                        "Sở Khoa học và Công nghệ tổng hợp Tổ Công nghệ số cộng đồng trên địa bàn {in_province}: \
                         {} tổ với {} thành viên, như sau:",
                        group_thousands(overview.totals.teams),
                        group_thousands(overview.totals.members)
                    ),
                },
                Block::Table(summary_table(&overview.communes, &overview.totals)),
            ];
            Ok(Prepared {
                editable: may_edit,
                description: format!("Tổng hợp tổ của {province}"),
                file_stem: format!("tong-hop-to-{}", slug(&overview.province_name)),
                document,
                issue,
            })
        }
    }
}

/// A commune's active teams and members as the template lists them.
pub(crate) async fn commune_roster(
    store: &Store,
    commune: &cnscd_store::Commune,
) -> Result<RosterCommune, Error> {
    store
        .roster(&commune.province_code, std::slice::from_ref(&commune.code))
        .await?
        .communes
        .into_iter()
        .next()
        .ok_or(Error::NotFound("xã/phường"))
}

/// The refusal for a commune without an active team: nothing to list or decide.
pub(crate) fn no_team(commune_name: &str) -> Error {
    FieldError::new(
        "commune",
        "no_team",
        format!(
            "{commune_name} chưa có Tổ Công nghệ số cộng đồng nào đang hoạt động: hãy thêm tổ trước khi lập văn bản này."
        ),
    )
    .into()
}

/// The commune's list as an annex of a document numbered `note`.
pub(crate) fn team_annex(commune: &RosterCommune, note: String, with_decisions: bool) -> Annex {
    Annex {
        label: "Phụ lục".into(),
        title: TEAM_LIST_TITLE.into(),
        note,
        blocks: vec![Block::Table(team_table(commune, with_decisions))],
    }
}
