pub mod demo;
pub mod export;
pub mod import;
pub mod openapi;
pub mod serve;
pub mod settings;
pub mod user;

use crate::cli::GlobalArgs;
use anyhow::Context;
use cnscd_store::Store;

/// Opens (creating and migrating if needed) the database and loads the official list of units.
pub async fn open_store(global: &GlobalArgs) -> anyhow::Result<Store> {
    let store = Store::open(&global.database_url)
        .await
        .with_context(|| format!("không mở được cơ sở dữ liệu {}", global.database_url))?;
    let loaded = store
        .preload_units()
        .await
        .context("không nạp được danh mục đơn vị hành chính")?;
    if loaded > 0 {
        tracing::info!(communes = loaded, "đã nạp danh mục đơn vị hành chính 2025");
    }
    store.province(&global.province).await.with_context(|| {
        format!(
            "không có tỉnh mã «{}» trong danh mục (ví dụ: 38 là Thanh Hóa)",
            global.province
        )
    })?;
    Ok(store)
}
