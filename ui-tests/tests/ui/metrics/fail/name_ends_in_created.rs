//! `_created` is the suffix OpenMetrics writes for a counter's start time.

metrics_core::metrics! {
    /// When the cache was built.
    pub gauge cache_created;
}

fn main() {}
