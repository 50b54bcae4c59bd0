//! Prometheus records ratios (0 to 1), not percentages.

metrics_core::metrics! {
    /// CPU used.
    pub gauge cpu_usage_percent: f64;
}

fn main() {}
