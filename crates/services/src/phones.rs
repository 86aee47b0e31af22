//! A phone also held by another active member is a warning, not an error. Who holds a number is personal
//! data: the warning names the other member, team and commune only when the caller may read them; otherwise
//! it says only that the number is used in another team.

use crate::Caller;
use cnscd_domain::account::Access;
use cnscd_domain::phone::Phone;
use cnscd_store::PhoneHolder;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhoneWarning {
    /// National form, e.g. `0914994123`.
    pub phone: String,
    pub message: String,
    /// The other member and team, when the caller may read them.
    pub member_id: Option<i64>,
    pub team_id: Option<i64>,
}

/// One warning per holder the caller may read, and one per phone for all holders out of the caller's reach.
pub fn warnings(caller: &Caller, holders: &[PhoneHolder]) -> Vec<PhoneWarning> {
    let access = caller.access();
    warnings_within(Some(&access), holders)
}

/// The same for a reach: an account's [`Access`], or everything (`None`: the server's console).
pub fn warnings_within(access: Option<&Access>, holders: &[PhoneHolder]) -> Vec<PhoneWarning> {
    let mut warnings: Vec<PhoneWarning> = Vec::new();
    for holder in holders {
        let grouped = Phone::from_stored(holder.phone.clone()).grouped();
        if access.is_none_or(|a| a.can_read(&holder.province_code, &holder.commune_code)) {
            warnings.push(PhoneWarning {
                phone: holder.phone.clone(),
                message: format!(
                    "Số điện thoại {grouped} trùng với {} ({}, {}).",
                    holder.member_name, holder.team_name, holder.commune_name
                ),
                member_id: Some(holder.member_id),
                team_id: Some(holder.team_id),
            });
        } else if !warnings
            .iter()
            .any(|w| w.phone == holder.phone && w.member_id.is_none())
        {
            warnings.push(PhoneWarning {
                phone: holder.phone.clone(),
                message: format!(
                    "Số điện thoại {grouped} đã được dùng ở một tổ khác (ngoài phạm vi bạn được xem). \
                     Hãy kiểm tra lại số với người này."
                ),
                member_id: None,
                team_id: None,
            });
        }
    }
    warnings
}
