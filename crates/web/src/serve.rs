//! Serving the application over TCP within stated bounds, so that slow or idle clients cannot exhaust the
//! server: at most [`ServeLimits::max_connections`] connections at once (further ones wait in the listen
//! queue), request headers must arrive within [`ServeLimits::header_timeout`] (a client sending headers a
//! byte at a time is disconnected), and a whole request, body included, within
//! [`ServeLimits::request_timeout`].

use crate::{router, AppState};
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

#[derive(Debug, Clone, Copy)]
pub struct ServeLimits {
    pub max_connections: usize,
    pub header_timeout: Duration,
    pub request_timeout: Duration,
}

impl Default for ServeLimits {
    fn default() -> Self {
        Self {
            max_connections: 1024,
            header_timeout: Duration::from_secs(15),
            // A province's 20 MB file over a slow line needs time; anything slower is refused (408).
            request_timeout: Duration::from_secs(180),
        }
    }
}

/// Serves the application on `listener` until `shutdown` completes (open connections then finish).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    limits: ServeLimits,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let app = router(state).layer(tower_http::timeout::TimeoutLayer::with_status_code(
        axum::http::StatusCode::REQUEST_TIMEOUT,
        limits.request_timeout,
    ));
    let connections = Arc::new(Semaphore::new(limits.max_connections));
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = connections.clone().acquire_owned() => permit.expect("semaphore open"),
            () = &mut shutdown => return Ok(()),
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // A connection that failed before it was accepted (reset, out of descriptors): try the next.
                Err(error) => {
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => return Ok(()),
        };
        let app = app.clone();
        tokio::spawn(async move {
            let service =
                hyper::service::service_fn(move |mut request: axum::http::Request<Incoming>| {
                    request.extensions_mut().insert(ConnectInfo(peer));
                    app.clone().oneshot(request.map(axum::body::Body::new))
                });
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout);
            if let Err(error) = http.serve_connection(TokioIo::new(stream), service).await {
                tracing::debug!(%error, "connection ended");
            }
            drop(permit);
        });
    }
}
