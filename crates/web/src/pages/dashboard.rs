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
use cnscd_services::dashboard::{self, Dashboard};

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    data: Dashboard,
    /// The reporting completeness of the latest rounds, and the indicator totals over them (SVG).
    completeness_chart: Option<String>,
    indicators_chart: Option<String>,
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

pub async fn page(State(state): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    let data = dashboard::province(&state.store, &caller).await?;
    // Drawing is CPU work, small here (a dozen rounds); kept on the worker.
    let (completeness_chart, indicators_chart) = charts_of(&data).map_err(Error::Internal)?;
    render(&DashboardPage {
        layout: Layout::new(&caller, "Bảng điều hành"),
        data,
        completeness_chart,
        indicators_chart,
    })
}
