//! A tower layer recording HTTP RED metrics (rate, errors, duration) for an axum app.
//!
//! Every label is bounded: the route is axum's matched route *template* (`/users/{id}`, never `/users/42`), or
//! [`UNMATCHED_ROUTE`] when no route matched; the method is a closed set with `other` for anything else; the
//! status is its class (`2xx`). No string the client controls ever becomes a label value (CVE-2022-21698).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::MatchedPath;
use axum::http::{Request, Response};
use metrics_core::{BoundedStr, HttpMethod, StatusClass, metrics};
use tower::{Layer, Service};

/// The route label of requests no route matched (404s, and requests seen outside an axum router).
pub const UNMATCHED_ROUTE: &str = "unmatched";

metrics! {
    /// HTTP requests answered, by route template, method and status class.
    pub counter http_server_requests_total {
        route: BoundedStr<64>,
        method: HttpMethod,
        status: StatusClass,
        budget = 3250,
    }

    /// Time from receiving an HTTP request to sending its response head, by route template, method and status
    /// class.
    pub histogram http_server_request_duration_seconds {
        route: BoundedStr<64>,
        method: HttpMethod,
        status: StatusClass,
        buckets = prometheus_default,
        budget = 3250,
    }

    /// HTTP requests being handled now.
    pub gauge http_server_requests_in_flight;
}

/// Records `http_server_requests_total`, `http_server_request_duration_seconds` and
/// `http_server_requests_in_flight` for every request of the service it wraps.
///
/// Add it with [`Router::layer`](axum::Router::layer) *after* the routes, so it runs inside routing and sees the
/// matched route template:
///
/// ```
/// use axum::{Router, routing::get};
/// use metrics_http::HttpMetricsLayer;
///
/// let app: Router = Router::new()
///     .route("/users/{id}", get(|| async { "user" }))
///     .layer(HttpMetricsLayer::new());
/// ```
///
/// At most 64 distinct route templates are tracked; more go to the `__overflow__` route, as with every bounded
/// label.
#[derive(Debug, Clone, Copy, Default)]
pub struct HttpMetricsLayer {
    _private: (),
}

impl HttpMetricsLayer {
    /// The layer.
    pub const fn new() -> Self {
        Self { _private: () }
    }
}

impl<S> Layer<S> for HttpMetricsLayer {
    type Service = HttpMetrics<S>;

    fn layer(&self, inner: S) -> Self::Service {
        HttpMetrics { inner }
    }
}

/// The service [`HttpMetricsLayer`] wraps around an inner service.
#[derive(Debug, Clone)]
pub struct HttpMetrics<S> {
    inner: S,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for HttpMetrics<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        // Only the template axum matched, never the request's own path.
        let route = request.extensions().get::<MatchedPath>().cloned();
        let method = HttpMethod::from_method(request.method().as_str());
        let in_flight = HTTP_SERVER_REQUESTS_IN_FLIGHT.track_inflight();
        let start = Instant::now();
        let response = self.inner.call(request);
        Box::pin(async move {
            // Moved in, so a cancelled request (client gone) still brings the gauge back down.
            let _in_flight = in_flight;
            let result = response.await;
            let status = match &result {
                Ok(response) => StatusClass::from_code(response.status().as_u16()),
                Err(_) => StatusClass::ServerError,
            };
            let route = route.as_ref().map_or(UNMATCHED_ROUTE, MatchedPath::as_str);
            HTTP_SERVER_REQUESTS_TOTAL
                .labels(route, method, status)
                .inc();
            HTTP_SERVER_REQUEST_DURATION_SECONDS
                .labels(route, method, status)
                .observe_duration(start.elapsed());
            result
        })
    }
}
