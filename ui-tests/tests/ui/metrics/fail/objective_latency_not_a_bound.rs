//! A latency objective's bound must be one of the histogram's bucket bounds: the error names the nearest ones.
use metrics_core::metrics;

metrics! {
    /// Checkout latency.
    pub histogram checkout_seconds {
        buckets = [0.1, 0.2, 0.5, 1.0],
        objectives = [latency(95% under 0.25, over = 30d)],
    }
}

fn main() {}
