use super::open_store;
use crate::cli::{GlobalArgs, SettingsArgs};
use cnscd_services::settings::set_province_rules;
use cnscd_store::Actor;
use std::process::ExitCode;

pub async fn run(global: &GlobalArgs, args: &SettingsArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(global).await?;
    let current = store.team_rules(&global.province).await?;
    if args.min_members.is_some() || args.max_members.is_some() {
        set_province_rules(
            &store,
            &global.province,
            args.min_members.unwrap_or(current.min_members),
            args.max_members.unwrap_or(current.max_members),
            &Actor::command_line(),
        )
        .await
        .map_err(|e| anyhow::anyhow!(e.to_string()))?;
    }
    let rules = store.team_rules(&global.province).await?;
    println!(
        "Tỉnh {}: tổ có từ {} đến {} thành viên.",
        global.province, rules.min_members, rules.max_members
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
