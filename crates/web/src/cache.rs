//! Figures derived from the whole registry (the overview, the dashboards) kept while nothing has changed: an
//! entry holds the store's count of committed changes and is used only while that count is the same and it is
//! younger than the cache's age limit (changes by another process, such as a CLI import or a second server on
//! the same database, are not counted here: the age limit bounds how long they go unseen). One computation at
//! a time: fifty people opening the dashboard at once wait for one reading, not fifty.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
    max_age: Duration,
}

impl<V> DerivedCache<V> {
    /// Entries older than `max_age` are read again: what another process changed shows within it.
    pub fn new(max_age: Duration) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            computing: tokio::sync::Mutex::new(()),
            max_age,
        }
    }
}

impl<V> DerivedCache<V> {
    fn current(&self, key: &str, changes: u64) -> Option<Arc<V>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|e| e.changes == changes && e.at.elapsed() < self.max_age)
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
