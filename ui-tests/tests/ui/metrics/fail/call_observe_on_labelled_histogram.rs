//! `.observe(..)` on a labelled histogram: select the series first, as for a counter.

#[derive(Clone, Copy, Debug, PartialEq, Eq, metrics_core::LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum JobType {
    Email,
    Report,
}

metrics_core::metrics! {
    /// Job latency, by type.
    pub histogram job_latency_seconds { job_type: JobType, buckets = latency }
}

pub fn record(seconds: f64) {
    JOB_LATENCY_SECONDS.observe(seconds);
}

fn main() {}
