use super::open_store;
use crate::cli::{GlobalArgs, ServeArgs};
use anyhow::Context;
use cnscd_web::{router, AppState};
use std::process::ExitCode;

pub async fn run(global: &GlobalArgs, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(global).await?;
    let state = AppState::new(store, &global.province).await?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("không lắng nghe được trên {}", args.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, province = %state.province.name, "cnscd đang chạy: http://{address}/");
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("máy chủ web dừng vì lỗi")?;
    Ok(ExitCode::SUCCESS)
}
