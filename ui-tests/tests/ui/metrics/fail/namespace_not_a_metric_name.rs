//! The `namespace` follows the metric-name rules: `a-z`, `0-9` and `_` only.

metrics_core::metrics! {
    namespace = "my-app";

    /// Jobs done.
    pub counter jobs_total;
}

fn main() {}
