//! A label needs a value; only `outcome` and `reason` are filled in by the attribute.

use metrics_core::{LabelValue, measure, metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
pub enum Queue {
    Email,
}

metrics! {
    /// Jobs by queue.
    pub counter jobs_total { queue: Queue }
}

#[measure(count(JOBS_TOTAL, queue))]
fn work(queue: Queue) {
    let _ = queue;
}

fn main() {}
