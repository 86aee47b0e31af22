//! One search box over what the caller may read.

use crate::{Caller, Error};
use cnscd_store::{SearchResults, Store};

/// Communes, teams and members of the caller's province (an officer's commune) matching the query.
pub async fn search(
    store: &Store,
    caller: &Caller,
    query: &str,
    limit: i64,
) -> Result<SearchResults, Error> {
    let access = caller.access();
    Ok(match &access.commune_code {
        Some(commune) => store.search_in_commune(commune, query, limit).await?,
        None => store.search(&access.province_code, query, limit).await?,
    })
}
