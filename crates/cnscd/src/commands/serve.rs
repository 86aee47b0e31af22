use super::open_store;
use crate::cli::{GlobalArgs, ServeArgs};
use anyhow::Context;
use cnscd_domain::account::AccountDraft;
use cnscd_store::secrets::random_password;
use cnscd_store::{Actor, Store};
use cnscd_web::{serve, AppState, ServeLimits, WebSettings};
use std::process::ExitCode;
use std::time::Duration;

pub async fn run(global: &GlobalArgs, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(global).await?;
    if store.user_count().await? == 0 {
        first_admin(&store, &global.province).await?;
    }
    let settings = WebSettings {
        session_lifetime: chrono::Duration::minutes(args.session_minutes.max(1)),
        secure_cookies: args.secure_cookies,
        trust_forwarded_for: args.trust_forwarded_for,
        mailer: match &args.smtp_url {
            Some(url) => Some(
                cnscd_services::mail::Mailer::new(url, &args.smtp_from)
                    .map_err(anyhow::Error::msg)?,
            ),
            None => None,
        },
        public_province: global.province.clone(),
        public_requests_per_minute: args.public_requests_per_minute,
        public_url: args.public_url.clone(),
    };
    let state = AppState::new(store, settings);
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("không lắng nghe được trên {}", args.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, "cnscd đang chạy: http://{address}/");
    let limits = ServeLimits {
        max_connections: args.max_connections.max(1),
        header_timeout: Duration::from_secs(args.header_timeout.max(1)),
        request_timeout: Duration::from_secs(args.request_timeout.max(1)),
    };
    serve(listener, state, limits, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .context("máy chủ web dừng vì lỗi")?;
    Ok(ExitCode::SUCCESS)
}

/// A new installation gets a province admin at once, so that the product is usable after one command; the
/// password is shown once, on the console (not in the log), to be changed after signing in.
async fn first_admin(store: &Store, province: &str) -> anyhow::Result<()> {
    let password = random_password();
    let account = AccountDraft {
        username: "admin".into(),
        full_name: "Quản trị tỉnh".into(),
        role: "province_admin".into(),
        commune_code: String::new(),
        phone: String::new(),
        email: String::new(),
        password: password.clone(),
    }
    .validate()
    .map_err(|e| anyhow::anyhow!(e))?;
    store
        .create_user(province, &account, &Actor::command_line())
        .await?;
    println!(
        "Cài đặt mới: đã tạo tài khoản quản trị tỉnh «admin», mật khẩu «{password}».\n\
         Hãy đăng nhập, đổi mật khẩu ở trang «Tài khoản» rồi tạo tài khoản cho cán bộ xã/phường."
    );
    Ok(())
}
