//! A training class's sign-in sheet (Danh sách ký nhận) under the Department's letterhead: everyone seated,
//! with a column to sign.

use super::{department_letterhead, Defaults, Issued, Prepared};
use crate::scope;
use crate::training::{class, class_subtitle, registration_line, registrations};
use crate::{Caller, Error};
use cnscd_domain::official::{Block, Column, DocumentKind, DocumentRequest, Table};
use cnscd_domain::training::Seat;
use cnscd_store::Store;

pub(super) async fn prepare(
    store: &Store,
    caller: &Caller,
    class_id: i64,
    request: &DocumentRequest,
) -> Result<Prepared, Error> {
    scope::whole_province(caller)?;
    let class = class(store, caller, class_id).await?;
    let seated: Vec<Vec<String>> = registrations(store, caller, class_id)
        .await?
        .iter()
        .filter(|r| r.seat == Seat::Seated)
        .enumerate()
        .map(|(i, r)| {
            let mut line = vec![(i + 1).to_string()];
            line.extend(registration_line(r));
            line.push(String::new());
            line
        })
        .collect();
    let defaults = Defaults {
        addressees: Vec::new(),
        recipients: Vec::new(),
        remarks: String::new(),
        address: String::new(),
    };
    let saved = department_letterhead(store, caller.province_code()).await?;
    let issue = request.issue(store, &saved, &defaults)?;
    let mut document = issue.frame(DocumentKind::List, &class.topic);
    document.title = "DANH SÁCH KÝ NHẬN THAM DỰ LỚP TẬP HUẤN".into();
    document.recipients.clear();
    document.blocks = vec![
        Block::Paragraph {
            text: format!("Thời gian, địa điểm: {}.", class_subtitle(&class)),
        },
        Block::Table(Table {
            columns: vec![
                Column::number("TT", 5),
                Column::text("Họ và tên", 22),
                Column::text("Chức vụ", 11),
                Column::text("Tổ", 17),
                Column::text("Xã, phường", 14),
                Column::text("Số điện thoại", 16),
                Column::text("Ký tên", 15),
            ],
            rows: seated,
            total: None,
        }),
    ];
    Ok(Prepared {
        description: format!("Danh sách ký nhận — {}", class.topic),
        file_stem: format!("danh-sach-ky-nhan-lop-{class_id}"),
        document,
        issue,
    })
}
