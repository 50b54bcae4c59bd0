//! `find_labels` returns an `Option` (no series is created to read): using it as the series is an error.

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

pub fn read() -> u64 {
    JOBS_TOTAL.find_labels(JobType::Email).get()
}

fn main() {}
