//! An info family name ends in `_info` (OpenMetrics).

metrics_core::metrics! {
    /// Build metadata.
    pub info build { version: String }
}

fn main() {}
