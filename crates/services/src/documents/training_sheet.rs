//! A training class's sign-in sheet (Danh sách ký nhận) under the Department's letterhead: everyone seated,
//! with a column to sign.

use super::{as_allowed, department_letterhead, Defaults, Issued, Prepared};
use crate::scope;
use crate::training::{class, registration_line, registrations};
use crate::{Caller, Error};
use chrono::Timelike;
use cnscd_domain::official::{Block, Column, DocumentKind, DocumentRequest, Signature, Table};
use cnscd_domain::training::Seat;
use cnscd_domain::FieldError;
use cnscd_store::Store;

pub(super) async fn prepare(
    store: &Store,
    caller: &Caller,
    class_id: i64,
    request: &DocumentRequest,
) -> Result<Prepared, Error> {
    scope::whole_province(caller)?;
    let class = class(store, caller, class_id).await?;
    if class.is_cancelled() {
        return Err(FieldError::new(
            "class",
            "class_cancelled",
            "Lớp đã hủy: không có danh sách ký nhận.",
        )
        .into());
    }
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
    if seated.is_empty() {
        return Err(FieldError::new(
            "class",
            "class_empty",
            "Lớp chưa có ai đăng ký: chưa có danh sách ký nhận.",
        )
        .into());
    }
    let defaults = Defaults {
        addressees: Vec::new(),
        recipients: Vec::new(),
        remarks: String::new(),
        address: String::new(),
    };
    let saved = department_letterhead(store, caller.province_code()).await?;
    let may_edit = caller.access().is_admin();
    let issue = as_allowed(request, may_edit).issue(store, &saved, &defaults)?;
    // A form to sign at the class, not an issued paper: no number, no signature, no recipients.
    let mut document = issue.frame(DocumentKind::Report, &class.topic);
    document.title = "DANH SÁCH KÝ NHẬN THAM DỰ LỚP TẬP HUẤN".into();
    document.number.clear();
    document.recipients.clear();
    document.signature = Signature {
        capacity: Vec::new(),
        title: String::new(),
        name: String::new(),
    };
    document.blocks = vec![
        Block::Paragraph {
            text: format!("Thời gian, địa điểm: {}.", class_time_and_place(&class)),
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
        editable: may_edit,
        description: format!("Danh sách ký nhận — {}", class.topic),
        file_stem: format!("danh-sach-ky-nhan-lop-{class_id}"),
        document,
        issue,
    })
}

/// `từ 8 giờ đến 16 giờ 30 phút ngày 20/12/2026; Hội trường Sở` (both dates when the class spans days).
fn class_time_and_place(class: &cnscd_store::TrainingClass) -> String {
    let zone = cnscd_domain::clock::vietnam();
    let (starts, ends) = (
        class.starts_at.with_timezone(&zone),
        class.ends_at.with_timezone(&zone),
    );
    let time = |at: chrono::DateTime<chrono::FixedOffset>| match at.minute() {
        0 => format!("{} giờ", at.hour()),
        m => format!("{} giờ {m} phút", at.hour()),
    };
    let when = if starts.date_naive() == ends.date_naive() {
        format!(
            "từ {} đến {} ngày {}",
            time(starts),
            time(ends),
            starts.format("%d/%m/%Y")
        )
    } else {
        format!(
            "từ {} ngày {} đến {} ngày {}",
            time(starts),
            starts.format("%d/%m/%Y"),
            time(ends),
            ends.format("%d/%m/%Y")
        )
    };
    let place = if class.venue.is_empty() {
        &class.online_link
    } else {
        &class.venue
    };
    format!("{when}; {place}")
}
