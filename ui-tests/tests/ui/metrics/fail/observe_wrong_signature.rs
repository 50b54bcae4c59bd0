//! The function named by `observe` takes the family's observer; one of another shape is refused on its path.
use metrics_core::metrics;

metrics! {
    /// Jobs waiting.
    pub gauge queue_depth { observe = read_depth }
}

fn read_depth() -> i64 {
    3
}

fn main() {}
