//! Figures derived from the whole registry (the dashboards) kept while nothing has changed: an entry holds
//! the store's count of committed changes and is used only while that count is the same and it is younger
//! than a minute (changes by another process, such as a CLI import, are not counted here). One computation
//! at a time: fifty people opening the dashboard at once wait for one reading, not fifty.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const MAX_AGE: Duration = Duration::from_secs(60);
/// Keys carry what people ask for (an indicator's code): beyond this many, the cache starts again.
const MAX_ENTRIES: usize = 512;

struct Entry<V> {
    changes: u64,
    at: Instant,
    value: Arc<V>,
}

pub struct DerivedCache<V> {
    entries: Mutex<HashMap<String, Entry<V>>>,
    computing: tokio::sync::Mutex<()>,
}

impl<V> Default for DerivedCache<V> {
    fn default() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            computing: tokio::sync::Mutex::new(()),
        }
    }
}

impl<V> DerivedCache<V> {
    fn current(&self, key: &str, changes: u64) -> Option<Arc<V>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|e| e.changes == changes && e.at.elapsed() < MAX_AGE)
            .map(|e| e.value.clone())
    }

    /// The value for `key` at the store's `changes` count, computed by `compute` when there is none.
    pub async fn get_or_compute<E, Fut>(
        &self,
        key: String,
        changes: impl Fn() -> u64,
        compute: impl FnOnce() -> Fut,
    ) -> Result<Arc<V>, E>
    where
        Fut: Future<Output = Result<V, E>>,
    {
        if let Some(value) = self.current(&key, changes()) {
            return Ok(value);
        }
        let _turn = self.computing.lock().await;
        // Someone may have computed it while this request waited its turn.
        let before = changes();
        if let Some(value) = self.current(&key, before) {
            return Ok(value);
        }
        let value = Arc::new(compute().await?);
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        // Stamped with the count read before computing: a change during the computation makes it stale.
        entries.insert(
            key,
            Entry {
                changes: before,
                at: Instant::now(),
                value: value.clone(),
            },
        );
        Ok(value)
    }
}
