//! What every handler of one router shares: the configuration, the scrape cap and the summary's sampler.

use std::sync::atomic::AtomicUsize;

use crate::api::summary::Sampler;
use crate::config::Config;
use crate::guard::limit::ScrapeLimiter;

/// The state behind one metrics router. The summary's sampler stops when the last router clone is dropped.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) limiter: ScrapeLimiter,
    pub(crate) summary: Sampler,
    /// The size of the last exposition, so the next one allocates its buffer once.
    pub(crate) last_size: AtomicUsize,
}

impl Shared {
    /// The state for `config` (already validated), with the summary's sampler started.
    pub(crate) fn new(config: Config) -> Self {
        Self {
            limiter: ScrapeLimiter::new(config.max_concurrent_scrapes),
            summary: Sampler::start(&config),
            config,
            last_size: AtomicUsize::new(0),
        }
    }
}
