//! The public team finder (no sign-in: a citizen finds her village's team) and what feeds it: a member's
//! consent to be named publicly, a commune's public contact. Only the server's own province is public.

use crate::scope::{self, Intent};
use crate::{Caller, Error};
use cnscd_domain::public::{parse_commune_contact, ConsentMethod};
use cnscd_domain::text::fold;
use cnscd_store::{Commune, Consent, PublicTeam, Store, StoredContact};

/// The longest search a citizen may type; longer is refused whole.
pub const MAX_QUERY_CHARS: usize = 100;

/// A commune as the public sees it: its teams and the contact for teams without a consenting leader.
pub struct PublicCommune {
    pub commune: Commune,
    pub contact: Option<StoredContact>,
    pub teams: Vec<PublicTeam>,
}

/// A commune of the public province, or "not found" (another province's communes are not published here).
async fn public_commune_record(
    store: &Store,
    province_code: &str,
    code: &str,
) -> Result<Commune, Error> {
    match store.commune(code).await {
        Ok(commune) if commune.province_code == province_code => Ok(commune),
        Ok(_) | Err(cnscd_store::StoreError::NotFound(_)) => Err(Error::NotFound("xã/phường")),
        Err(other) => Err(other.into()),
    }
}

/// The province's communes whose name holds every word typed, ignoring diacritics and case (all of them for
/// an empty query).
pub async fn communes(
    store: &Store,
    province_code: &str,
    query: &str,
) -> Result<Vec<Commune>, Error> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(cnscd_domain::FieldError::new(
            "q",
            "too_long",
            format!("Hãy gõ tên xã/phường, không quá {MAX_QUERY_CHARS} ký tự."),
        )
        .into());
    }
    let words: Vec<String> = fold(query).split(' ').map(str::to_string).collect();
    Ok(store
        .communes(province_code)
        .await?
        .into_iter()
        .filter(|c| {
            let name = format!(" {}", fold(&c.name));
            words.iter().all(|w| name.contains(&format!(" {w}")))
        })
        .collect())
}

pub async fn commune(
    store: &Store,
    province_code: &str,
    code: &str,
) -> Result<PublicCommune, Error> {
    let commune = public_commune_record(store, province_code, code).await?;
    Ok(PublicCommune {
        contact: store.commune_contact(&commune.code).await?,
        teams: store.public_teams(&commune.code).await?,
        commune,
    })
}

/// One team, with its commune (for the contact when no leader consented).
pub async fn team(
    store: &Store,
    province_code: &str,
    team_id: i64,
) -> Result<(PublicTeam, PublicCommune), Error> {
    let team = store.public_team(team_id).await.map_err(|e| match e {
        cnscd_store::StoreError::NotFound(_) => Error::NotFound("tổ"),
        other => other.into(),
    })?;
    let commune = public_commune_record(store, province_code, &team.commune_code)
        .await
        .map_err(|_| Error::NotFound("tổ"))?;
    Ok((
        team,
        PublicCommune {
            contact: store.commune_contact(&commune.code).await?,
            teams: Vec::new(),
            commune,
        },
    ))
}

pub async fn consent(
    store: &Store,
    caller: &Caller,
    member_id: i64,
) -> Result<Option<Consent>, Error> {
    scope::member(store, caller, member_id, Intent::Read).await?;
    Ok(store.consent(member_id).await?)
}

/// Records that the member agreed to be named with her phone on the public pages, and how.
pub async fn give_consent(
    store: &Store,
    caller: &Caller,
    member_id: i64,
    method: &str,
) -> Result<Consent, Error> {
    scope::member(store, caller, member_id, Intent::Change).await?;
    let method = ConsentMethod::parse(method)?;
    Ok(store
        .give_consent(member_id, method, &caller.actor())
        .await?)
}

/// Withdraws the member's consent: from this moment her name and phone leave the public pages.
pub async fn withdraw_consent(
    store: &Store,
    caller: &Caller,
    member_id: i64,
) -> Result<bool, Error> {
    scope::member(store, caller, member_id, Intent::Change).await?;
    Ok(store.withdraw_consent(member_id, &caller.actor()).await?)
}

pub async fn commune_contact(
    store: &Store,
    caller: &Caller,
    code: &str,
) -> Result<Option<StoredContact>, Error> {
    scope::commune(store, caller, code, Intent::Read).await?;
    Ok(store.commune_contact(code).await?)
}

/// Records how many villages and residential groups the commune has.
pub async fn set_villages(
    store: &Store,
    caller: &Caller,
    code: &str,
    villages: &str,
) -> Result<i64, Error> {
    let commune = scope::commune(store, caller, code, Intent::Change).await?;
    let villages = cnscd_domain::public::parse_village_count(villages)?;
    store
        .set_commune_villages(
            &commune.province_code,
            &commune.code,
            villages,
            &caller.actor(),
        )
        .await?;
    Ok(villages)
}

pub async fn villages(store: &Store, caller: &Caller, code: &str) -> Result<Option<i64>, Error> {
    scope::commune(store, caller, code, Intent::Read).await?;
    Ok(store.commune_villages(code).await?)
}

pub async fn set_commune_contact(
    store: &Store,
    caller: &Caller,
    code: &str,
    label: &str,
    phone: &str,
) -> Result<StoredContact, Error> {
    let commune = scope::commune(store, caller, code, Intent::Change).await?;
    let contact = parse_commune_contact(label, phone)?;
    Ok(store
        .set_commune_contact(
            &commune.province_code,
            &commune.code,
            &contact,
            &caller.actor(),
        )
        .await?)
}
