//! A success-rate objective's good values must be values of its outcome label (checked by the type checker).
use metrics_core::{LabelValue, metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    Failed,
}

metrics! {
    /// Checkouts by outcome.
    pub counter checkouts_total {
        outcome: Outcome,
        objectives = [success_rate(99.9%, good = [success])],
    }
}

fn main() {}
