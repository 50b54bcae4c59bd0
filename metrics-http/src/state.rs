//! What every handler of one router shares: the configuration, the scrape cap and the summary ring.

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use crate::api::ring::{Ring, Sampler};
use crate::config::Config;
use crate::guard::limit::ScrapeLimiter;

/// The state behind one metrics router. The summary sampler stops when the last router clone is dropped.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) limiter: ScrapeLimiter,
    pub(crate) ring: Arc<Ring>,
    /// The size of the last exposition, so the next one allocates its buffer once.
    pub(crate) last_size: AtomicUsize,
    _sampler: Sampler,
}

impl Shared {
    /// The state for `config` (already validated), with its sampler started.
    pub(crate) fn new(config: Config) -> Self {
        let ring = Arc::new(Ring::new(&config));
        let sampler = Sampler::start(Arc::clone(&ring), config.clone());
        Self {
            limiter: ScrapeLimiter::new(config.max_concurrent_scrapes),
            config,
            ring,
            last_size: AtomicUsize::new(0),
            _sampler: sampler,
        }
    }
}
