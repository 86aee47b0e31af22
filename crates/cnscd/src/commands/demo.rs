use super::open_store;
use crate::cli::{DemoArgs, GlobalArgs};
use crate::demo::commune_registry;
use anyhow::bail;
use std::process::ExitCode;
use std::time::Instant;

pub async fn run(global: &GlobalArgs, args: &DemoArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(global).await?;
    let provinces: Vec<String> = if args.all_provinces {
        store
            .provinces()
            .await?
            .into_iter()
            .map(|p| p.code)
            .collect()
    } else {
        vec![global.province.clone()]
    };
    for province in &provinces {
        if store.province_has_teams(province).await? {
            bail!("tỉnh {province} đã có dữ liệu tổ; dữ liệu mẫu chỉ tạo trên cơ sở dữ liệu trống");
        }
    }
    let started = Instant::now();
    let (mut teams, mut members) = (0usize, 0usize);
    for province in &provinces {
        for commune in store.communes(province).await? {
            let seed = commune_registry(args.seed, &commune, args.teams_per_commune, !args.clean);
            teams += seed.teams.len();
            members += seed.teams.iter().map(|t| t.members.len()).sum::<usize>();
            store.seed_commune(&seed).await?;
        }
        tracing::info!(province, teams, members, "đã tạo dữ liệu mẫu");
    }
    store.refresh_statistics().await?;
    println!(
        "Đã tạo dữ liệu mẫu: {} tỉnh, {teams} tổ, {members} thành viên trong {:.1} giây.",
        provinces.len(),
        started.elapsed().as_secs_f64()
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
