//! Pushing when a batch job ends, however it ends.

use metrics_core::Registry;

use super::{GroupingKey, Pushgateway};

/// Pushes `registry` to the Pushgateway when dropped: when the batch job's `main` returns, or while a panic
/// unwinds through it (so a failed run still reports what it counted, failure counters included).
///
/// The push runs on a thread of its own with its own runtime, so the guard works inside or outside tokio. A
/// failed push is printed to stderr; there is nothing else a dying program can do with it.
///
/// (With `panic = "abort"` nothing unwinds and nothing is pushed: call [`PushOnExit::push_now`] at the points
/// that matter.)
#[derive(Debug)]
pub struct PushOnExit {
    gateway: Pushgateway,
    key: GroupingKey,
    registry: &'static Registry,
}

impl PushOnExit {
    /// Arms the guard: keep it in a variable (`let _push = ...`) for the whole of `main`.
    pub fn new(gateway: Pushgateway, key: GroupingKey, registry: &'static Registry) -> Self {
        Self {
            gateway,
            key,
            registry,
        }
    }

    /// Pushes now (the guard still pushes again when dropped).
    ///
    /// # Errors
    ///
    /// See [`PushError`](super::PushError).
    pub fn push_now(&self) -> Result<(), super::PushError> {
        self.gateway.push_blocking(&self.key, self.registry)
    }
}

impl Drop for PushOnExit {
    fn drop(&mut self) {
        if let Err(error) = self.push_now() {
            let during = if std::thread::panicking() {
                " (while panicking)"
            } else {
                ""
            };
            eprintln!(
                "metrics-push: final push of job `{}` failed{during}: {error}",
                self.key.job()
            );
        }
    }
}
