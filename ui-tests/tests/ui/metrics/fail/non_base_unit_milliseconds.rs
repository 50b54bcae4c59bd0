//! Durations are recorded in seconds, not `milliseconds`.

metrics_core::metrics! {
    /// Request latency.
    pub histogram request_latency_milliseconds;
}

fn main() {}
