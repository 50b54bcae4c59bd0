//! A call site passes each label its declared type: a `Phase` is not a `JobType`.

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
    pub counter claims_total { job_type: JobType }
}

pub fn record() {
    CLAIMS_TOTAL.labels(Phase::Run).inc();
}

fn main() {}
