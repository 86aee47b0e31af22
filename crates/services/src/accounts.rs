//! Accounts: province admins manage those of their province; everyone manages their own password and tokens.

use crate::scope;
use crate::{Caller, Error};
use cnscd_domain::account::{
    parse_account_email, parse_account_phone, parse_full_name, parse_scope, AccountDraft,
    AccountRole,
};
use cnscd_domain::{FieldError, ValidationErrors};
use cnscd_store::{AccountChange, ApiToken, AuditEntry, ObjectKind, Store, User};

const HISTORY_SHOWN: i64 = 50;

/// An account of the admin's province, or "not found".
pub async fn get(store: &Store, caller: &Caller, user_id: i64) -> Result<User, Error> {
    scope::admin(caller)?;
    let user = store.user(user_id).await?;
    if user.province_code != caller.user.province_code {
        return Err(Error::NotFound("tài khoản"));
    }
    Ok(user)
}

/// An account with its latest changes, for the admin's page.
pub async fn detail(
    store: &Store,
    caller: &Caller,
    user_id: i64,
) -> Result<(User, Vec<AuditEntry>), Error> {
    let user = get(store, caller, user_id).await?;
    let history = store
        .object_history(ObjectKind::User, &user_id.to_string(), HISTORY_SHOWN)
        .await?;
    Ok((user, history))
}

pub async fn list(store: &Store, caller: &Caller) -> Result<Vec<User>, Error> {
    scope::admin(caller)?;
    Ok(store.users(caller.province_code()).await?)
}

pub async fn create(store: &Store, caller: &Caller, draft: &AccountDraft) -> Result<User, Error> {
    scope::admin(caller)?;
    let account = draft.validate()?;
    Ok(store
        .create_user(caller.province_code(), &account, &caller.actor())
        .await?)
}

/// What an admin typed to change an account.
pub struct AccountEdit {
    pub full_name: String,
    pub role: String,
    pub commune_code: String,
    pub phone: String,
    pub email: String,
    pub disabled: bool,
}

/// Changes an account's name, role, commune or whether it is disabled. An admin cannot lock herself out.
pub async fn update(
    store: &Store,
    caller: &Caller,
    user_id: i64,
    version: i64,
    edit: &AccountEdit,
) -> Result<User, Error> {
    get(store, caller, user_id).await?;
    let mut errors = ValidationErrors::default();
    let full_name = errors.check(parse_full_name(&edit.full_name));
    let scope = errors.check(parse_scope(&edit.role, &edit.commune_code));
    let phone = errors.check(parse_account_phone(&edit.phone));
    let email = errors.check(parse_account_email(&edit.email));
    let demoted = scope
        .as_ref()
        .is_some_and(|(role, _)| *role != AccountRole::ProvinceAdmin);
    if user_id == caller.user.id && (edit.disabled || demoted) {
        errors.push(FieldError::new(
            "role",
            "self_lockout",
            "Không thể tự khoá hay bỏ quyền quản trị của chính mình; nhờ một quản trị tỉnh khác làm việc này.",
        ));
    }
    errors.into_result()?;
    let (role, commune_code) = scope.expect("checked");
    let change = AccountChange {
        full_name: full_name.expect("checked"),
        role,
        commune_code,
        phone: phone.expect("checked"),
        email: email.expect("checked"),
        disabled: edit.disabled,
    };
    Ok(store
        .update_user(user_id, version, &change, &caller.actor())
        .await?)
}

/// Sets a password chosen by the admin (given to the user in person); the user's sessions and tokens end and
/// the user must choose her own at the next sign-in.
pub async fn reset_password(
    store: &Store,
    caller: &Caller,
    user_id: i64,
    password: &str,
) -> Result<(), Error> {
    get(store, caller, user_id).await?;
    Ok(store
        .set_password(user_id, password, &caller.actor())
        .await?)
}

/// Sets a generated first password (for a new sign-in slip): returned once, to be given in person.
pub async fn reset_with_slip(
    store: &Store,
    caller: &Caller,
    user_id: i64,
) -> Result<crate::onboarding::NewAccount, Error> {
    get(store, caller, user_id).await?;
    let password = cnscd_store::secrets::random_password();
    store
        .set_password(user_id, &password, &caller.actor())
        .await?;
    let user = store.user(user_id).await?;
    Ok(crate::onboarding::NewAccount { user, password })
}

/// The caller changes her own password after giving the current one; all her sessions and tokens end.
pub async fn change_own_password(
    store: &Store,
    caller: &Caller,
    current: &str,
    password: &str,
    confirm: &str,
) -> Result<(), Error> {
    if !store.password_matches(caller.user.id, current).await? {
        return Err(
            FieldError::new("current", "password_wrong", "Mật khẩu hiện tại không đúng.").into(),
        );
    }
    if password == current {
        // A password given on a slip or by an admin must stop working once its owner has chosen her own.
        return Err(FieldError::new(
            "password",
            "password_unchanged",
            "Mật khẩu mới phải khác mật khẩu hiện tại (mật khẩu trên phiếu hay do quản trị đặt hết hiệu lực khi đổi).",
        )
        .into());
    }
    if password != confirm {
        return Err(FieldError::new(
            "confirm",
            "password_mismatch",
            "Hai lần nhập mật khẩu mới không giống nhau.",
        )
        .into());
    }
    Ok(store
        .set_password(caller.user.id, password, &caller.actor())
        .await?)
}

pub async fn own_tokens(store: &Store, caller: &Caller) -> Result<Vec<ApiToken>, Error> {
    Ok(store.api_tokens(caller.user.id).await?)
}

/// A new personal API token; its secret is returned once. Province admins script against the API; other
/// accounts get theirs from the server's console if they need one (`cnscd user token`).
pub async fn create_token(store: &Store, caller: &Caller, name: &str) -> Result<String, Error> {
    scope::admin(caller)?;
    let (_, secret) = store
        .create_api_token(&caller.user, name, &caller.actor())
        .await?;
    Ok(secret)
}

pub async fn revoke_token(store: &Store, caller: &Caller, token_id: i64) -> Result<(), Error> {
    Ok(store
        .revoke_api_token(&caller.user, token_id, &caller.actor())
        .await?)
}
