//! The bridge driven by the facade's own macros, from this crate and from `fixture-facade`, read back through a
//! registry as Prometheus would.

use metrics_core::{Format, Registry, metrics};
use metrics_facade::{Bridge, Reason};

metrics! {
    /// A family of ours the facade must not shadow.
    counter facade_test_declared_total;
}

fn scrape(bridge: Bridge, format: Format) -> String {
    Registry::builder()
        .register(&FACADE_TEST_DECLARED_TOTAL)
        .external(bridge.source())
        .build()
        .expect("a valid registry")
        .encode_to_string(format)
        .expect("the facade encodes")
}

fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .map(|v| v.parse().expect("a number"))
}

#[test]
fn macros_from_two_crates_land_in_our_families() {
    let bridge = Bridge::builder().build();
    metrics::with_local_recorder(&bridge, || {
        fixture_facade::record_fetch("disk", 0.3, 4.0);
        fixture_facade::record_fetch("disk", 3.0, 2.0);
        fixture_facade::record_fetch("net", 0.01, 1.0);
        metrics::counter!("facade_test_jobs_total", "kind" => "email").increment(40);
        let held = metrics::counter!("facade_test_jobs_total", "kind" => "email");
        held.increment(2);
        metrics::gauge!("facade_test_temperature").set(21.5);
        metrics::gauge!("facade_test_temperature").decrement(1.5);
        metrics::histogram!("facade_test_latency_seconds").record(0.2);
    });
    let text = scrape(bridge, Format::Text004);
    assert_eq!(
        value(&text, "facade_test_jobs_total{kind=\"email\"}"),
        Some(42.0),
        "{text}"
    );
    assert_eq!(value(&text, "facade_test_temperature"), Some(20.0));
    assert_eq!(
        value(&text, "fixture_fetches_total{source=\"disk\"}"),
        Some(2.0)
    );
    assert_eq!(
        value(&text, "fixture_fetches_total{source=\"net\"}"),
        Some(1.0)
    );
    assert_eq!(value(&text, "fixture_queue_length"), Some(1.0));
    // `fixture.fetch.duration_seconds` is rewritten, and gets the latency buckets.
    assert_eq!(
        value(
            &text,
            "fixture_fetch_duration_seconds_bucket{source=\"disk\",le=\"0.5\"}"
        ),
        Some(1.0)
    );
    assert_eq!(
        value(
            &text,
            "fixture_fetch_duration_seconds_bucket{source=\"disk\",le=\"+Inf\"}"
        ),
        Some(2.0)
    );
    assert_eq!(
        value(&text, "fixture_fetch_duration_seconds_sum{source=\"disk\"}"),
        Some(3.3)
    );
    assert_eq!(value(&text, "facade_test_latency_seconds_count"), Some(1.0));
    assert!(
        text.contains("# HELP fixture_fetches_total Fetches made by the fixture library.\n"),
        "{text}"
    );
    assert!(text.contains("# TYPE fixture_fetches_total counter\n"));
    assert!(text.contains("# HELP facade_test_temperature Recorded through the metrics facade.\n"));
    assert!(value(&text, "metrics_facade_sanitised_total").unwrap() >= 1.0);
    assert_eq!(
        value(&text, "metrics_facade_refused_total{reason=\"clash\"}"),
        Some(0.0)
    );
    // Our own family is still there, once.
    assert_eq!(
        text.matches("# TYPE facade_test_declared_total counter")
            .count(),
        1
    );

    let open = scrape(bridge, Format::OpenMetrics);
    assert_eq!(open.matches("# EOF\n").count(), 1, "{open}");
    assert!(open.ends_with("# EOF\n"));
    assert!(open.contains("# TYPE fixture_fetches counter\n"));
}

#[test]
fn invalid_input_is_refused_or_rewritten_and_counted() {
    let bridge = Bridge::builder().build();
    metrics::with_local_recorder(&bridge, || {
        metrics::counter!("").increment(1);
        metrics::counter!("facade_test_bad_label", "__reserved" => "x").increment(1);
        metrics::counter!("facade_test_empty_value", "kind" => "").increment(1);
        metrics::counter!("facade_test_kinds").increment(1);
        metrics::gauge!("facade_test_kinds_total").set(1.0);
        metrics::counter!("facade_test_labels", "a" => "1").increment(1);
        metrics::counter!("facade_test_labels", "b" => "1").increment(1);
        // Shadows our declared family: refused, so it is never served twice.
        metrics::counter!("facade_test_declared_total").increment(1);
        metrics::histogram!("facade_test_nan").record(f64::NAN);
        metrics::histogram!("facade_test_nan").record(-1.0);
        metrics::counter!("facade_test_value", "text" => "two\nlines").increment(5);
        metrics::counter!("facade_test_value", "text" => "two\nlines").absolute(1);
    });
    assert_eq!(bridge.refused(Reason::InvalidName), 2);
    assert_eq!(bridge.refused(Reason::InvalidLabelValue), 1);
    assert_eq!(bridge.refused(Reason::KindMismatch), 1);
    assert_eq!(bridge.refused(Reason::LabelMismatch), 1);
    assert_eq!(bridge.refused(Reason::Clash), 1);
    assert_eq!(bridge.refused(Reason::InvalidValue), 2);
    let text = scrape(bridge, Format::Text004);
    assert_eq!(
        value(
            &text,
            "metrics_facade_refused_total{reason=\"invalid_name\"}"
        ),
        Some(2.0)
    );
    assert_eq!(
        value(&text, "facade_test_value_total{text=\"two_lines\"}"),
        Some(5.0),
        "absolute never lowers"
    );
    assert_eq!(value(&text, "facade_test_declared_total"), Some(0.0));
    assert_eq!(value(&text, "facade_test_nan_count"), Some(0.0));
}

#[test]
fn each_family_is_capped_with_an_overflow_series() {
    let bridge = Bridge::builder().max_series_per_family(3).build();
    metrics::with_local_recorder(&bridge, || {
        for tenant in ["a", "b", "c", "d", "e"] {
            metrics::counter!("facade_test_tenant_requests_total", "tenant" => tenant, "code" => "200").increment(1);
        }
        metrics::counter!("facade_test_tenant_requests_total", "code" => "200", "tenant" => "a")
            .increment(1);
    });
    let text = scrape(bridge, Format::Text004);
    // Label order is the first registration's, whatever order later keys list them in.
    assert_eq!(
        value(
            &text,
            "facade_test_tenant_requests_total{tenant=\"a\",code=\"200\"}"
        ),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        value(
            &text,
            "facade_test_tenant_requests_total{tenant=\"c\",code=\"200\"}"
        ),
        Some(1.0)
    );
    assert_eq!(
        value(
            &text,
            "facade_test_tenant_requests_total{tenant=\"d\",code=\"200\"}"
        ),
        None
    );
    assert_eq!(
        value(
            &text,
            "facade_test_tenant_requests_total{tenant=\"__overflow__\",code=\"__overflow__\"}"
        ),
        Some(2.0)
    );
    assert_eq!(
        value(
            &text,
            "metrics_facade_overflow_total{family=\"facade_test_tenant_requests_total\"}"
        ),
        Some(2.0)
    );
}

#[test]
fn buckets_are_configurable_and_families_capped() {
    static SIZES: [f64; 3] = [1.0, 10.0, 100.0];
    assert!(Bridge::builder().buckets(&[2.0, 1.0]).is_err());
    let bridge = Bridge::builder()
        .buckets_for("facade_test_sizes", &SIZES)
        .unwrap()
        .max_families(2)
        .build();
    metrics::with_local_recorder(&bridge, || {
        metrics::histogram!("facade_test_sizes").record(5.0);
        metrics::histogram!("facade_test_latencies").record(5.0);
        metrics::gauge!("facade_test_third").set(1.0);
    });
    let text = scrape(bridge, Format::Text004);
    assert_eq!(
        value(&text, "facade_test_sizes_bucket{le=\"10.0\"}"),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        value(&text, "facade_test_latencies_bucket{le=\"5.0\"}"),
        Some(1.0)
    );
    assert_eq!(
        value(&text, "facade_test_latencies_bucket{le=\"20.0\"}"),
        Some(1.0)
    );
    assert_eq!(bridge.refused(Reason::TooManyFamilies), 1);
    assert_eq!(value(&text, "facade_test_third"), None);
}

#[test]
fn a_late_description_becomes_the_help() {
    let bridge = Bridge::builder().build();
    metrics::with_local_recorder(&bridge, || {
        metrics::gauge!("facade_test_described_late").set(1.0);
        assert!(
            scrape(bridge, Format::Text004).contains("# HELP facade_test_described_late Recorded")
        );
        metrics::describe_gauge!("facade_test_described_late", "Described after first use.");
    });
    let text = scrape(bridge, Format::Text004);
    assert!(
        text.contains("# HELP facade_test_described_late Described after first use.\n"),
        "{text}"
    );
}

#[test]
fn the_installed_recorder_serves_calls_from_any_thread() {
    let bridge = Bridge::builder().install().expect("the first recorder");
    std::thread::spawn(|| fixture_facade::record_fetch("thread", 0.1, 0.0))
        .join()
        .unwrap();
    let text = scrape(bridge, Format::Text004);
    assert_eq!(
        value(&text, "fixture_fetches_total{source=\"thread\"}"),
        Some(1.0),
        "{text}"
    );
}
