//! Durations are recorded in seconds, not `ms`.

metrics_core::metrics! {
    /// Render time.
    pub histogram render_ms;
}

fn main() {}
