//! The province's dashboard: coverage, members by role and the reporting rounds, each chart beside a table
//! of its numbers, every number linked to the list behind it.

use super::{render, Layout, Vietnamese};
use crate::auth::Caller;
use crate::charts;
use crate::error::{Error, PageError};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use cnscd_services::dashboard::{self, CommuneDashboard, Dashboard};
use serde::Deserialize;
use std::sync::Arc;

/// The province's dashboard as drawn: its figures and charts, kept while the registry has not changed.
pub struct ProvinceBoard {
    pub data: Dashboard,
    /// The reporting completeness of the latest rounds, and the indicator totals over them (SVG).
    pub completeness_chart: Option<String>,
    pub indicators_chart: Option<String>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    board: Arc<ProvinceBoard>,
}

/// A text short enough for an axis or a legend.
fn short(text: &str, most: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= most {
        text.to_string()
    } else {
        chars[..most - 1].iter().collect::<String>() + "…"
    }
}

/// An indicator's name in a legend: what sets it apart (most begin "Người dân được hướng dẫn …").
fn legend_name(name: &str) -> String {
    short(
        name.strip_prefix("Người dân được hướng dẫn ")
            .unwrap_or(name),
        34,
    )
}

fn charts_of(data: &Dashboard) -> Result<(Option<String>, Option<String>), String> {
    let rounds = &data.rounds.rounds;
    if rounds.is_empty() {
        return Ok((None, None));
    }
    let labels: Vec<String> = rounds.iter().map(|(r, _)| short(&r.title, 16)).collect();
    let completeness = charts::stacked_bars(
        "Nộp báo cáo các đợt gần đây (số xã/phường)",
        &labels,
        &[
            (
                "Đúng hạn",
                charts::PALETTE[2],
                rounds.iter().map(|(_, c)| c.on_time).collect(),
            ),
            (
                "Trễ hạn",
                charts::PALETTE[3],
                rounds.iter().map(|(_, c)| c.late).collect(),
            ),
            (
                "Chưa nộp",
                charts::PALETTE[1],
                rounds.iter().map(|(_, c)| c.missing).collect(),
            ),
        ],
    )?;
    let series: Vec<_> = data
        .rounds
        .indicators
        .iter()
        .zip(charts::PALETTE.iter().cycle())
        .map(|((indicator, totals), colour)| {
            (legend_name(&indicator.name), *colour, totals.clone())
        })
        .collect();
    let indicators = charts::lines("Kết quả theo chỉ tiêu qua các đợt", &labels, &series)?;
    Ok((Some(completeness), Some(indicators)))
}

#[derive(Debug, Deserialize)]
pub struct DashboardQuery {
    /// The indicator the communes are ranked by.
    indicator: Option<String>,
    /// One commune's dashboard (province accounts; an officer always sees her own).
    commune: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    caller: Caller,
    super::PageQuery(query): super::PageQuery<DashboardQuery>,
) -> Result<Response, PageError> {
    if let Some(code) = caller.user.commune_code.clone().or(query.commune) {
        return commune_page(&state, &caller, &code).await;
    }
    // Who may see it is checked on every request; the figures are read once per change of the registry.
    cnscd_services::scope::whole_province(&caller).map_err(Error::from)?;
    let indicator = query.indicator.unwrap_or_default();
    let key = format!("{}|{indicator}", caller.province_code());
    let store = state.store.clone();
    let board = state
        .derived
        .province
        .get_or_compute(
            key,
            || store.changes(),
            || async {
                let indicator = Some(indicator.as_str()).filter(|i| !i.is_empty());
                let data = dashboard::province(&state.store, &caller, indicator).await?;
                // Drawing is CPU work, small here (a dozen rounds); kept on the worker.
                let (completeness_chart, indicators_chart) =
                    charts_of(&data).map_err(Error::Internal)?;
                Ok::<_, Error>(ProvinceBoard {
                    data,
                    completeness_chart,
                    indicators_chart,
                })
            },
        )
        .await?;
    render(&DashboardPage {
        layout: Layout::new(&caller, "Bảng điều hành"),
        board,
    })
}

#[derive(Template)]
#[template(path = "dashboard_commune.html")]
struct CommuneDashboardPage {
    layout: Layout,
    data: Arc<CommuneDashboard>,
    /// The commune's own figures over the latest rounds (SVG).
    figures_chart: Option<String>,
}

impl CommuneDashboardPage {
    fn state(&self, report: &cnscd_store::Report) -> &'static str {
        report.state.label(report.submissions)
    }

    fn timing(&self, timing: &Option<bool>) -> &'static str {
        match timing {
            Some(true) => "đúng hạn",
            Some(false) => "trễ hạn",
            None => "chưa nộp",
        }
    }
}

async fn commune_page(
    state: &AppState,
    caller: &Caller,
    code: &str,
) -> Result<Response, PageError> {
    cnscd_services::scope::commune(
        &state.store,
        caller,
        code,
        cnscd_services::scope::Intent::Read,
    )
    .await
    .map_err(Error::from)?;
    let store = state.store.clone();
    let data = state
        .derived
        .commune
        .get_or_compute(
            format!("{}|{code}", caller.province_code()),
            || store.changes(),
            || async {
                dashboard::commune(&state.store, caller, code)
                    .await
                    .map_err(Error::from)
            },
        )
        .await?;
    let figures_chart = if data.reports.is_empty() {
        None
    } else {
        let labels: Vec<String> = data
            .reports
            .iter()
            .map(|(r, _, _)| short(&r.title, 16))
            .collect();
        let series: Vec<_> = data
            .indicators
            .iter()
            .zip(charts::PALETTE.iter().cycle())
            .map(|((indicator, values), colour)| {
                (legend_name(&indicator.name), *colour, values.clone())
            })
            .collect();
        Some(
            charts::lines("Kết quả của xã/phường qua các đợt", &labels, &series)
                .map_err(Error::Internal)?,
        )
    };
    render(&CommuneDashboardPage {
        layout: Layout::new(caller, format!("Bảng điều hành — {}", data.summary.name)),
        data,
        figures_chart,
    })
}
