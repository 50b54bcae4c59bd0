//! A variant carrying data is refused on its fields, once: families using the enum see no follow-on errors.
use metrics_core::{LabelValue, metrics};

#[derive(Clone, Copy, Debug, LabelValue)]
pub enum Kind {
    Email,
    Report(u8),
}

metrics! {
    /// Jobs by kind.
    pub counter jobs_total { kind: Kind }
}

fn main() {
    JOBS_TOTAL.labels(Kind::Email).inc();
}
