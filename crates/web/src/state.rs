use cnscd_store::{Province, Store};

/// What every handler can reach: the store and the province this installation works for.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub province: Province,
}

impl AppState {
    /// Loads the working province; fails when the code is not in the official list.
    pub async fn new(store: Store, province_code: &str) -> Result<Self, cnscd_store::StoreError> {
        let province = store.province(province_code).await?;
        Ok(Self { store, province })
    }
}
