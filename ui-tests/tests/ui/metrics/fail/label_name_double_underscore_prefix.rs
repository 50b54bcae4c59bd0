//! Label names starting with `__` are reserved by Prometheus.

use metrics_core::Outcome;

metrics_core::metrics! {
    /// Jobs done.
    pub counter jobs_total { __outcome: Outcome }
}

fn main() {}
