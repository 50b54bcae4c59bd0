//! A declared `unit` must end the metric name (OpenMetrics `# UNIT`).

metrics_core::metrics! {
    /// Queue depth.
    pub gauge queue_depth { unit = bytes }
}

fn main() {}
