//! `outcome` fills a label of type `RunOutcome` or `Outcome`: any other type is an error on `outcome`.

use metrics_core::{LabelValue, measure, metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
pub enum Queue {
    Email,
}

metrics! {
    /// Jobs by queue.
    pub counter jobs_total { outcome: Queue }
}

#[measure(count(JOBS_TOTAL, outcome))]
fn work() {}

fn main() {}
