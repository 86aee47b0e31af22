use super::open_store;
use crate::cli::{GlobalArgs, ServeArgs};
use anyhow::Context;
use cnscd_web::{router, AppState, WebSettings};
use std::net::SocketAddr;
use std::process::ExitCode;

pub async fn run(global: &GlobalArgs, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(global).await?;
    if store.user_count().await? == 0 {
        tracing::warn!(
            "chưa có tài khoản nào: tạo quản trị tỉnh bằng `cnscd user add admin --role province_admin` \
             (mật khẩu ban đầu sẽ được in ra)"
        );
    }
    let settings = WebSettings {
        session_lifetime: chrono::Duration::minutes(args.session_minutes.max(1)),
        secure_cookies: args.secure_cookies,
        trust_forwarded_for: args.trust_forwarded_for,
    };
    let state = AppState::new(store, settings);
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("không lắng nghe được trên {}", args.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, "cnscd đang chạy: http://{address}/");
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .context("máy chủ web dừng vì lỗi")?;
    Ok(ExitCode::SUCCESS)
}
