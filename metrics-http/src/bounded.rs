//! Runs a request's CPU work (encoding, summaries) off the async threads, under the scrape cap and the request
//! deadline.

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::guard::timeout::request_deadline;
use crate::self_metrics::{RejectReason, reject};
use crate::state::Shared;

/// Why bounded work gave no result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The cap on concurrent scrapes was reached.
    Busy,
    /// The deadline passed first.
    TimedOut,
    /// The work panicked (a hand-written family's `collect`, say).
    Failed,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let (status, text) = match self {
            Self::Busy => (
                StatusCode::SERVICE_UNAVAILABLE,
                "too many concurrent scrapes\n",
            ),
            Self::TimedOut => (StatusCode::SERVICE_UNAVAILABLE, "the request timed out\n"),
            Self::Failed => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error while collecting metrics\n",
            ),
        };
        (status, text).into_response()
    }
}

/// Runs `work` on the blocking pool if a scrape permit is free, and waits for it until the request's deadline.
///
/// Encoding is synchronous; on the blocking pool it cannot stall other connections, and the deadline can answer
/// 503 while it runs. The permit travels with the work, so work still running after its deadline keeps counting
/// against the cap: a stuck family cannot pile up threads.
pub(crate) async fn run<T: Send + 'static>(
    shared: &Shared,
    headers: &HeaderMap,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Refusal> {
    let Some(permit) = shared.limiter.try_acquire() else {
        reject(RejectReason::TooManyScrapes);
        return Err(Refusal::Busy);
    };
    let deadline = request_deadline(
        headers,
        shared.config.request_timeout,
        shared.config.scrape_timeout_offset,
    );
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    });
    match tokio::time::timeout(deadline, task).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(_)) => Err(Refusal::Failed),
        Err(_) => {
            reject(RejectReason::Timeout);
            Err(Refusal::TimedOut)
        }
    }
}
