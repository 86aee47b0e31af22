//! Onboarding a province: commune officer accounts in one go, from the province's own list of people or one for
//! every commune that has none, each with a generated first password that is shown once (on the sign-in slips)
//! and must be changed at the first sign-in. All the accounts are created, or none.

use crate::{scope, Caller, Error};
use cnscd_domain::account::{officer_username, AccountDraft, AccountRole};
use cnscd_domain::text::fold;
use cnscd_domain::{FieldError, ValidationErrors};
use cnscd_excel::{
    account_sheet_template, closest_commune, read_account_sheet, AccountSheetRow, CommuneIndex,
    CommuneRef,
};
use cnscd_store::secrets::random_password;
use cnscd_store::{Actor, Commune, Store, User};
use std::collections::{HashMap, HashSet};

/// Where the people come from.
pub enum Onboarding {
    /// The province's spreadsheet: username (optional), full name, commune, phone.
    Sheet { bytes: Vec<u8>, file_name: String },
    /// One officer account for each commune of the province that has no enabled officer yet.
    EveryCommune,
}

/// An account just created, with its first password (never stored in clear, never shown again).
pub struct NewAccount {
    pub user: User,
    pub password: String,
}

pub struct Onboarded {
    pub accounts: Vec<NewAccount>,
    /// Communes left out of [`Onboarding::EveryCommune`] because they already have an officer.
    pub already_served: usize,
}

/// A province admin onboards her province's communes.
pub async fn onboard_as(
    store: &Store,
    caller: &Caller,
    what: Onboarding,
) -> Result<Onboarded, Error> {
    scope::admin(caller)?;
    onboard(store, caller.province_code(), &caller.actor(), what).await
}

/// Onboards a province's communes for any author (a province admin, or the server's console).
pub async fn onboard(
    store: &Store,
    province_code: &str,
    actor: &Actor,
    what: Onboarding,
) -> Result<Onboarded, Error> {
    let communes = store.communes(province_code).await?;
    let accounts = store.users(province_code).await?;
    let (people, already_served) = match what {
        Onboarding::Sheet { bytes, file_name } => (read_sheet(bytes, file_name).await?, 0),
        Onboarding::EveryCommune => {
            let served = communes_with_an_officer(&accounts);
            let people: Vec<AccountSheetRow> = communes
                .iter()
                .filter(|c| !served.contains(&c.code))
                .enumerate()
                .map(|(index, commune)| AccountSheetRow {
                    row: index + 1,
                    username: String::new(),
                    full_name: format!("Cán bộ {}", commune.name),
                    commune: commune.code.clone(),
                    phone: String::new(),
                    email: String::new(),
                })
                .collect();
            (people, served.len())
        }
    };
    let drafts = drafts_for(store, &communes, &accounts, &people).await?;
    if drafts.is_empty() {
        return Ok(Onboarded {
            accounts: Vec::new(),
            already_served,
        });
    }
    let accounts: Vec<_> = drafts.iter().map(|(account, _)| account.clone()).collect();
    let users = store.create_users(province_code, &accounts, actor).await?;
    let accounts = users
        .into_iter()
        .zip(drafts)
        .map(|(user, (_, password))| NewAccount { user, password })
        .collect();
    Ok(Onboarded {
        accounts,
        already_served,
    })
}

/// The blank list of people to fill, as `.xlsx`.
pub fn sheet_template(caller: &Caller) -> Result<Vec<u8>, Error> {
    scope::admin(caller)?;
    account_sheet_template().map_err(|e| Error::Internal(e.to_string()))
}

/// How many communes of the caller's province have no enabled officer account yet.
pub async fn unserved_communes(store: &Store, caller: &Caller) -> Result<usize, Error> {
    scope::admin(caller)?;
    let province = caller.province_code();
    let served = communes_with_an_officer(&store.users(province).await?);
    let communes = store.communes(province).await?;
    Ok(communes
        .iter()
        .filter(|c| !served.contains(&c.code))
        .count())
}

async fn read_sheet(bytes: Vec<u8>, file_name: String) -> Result<Vec<AccountSheetRow>, Error> {
    tokio::task::spawn_blocking(move || read_account_sheet(&bytes, &file_name))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .map_err(|e| Error::Unreadable(e.to_string()))
}

fn communes_with_an_officer(accounts: &[User]) -> HashSet<String> {
    accounts
        .iter()
        .filter(|u| u.role == AccountRole::CommuneOfficer && !u.disabled)
        .filter_map(|u| u.commune_code.clone())
        .collect()
}

/// Each person's validated account and first password; every problem of every row, or none.
async fn drafts_for(
    store: &Store,
    communes: &[Commune],
    accounts: &[User],
    people: &[AccountSheetRow],
) -> Result<Vec<(cnscd_domain::account::ValidAccount, String)>, Error> {
    let refs: Vec<CommuneRef> = communes
        .iter()
        .map(|c| CommuneRef {
            code: c.code.clone(),
            name: c.name.clone(),
        })
        .collect();
    let index = CommuneIndex::new(&refs);
    let taken: HashSet<String> = store.usernames().await?.into_iter().collect();
    let mut given: HashSet<String> = HashSet::new();
    // Who already has an enabled account in a commune (by folded name), and who came earlier in the file.
    let existing: HashMap<(String, String), String> = accounts
        .iter()
        .filter(|u| !u.disabled)
        .filter_map(|u| {
            Some((
                (fold(&u.full_name), u.commune_code.clone()?),
                u.username.clone(),
            ))
        })
        .collect();
    let mut listed: HashMap<(String, String), usize> = HashMap::new();
    let mut errors = ValidationErrors::default();
    let mut drafts = Vec::with_capacity(people.len());
    for person in people {
        let at = |error: FieldError| {
            FieldError::new(
                "file",
                error.code,
                format!("Dòng {}: {}", person.row, error.message),
            )
        };
        let commune = match find_commune(&index, &refs, &person.commune) {
            Ok(commune) => commune,
            Err(error) => {
                errors.push(at(error));
                continue;
            }
        };
        let person_key = (fold(&person.full_name), commune.code.clone());
        if let Some(username) = existing.get(&person_key) {
            errors.push(at(FieldError::new(
                "full_name",
                "account_exists",
                format!(
                    "{} đã có tài khoản «{username}» ở {}: không tạo thêm (cần mật khẩu mới thì đặt lại ở trang \
                     của tài khoản đó).",
                    person.full_name, commune.name
                ),
            )));
            continue;
        }
        if let Some(first) = listed.insert(person_key, person.row) {
            errors.push(at(FieldError::new(
                "full_name",
                "account_listed_twice",
                format!(
                    "{} ở {} đã có ở dòng {first}.",
                    person.full_name, commune.name
                ),
            )));
            continue;
        }
        let username = if person.username.is_empty() {
            officer_username(&commune.name, &commune.code, |name| {
                taken.contains(name) || given.contains(name)
            })
        } else {
            person.username.trim().to_lowercase()
        };
        if taken.contains(&username) {
            errors.push(at(FieldError::new(
                "username",
                "username_taken",
                format!(
                    "tên đăng nhập «{username}» đã có người dùng; chọn tên khác hoặc để trống."
                ),
            )));
            continue;
        }
        if !given.insert(username.clone()) {
            errors.push(at(FieldError::new(
                "username",
                "username_repeated",
                format!("tên đăng nhập «{username}» lặp lại trong tệp; mỗi người một tên."),
            )));
            continue;
        }
        let password = random_password();
        let draft = AccountDraft {
            username,
            full_name: person.full_name.clone(),
            role: AccountRole::CommuneOfficer.code().to_string(),
            commune_code: commune.code.clone(),
            phone: person.phone.clone(),
            email: person.email.clone(),
            password: password.clone(),
        };
        match draft.validate() {
            Ok(account) => drafts.push((account, password)),
            Err(problems) => problems.0.into_iter().for_each(|e| errors.push(at(e))),
        }
    }
    errors.into_result()?;
    Ok(drafts)
}

/// The commune a cell names, by code or by name (with or without `Xã`, with or without diacritics).
fn find_commune<'a>(
    index: &CommuneIndex<'a>,
    communes: &'a [CommuneRef],
    written: &str,
) -> Result<&'a CommuneRef, FieldError> {
    let written = written.trim();
    if written.is_empty() {
        return Err(FieldError::new(
            "commune",
            "commune_missing",
            "chưa ghi xã/phường.",
        ));
    }
    if let Some(commune) = communes.iter().find(|c| c.code == written) {
        return Ok(commune);
    }
    match index.find(written) {
        Ok(commune) => Ok(commune),
        Err(several) if !several.is_empty() => Err(FieldError::new(
            "commune",
            "commune_ambiguous",
            format!(
                "«{written}» có thể là {}; ghi đầy đủ tên hoặc mã xã.",
                several
                    .iter()
                    .map(|c| format!("{} (mã {})", c.name, c.code))
                    .collect::<Vec<_>>()
                    .join(" hoặc ")
            ),
        )),
        Err(_) => {
            let hint = closest_commune(written, communes)
                .map(|c| format!(" Có phải «{}»?", c.name))
                .unwrap_or_default();
            Err(FieldError::new(
                "commune",
                "commune_unknown",
                format!("không có xã/phường «{written}» trong tỉnh.{hint}"),
            ))
        }
    }
}
