//! The province's rules, set by its admins (pages and the CLI's `cnscd settings`).

use crate::scope;
use crate::{Caller, Error};
use cnscd_domain::rules::{parse_count, TeamRules};
use cnscd_domain::ValidationErrors;
use cnscd_store::{Actor, Store};

pub async fn team_rules(store: &Store, caller: &Caller) -> Result<TeamRules, Error> {
    scope::admin(caller)?;
    Ok(store.team_rules(caller.province_code()).await?)
}

/// An admin sets the rules from what she typed (the numbers are checked together, after her right to).
pub async fn set_team_rules(
    store: &Store,
    caller: &Caller,
    min_members: &str,
    max_members: &str,
) -> Result<(), Error> {
    scope::admin(caller)?;
    let mut errors = ValidationErrors::default();
    let min = errors.check(parse_count("min_members", min_members));
    let max = errors.check(parse_count("max_members", max_members));
    errors.into_result()?;
    let (min, max) = (min.expect("checked"), max.expect("checked"));
    set_province_rules(store, caller.province_code(), min, max, &caller.actor()).await
}

/// The same change from the server's console, for any province of the installation.
pub async fn set_province_rules(
    store: &Store,
    province_code: &str,
    min_members: i64,
    max_members: i64,
    actor: &Actor,
) -> Result<(), Error> {
    let rules = TeamRules::new(min_members, max_members)?;
    Ok(store.set_team_rules(province_code, rules, actor).await?)
}
