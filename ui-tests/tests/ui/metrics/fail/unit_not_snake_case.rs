//! A declared `unit` follows the metric-name rules.

metrics_core::metrics! {
    /// Time spent.
    pub counter spent_seconds_total { unit = Seconds }
}

fn main() {}
