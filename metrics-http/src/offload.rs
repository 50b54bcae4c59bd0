//! The one path of every endpoint that reads the registry: resolve it, run the request's CPU work (encoding,
//! summaries) off the async workers under the scrape cap and the request deadline, and turn each outcome into an
//! answer.

use std::convert::Infallible;
use std::fmt::Display;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::header::RETRY_AFTER;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use metrics_core::Registry;

use crate::guard::timeout::request_deadline;
use crate::self_metrics::{RejectReason, reject};
use crate::state::Shared;

/// Extracts what a handler needs to offload its work: the router's state and the request's deadline. The
/// handler then answers with [`Offload::answer`].
#[derive(Debug)]
pub(crate) struct Offload {
    shared: Arc<Shared>,
    deadline: Duration,
}

impl FromRequestParts<Arc<Shared>> for Offload {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        shared: &Arc<Shared>,
    ) -> Result<Self, Infallible> {
        Ok(Self {
            deadline: request_deadline(
                &parts.headers,
                shared.config.request_timeout,
                shared.config.scrape_timeout_offset,
            ),
            shared: Arc::clone(shared),
        })
    }
}

/// Why the work itself gave no answer: the status to answer with, and what went wrong.
#[derive(Debug)]
pub(crate) struct Failure {
    status: StatusCode,
    message: String,
}

impl Failure {
    /// A failure on the server's side (500).
    pub(crate) fn internal(message: impl Display) -> Self {
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: message.to_string(),
        }
    }

    /// A request that asks for something that does not exist (400).
    pub(crate) fn bad_request(message: String) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            message,
        }
    }
}

/// Why offloaded work gave no result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    /// The cap on concurrent scrapes was reached.
    Busy,
    /// The deadline (this long) passed first.
    TimedOut(Duration),
    /// The work panicked (a hand-written family's `collect`, say).
    Failed,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Self::Busy => unavailable("too many concurrent scrapes\n", 1),
            // The timed-out work still holds its permit until it ends: retrying before about as long again
            // would most likely find the cap reached.
            Self::TimedOut(deadline) => unavailable(
                "the request timed out\n",
                deadline.as_secs() + u64::from(deadline.subsec_nanos() > 0),
            ),
            Self::Failed => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error while collecting metrics\n",
            )
                .into_response(),
        }
    }
}

/// A 503 with `Retry-After: seconds` (at least 1), so that well-behaved clients back off instead of retrying at
/// once.
pub(crate) fn unavailable(text: &'static str, seconds: u64) -> Response {
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, text).into_response();
    response
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from(seconds.max(1)));
    response
}

impl Offload {
    /// The answer of `work` over the served registry; an invalid registry and a failure of the work are written
    /// by `error` in the endpoint's own style (text or JSON).
    pub(crate) async fn answer<T: IntoResponse + Send + 'static>(
        self,
        error: fn(StatusCode, String) -> Response,
        work: impl FnOnce(&Shared, &'static Registry) -> Result<T, Failure> + Send + 'static,
    ) -> Response {
        let registry = match self.shared.config.resolve_registry() {
            Ok(registry) => registry,
            // An invalid schema is a bug to fix, not a reason to crash the process: say what is wrong.
            Err(problem) => return error(StatusCode::INTERNAL_SERVER_ERROR, problem.to_string()),
        };
        let shared = Arc::clone(&self.shared);
        match self.run(move || work(&shared, registry)).await {
            Ok(Ok(answer)) => answer.into_response(),
            Ok(Err(failure)) => error(failure.status, failure.message),
            Err(refusal) => refusal.into_response(),
        }
    }

    /// Runs `work` on the blocking pool if a scrape permit is free, and waits for it until the request's
    /// deadline.
    ///
    /// The work is synchronous; on the blocking pool it cannot stall other connections, and the deadline can
    /// answer 503 while it runs. The permit travels with the work, so work still running after its deadline keeps
    /// counting against the cap: a stuck family cannot pile up threads.
    async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Refusal> {
        let Some(permit) = self.shared.limiter.try_acquire() else {
            reject(RejectReason::TooManyScrapes);
            return Err(Refusal::Busy);
        };
        let task = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        });
        match tokio::time::timeout(self.deadline, task).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(_)) => Err(Refusal::Failed),
            Err(_) => {
                reject(RejectReason::Timeout);
                Err(Refusal::TimedOut(self.deadline))
            }
        }
    }
}
