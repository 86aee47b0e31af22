//! Extractors whose failures answer as API errors with a Vietnamese message, not as plain text.

use crate::error::{explain_unreadable, ApiError, Error};
use axum::extract::{FromRequest, FromRequestParts, Request};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A JSON request body that must be an object of the expected shape (serde would otherwise read an array
/// positionally as a struct).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(value) = axum::Json::<Value>::from_request(request, state).await?;
        if !value.is_object() {
            return Err(Error::BadRequest(
                "Dữ liệu JSON không đọc được: nội dung gửi lên phải là một đối tượng JSON {…}."
                    .into(),
            )
            .into());
        }
        let parsed = serde_path_to_error::deserialize(value).map_err(|e| {
            let field = e.path().to_string();
            let field = (field != ".").then_some(field);
            Error::BadRequest(format!(
                "Dữ liệu JSON không đọc được: {}",
                explain_unreadable(&e.inner().to_string(), field.as_deref())
            ))
        })?;
        Ok(Self(parsed))
    }
}

/// A JSON body that may be left out entirely (no `Content-Type`): then the type's default.
pub struct ApiJsonOrNothing<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for ApiJsonOrNothing<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !request
            .headers()
            .contains_key(axum::http::header::CONTENT_TYPE)
        {
            return Ok(Self(T::default()));
        }
        let ApiJson(value) = ApiJson::from_request(request, state).await?;
        Ok(Self(value))
    }
}

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);
