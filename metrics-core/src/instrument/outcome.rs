//! How one run of an instrumented function ended.

use crate::label::Outcome;
// The derive is the macro namespace's `LabelValue`, defined by the macros crate.
use metrics_macros::LabelValue;

/// How one run of an instrumented function ended: the `outcome` label of the built-in job, tool and LLM families.
///
/// The attributes tell the four apart without help from the function: `Failure` is an `Err` return, `Panic` a
/// panic unwinding through the function, and `Cancelled` a future dropped before it finished (a timeout, a
/// `select!` branch that lost, a shutdown).
///
/// ```
/// use metrics_core::{LabelValue, Outcome, RunOutcome};
///
/// assert_eq!(RunOutcome::VALUES, ["success", "failure", "panic", "cancelled"]);
/// assert_eq!(Outcome::from(RunOutcome::Cancelled), Outcome::Failure);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, LabelValue)]
#[metrics(rename_all = "snake_case", crate = crate)]
pub enum RunOutcome {
    /// The function returned, and not an `Err`.
    Success,
    /// The function returned an `Err`.
    Failure,
    /// The function panicked.
    Panic,
    /// The future was dropped before it completed.
    Cancelled,
}

/// A two-valued [`Outcome`] label can take a run's outcome too: only a success is a success.
impl From<RunOutcome> for Outcome {
    fn from(outcome: RunOutcome) -> Self {
        match outcome {
            RunOutcome::Success => Self::Success,
            RunOutcome::Failure | RunOutcome::Panic | RunOutcome::Cancelled => Self::Failure,
        }
    }
}
