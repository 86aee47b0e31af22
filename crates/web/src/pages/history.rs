//! Audit entries as people read them: Vietnam time, the action and each changed field in Vietnamese.

use cnscd_domain::account::AccountRole;
use cnscd_domain::clock::vietnam_time;
use cnscd_domain::date::format_date;
use cnscd_domain::decision::DecisionKind;
use cnscd_domain::role::Role;
use cnscd_domain::team::TeamStatus;
use cnscd_store::{official_commune_name, AuditEntry, ObjectKind};

/// One line of a history table: who did what to which record, where, and each value before and after.
pub struct HistoryRow {
    pub at: String,
    pub username: String,
    pub address: String,
    pub action: &'static str,
    pub object: String,
    /// The object's page, when it has one.
    pub link: Option<String>,
    pub place: String,
    pub changes: Vec<(&'static str, String, String)>,
}

fn field_label(field: &str) -> &'static str {
    match field {
        "name" => "Tên",
        "note" => "Ghi chú",
        "commune_code" => "Xã/phường",
        "status" => "Trạng thái",
        "dissolved_on" => "Ngày giải thể",
        "team_id" => "Tổ",
        "full_name" => "Họ tên",
        "role" => "Chức vụ/vai trò",
        "phone" => "Số điện thoại",
        "joined_on" => "Ngày vào tổ",
        "left_on" => "Ngày rời tổ",
        "number" => "Số quyết định",
        "signed_on" => "Ngày ký",
        "signer" => "Người ký",
        "kind" => "Loại",
        "teams" => "Các tổ",
        "username" => "Tên đăng nhập",
        "disabled" => "Đã khoá",
        "members" => "Số thành viên",
        "min_members" => "Tối thiểu",
        "max_members" => "Tối đa",
        "prefix" => "Khoá",
        "owner" => "Chủ khoá",
        "file" => "Tệp",
        "communes" => "Xã/phường",
        "topic" => "Chủ đề",
        "starts_at" => "Bắt đầu",
        "ends_at" => "Kết thúc",
        "venue" => "Địa điểm",
        "online_link" => "Đường dẫn trực tuyến",
        "capacity" => "Số chỗ",
        "audience" => "Đối tượng",
        "registration_deadline" => "Hạn đăng ký",
        "trainer" => "Giảng viên",
        "cancelled_at" => "Huỷ lúc",
        "cancel_reason" => "Lý do huỷ",
        "class_id" => "Lớp",
        "member_id" => "Người học",
        "seat" => "Chỗ",
        "attendance" => "Điểm danh",
        "issued_on" => "Ngày ban hành",
        "issuer" => "Cơ quan ban hành",
        "title" => "Trích yếu",
        "link" => "Đường dẫn",
        "file_name" => "Tệp",
        "sha256" => "Mã kiểm tra tệp",
        "deleted_at" => "Xoá lúc",
        "documents" => "Văn bản kèm theo",
        "villages" => "Số thôn, tổ dân phố",
        "public_consent" => "Công khai tên và số điện thoại",
        "public_contact" => "Liên hệ công khai của xã/phường",
        "parent_body" => "Cơ quan chủ quản",
        "body" => "Tên cơ quan ban hành",
        "number_suffix" => "Ký hiệu sau số",
        "place" => "Địa danh",
        "signer_capacity" => "Thẩm quyền ký",
        "signer_title" => "Chức vụ người ký",
        "signer_name" => "Họ tên người ký",
        "archive" => "Nơi lưu",
        _ => "Trường khác",
    }
}

/// A stored value as the forms show it: roles, statuses and kinds by name, dates as dd/mm/yyyy, phones grouped.
fn value_label(field: &str, value: String) -> String {
    if value.is_empty() {
        return value;
    }
    if field == "phone" {
        return cnscd_domain::phone::Phone::from_stored(value).grouped();
    }
    let label = match field {
        "commune_code" => official_commune_name(&value),
        "role" => Role::from_code(&value)
            .map(Role::label)
            .or_else(|| AccountRole::from_code(&value).map(AccountRole::label)),
        "status" => TeamStatus::from_code(&value).map(TeamStatus::label),
        "kind" => DecisionKind::from_code(&value).map(DecisionKind::label),
        _ => None,
    };
    if let Some(label) = label {
        return label.to_string();
    }
    match chrono::NaiveDate::parse_from_str(&value, "%Y-%m-%d") {
        Ok(date) => format_date(date),
        Err(_) => value,
    }
}

/// The name of the record an entry is about, from its values (as they were when it changed).
fn object_name(entry: &AuditEntry) -> Option<String> {
    let field = match entry.object_kind {
        ObjectKind::Member => "full_name",
        ObjectKind::Team => "name",
        ObjectKind::Decision => "number",
        ObjectKind::User => "username",
        ObjectKind::Import => "file",
        ObjectKind::Commune => return entry.commune_name.clone(),
        ObjectKind::ApiToken => "name",
        ObjectKind::Settings => return None,
        ObjectKind::Round => "title",
        ObjectKind::Report => return entry.commune_name.clone(),
        ObjectKind::TrainingClass => "topic",
        ObjectKind::Registration => return entry.commune_name.clone(),
        ObjectKind::Document => "title",
    };
    [&entry.after, &entry.before]
        .into_iter()
        .flatten()
        .find_map(|values| values.get(field)?.as_str().map(str::to_string))
}

impl From<&AuditEntry> for HistoryRow {
    fn from(entry: &AuditEntry) -> Self {
        let kind = entry.object_kind;
        let link = match kind {
            ObjectKind::Team => Some(format!("/teams/{}", entry.object_id)),
            ObjectKind::Member => entry.team_id.map(|team| format!("/teams/{team}")),
            ObjectKind::Commune => Some(format!("/communes/{}", entry.object_id)),
            ObjectKind::User => Some(format!("/admin/users/{}", entry.object_id)),
            ObjectKind::Round => Some(format!("/rounds/{}", entry.object_id)),
            ObjectKind::TrainingClass => Some(format!("/training/{}", entry.object_id)),
            _ => None,
        };
        Self {
            at: vietnam_time(&entry.at),
            username: entry.username.clone(),
            address: entry.address.clone(),
            action: entry.action.label(),
            object: object_name(entry)
                .unwrap_or_else(|| format!("{} #{}", kind.label(), entry.object_id)),
            link,
            place: [
                entry.team_name.clone().filter(|_| kind != ObjectKind::Team),
                entry.commune_name.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · "),
            changes: entry
                .changes()
                .into_iter()
                // Which team a member is in is said by the entry's place.
                .filter(|c| c.field != "team_id")
                .map(|c| {
                    let before = value_label(&c.field, c.before);
                    let after = value_label(&c.field, c.after);
                    (field_label(&c.field), before, after)
                })
                .collect(),
        }
    }
}

pub fn rows(entries: &[AuditEntry]) -> Vec<HistoryRow> {
    entries.iter().map(HistoryRow::from).collect()
}
