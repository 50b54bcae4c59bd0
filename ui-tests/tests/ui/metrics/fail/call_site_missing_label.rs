//! A call site sets every label: the labels struct has one field per label.

#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
pub enum JobType {
    Email,
    Report,
}

#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
pub enum Phase {
    Queue,
    Run,
}

metrics_core::metrics! {
    /// Jobs claimed.
    pub counter claims_total { job_type: JobType, phase: Phase }
}

pub fn record() {
    CLAIMS_TOTAL
        .with(ClaimsTotalLabels {
            job_type: JobType::Email,
        })
        .inc();
}

fn main() {}
