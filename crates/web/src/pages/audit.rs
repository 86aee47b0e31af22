//! The audit log for province admins: filter by commune, user, kind of record and dates; download as CSV.

use super::history::{rows, HistoryRow};
use super::{render, Layout};
use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use cnscd_domain::date::parse_date;
use cnscd_services::{audit, communes};
use cnscd_store::{AuditFilter, Commune, ObjectKind, Page, PageRequest};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    commune: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    page: Option<i64>,
}

impl AuditQuery {
    fn filter(&self, caller: &Caller) -> Result<AuditFilter, Error> {
        let text = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
        let date = |field: &str, v: &str| match text(v) {
            Some(v) => parse_date(field, &v).map(Some),
            None => Ok(None),
        };
        Ok(AuditFilter {
            province_code: caller.user.province_code.clone(),
            commune_code: text(&self.commune),
            username: text(&self.user).map(|u| u.to_lowercase()),
            object_kind: ObjectKind::from_code(self.kind.trim()),
            from: date("from", &self.from)?,
            to: date("to", &self.to)?,
        })
    }

    /// The filters as a query string, for the pager and the download link.
    fn query_string(&self) -> String {
        serde_urlencoded::to_string([
            ("commune", &self.commune),
            ("user", &self.user),
            ("kind", &self.kind),
            ("from", &self.from),
            ("to", &self.to),
        ])
        .unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    layout: Layout,
    query: AuditQuery,
    communes: Vec<Commune>,
    kinds: &'static [ObjectKind],
    entries: Page<HistoryRow>,
    filters: String,
}

pub async fn page(
    State(state): State<AppState>,
    caller: Caller,
    super::PageQuery(query): super::PageQuery<AuditQuery>,
) -> Result<Response, PageError> {
    let filter = query.filter(&caller)?;
    let found = audit::entries(
        &state.store,
        &caller,
        filter,
        PageRequest::new(query.page, None),
    )
    .await?;
    let entries = Page {
        items: rows(&found.items),
        total: found.total,
        page: found.page,
        per_page: found.per_page,
    };
    render(&AuditPage {
        layout: Layout::new(&caller, "Nhật ký thay đổi"),
        communes: communes::readable(&state.store, &caller).await?,
        kinds: &ObjectKind::ALL,
        filters: query.query_string(),
        query,
        entries,
    })
}

/// Every matching entry as CSV (UTF-8 with BOM, so Excel shows Vietnamese correctly).
pub async fn download(
    State(state): State<AppState>,
    caller: Caller,
    super::PageQuery(query): super::PageQuery<AuditQuery>,
) -> Result<Response, PageError> {
    let filter = query.filter(&caller)?;
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let internal = |e: csv::Error| Error::Internal(e.to_string());
    out.write_record([
        "Thời gian (giờ Việt Nam)",
        "Người thực hiện",
        "Địa chỉ",
        "Thao tác",
        "Mã thao tác",
        "Loại đối tượng",
        "Đối tượng",
        "Nơi",
        "Trước",
        "Sau",
    ])
    .map_err(internal)?;
    let mut page = 1;
    loop {
        let request = PageRequest::new(Some(page), Some(500));
        let found = audit::entries(&state.store, &caller, filter.clone(), request).await?;
        for entry in &found.items {
            let row = HistoryRow::from(entry);
            // Each changed value as people read it: «Số điện thoại: 0914 994 123».
            let side = |after: bool| {
                row.changes
                    .iter()
                    .map(|(field, before, now)| (field, if after { now } else { before }))
                    .filter(|(_, value)| !value.is_empty())
                    .map(|(field, value)| format!("{field}: {value}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            out.write_record([
                row.at.clone(),
                row.username.clone(),
                row.address.clone(),
                row.action.to_string(),
                entry.action.code().to_string(),
                entry.object_kind.label().to_string(),
                row.object.clone(),
                row.place.clone(),
                side(false),
                side(true),
            ])
            .map_err(internal)?;
        }
        if found.items.len() < 500 {
            break;
        }
        page += 1;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| Error::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"nhat-ky-thay-doi.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
