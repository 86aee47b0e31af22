use super::{render, Layout};
use crate::auth::Caller;
use crate::error::PageError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use cnscd_domain::phone::Phone;
use cnscd_store::SearchResults;
use serde::Deserialize;

const RESULTS_PER_KIND: i64 = 30;

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    results: SearchResults,
}

impl SearchPage {
    fn phone(&self, phone: &Option<String>) -> String {
        phone
            .clone()
            .map(|p| Phone::from_stored(p).grouped())
            .unwrap_or_default()
    }

    fn is_empty(&self) -> bool {
        self.results.communes.is_empty()
            && self.results.teams.is_empty()
            && self.results.members.is_empty()
    }
}

pub async fn page(
    State(state): State<AppState>,
    caller: Caller,
    super::PageQuery(query): super::PageQuery<SearchQuery>,
) -> Result<Response, PageError> {
    let results =
        cnscd_services::search::search(&state.store, &caller, &query.q, RESULTS_PER_KIND).await?;
    let mut layout = Layout::new(&caller, format!("Tìm «{}»", query.q.trim()));
    layout.query = query.q.trim().to_string();
    render(&SearchPage { layout, results })
}
