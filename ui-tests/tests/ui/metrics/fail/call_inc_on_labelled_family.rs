//! A labelled family holds one series per label combination: `.inc()` on the family itself says to select a
//! series with `.labels(..)` first.

#[derive(Clone, Copy, Debug, PartialEq, Eq, metrics_core::LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum JobType {
    Email,
    Report,
}

metrics_core::metrics! {
    /// Jobs finished, by type.
    pub counter jobs_total { job_type: JobType }
}

pub fn record() {
    JOBS_TOTAL.inc();
}

fn main() {}
