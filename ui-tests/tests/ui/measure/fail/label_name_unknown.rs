//! A label the family does not have is an error on its name.

use metrics_core::{LabelValue, measure, metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
pub enum Queue {
    Email,
}

metrics! {
    /// Jobs by queue.
    pub counter jobs_total { queue: Queue }
}

#[measure(count(JOBS_TOTAL, queue = Queue::Email, qeueu = Queue::Email))]
fn work() {}

fn main() {}
