//! `exemplars` takes `true` or `false`.
use metrics_core::metrics;

metrics! {
    /// Requests.
    pub counter requests_total { exemplars = "trace_id" }
}

fn main() {}
