//! `.labels(..)` takes one value per label: a missing one is an error naming it.

#[derive(Clone, Copy, Debug, PartialEq, Eq, metrics_core::LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum JobType {
    Email,
    Report,
}

metrics_core::metrics! {
    /// Jobs finished, by type and outcome.
    pub counter jobs_total { job_type: JobType, outcome: metrics_core::Outcome }
}

pub fn record() {
    JOBS_TOTAL.labels(JobType::Email).inc();
}

fn main() {}
