//! Each library's own way to write its exposition text, as its documentation shows: what scenario F times, and
//! what the tests of every scenario read counts back from.

use measured::metric::MetricFamilyEncoding;
use measured::metric::name::MetricName;
use measured::text::BufferedTextEncoder;

/// Our registry in `format`, appended to `out`.
pub(crate) fn ours(
    registry: &metrics_core::Registry,
    format: metrics_core::Format,
    out: &mut String,
) {
    registry
        .encode(format, out)
        .expect("no external source, so encoding cannot fail");
}

/// prometheus-client's OpenMetrics text, appended to `out`.
pub(crate) fn prometheus_client(
    registry: &prometheus_client::registry::Registry,
    out: &mut String,
) {
    prometheus_client::encoding::text::encode(out, registry)
        .expect("writing to a String cannot fail");
}

/// prometheus' (tikv) text 0.0.4: gather every family into its data model, then encode, appended to `out`.
pub(crate) fn prometheus(registry: &prometheus::Registry, out: &mut String) {
    prometheus::TextEncoder::new()
        .encode_utf8(&registry.gather(), out)
        .expect("the registry's own families always encode");
}

/// fastmetrics' text in its default profile (OpenMetrics 1.0), appended to `out`.
pub(crate) fn fastmetrics(registry: &fastmetrics::registry::Registry, out: &mut String) {
    fastmetrics::format::text::encode(
        out,
        registry,
        fastmetrics::format::text::TextProfile::default(),
    )
    .expect("writing to a String cannot fail");
}

/// One measured metric or metric vec as a family named `name`, as text.
pub(crate) fn measured_family<M: MetricFamilyEncoding<BufferedTextEncoder>>(
    metric: &M,
    name: &'static str,
) -> String {
    let mut encoder = BufferedTextEncoder::new();
    let _ = metric.collect_family_into(MetricName::from_str(name), &mut encoder);
    text(&encoder.finish())
}

/// Encoder output as text; every library writes UTF-8.
pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("expositions are UTF-8")
}

/// A recorder of metrics with its scrape handle: each contender gets its own, never the global one, so no
/// scenario sees another's series.
pub(crate) fn metrics_recorder(
    builder: metrics_exporter_prometheus::PrometheusBuilder,
) -> (
    metrics_exporter_prometheus::PrometheusRecorder,
    metrics_exporter_prometheus::PrometheusHandle,
) {
    let recorder = builder.build_recorder();
    let handle = recorder.handle();
    (recorder, handle)
}

/// A bridge of the `metrics` facade into our families, with its own registry (not the global one, whose
/// families of the same name it would otherwise refuse as clashes), and how to read it.
pub(crate) fn facade_bridge() -> (metrics_facade::Bridge, impl Fn() -> String) {
    let bridge = metrics_facade::Bridge::builder()
        .check_global_registry(false)
        .build();
    let read = move || {
        let registry = metrics_core::Registry::builder()
            .external(bridge.source())
            .build()
            .expect("the bridge's own families are valid");
        let mut out = String::new();
        ours(&registry, metrics_core::Format::Text004, &mut out);
        out
    };
    (bridge, read)
}
