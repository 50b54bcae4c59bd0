//! A family declared without labels is one series: `.labels(..)` on it says to record into it directly, or to
//! declare the label.

#[derive(Clone, Copy, Debug, PartialEq, Eq, metrics_core::LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum JobType {
    Email,
    Report,
}

metrics_core::metrics! {
    /// Jobs finished.
    pub counter jobs_total;
}

pub fn record() {
    JOBS_TOTAL.labels(JobType::Email).inc();
}

fn main() {}
