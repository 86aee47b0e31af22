//! Training classes the Department runs for team leaders and deputies: what a class is, who may attend, when
//! two classes overlap, and attendance. The seats and the waiting list are counted by the store, inside the
//! change that takes a seat.

use crate::errors::{FieldError, ValidationErrors};
use crate::role::Role;
use crate::round::{parse_deadline, show_instant};
use crate::text::{clean_paragraphs, clean_text, is_web_address};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Who a class is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Audience {
    LeadersAndDeputies,
    Leaders,
    Deputies,
    AnyMember,
}

impl Audience {
    pub const ALL: [Audience; 4] = [
        Audience::LeadersAndDeputies,
        Audience::Leaders,
        Audience::Deputies,
        Audience::AnyMember,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Audience::LeadersAndDeputies => "leaders_and_deputies",
            Audience::Leaders => "leaders",
            Audience::Deputies => "deputies",
            Audience::AnyMember => "any_member",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Audience::LeadersAndDeputies => "Tổ trưởng, tổ phó",
            Audience::Leaders => "Tổ trưởng",
            Audience::Deputies => "Tổ phó",
            Audience::AnyMember => "Mọi thành viên",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Whether a member with this role may be registered.
    pub fn admits(self, role: Role) -> bool {
        match self {
            Audience::LeadersAndDeputies => matches!(role, Role::Leader | Role::Deputy),
            Audience::Leaders => role == Role::Leader,
            Audience::Deputies => role == Role::Deputy,
            Audience::AnyMember => true,
        }
    }
}

/// What the Department records on the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Attendance {
    Present,
    Absent,
    Excused,
}

impl Attendance {
    pub const ALL: [Attendance; 3] = [Attendance::Present, Attendance::Absent, Attendance::Excused];

    pub fn code(self) -> &'static str {
        match self {
            Attendance::Present => "present",
            Attendance::Absent => "absent",
            Attendance::Excused => "excused",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Attendance::Present => "Có mặt",
            Attendance::Absent => "Vắng",
            Attendance::Excused => "Vắng có phép",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn parse(code: &str) -> Result<Self, FieldError> {
        Self::from_code(code.trim()).ok_or_else(|| {
            FieldError::new(
                "attendance",
                "attendance_invalid",
                "Hãy ghi có mặt (present), vắng (absent) hoặc vắng có phép (excused).",
            )
        })
    }
}

/// Where a registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Seat {
    /// Has a seat.
    Seated,
    /// Beyond the capacity: moves up, in order of registering, when someone withdraws.
    Waiting,
    Withdrawn,
}

impl Seat {
    pub fn code(self) -> &'static str {
        match self {
            Seat::Seated => "seated",
            Seat::Waiting => "waiting",
            Seat::Withdrawn => "withdrawn",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Seat::Seated => "Đã có chỗ",
            Seat::Waiting => "Danh sách chờ",
            Seat::Withdrawn => "Đã rút",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Seat::Seated, Seat::Waiting, Seat::Withdrawn]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A class as typed in a form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassDraft {
    pub topic: String,
    #[serde(default)]
    pub content: String,
    /// RFC 3339, or `dd/mm/yyyy HH:MM` in Vietnam time.
    pub starts_at: String,
    pub ends_at: String,
    #[serde(default)]
    pub venue: String,
    /// `https://…` for an online class.
    #[serde(default)]
    pub online_link: String,
    pub capacity: i64,
    /// `leaders_and_deputies` (default), `leaders`, `deputies` or `any_member`.
    #[serde(default)]
    pub audience: String,
    /// Registrations close then; at the latest when the class starts.
    pub registration_deadline: String,
    #[serde(default)]
    pub trainer: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidClass {
    pub topic: String,
    pub content: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue: String,
    pub online_link: String,
    pub capacity: i64,
    pub audience: Audience,
    pub registration_deadline: DateTime<Utc>,
    pub trainer: String,
}

pub const MAX_CAPACITY: i64 = 2_000;
const MAX_CLASS_DAYS: i64 = 31;
const MAX_TEXT_CHARS: usize = 300;
const MAX_CONTENT_CHARS: usize = 5_000;

fn bounded(errors: &mut ValidationErrors, field: &str, text: String, most: usize) -> String {
    if text.chars().count() > most {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("Dài quá {most} ký tự: hãy viết gọn lại."),
        ));
    }
    text
}

fn instant(
    errors: &mut ValidationErrors,
    field: &str,
    text: &str,
    what: &str,
) -> Option<DateTime<Utc>> {
    if text.trim().is_empty() {
        errors.push(FieldError::new(
            field,
            "required",
            format!("Hãy ghi {what}, ví dụ 15/12/2026 08:00."),
        ));
        return None;
    }
    // A class's times need the hour (a date alone would be read as the end of the day).
    let with_hour = field == "registration_deadline" || text.contains(':');
    match parse_deadline(field, text).ok().filter(|_| with_hour) {
        Some(at) => Some(at),
        None => {
            errors.push(FieldError::new(
                field,
                "time_invalid",
                format!(
                    "{what} «{}» chưa đúng: hãy ghi cả ngày và giờ, ví dụ 15/12/2026 08:00.",
                    text.trim().chars().take(40).collect::<String>()
                ),
            ));
            None
        }
    }
}

impl ClassDraft {
    pub fn validate(&self) -> Result<ValidClass, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let topic = bounded(
            &mut errors,
            "topic",
            clean_text(&self.topic),
            MAX_TEXT_CHARS,
        );
        if topic.is_empty() {
            errors.push(FieldError::new(
                "topic",
                "required",
                "Hãy ghi chủ đề lớp, ví dụ «Hướng dẫn dịch vụ công trực tuyến».",
            ));
        }
        let content = bounded(
            &mut errors,
            "content",
            clean_paragraphs(&self.content),
            MAX_CONTENT_CHARS,
        );
        let venue = bounded(
            &mut errors,
            "venue",
            clean_text(&self.venue),
            MAX_TEXT_CHARS,
        );
        let online_link = bounded(
            &mut errors,
            "online_link",
            self.online_link.trim().to_string(),
            MAX_TEXT_CHARS,
        );
        if !online_link.is_empty() && !is_web_address(&online_link) {
            errors.push(FieldError::new(
                "online_link",
                "link_invalid",
                "Đường dẫn học trực tuyến phải bắt đầu bằng https:// (ví dụ https://meet.google.com/…).",
            ));
        }
        if venue.is_empty() && online_link.is_empty() {
            errors.push(FieldError::new(
                "venue",
                "required",
                "Hãy ghi địa điểm học hoặc đường dẫn học trực tuyến.",
            ));
        }
        let trainer = bounded(
            &mut errors,
            "trainer",
            clean_text(&self.trainer),
            MAX_TEXT_CHARS,
        );
        if !(1..=MAX_CAPACITY).contains(&self.capacity) {
            errors.push(FieldError::new(
                "capacity",
                "capacity_invalid",
                format!("Số chỗ phải là một số từ 1 đến {MAX_CAPACITY}, ví dụ 50."),
            ));
        }
        let audience = if self.audience.trim().is_empty() {
            Some(Audience::LeadersAndDeputies)
        } else {
            Audience::from_code(self.audience.trim())
        };
        if audience.is_none() {
            errors.push(FieldError::new(
                "audience",
                "audience_invalid",
                "Hãy chọn đối tượng: tổ trưởng và tổ phó, tổ trưởng, tổ phó hoặc mọi thành viên.",
            ));
        }
        let starts = instant(&mut errors, "starts_at", &self.starts_at, "Giờ bắt đầu");
        let ends = instant(&mut errors, "ends_at", &self.ends_at, "Giờ kết thúc");
        let deadline = instant(
            &mut errors,
            "registration_deadline",
            &self.registration_deadline,
            "Hạn đăng ký",
        );
        if let (Some(starts), Some(ends)) = (starts, ends) {
            if ends <= starts {
                errors.push(FieldError::new(
                    "ends_at",
                    "ends_before_start",
                    "Giờ kết thúc phải sau giờ bắt đầu.",
                ));
            } else if ends - starts > Duration::days(MAX_CLASS_DAYS) {
                errors.push(FieldError::new(
                    "ends_at",
                    "class_too_long",
                    format!("Một lớp kéo dài tối đa {MAX_CLASS_DAYS} ngày: hãy kiểm tra lại ngày kết thúc."),
                ));
            }
        }
        if let (Some(starts), Some(deadline)) = (starts, deadline) {
            if deadline > starts {
                errors.push(FieldError::new(
                    "registration_deadline",
                    "deadline_after_start",
                    format!(
                        "Hạn đăng ký phải trước giờ bắt đầu lớp ({}).",
                        show_instant(starts)
                    ),
                ));
            }
        }
        match (starts, ends, deadline, audience) {
            (Some(starts_at), Some(ends_at), Some(registration_deadline), Some(audience))
                if errors.is_empty() =>
            {
                Ok(ValidClass {
                    topic,
                    content,
                    starts_at,
                    ends_at,
                    venue,
                    online_link,
                    capacity: self.capacity,
                    audience,
                    registration_deadline,
                    trainer,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Two classes overlap when each starts before the other ends (back to back does not overlap).
pub fn overlaps(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ClassDraft {
        ClassDraft {
            topic: " Dịch vụ công   trực tuyến ".into(),
            starts_at: "15/12/2026 08:00".into(),
            ends_at: "15/12/2026 11:30".into(),
            venue: "Hội trường Sở".into(),
            capacity: 40,
            registration_deadline: "12/12/2026".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_class_reads_vietnamese_times_and_defaults_to_leaders_and_deputies() {
        let class = draft().validate().unwrap();
        assert_eq!(class.topic, "Dịch vụ công trực tuyến");
        assert_eq!(class.audience, Audience::LeadersAndDeputies);
        assert_eq!(class.starts_at.to_rfc3339(), "2026-12-15T01:00:00+00:00");
        assert_eq!(
            class.registration_deadline.to_rfc3339(),
            "2026-12-12T16:59:59+00:00"
        );
    }

    #[test]
    fn impossible_classes_name_the_field_to_fix() {
        let fields = |d: ClassDraft| -> Vec<String> {
            d.validate()
                .unwrap_err()
                .0
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        let mut d = draft();
        d.ends_at = "15/12/2026 07:00".into();
        assert_eq!(fields(d), ["ends_at"]);
        let mut d = draft();
        d.registration_deadline = "16/12/2026".into();
        assert_eq!(fields(d), ["registration_deadline"]);
        let mut d = draft();
        d.venue.clear();
        d.capacity = 0;
        d.online_link = "meet.google.com/abc".into();
        assert_eq!(fields(d), ["online_link", "capacity"]);
        let mut d = draft();
        d.starts_at = "ngày mai".into();
        assert_eq!(fields(d), ["starts_at"]);
    }

    #[test]
    fn audiences_admit_their_roles_and_back_to_back_classes_do_not_overlap() {
        assert!(Audience::LeadersAndDeputies.admits(Role::Deputy));
        assert!(!Audience::LeadersAndDeputies.admits(Role::Member));
        assert!(!Audience::Leaders.admits(Role::Deputy));
        assert!(Audience::AnyMember.admits(Role::Member));
        let at = |h: u32| chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 12, 15, h, 0, 0).unwrap();
        assert!(overlaps((at(1), at(4)), (at(3), at(6))));
        assert!(!overlaps((at(1), at(4)), (at(4), at(6))));
        assert!(overlaps((at(1), at(9)), (at(3), at(4))));
    }
}
