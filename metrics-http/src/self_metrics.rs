//! The server's own metrics, declared with the project's DSL like any user's: they register themselves into
//! [`Registry::global`](metrics_core::Registry::global) and appear in its exposition.
//!
//! No label value here ever comes from the request: formats, status classes and reasons are closed enums.

use metrics_core::{Family, Format, LabelValue, StatusClass, metrics};

/// The exposition format a scrape was answered with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
pub enum ScrapeFormat {
    /// Prometheus text 0.0.4.
    #[metrics(rename = "text-0.0.4")]
    Text004,
    /// OpenMetrics 1.0.0.
    #[metrics(rename = "openmetrics-1.0.0")]
    OpenMetrics,
}

impl From<Format> for ScrapeFormat {
    fn from(format: Format) -> Self {
        match format {
            Format::Text004 => Self::Text004,
            Format::OpenMetrics => Self::OpenMetrics,
        }
    }
}

/// Why a request was refused before (or instead of) being answered normally.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum RejectReason {
    /// The peer is not on loopback and remote access is not allowed (403).
    NotLoopback,
    /// The bearer token was missing or wrong (401).
    Unauthorized,
    /// The cap on concurrent scrapes was reached (503).
    TooManyScrapes,
    /// The request did not finish within its deadline (503).
    Timeout,
    /// A method other than GET or HEAD (405).
    MethodNotAllowed,
    /// The client started a request but did not finish its headers in time; the connection was closed. (An idle
    /// keep-alive connection closed at the same timeout is not a refusal and is not counted.)
    HeaderTimeout,
    /// The request named a `Host` the server does not answer for (421; DNS-rebinding defence).
    MisdirectedHost,
    /// The cap on open connections was reached; the new connection got 503 and was closed.
    TooManyConnections,
    /// A response was not written to the client within the write timeout; the connection was closed.
    WriteTimeout,
}

metrics! {
    namespace = "metrics_http";

    /// Scrapes of /metrics answered, by exposition format and status class.
    pub counter scrapes_total { format: ScrapeFormat, status: StatusClass }

    /// Time spent encoding (and compressing) the exposition of one scrape.
    pub histogram scrape_encode_duration_seconds {
        format: ScrapeFormat,
        buckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0],
    }

    /// Scrapes of /metrics being answered now.
    pub gauge scrapes_in_flight;

    /// Requests to the metrics endpoints refused or cut short, by reason.
    pub counter rejected_requests_total { reason: RejectReason }
}

/// The server's self-metric families and the HTTP RED families of [`HttpMetricsLayer`](crate::HttpMetricsLayer),
/// for registering into an explicitly built registry (the global one finds them by itself).
///
/// ```
/// let mut builder = metrics_core::Registry::builder();
/// for family in metrics_http::families() {
///     builder = builder.register(family);
/// }
/// let text = builder.build().unwrap().encode_to_string(metrics_core::Format::Text004).unwrap();
/// assert!(text.contains("# TYPE metrics_http_scrapes_total counter"));
/// ```
pub fn families() -> [&'static dyn Family; 7] {
    [
        &SCRAPES_TOTAL,
        &SCRAPE_ENCODE_DURATION_SECONDS,
        &SCRAPES_IN_FLIGHT,
        &REJECTED_REQUESTS_TOTAL,
        &crate::layer::HTTP_SERVER_REQUESTS_TOTAL,
        &crate::layer::HTTP_SERVER_REQUEST_DURATION_SECONDS,
        &crate::layer::HTTP_SERVER_REQUESTS_IN_FLIGHT,
    ]
}

/// Counts one refused request.
pub(crate) fn reject(reason: RejectReason) {
    REJECTED_REQUESTS_TOTAL.labels(reason).inc();
}
