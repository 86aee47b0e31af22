//! A readable page of the API, rendered on the server from the OpenAPI document (no external scripts).

use askama::Template;
use axum::response::Html;
use utoipa::openapi::path::Operation;

pub struct OperationView {
    pub method: &'static str,
    pub path: String,
    pub summary: String,
    pub description: String,
    pub parameters: Vec<String>,
    pub request_body: bool,
    pub responses: Vec<String>,
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct DocsPage {
    title: String,
    description: String,
    operations: Vec<OperationView>,
}

fn view(method: &'static str, path: &str, op: &Operation) -> OperationView {
    OperationView {
        method,
        path: path.to_string(),
        summary: op.summary.clone().unwrap_or_default(),
        description: op.description.clone().unwrap_or_default(),
        parameters: op
            .parameters
            .iter()
            .flatten()
            .map(|p| match &p.description {
                Some(d) => format!("{} — {d}", p.name),
                None => p.name.clone(),
            })
            .collect(),
        request_body: op.request_body.is_some(),
        responses: op.responses.responses.keys().cloned().collect(),
    }
}

pub async fn page() -> Result<Html<String>, crate::error::PageError> {
    let doc = super::openapi_document();
    let mut operations = Vec::new();
    for (path, item) in &doc.paths.paths {
        let methods = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("DELETE", &item.delete),
        ];
        for (method, op) in methods {
            if let Some(op) = op {
                operations.push(view(method, path, op));
            }
        }
    }
    let page = DocsPage {
        title: doc.info.title.clone(),
        description: doc.info.description.clone().unwrap_or_default(),
        operations,
    };
    Ok(Html(page.render().map_err(|e| {
        crate::error::Error::Internal(e.to_string())
    })?))
}
