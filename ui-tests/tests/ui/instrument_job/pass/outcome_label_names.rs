//! The outcome and the failure reason go into labels named as the application names them (`status`,
//! `error_type`), with the application's own status values (`From<RunOutcome>`, checked by the compiler).

use metrics_core::{BoundedStr, ErrorReason, LabelValue, RunOutcome, measure, metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
enum Status {
    Ok,
    Error,
}

impl From<RunOutcome> for Status {
    fn from(outcome: RunOutcome) -> Self {
        if outcome == RunOutcome::Success { Self::Ok } else { Self::Error }
    }
}

#[derive(Debug, ErrorReason)]
enum StepError {
    Invalid,
}

metrics! {
    /// Steps by result.
    pub counter step_runs_total { result: Status }
    /// Step failures by error type.
    pub counter step_errors_total { error_type: BoundedStr<4> }
}

#[measure(count(STEP_RUNS_TOTAL, result(outcome)), errors(STEP_ERRORS_TOTAL, error_type(reason)))]
fn step(fail: bool) -> Result<(), StepError> {
    if fail { Err(StepError::Invalid) } else { Ok(()) }
}

fn main() {
    step(false).unwrap();
    step(true).unwrap_err();
    assert_eq!(STEP_RUNS_TOTAL.labels(Status::Ok).get(), 1);
    assert_eq!(STEP_RUNS_TOTAL.labels(Status::Error).get(), 1);
    assert_eq!(STEP_ERRORS_TOTAL.labels("invalid").get(), 1);
}
