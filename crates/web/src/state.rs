use cnscd_store::Store;

/// How signing in behaves; the defaults suit one server on a local network.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// A session ends after this long without activity.
    pub session_lifetime: chrono::Duration,
    /// Mark the session cookie `Secure`: the site is served over TLS (also detected from
    /// `X-Forwarded-Proto: https`).
    pub secure_cookies: bool,
    /// Take the client's address from `X-Forwarded-For` (only behind a reverse proxy that sets it).
    pub trust_forwarded_for: bool,
    /// The SMTP server reminders are sent through, if the installation has one.
    pub mailer: Option<cnscd_services::mail::Mailer>,
}

impl Default for WebSettings {
    fn default() -> Self {
        Self {
            session_lifetime: chrono::Duration::hours(8),
            secure_cookies: false,
            trust_forwarded_for: false,
            mailer: None,
        }
    }
}

/// What every handler can reach: the store and how signing in behaves. The province a request works in is
/// its account's.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: WebSettings,
}

impl AppState {
    pub fn new(store: Store, settings: WebSettings) -> Self {
        Self { store, settings }
    }
}
