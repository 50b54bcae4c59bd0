//! `unit` is written as an identifier, as in `unit = seconds`.

metrics_core::metrics! {
    /// Request latency.
    pub histogram request_latency_seconds { unit = "seconds" }
}

fn main() {}
