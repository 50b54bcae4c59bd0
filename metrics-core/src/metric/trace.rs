//! The current `tracing` span's OpenTelemetry trace, as exemplar labels (feature `tracing`).

use opentelemetry::trace::TraceContextExt as _;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;

/// Calls `f` with `trace_id` and `span_id` (lowercase hex, as trace backends write them) when the current span
/// carries a valid OpenTelemetry span context; does nothing outside a span or without the OpenTelemetry layer.
#[inline]
pub(crate) fn with_current(f: impl FnOnce(&[(&str, &str)])) {
    let span = tracing::Span::current();
    if span.is_none() {
        return;
    }
    let context = span.context();
    let otel = context.span();
    let ids = otel.span_context();
    if !ids.is_valid() {
        return;
    }
    let mut trace = [0u8; 32];
    let mut span_id = [0u8; 16];
    let (Some(trace), Some(span_id)) = (
        hex(&ids.trace_id().to_bytes(), &mut trace),
        hex(&ids.span_id().to_bytes(), &mut span_id),
    ) else {
        return;
    };
    f(&[("trace_id", trace), ("span_id", span_id)]);
}

/// `bytes` as lowercase hex in `out` (twice as long).
fn hex<'o>(bytes: &[u8], out: &'o mut [u8]) -> Option<&'o str> {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for (byte, pair) in bytes.iter().zip(out.chunks_exact_mut(2)) {
        pair[0] = DIGITS[usize::from(byte >> 4)];
        pair[1] = DIGITS[usize::from(byte & 0xf)];
    }
    std::str::from_utf8(out).ok()
}
