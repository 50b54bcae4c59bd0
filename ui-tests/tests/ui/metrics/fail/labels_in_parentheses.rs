//! Labels and options go in braces, not parentheses.

#[derive(Clone, Copy, Debug, PartialEq, Eq, metrics_core::LabelValue)]
pub enum JobType {
    Email,
}

metrics_core::metrics! {
    /// Jobs finished.
    pub counter jobs_total(job_type: JobType);
}

fn main() {}
