//! Accounts and what they may reach: a province admin (everything in one province, manages users), a commune
//! officer (one commune, read and write) and a viewer (one province, read only). These are the only access rules
//! of the application; the web pages, the API, imports and exports all ask [`Access`].

use crate::errors::{FieldError, ValidationErrors};
use crate::phone::Phone;
use crate::text::{clean_text, slug};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AccountRole {
    ProvinceAdmin,
    CommuneOfficer,
    Viewer,
}

impl AccountRole {
    pub const ALL: [AccountRole; 3] = [
        AccountRole::ProvinceAdmin,
        AccountRole::CommuneOfficer,
        AccountRole::Viewer,
    ];

    /// Stable code used in the database, the CLI and the API.
    pub fn code(self) -> &'static str {
        match self {
            AccountRole::ProvinceAdmin => "province_admin",
            AccountRole::CommuneOfficer => "commune_officer",
            AccountRole::Viewer => "viewer",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AccountRole::ProvinceAdmin => "Quản trị tỉnh (Sở KH&CN)",
            AccountRole::CommuneOfficer => "Cán bộ xã/phường",
            AccountRole::Viewer => "Lãnh đạo (chỉ xem)",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code.trim())
    }

    pub fn parse(field: &str, code: &str) -> Result<Self, FieldError> {
        Self::from_code(code).ok_or_else(|| {
            FieldError::new(
                field,
                "account_role_invalid",
                "Vai trò phải là quản trị tỉnh (province_admin), cán bộ xã/phường (commune_officer) \
                 hoặc lãnh đạo chỉ xem (viewer).",
            )
        })
    }
}

/// The reach of one signed-in account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub role: AccountRole,
    pub province_code: String,
    /// Set for a commune officer only.
    pub commune_code: Option<String>,
}

impl Access {
    /// May this account see the records of a commune of a province?
    pub fn can_read(&self, province_code: &str, commune_code: &str) -> bool {
        self.province_code == province_code
            && match self.role {
                AccountRole::CommuneOfficer => self.commune_code.as_deref() == Some(commune_code),
                AccountRole::ProvinceAdmin | AccountRole::Viewer => true,
            }
    }

    /// May this account change the records of a commune of a province?
    pub fn can_write(&self, province_code: &str, commune_code: &str) -> bool {
        self.role != AccountRole::Viewer && self.can_read(province_code, commune_code)
    }

    /// Does this account see every commune of its province (overview, province-wide export, search)?
    pub fn whole_province(&self) -> bool {
        self.role != AccountRole::CommuneOfficer
    }

    /// Users, the audit log, province settings.
    pub fn is_admin(&self) -> bool {
        self.role == AccountRole::ProvinceAdmin
    }

    pub fn read_only(&self) -> bool {
        self.role == AccountRole::Viewer
    }
}

pub const MIN_PASSWORD_CHARS: usize = 10;
const MAX_PASSWORD_CHARS: usize = 200;

/// Usernames are short, lower-case ASCII (`nguyenvana`, `xuanbinh.vhxh`): typed on phones, compared exactly.
pub fn parse_username(input: &str) -> Result<String, FieldError> {
    let name = input.trim().to_lowercase();
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
    if name.len() < 3 || name.len() > 40 || !name.chars().all(allowed) {
        return Err(FieldError::new(
            "username",
            "username_invalid",
            "Tên đăng nhập dài 3–40 ký tự, chỉ gồm chữ không dấu, chữ số và dấu . _ - (ví dụ: xuanbinh.vhxh).",
        ));
    }
    Ok(name)
}

/// How hard a password must be to guess, on zxcvbn's scale of 0 to 4: 3 resists an online attacker for
/// years and a stolen hash for a long time; common passwords, keyboard walks and dates score lower.
const MIN_PASSWORD_SCORE: u8 = 3;

/// A password long enough to resist guessing, not a common one, not built on the username.
pub fn check_password(field: &str, password: &str, username: &str) -> Result<(), FieldError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(FieldError::new(
            field,
            "password_short",
            format!("Mật khẩu phải có ít nhất {MIN_PASSWORD_CHARS} ký tự."),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(FieldError::new(
            field,
            "password_long",
            format!("Mật khẩu dài tối đa {MAX_PASSWORD_CHARS} ký tự."),
        ));
    }
    let first = password.chars().next();
    let username = username.trim();
    if password.chars().all(|c| Some(c) == first)
        || (!username.is_empty() && password.to_lowercase().contains(&username.to_lowercase()))
    {
        return Err(FieldError::new(
            field,
            "password_weak",
            "Mật khẩu quá dễ đoán: không dùng một ký tự lặp lại hay chứa tên đăng nhập.",
        ));
    }
    let user_words = [
        username,
        "cnscd",
        "congnghe",
        "congnghes",
        "tocnscd",
        "matkhau",
        "password",
    ];
    let score = zxcvbn::zxcvbn(password, &user_words).score() as u8;
    if score < MIN_PASSWORD_SCORE {
        return Err(FieldError::new(
            field,
            "password_common",
            "Mật khẩu quá phổ biến hoặc dễ đoán (như 1234567890, matkhau123, ngày sinh). Hãy dùng một câu dễ \
             nhớ gồm vài từ, ví dụ «mây trắng bay qua đồi 2025».",
        ));
    }
    Ok(())
}

/// An account as typed into the form or the CLI.
#[derive(Debug, Clone, Default)]
pub struct AccountDraft {
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub commune_code: String,
    /// Optional: how to reach the person (shown to the province's admins only).
    pub phone: String,
    /// Optional: where reminders are sent.
    pub email: String,
    pub password: String,
}

/// An account whose fields are valid together (an officer has a commune; others have none).
#[derive(Debug, Clone)]
pub struct ValidAccount {
    pub username: String,
    pub full_name: String,
    pub role: AccountRole,
    pub commune_code: Option<String>,
    pub phone: Option<Phone>,
    pub email: Option<String>,
    pub password: String,
}

/// An account's optional e-mail address: empty, or one address (`can.bo@xuanbinh.thanhhoa.gov.vn`), kept as
/// typed but trimmed.
pub fn parse_account_email(input: &str) -> Result<Option<String>, FieldError> {
    let address = input.trim();
    if address.is_empty() {
        return Ok(None);
    }
    let valid = address.chars().count() <= 254
        && email_address::EmailAddress::parse_with_options(
            address,
            email_address::Options::default().without_display_text(),
        )
        .is_ok();
    if valid {
        Ok(Some(address.to_string()))
    } else {
        Err(FieldError::new(
            "email",
            "email_invalid",
            format!(
                "Địa chỉ e-mail «{}» không đúng dạng: hãy ghi như can.bo@xuanbinh.thanhhoa.gov.vn.",
                address.chars().take(60).collect::<String>()
            ),
        ))
    }
}

/// An account's optional phone: empty, or a valid Vietnamese number.
pub fn parse_account_phone(input: &str) -> Result<Option<Phone>, FieldError> {
    if input.trim().is_empty() {
        return Ok(None);
    }
    Phone::parse(input)
        .map(Some)
        .map_err(|e| FieldError::new("phone", "phone_invalid", e.to_string()))
}

/// The username given to a commune's officer when none is chosen: the commune's name (`xa-xuan-binh`); when
/// that is taken (a second officer, or a commune of another province with the same name) with the commune's
/// code (`xa-xuan-binh-16177`), then numbered (`xa-xuan-binh-16177-2`).
pub fn officer_username(
    commune_name: &str,
    commune_code: &str,
    taken: impl Fn(&str) -> bool,
) -> String {
    let name: String = slug(commune_name).chars().take(30).collect();
    std::iter::once(name.clone())
        .chain(std::iter::once(format!("{name}-{commune_code}")))
        .chain((2..).map(|n| format!("{name}-{commune_code}-{n}")))
        .find(|candidate| !taken(candidate))
        .expect("an unbounded sequence has a free name")
}

/// The role and commune of an account, checked together.
pub fn parse_scope(
    role: &str,
    commune_code: &str,
) -> Result<(AccountRole, Option<String>), FieldError> {
    let role = AccountRole::parse("role", role)?;
    let commune = commune_code.trim();
    match (role, commune.is_empty()) {
        (AccountRole::CommuneOfficer, true) => Err(FieldError::new(
            "commune_code",
            "commune_missing",
            "Cán bộ xã/phường phải gắn với một xã/phường: chọn xã/phường.",
        )),
        (AccountRole::CommuneOfficer, false) => Ok((role, Some(commune.to_string()))),
        (_, _) => Ok((role, None)),
    }
}

/// A person's display name: cleaned text, 2–100 characters.
pub fn parse_full_name(input: &str) -> Result<String, FieldError> {
    let name = clean_text(input);
    if name.chars().count() < 2 || name.chars().count() > 100 {
        return Err(FieldError::new(
            "full_name",
            "full_name_invalid",
            "Nhập họ và tên người dùng (2–100 ký tự).",
        ));
    }
    Ok(name)
}

impl AccountDraft {
    pub fn validate(&self) -> Result<ValidAccount, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let username = errors.check(parse_username(&self.username));
        let full_name = errors.check(parse_full_name(&self.full_name));
        let scope = errors.check(parse_scope(&self.role, &self.commune_code));
        let phone = errors.check(parse_account_phone(&self.phone));
        let email = errors.check(parse_account_email(&self.email));
        errors.check(check_password(
            "password",
            &self.password,
            username.as_deref().unwrap_or(""),
        ));
        errors.into_result()?;
        let (role, commune_code) = scope.expect("checked");
        Ok(ValidAccount {
            username: username.expect("checked"),
            full_name: full_name.expect("checked"),
            role,
            commune_code,
            phone: phone.expect("checked"),
            email: email.expect("checked"),
            password: self.password.clone(),
        })
    }
}

/// How many failed sign-ins, within [`THROTTLE_WINDOW_MINUTES`], stop further attempts.
pub const THROTTLE_PER_ACCOUNT: i64 = 5;
pub const THROTTLE_PER_ADDRESS: i64 = 20;
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;

/// Whether an attempt may be checked: `for_account` and `from_address` count the attempts not known to have
/// succeeded within the window, this one included (it is reserved before the password is checked, so that
/// attempts sent at the same moment cannot all pass the count).
pub fn login_blocked(for_account: i64, from_address: i64) -> bool {
    for_account > THROTTLE_PER_ACCOUNT || from_address > THROTTLE_PER_ADDRESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn officer(commune: &str) -> Access {
        Access {
            role: AccountRole::CommuneOfficer,
            province_code: "38".into(),
            commune_code: Some(commune.into()),
        }
    }

    #[test]
    fn an_officer_reaches_her_commune_only() {
        let access = officer("16177");
        assert!(access.can_read("38", "16177") && access.can_write("38", "16177"));
        assert!(!access.can_read("38", "14797") && !access.can_write("38", "14797"));
        assert!(!access.can_read("01", "16177"));
        assert!(!access.whole_province() && !access.is_admin());
    }

    #[test]
    fn a_viewer_reads_the_province_and_writes_nothing() {
        let access = Access {
            role: AccountRole::Viewer,
            province_code: "38".into(),
            commune_code: None,
        };
        assert!(access.can_read("38", "14797"));
        assert!(!access.can_write("38", "14797"));
        assert!(!access.can_read("01", "00070"));
    }

    #[test]
    fn an_admin_is_bound_to_her_province() {
        let access = Access {
            role: AccountRole::ProvinceAdmin,
            province_code: "38".into(),
            commune_code: None,
        };
        assert!(access.can_write("38", "14797") && access.is_admin());
        assert!(!access.can_read("01", "00070"));
    }

    #[test]
    fn usernames_and_passwords() {
        assert_eq!(parse_username(" XuanBinh.VHXH ").unwrap(), "xuanbinh.vhxh");
        assert!(parse_username("nguyễn").is_err());
        assert!(parse_username("ab").is_err());
        assert!(check_password("password", "ngan", "x").is_err());
        assert!(check_password("password", "aaaaaaaaaaaa", "x").is_err());
        assert!(check_password("password", "xuanbinh2025!", "xuanbinh").is_err());
        assert!(check_password("password", "mây trắng bay 2025", "xuanbinh").is_ok());
    }

    #[test]
    fn officers_are_named_after_their_commune() {
        assert_eq!(
            officer_username("Xã Xuân Bình", "16177", |_| false),
            "xa-xuan-binh"
        );
        assert_eq!(
            officer_username("Xã Xuân Bình", "16177", |name| name == "xa-xuan-binh"),
            "xa-xuan-binh-16177"
        );
        let two_taken = |name: &str| name == "xa-xuan-binh" || name == "xa-xuan-binh-16177";
        assert_eq!(
            officer_username("Xã Xuân Bình", "16177", two_taken),
            "xa-xuan-binh-16177-2"
        );
        assert!(
            parse_username(&officer_username("Phường Đông Sơn", "14797", |_| {
                false
            }))
            .is_ok()
        );
    }

    #[test]
    fn an_account_email_is_optional_but_one_address() {
        assert_eq!(parse_account_email("  ").unwrap(), None);
        assert_eq!(
            parse_account_email(" lan.nt@xuanbinh.thanhhoa.gov.vn ").unwrap(),
            Some("lan.nt@xuanbinh.thanhhoa.gov.vn".to_string())
        );
        for wrong in [
            "lan",
            "lan@",
            "a b@x.vn",
            "Lan <lan@x.vn>",
            "lan@x.vn, hoa@x.vn",
        ] {
            assert!(parse_account_email(wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn an_account_phone_is_optional_but_valid() {
        assert_eq!(parse_account_phone(" ").unwrap(), None);
        assert_eq!(
            parse_account_phone("0912.345.678")
                .unwrap()
                .unwrap()
                .as_str(),
            "0912345678"
        );
        assert!(parse_account_phone("12345").is_err());
    }

    #[test]
    fn an_officer_needs_a_commune() {
        assert!(parse_scope("commune_officer", "").is_err());
        assert_eq!(
            parse_scope("viewer", "16177").unwrap(),
            (AccountRole::Viewer, None)
        );
        assert!(parse_scope("root", "").is_err());
    }

    #[test]
    fn common_passwords_are_refused_and_phrases_accepted() {
        for weak in [
            "1234567890",
            "matkhau123",
            "password123",
            "qwertyuiop",
            "hoa.xuanbinh2025",
        ] {
            assert!(
                check_password("password", weak, "hoa.xuanbinh").is_err(),
                "{weak}"
            );
        }
        for strong in ["mây trắng bay 2025", "một mật khẩu mới dài", "xK3#pL9v!qR2"] {
            assert!(
                check_password("password", strong, "hoa.xuanbinh").is_ok(),
                "{strong}"
            );
        }
    }

    #[test]
    fn throttling_counts_account_and_address() {
        // The fifth attempt of an account and the twentieth of an address are still checked.
        assert!(!login_blocked(5, 20));
        assert!(login_blocked(6, 1));
        assert!(login_blocked(1, 21));
    }
}
