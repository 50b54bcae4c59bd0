//! The drop guard that sees every way a run can end, and the call wrapper that keeps `return` inside the body.

use std::time::{Duration, Instant};

use super::{Returned, RunOutcome};

/// Records one run when it ends: through [`Measure::finish`] when the function returns, or on drop when it
/// panicked (`std::thread::panicking()`) or, for a future, was dropped before it finished.
///
/// Generated code creates it inside the function (inside the future, for an `async fn`), so whatever ends the run
/// also ends the guard. `record` receives the outcome, the failure reason (for an `Err` only) and the time since
/// [`Measure::start`]: two clock reads per run.
#[must_use = "the run is recorded when the guard finishes or drops"]
pub struct Measure<F: FnMut(RunOutcome, Option<&'static str>, Duration)> {
    start: Instant,
    record: F,
    done: bool,
}

impl<F: FnMut(RunOutcome, Option<&'static str>, Duration)> Measure<F> {
    /// Starts the clock.
    #[inline]
    pub fn start(record: F) -> Self {
        Self {
            start: Instant::now(),
            record,
            done: false,
        }
    }

    /// The function returned: records success, or failure with the reason its return value carries. Called once.
    ///
    /// By reference, not by value: the guard stays where it is (inside an `async fn`'s future) instead of being
    /// moved out to be consumed, which the async hot path measurably paid for; the drop that follows sees `done`.
    #[inline]
    pub fn finish(&mut self, returned: Returned) {
        self.done = true;
        let elapsed = self.start.elapsed();
        match returned {
            Returned::Success => (self.record)(RunOutcome::Success, None, elapsed),
            Returned::Failure(reason) => (self.record)(RunOutcome::Failure, Some(reason), elapsed),
        }
    }
}

impl<F: FnMut(RunOutcome, Option<&'static str>, Duration)> Drop for Measure<F> {
    // Inlined so that after `finish` (which sets `done`) the check folds away on the hot path.
    #[inline]
    fn drop(&mut self) {
        if !self.done {
            // Not finished: either unwinding (a panic inside the run) or a future dropped mid-await.
            let outcome = if std::thread::panicking() {
                RunOutcome::Panic
            } else {
                RunOutcome::Cancelled
            };
            (self.record)(outcome, None, self.start.elapsed());
        }
    }
}

impl<F: FnMut(RunOutcome, Option<&'static str>, Duration)> std::fmt::Debug for Measure<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Measure")
            .field("start", &self.start)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// Runs a sync function's body as a closure called once, so `return` and `?` leave the body but not the
/// measurement. `FnOnce` (not `FnMut`) lets the body return references into what it captured.
#[inline]
pub fn call_once<R>(body: impl FnOnce() -> R) -> R {
    body()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finish_drop_and_panic_each_record_once() {
        let mut seen = Vec::new();
        Measure::start(|outcome, reason, _| seen.push((outcome, reason)))
            .finish(Returned::Failure("timeout"));
        drop(Measure::start(|outcome, reason, _| {
            seen.push((outcome, reason));
        }));
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _measure = Measure::start(|outcome, reason, _| seen.push((outcome, reason)));
            panic!("inside the run");
        }));
        assert!(caught.is_err());
        assert_eq!(
            seen,
            [
                (RunOutcome::Failure, Some("timeout")),
                (RunOutcome::Cancelled, None),
                (RunOutcome::Panic, None)
            ]
        );
    }
}
