//! A label given twice is an error on the second one.

use metrics_core::{LabelValue, measure, metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
pub enum Queue {
    Email,
}

metrics! {
    /// Jobs by queue.
    pub counter jobs_total { queue: Queue }
}

#[measure(count(JOBS_TOTAL, queue = Queue::Email, queue = Queue::Email))]
fn work() {}

fn main() {}
