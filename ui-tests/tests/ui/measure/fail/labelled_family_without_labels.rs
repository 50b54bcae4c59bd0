//! A target family with labels needs a value for each: `count(JOBS_TOTAL)` names none.

#[derive(Clone, Copy, Debug, PartialEq, Eq, metrics_core::LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Queue {
    Email,
}

metrics_core::metrics! {
    /// Jobs by queue.
    pub counter jobs_total { queue: Queue }
}

#[metrics_core::measure(count(JOBS_TOTAL))]
fn work() {}

fn main() {}
