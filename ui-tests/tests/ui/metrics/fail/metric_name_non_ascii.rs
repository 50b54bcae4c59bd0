//! A metric name uses only `a-z`, `0-9` and `_`, though Rust accepts more in identifiers.

metrics_core::metrics! {
    /// Jobs done.
    pub counter tâches_total;
}

fn main() {}
