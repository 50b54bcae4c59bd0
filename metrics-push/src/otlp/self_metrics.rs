//! The exporter's own metrics, declared like any user's: they land in the global registry, so they are
//! exported (and scraped) with everything else.

use metrics_core::{Family, LabelValue, metrics};

/// Why one attempt to export failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum ExportFailure {
    /// No connection could be made (the collector is down or unreachable).
    Connect,
    /// The attempt did not finish within the timeout.
    Timeout,
    /// The collector asked to slow down (HTTP 429, gRPC `RESOURCE_EXHAUSTED`).
    Throttled,
    /// The collector is temporarily unable to accept (HTTP 502/503/504, gRPC `UNAVAILABLE` and the other
    /// retryable codes).
    Unavailable,
    /// The collector refused the request for good (any other error status); retrying would not help.
    Rejected,
    /// The reply could not be understood.
    Protocol,
}

/// Whether an export (with its retries) delivered the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum ExportOutcome {
    /// Accepted (possibly in part: see `metrics_push_otlp_rejected_data_points_total`).
    Success,
    /// Not delivered; the next export carries the same totals.
    Failure,
}

metrics! {
    namespace = "metrics_push_otlp";

    /// OTLP exports finished, by outcome (each may have taken several attempts).
    pub counter exports_total { outcome: ExportOutcome }

    /// OTLP export attempts that failed, by reason.
    pub counter export_failures_total { reason: ExportFailure }

    /// Data points the collector reported as rejected in partial-success replies.
    pub counter rejected_data_points_total;

    /// Time one OTLP export took, retries included.
    pub histogram export_duration_seconds {
        buckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0],
    }
}

/// The exporter's self-metric families, for registering into an explicitly built registry (the global one finds
/// them by itself).
pub fn families() -> [&'static dyn Family; 4] {
    [
        &EXPORTS_TOTAL,
        &EXPORT_FAILURES_TOTAL,
        &REJECTED_DATA_POINTS_TOTAL,
        &EXPORT_DURATION_SECONDS,
    ]
}
