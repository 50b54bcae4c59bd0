//! A ratio threshold divides a gauge by a gauge: `of` naming a counter is refused.
use metrics_core::metrics;

metrics! {
    /// Jobs waiting.
    pub gauge queue_depth {
        objectives = [above(0.8, of = jobs_total, for = 15m)],
    }
    /// Jobs enqueued.
    pub counter jobs_total {}
}

fn main() {}
