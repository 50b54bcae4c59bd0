//! A family must fit the budget it declares: `Phase` x `Outcome` is 6 series, over `budget = 4`.

use metrics_core::Outcome;

#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
pub enum Phase {
    Queue,
    Run,
    Done,
}

metrics_core::metrics! {
    /// Jobs finished.
    pub counter jobs_total { phase: Phase, outcome: Outcome, budget = 4 }
}

fn main() {}
