//! The cap on concurrent scrapes: a request that would exceed it is answered 503 at once, never queued.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Hands out at most `cap` scrape permits at a time.
#[derive(Debug, Clone)]
pub(crate) struct ScrapeLimiter {
    permits: Arc<Semaphore>,
}

impl ScrapeLimiter {
    /// A limiter allowing `cap` concurrent scrapes.
    pub(crate) fn new(cap: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(cap)),
        }
    }

    /// A permit, or `None` when `cap` scrapes are already running.
    ///
    /// Queueing would only make every waiting scrape late; Prometheus retries at the next interval anyway. The
    /// permit is moved into the encoding work, so a scrape that timed out still counts until its work finishes.
    pub(crate) fn try_acquire(&self) -> Option<OwnedSemaphorePermit> {
        Arc::clone(&self.permits).try_acquire_owned().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_plus_one_is_refused_until_a_permit_returns() {
        let limiter = ScrapeLimiter::new(2);
        let first = limiter.try_acquire().expect("first");
        let _second = limiter.try_acquire().expect("second");
        assert!(
            limiter.try_acquire().is_none(),
            "the third concurrent scrape is refused"
        );
        drop(first);
        assert!(
            limiter.try_acquire().is_some(),
            "a returned permit can be reused"
        );
    }
}
