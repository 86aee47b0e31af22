//! Accounts from the command line: the first province admin of a new installation, and help for admins who
//! lost access. Passwords are printed only when generated here.

use super::open_store;
use crate::cli::{GlobalArgs, UserAddArgs, UserCommand, UserOnboardArgs};
use anyhow::Context;
use cnscd_domain::account::AccountDraft;
use cnscd_services::onboarding::{onboard, Onboarding};
use cnscd_store::secrets::random_password;
use cnscd_store::{Actor, Store, StoreError};
use std::process::ExitCode;

pub async fn run(global: &GlobalArgs, command: &UserCommand) -> anyhow::Result<ExitCode> {
    let store = open_store(global).await?;
    let result = match command {
        UserCommand::Add(args) => add(&store, global, args).await,
        UserCommand::List => list(&store, global).await,
        UserCommand::Password { username } => reset(&store, username).await,
        UserCommand::Token { username, name } => token(&store, username, name).await,
        UserCommand::Onboard(args) => onboard_communes(&store, global, args).await,
    };
    store.close().await;
    result
}

/// A store error as one line a person can act on.
fn explain(error: StoreError) -> anyhow::Error {
    match error {
        StoreError::Invalid(errors) => anyhow::anyhow!(errors
            .0
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join(" ")),
        other => other.into(),
    }
}

async fn add(store: &Store, global: &GlobalArgs, args: &UserAddArgs) -> anyhow::Result<ExitCode> {
    let generated = args.password.is_none();
    let password = args.password.clone().unwrap_or_else(random_password);
    let account = AccountDraft {
        username: args.username.clone(),
        full_name: args.full_name.clone(),
        role: args.role.clone(),
        commune_code: args.commune.clone().unwrap_or_default(),
        phone: String::new(),
        email: args.email.clone().unwrap_or_default(),
        password: password.clone(),
    }
    .validate()
    .map_err(|e| explain(StoreError::Invalid(e)))?;
    let user = store
        .create_user(&global.province, &account, &Actor::command_line())
        .await
        .map_err(explain)?;
    println!(
        "Đã tạo tài khoản «{}» ({}) — {}.",
        user.username,
        user.role.label(),
        user.commune_name.as_deref().unwrap_or(&user.province_name)
    );
    if generated {
        println!("Mật khẩu ban đầu: {password}");
        println!("Hãy trao tận tay và đề nghị người dùng đổi mật khẩu sau khi đăng nhập.");
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints one tab-separated line per new account (commune, username, first password), ready for a
/// spreadsheet or a mail merge of sign-in slips.
async fn onboard_communes(
    store: &Store,
    global: &GlobalArgs,
    args: &UserOnboardArgs,
) -> anyhow::Result<ExitCode> {
    let what = match &args.file {
        Some(path) => Onboarding::Sheet {
            bytes: std::fs::read(path)
                .with_context(|| format!("không đọc được tệp {}", path.display()))?,
            file_name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        },
        None => Onboarding::EveryCommune,
    };
    let onboarded = onboard(store, &global.province, &Actor::command_line(), what)
        .await
        .map_err(|error| {
            let problems = match error {
                cnscd_services::Error::Invalid(errors) => errors
                    .0
                    .into_iter()
                    .map(|e| e.message)
                    .collect::<Vec<_>>()
                    .join("\n"),
                other => other.to_string(),
            };
            anyhow::anyhow!("{problems}\nChưa tài khoản nào được tạo.")
        })?;
    println!("Xã/phường\tTên đăng nhập\tMật khẩu ban đầu\tHọ và tên");
    for account in &onboarded.accounts {
        let user = &account.user;
        println!(
            "{}\t{}\t{}\t{}",
            user.commune_name.as_deref().unwrap_or_default(),
            user.username,
            account.password,
            user.full_name
        );
    }
    eprintln!(
        "Đã tạo {} tài khoản; {} xã/phường đã có cán bộ. Mật khẩu chỉ in một lần: hãy trao tận tay, người dùng phải đổi khi đăng nhập lần đầu.",
        onboarded.accounts.len(),
        onboarded.already_served
    );
    Ok(ExitCode::SUCCESS)
}

async fn list(store: &Store, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    for user in store.users(&global.province).await? {
        println!(
            "{:<24} {:<28} {:<30} {}",
            user.username,
            user.role.label(),
            user.commune_name.as_deref().unwrap_or("toàn tỉnh"),
            if user.disabled { "đã khoá" } else { "" }
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn reset(store: &Store, username: &str) -> anyhow::Result<ExitCode> {
    let user = store.user_by_username(username).await.map_err(explain)?;
    let password = random_password();
    store
        .set_password(user.id, &password, &Actor::command_line())
        .await
        .map_err(explain)?;
    println!("Mật khẩu mới của «{}»: {password}", user.username);
    Ok(ExitCode::SUCCESS)
}

async fn token(store: &Store, username: &str, name: &str) -> anyhow::Result<ExitCode> {
    let user = store.user_by_username(username).await.map_err(explain)?;
    let (_, secret) = store
        .create_api_token(&user, name, &Actor::command_line())
        .await
        .map_err(explain)?;
    println!("{secret}");
    Ok(ExitCode::SUCCESS)
}
