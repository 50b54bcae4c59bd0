//! Traced work: a latency histogram whose buckets each point at the trace of the latest request that landed in
//! them, so a dashboard's slow bucket links to a trace instead of a `correlation_id` label on every series.
//!
//! The histogram is declared with `exemplars = true`; metrics-core's `tracing` feature takes each observation's
//! exemplar from the current `tracing` span's OpenTelemetry trace. Run by `traced_work.rs`, and in-process by the
//! Prometheus end-to-end test.

use opentelemetry::trace::{TraceContextExt as _, TracerProvider as _};
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;
use tracing_subscriber::layer::SubscriberExt as _;

use metrics_core::{instrument_job, metrics};

metrics! {
    namespace = "traced";

    /// How long each traced request took; each bucket's exemplar is the trace of its latest request.
    pub histogram request_duration_seconds { buckets = latency, exemplars = true }
}

/// A subscriber whose spans carry OpenTelemetry trace ids. Trace export is left out: a program would add its
/// exporter to the provider; the ids, which are all the exemplars need, exist either way.
pub fn subscriber() -> (impl tracing::Subscriber + Send + Sync, SdkTracerProvider) {
    let provider = SdkTracerProvider::builder().build();
    let layer = tracing_opentelemetry::layer().with_tracer(provider.tracer("examples"));
    (tracing_subscriber::registry().with(layer), provider)
}

/// Handles one request of `seconds` inside its own span and records its duration; the bucket's exemplar becomes
/// this span's trace. Returns the trace id (lowercase hex), as a trace backend shows it.
#[tracing::instrument]
pub fn handle_request(seconds: f64) -> String {
    REQUEST_DURATION_SECONDS.observe(seconds);
    current_trace_id()
}

/// A background job measured by the attribute: with the `tracing` feature, the bucket of the run's duration in
/// `job_run_duration_seconds` carries the run's trace. `#[tracing::instrument]` comes second: the attribute
/// written first expands first and keeps the second on the function it returns, so the span encloses the
/// measurement and is current when it ends. Returns the trace id.
#[instrument_job]
#[tracing::instrument]
pub fn reindex() -> String {
    current_trace_id()
}

/// The current span's trace id, lowercase hex.
fn current_trace_id() -> String {
    tracing::Span::current()
        .context()
        .span()
        .span_context()
        .trace_id()
        .to_string()
}
