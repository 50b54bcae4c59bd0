//! OpenMetrics has exemplars on a counter's `_total` and on histogram buckets only.
use metrics_core::metrics;

metrics! {
    /// Jobs waiting.
    pub gauge queue_depth { exemplars = true }
}

fn main() {}
