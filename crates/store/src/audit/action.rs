//! What a change did, as one closed list: the store records these, pages and exports name them; a new action
//! is added here once, with its code (stored) and its Vietnamese label.

use super::ObjectKind;

/// Generates the enum with its stored code, label and the kind of record it changes.
macro_rules! actions {
    ($($variant:ident = $code:literal, $kind:ident, $label:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Action {
            $($variant,)*
        }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            /// The stable code stored in the log (`team.update`).
            pub fn code(self) -> &'static str {
                match self {
                    $(Action::$variant => $code,)*
                }
            }

            /// What people read in histories and the audit page.
            pub fn label(self) -> &'static str {
                match self {
                    $(Action::$variant => $label,)*
                }
            }

            /// The kind of record the action changes.
            pub fn object_kind(self) -> ObjectKind {
                match self {
                    $(Action::$variant => ObjectKind::$kind,)*
                }
            }
        }
    };
}

actions! {
    TeamCreate = "team.create", Team, "Thêm tổ";
    TeamUpdate = "team.update", Team, "Sửa tổ";
    TeamMove = "team.move", Team, "Chuyển tổ sang xã/phường khác";
    TeamDissolve = "team.dissolve", Team, "Giải thể tổ";
    TeamRevive = "team.revive", Team, "Tổ hoạt động trở lại";
    MemberCreate = "member.create", Member, "Thêm thành viên";
    MemberUpdate = "member.update", Member, "Sửa thành viên";
    MemberMakeLeader = "member.make_leader", Member, "Đổi tổ trưởng";
    MemberLeave = "member.leave", Member, "Thành viên rời tổ";
    MemberRejoin = "member.rejoin", Member, "Thành viên trở lại tổ";
    MemberRestore = "member.restore", Member, "Hoàn tác nhập tệp: thành viên trở về như trước";
    TeamRestore = "team.restore", Team, "Hoàn tác nhập tệp: tổ trở về như trước";
    DecisionCreate = "decision.create", Decision, "Thêm quyết định";
    DecisionUpdate = "decision.update", Decision, "Sửa quyết định";
    DecisionDelete = "decision.delete", Decision, "Xoá quyết định";
    RosterImport = "roster.import", Commune, "Nhập danh sách từ tệp";
    ImportPreview = "import.preview", Import, "Xem trước tệp nhập";
    ImportUndo = "import.undo", Import, "Hoàn tác lần nhập";
    UserCreate = "user.create", User, "Tạo tài khoản";
    UserUpdate = "user.update", User, "Sửa tài khoản";
    UserPasswordReset = "user.password_reset", User, "Đặt lại mật khẩu";
    UserPasswordChange = "user.password_change", User, "Tự đổi mật khẩu";
    ApiTokenCreate = "api_token.create", ApiToken, "Tạo khoá API";
    ApiTokenRevoke = "api_token.revoke", ApiToken, "Thu hồi khoá API";
    SettingsUpdate = "settings.update", Settings, "Đổi quy định số thành viên";
    IndicatorCreate = "indicator.create", Settings, "Thêm chỉ tiêu báo cáo";
    RoundCreate = "round.create", Round, "Mở đợt báo cáo";
    RoundUpdate = "round.update", Round, "Sửa đợt báo cáo";
    RoundExtend = "round.extend", Round, "Gia hạn đợt báo cáo";
    RoundClose = "round.close", Round, "Đóng đợt báo cáo";
    ReportSave = "report.save", Report, "Lưu báo cáo (nháp)";
    ReportSubmit = "report.submit", Report, "Nộp báo cáo";
    ReportReturn = "report.return", Report, "Trả lại báo cáo";
    ReportAccept = "report.accept", Report, "Tiếp nhận báo cáo";
    ConsentGive = "member.consent_give", Member, "Ghi nhận đồng ý công khai tên và số điện thoại";
    ConsentWithdraw = "member.consent_withdraw", Member, "Rút lại đồng ý công khai";
    CommuneContactSet = "commune.contact", Commune, "Đổi liên hệ công khai của xã/phường";
    CommuneVillagesSet = "commune.villages", Commune, "Ghi số thôn, tổ dân phố";
    LetterheadSet = "letterhead.update", Settings, "Đổi thông tin cơ quan ban hành và người ký văn bản";
    TrainingClassCreate = "training.class_create", TrainingClass, "Mở lớp tập huấn";
    TrainingClassUpdate = "training.class_update", TrainingClass, "Sửa lớp tập huấn";
    TrainingClassCancel = "training.class_cancel", TrainingClass, "Huỷ lớp tập huấn";
    TrainingRegister = "training.register", Registration, "Đăng ký học";
    TrainingWithdraw = "training.withdraw", Registration, "Rút đăng ký học";
    TrainingSeatGiven = "training.seat_given", Registration, "Chuyển từ danh sách chờ vào lớp";
    TrainingAttendance = "training.attendance", Registration, "Điểm danh";
    DocumentCreate = "document.create", Document, "Thêm văn bản vào thư viện";
    DocumentUpdate = "document.update", Document, "Sửa văn bản trong thư viện";
    DocumentDelete = "document.delete", Document, "Xoá văn bản khỏi thư viện";
}

impl Action {
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|a| a.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_read_back() {
        for action in Action::ALL {
            assert_eq!(Action::from_code(action.code()), Some(*action));
            assert!(!action.label().is_empty());
        }
        let mut codes: Vec<&str> = Action::ALL.iter().map(|a| a.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Action::ALL.len());
    }
}
