//! `.labels(..)` takes the values in declaration order: two enum labels swapped are one error that suggests
//! swapping them back.

#[derive(Clone, Copy, Debug, PartialEq, Eq, metrics_core::LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum JobType {
    Email,
    Report,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, metrics_core::LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Phase {
    Queue,
    Run,
}

metrics_core::metrics! {
    /// Job latency, by type and phase.
    pub histogram job_latency_seconds { job_type: JobType, phase: Phase, buckets = latency }
}

pub fn record() {
    JOB_LATENCY_SECONDS
        .labels(Phase::Run, JobType::Email)
        .observe(0.2);
}

fn main() {}
