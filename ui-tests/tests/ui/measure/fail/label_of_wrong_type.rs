//! A label expression of the wrong type is a type error on the expression.

use metrics_core::{LabelValue, measure, metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Queue {
    Email,
}

metrics! {
    /// Jobs by queue.
    pub counter jobs_total { queue: Queue }
}

#[measure(count(JOBS_TOTAL, queue = "email"))]
fn work() {}

fn main() {}
