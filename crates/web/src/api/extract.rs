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
        Ok(Self(object_of(value)?))
    }
}

/// The request's JSON read as `T`: it must be an object, and a field of the wrong shape is named.
fn object_of<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    if !value.is_object() {
        return Err(Error::BadRequest(
            "Dữ liệu JSON không đọc được: nội dung gửi lên phải là một đối tượng JSON {…}.".into(),
        )
        .into());
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let field = e.path().to_string();
        let field = (field != ".").then_some(field);
        Error::BadRequest(format!(
            "Dữ liệu JSON không đọc được: {}",
            explain_unreadable(&e.inner().to_string(), field.as_deref())
        ))
        .into()
    })
}

/// A JSON body that may be left out entirely (no body at all): then the type's default.
pub struct ApiJsonOrNothing<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for ApiJsonOrNothing<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|e| Error::BadRequest(e.body_text()))?;
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(T::default()));
        }
        let value: Value = serde_json::from_slice(&body).map_err(|e| {
            Error::BadRequest(format!(
                "Dữ liệu JSON không đọc được: {}",
                explain_unreadable(&e.to_string(), None)
            ))
        })?;
        Ok(Self(object_of(value)?))
    }
}

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);
