//! OpenMetrics treats a histogram's sum as a counter: it may never go negative. A histogram whose bounds are all
//! non-negative refuses negative observations; one declared with a negative bound accepts them and omits `_sum`
//! and `_count` (which OpenMetrics ties to `_sum`) from OpenMetrics, but keeps both in 0.0.4, which has no such rule.

use metrics_core::{Format, Registry, metrics};
use tests::{PythonParser, python_parse, require_python_prometheus_client};

metrics! {
    /// Wait before a job started.
    pub histogram sign_wait_seconds { buckets = [0.5, 1.0] }

    /// Change of a temperature reading.
    pub histogram sign_temperature_delta_celsius { buckets = [-1.0, 0.0, 1.0] }
}

fn exposition(format: Format) -> String {
    Registry::builder()
        .register(&SIGN_WAIT_SECONDS)
        .register(&SIGN_TEMPERATURE_DELTA_CELSIUS)
        .build()
        .expect("valid registry")
        .encode_to_string(format)
        .expect("no external sources")
}

#[test]
fn negative_values_are_refused_or_kept_by_the_bounds_and_the_output_stays_valid() {
    assert!(SIGN_WAIT_SECONDS.observe(0.7));
    assert!(
        !SIGN_WAIT_SECONDS.observe(-0.1),
        "a non-negative histogram refuses a negative value"
    );
    assert!(!SIGN_WAIT_SECONDS.observe(f64::NAN));
    assert!(SIGN_TEMPERATURE_DELTA_CELSIUS.observe(-3.5));
    assert!(SIGN_TEMPERATURE_DELTA_CELSIUS.observe(0.5));
    assert_eq!(SIGN_WAIT_SECONDS.count(), 1);
    assert_eq!(SIGN_TEMPERATURE_DELTA_CELSIUS.sum(), -3.0);

    let openmetrics = exposition(Format::OpenMetrics);
    assert!(
        openmetrics.contains("sign_wait_seconds_sum 0.7\n"),
        "{openmetrics}"
    );
    assert!(
        !openmetrics.contains("sign_temperature_delta_celsius_sum"),
        "{openmetrics}"
    );
    assert!(
        openmetrics.contains("sign_temperature_delta_celsius_bucket{le=\"-1.0\"} 1\n"),
        "{openmetrics}"
    );
    assert!(
        !openmetrics.contains("sign_temperature_delta_celsius_count"),
        "{openmetrics}"
    );
    assert!(
        openmetrics.contains("sign_temperature_delta_celsius_bucket{le=\"+Inf\"} 2\n"),
        "{openmetrics}"
    );

    let text = exposition(Format::Text004);
    assert!(
        text.contains("sign_temperature_delta_celsius_sum -3.0\n"),
        "{text}"
    );
    assert!(
        text.contains("sign_temperature_delta_celsius_count 2\n"),
        "{text}"
    );

    if require_python_prometheus_client() {
        let families = python_parse(&openmetrics, PythonParser::OpenMetrics)
            .expect("the strict parser accepts it");
        let delta = families
            .iter()
            .find(|f| f.name == "sign_temperature_delta_celsius")
            .expect("parsed");
        let inf = delta
            .samples
            .iter()
            .find(|s| s.labels.get("le").is_some_and(|le| le == "+Inf"))
            .expect("+Inf bucket");
        assert_eq!(inf.value, 2.0);
    }
}
