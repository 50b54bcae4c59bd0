//! Bucket bounds in a list are number literals: `f64::NAN` or `f64::INFINITY` is refused on its own token.
use metrics_core::metrics;

metrics! {
    /// Wait.
    pub histogram wait_seconds { buckets = [0.1, f64::NAN] }
}

fn main() {}
