use crate::cache::DerivedCache;
use crate::public_access::{limiter, PublicLimiter};
use cnscd_store::Store;
use std::num::NonZeroU32;
use std::sync::Arc;

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
    /// The province whose teams the public finder shows (the server's working province).
    pub public_province: String,
    /// Public pages and public API requests allowed per client address and minute.
    pub public_requests_per_minute: NonZeroU32,
    /// The address citizens reach the site at (`https://cnscd.example.gov.vn`), printed in posters' QR codes;
    /// without it, the address of the request.
    pub public_url: Option<String>,
}

impl Default for WebSettings {
    fn default() -> Self {
        Self {
            session_lifetime: chrono::Duration::hours(8),
            secure_cookies: false,
            trust_forwarded_for: false,
            mailer: None,
            public_province: "38".into(),
            public_requests_per_minute: NonZeroU32::new(120).expect("not zero"),
            public_url: None,
        }
    }
}

/// What every handler can reach: the store and how signing in behaves. The province a request works in is
/// its account's.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: WebSettings,
    pub public_limiter: PublicLimiter,
    /// The overview's and the dashboards' figures, kept while the registry has not changed.
    pub(crate) derived: Arc<DerivedCaches>,
}

pub(crate) struct DerivedCaches {
    pub overview: DerivedCache<cnscd_store::ProvinceOverview>,
    pub province: DerivedCache<crate::pages::ProvinceBoard>,
    pub commune: DerivedCache<cnscd_services::dashboard::CommuneDashboard>,
}

impl Default for DerivedCaches {
    /// The overview is one read of each commune's sums (milliseconds): read again every two seconds, so that a
    /// change by a CLI import or another server shows almost at once. The dashboards read every round (up to
    /// half a second at national size): kept a minute.
    fn default() -> Self {
        use std::time::Duration;
        Self {
            overview: DerivedCache::new(Duration::from_secs(2)),
            province: DerivedCache::new(Duration::from_secs(60)),
            commune: DerivedCache::new(Duration::from_secs(60)),
        }
    }
}

impl AppState {
    /// Needs a Tokio runtime: the public rate limiter forgets idle addresses in a task of its own.
    pub fn new(store: Store, settings: WebSettings) -> Self {
        Self {
            store,
            public_limiter: limiter(settings.public_requests_per_minute),
            settings,
            derived: Arc::default(),
        }
    }
}

impl AppState {
    /// The caller's province overview (province accounts only): read once per change of the registry, since
    /// every province account opens it first and it sums the whole province.
    pub(crate) async fn overview(
        &self,
        caller: &cnscd_services::Caller,
    ) -> Result<Arc<cnscd_store::ProvinceOverview>, cnscd_services::Error> {
        cnscd_services::scope::whole_province(caller)?;
        let store = self.store.clone();
        self.derived
            .overview
            .get_or_compute(
                caller.province_code().to_string(),
                || store.changes(),
                || cnscd_services::communes::overview(&self.store, caller),
            )
            .await
    }
}
