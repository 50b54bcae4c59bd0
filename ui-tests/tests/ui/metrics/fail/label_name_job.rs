//! `job` and `instance` are attached by Prometheus to every scraped series: a series' own label of that name is
//! renamed `exported_job`, and queries on it match nothing.

metrics_core::metrics! {
    /// Runs by job.
    pub counter runs_total { job: metrics_core::Outcome }
    /// Requests by instance.
    pub counter requests_total { instance: metrics_core::Outcome }
}

fn main() {}
