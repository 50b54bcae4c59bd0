//! A ratio threshold's `of` must name a family of the same `metrics!` block.
use metrics_core::metrics;

metrics! {
    /// Jobs waiting.
    pub gauge queue_depth {
        objectives = [above(0.8, of = queue_capacty, for = 15m)],
    }
    /// Room in the queue.
    pub gauge queue_capacity {}
}

fn main() {}
