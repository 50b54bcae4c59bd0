//! The failure reason is known only for failures: `reason` belongs in `errors(..)`.

use metrics_core::{BoundedStr, measure, metrics};

metrics! {
    /// Runs by reason.
    pub counter runs_total { reason: BoundedStr<4> }
}

#[measure(count(RUNS_TOTAL, reason))]
fn work() -> Result<(), std::io::Error> {
    Ok(())
}

fn main() {}
