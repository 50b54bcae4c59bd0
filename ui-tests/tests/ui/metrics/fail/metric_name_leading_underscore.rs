//! A metric name must not start with `_`: `__` names are reserved by Prometheus.

metrics_core::metrics! {
    /// Jobs done.
    pub counter _jobs_total;
}

fn main() {}
