//! One search box over what the caller may read.

use crate::{Caller, Error};
use cnscd_domain::phone::Phone;
use cnscd_store::{SearchResults, Store};

/// Communes, teams and members of the caller's province (an officer's commune) matching the query; a query
/// that reads as a phone number (`0912.345.678`, `+84 912 345 678`) finds who holds it.
pub async fn search(
    store: &Store,
    caller: &Caller,
    query: &str,
    limit: i64,
) -> Result<SearchResults, Error> {
    let access = caller.access();
    let looks_like_phone = query.chars().filter(char::is_ascii_digit).count() >= 9;
    if let (true, Ok(phone)) = (looks_like_phone, Phone::parse(query)) {
        let commune = access.commune_code.as_deref();
        return Ok(store
            .search_phone(&access.province_code, commune, &phone, limit)
            .await?);
    }
    Ok(match &access.commune_code {
        Some(commune) => store.search_in_commune(commune, query, limit).await?,
        None => store.search(&access.province_code, query, limit).await?,
    })
}
