//! The audit log, for province admins.

use crate::scope;
use crate::{Caller, Error};
use cnscd_store::{AuditEntry, AuditFilter, Page, PageRequest, Store};

/// Entries of the caller's province matching a filter, newest first.
pub async fn entries(
    store: &Store,
    caller: &Caller,
    mut filter: AuditFilter,
    page: PageRequest,
) -> Result<Page<AuditEntry>, Error> {
    scope::admin(caller)?;
    filter.province_code = caller.province_code().to_string();
    Ok(store.audit_entries(&filter, page).await?)
}
