//! A tower layer recording HTTP RED metrics (rate, errors, duration) for an axum app.
//!
//! Every label is bounded: the route is axum's matched route *template* (`/users/{id}`, never `/users/42`), or
//! [`UNMATCHED_ROUTE`] when no route matched; the method is a closed set with `other` for anything else; the
//! status is its class (`2xx`). No string the client controls ever becomes a label value (CVE-2022-21698).
//!
//! Every other naming scheme (names, namespace, buckets, the status label's name and granularity, labels from
//! request extensions such as a `model`) records into the application's own families through [`RecordRequest`],
//! with the same route and method rules.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::extract::MatchedPath;
use axum::http::{Extensions, HeaderMap, Method, Request, Response, Uri};
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
/// `http_server_requests_in_flight` for every request of the service it wraps, or, with
/// [`HttpMetricsLayer::recorder`], whatever your own [`RecordRequest`] records.
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
///     .layer(HttpMetricsLayer::new().unmatched_route("no_route"));
/// ```
///
/// At most 64 distinct route templates are tracked by the built-in families; more go to the `__overflow__` route,
/// as with every bounded label.
#[derive(Debug, Clone, Copy)]
pub struct HttpMetricsLayer<R = BuiltIn> {
    recorder: R,
    unmatched: &'static str,
}

impl Default for HttpMetricsLayer {
    fn default() -> Self {
        Self::new()
    }
}

impl HttpMetricsLayer {
    /// The layer, recording into the built-in families.
    pub const fn new() -> Self {
        Self {
            recorder: BuiltIn,
            unmatched: UNMATCHED_ROUTE,
        }
    }
}

impl<R> HttpMetricsLayer<R> {
    /// What the route of a request no route matched is called ([`UNMATCHED_ROUTE`] by default).
    #[must_use]
    pub const fn unmatched_route(mut self, name: &'static str) -> Self {
        self.unmatched = name;
        self
    }

    /// Records every request with `recorder` instead of into the built-in families: your own families, names,
    /// buckets, status granularity and extra labels.
    ///
    /// ```
    /// use axum::{Router, routing::get};
    /// use metrics_core::{BoundedStr, HttpMethod, StatusClass, metrics};
    /// use metrics_http::{Finished, HttpMetricsLayer, RecordRequest, RequestHead};
    ///
    /// metrics! {
    ///     namespace = "codex";
    ///     /// HTTP requests by route, method and status family.
    ///     pub counter http_requests_total {
    ///         route: BoundedStr<8>, method: HttpMethod, status_family: StatusClass, model: BoundedStr<4>,
    ///         budget = 5000,
    ///     }
    /// }
    ///
    /// /// The model a handler serves, put in the request's extensions by an earlier layer.
    /// #[derive(Clone)]
    /// struct Model(&'static str);
    ///
    /// #[derive(Clone)]
    /// struct Codex;
    ///
    /// impl RecordRequest for Codex {
    ///     type Extracted = &'static str;
    ///     fn extract(&self, head: &RequestHead<'_>) -> &'static str {
    ///         head.extensions.get::<Model>().map_or("none", |model| model.0)
    ///     }
    ///     fn finish(&self, done: &Finished<'_>, model: &'static str) {
    ///         HTTP_REQUESTS_TOTAL.labels(done.route, done.method, done.status_class, model).inc();
    ///     }
    /// }
    ///
    /// let app: Router = Router::new()
    ///     .route("/v1/chat", get(|| async { "ok" }))
    ///     .layer(HttpMetricsLayer::new().recorder(Codex));
    /// ```
    pub fn recorder<T: RecordRequest>(self, recorder: T) -> HttpMetricsLayer<T> {
        HttpMetricsLayer {
            recorder,
            unmatched: self.unmatched,
        }
    }
}

/// What a request looks like before it is handled: where a [`RecordRequest`] reads extra label values from.
#[derive(Debug)]
#[non_exhaustive]
pub struct RequestHead<'a> {
    /// The matched route template, or the layer's unmatched-route name.
    pub route: &'a str,
    /// The method, as a closed set.
    pub method: HttpMethod,
    /// The method as sent.
    pub raw_method: &'a Method,
    /// The URI as sent: never a label value as it is (the client controls it).
    pub uri: &'a Uri,
    /// The request headers (client-controlled: map them to a closed set before using one as a label).
    pub headers: &'a HeaderMap,
    /// The request extensions, where earlier layers and extractors leave typed values (a `model`, a tenant).
    pub extensions: &'a Extensions,
}

/// A request answered (or failed), as a [`RecordRequest`] records it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Finished<'a> {
    /// The matched route template, or the layer's unmatched-route name.
    pub route: &'a str,
    /// The method, as a closed set.
    pub method: HttpMethod,
    /// The response status code; `None` when the service failed without a response.
    pub status: Option<u16>,
    /// The status class (`5xx` for a service error without a response).
    pub status_class: StatusClass,
    /// From receiving the request to the response head.
    pub elapsed: Duration,
}

/// Records HTTP requests into the application's own families (see [`HttpMetricsLayer::recorder`]).
pub trait RecordRequest: Clone + Send + Sync + 'static {
    /// What [`extract`](Self::extract) reads before the request is handled and [`finish`](Self::finish) gets back:
    /// label values from extensions, or an in-flight guard (`GAUGE.track_inflight()`), which is dropped when
    /// the request ends however it ends.
    type Extracted: Send + 'static;

    /// Reads what the recording needs from the request before it is handled.
    fn extract(&self, head: &RequestHead<'_>) -> Self::Extracted;

    /// Records the finished request. Not called when the request is cancelled (the client went away).
    fn finish(&self, finished: &Finished<'_>, extracted: Self::Extracted);
}

/// The built-in families: `http_server_requests_total`, `http_server_request_duration_seconds` and
/// `http_server_requests_in_flight`.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuiltIn;

impl RecordRequest for BuiltIn {
    type Extracted = metrics_core::InflightGuard<'static>;

    fn extract(&self, _: &RequestHead<'_>) -> Self::Extracted {
        HTTP_SERVER_REQUESTS_IN_FLIGHT.track_inflight()
    }

    fn finish(&self, finished: &Finished<'_>, _: Self::Extracted) {
        let (route, method, status) = (finished.route, finished.method, finished.status_class);
        HTTP_SERVER_REQUESTS_TOTAL
            .labels(route, method, status)
            .inc();
        HTTP_SERVER_REQUEST_DURATION_SECONDS
            .labels(route, method, status)
            .observe_duration(finished.elapsed);
    }
}

impl<S, R: Clone> Layer<S> for HttpMetricsLayer<R> {
    type Service = HttpMetrics<S, R>;

    fn layer(&self, inner: S) -> Self::Service {
        HttpMetrics {
            inner,
            recorder: self.recorder.clone(),
            unmatched: self.unmatched,
        }
    }
}

/// The service [`HttpMetricsLayer`] wraps around an inner service.
#[derive(Debug, Clone)]
pub struct HttpMetrics<S, R = BuiltIn> {
    inner: S,
    recorder: R,
    unmatched: &'static str,
}

impl<S, R, ReqBody, ResBody> Service<Request<ReqBody>> for HttpMetrics<S, R>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    S::Future: Send + 'static,
    R: RecordRequest,
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
        let unmatched = self.unmatched;
        let extracted = self.recorder.extract(&RequestHead {
            route: route.as_ref().map_or(unmatched, MatchedPath::as_str),
            method,
            raw_method: request.method(),
            uri: request.uri(),
            headers: request.headers(),
            extensions: request.extensions(),
        });
        let recorder = self.recorder.clone();
        let start = Instant::now();
        let response = self.inner.call(request);
        Box::pin(async move {
            // Moved in, so a cancelled request (client gone) still drops what `extract` took (in-flight guards).
            let extracted = extracted;
            let result = response.await;
            let status = result
                .as_ref()
                .ok()
                .map(|response| response.status().as_u16());
            let finished = Finished {
                route: route.as_ref().map_or(unmatched, MatchedPath::as_str),
                method,
                status,
                status_class: status.map_or(StatusClass::ServerError, StatusClass::from_code),
                elapsed: start.elapsed(),
            };
            recorder.finish(&finished, extracted);
            result
        })
    }
}
