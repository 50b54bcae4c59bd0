//! A bucket constant is checked when it is evaluated: its bounds must be strictly increasing.

const WAIT_BUCKETS: [f64; 3] = [1.0, 0.5, 2.0];

metrics_core::metrics! {
    /// Wait time.
    pub histogram wait_seconds { buckets = WAIT_BUCKETS }
}

fn main() {}
