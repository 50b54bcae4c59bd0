//! `reason` fills a `BoundedStr` label (reasons are text): an enum label is an error saying so.

#[derive(Clone, Copy, Debug, PartialEq, Eq, metrics_core::LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Queue {
    Email,
}

metrics_core::metrics! {
    /// Failures by queue.
    pub counter failures_total { reason: Queue }
}

#[metrics_core::measure(errors(FAILURES_TOTAL, reason))]
fn work() -> Result<(), std::io::Error> {
    Ok(())
}

fn main() {}
