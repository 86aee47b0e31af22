//! Field checks for validation as people type: the very functions the forms, API and importer use.

use super::extract::{ApiPath, ApiQuery};
use crate::error::{ApiError, Error, ErrorBody};
use axum::Json;
use cnscd_domain::date::{format_date, parse_date};
use cnscd_domain::decision::DecisionNumber;
use cnscd_domain::person_name::PersonName;
use cnscd_domain::phone::Phone;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckQuery {
    /// The value as typed.
    pub value: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CheckResult {
    pub valid: bool,
    /// The value as it will be stored.
    pub normalized: Option<String>,
    /// The value as it will be shown.
    pub display: Option<String>,
    /// What to fix, in Vietnamese, when not valid.
    pub message: Option<String>,
}

fn outcome(result: Result<(String, String), String>) -> CheckResult {
    match result {
        Ok((normalized, display)) => CheckResult {
            valid: true,
            normalized: Some(normalized),
            display: Some(display),
            message: None,
        },
        Err(message) => CheckResult {
            valid: false,
            normalized: None,
            display: None,
            message: Some(message),
        },
    }
}

/// Checks one field value: `phone`, `full_name`, `decision_number` or `date`.
#[utoipa::path(get, path = "/api/v1/check/{field}", tag = "search",
    params(("field" = String, Path, description = "phone, full_name, decision_number or date"), CheckQuery),
    responses((status = 200, body = CheckResult), (status = 404, body = ErrorBody)))]
pub async fn check(
    ApiPath(field): ApiPath<String>,
    ApiQuery(query): ApiQuery<CheckQuery>,
) -> Result<Json<CheckResult>, ApiError> {
    let value = query.value.as_str();
    let result = match field.as_str() {
        "phone" => Phone::parse(value)
            .map(|p| (p.as_str().to_string(), p.grouped()))
            .map_err(|e| e.to_string()),
        "full_name" => PersonName::parse("full_name", value)
            .map(|n| (n.as_str().to_string(), n.as_str().to_string()))
            .map_err(|e| e.message),
        "decision_number" => DecisionNumber::parse(value)
            .map(|n| (n.as_str().to_string(), n.as_str().to_string()))
            .map_err(|e| e.message),
        "date" => parse_date("date", value)
            .map(|d| (d.to_string(), format_date(d)))
            .map_err(|e| e.message),
        _ => return Err(Error::NotFound("loại trường cần kiểm tra").into()),
    };
    Ok(Json(outcome(result)))
}
