//! The exposition read back by real tools: `promtool check metrics` lints the 0.0.4 text, and python
//! `prometheus_client`'s strict OpenMetrics parser and lenient 0.0.4 parser must read back exactly the values,
//! hostile label values and HELP text the test recorded.
//!
//! Expected samples are built from what the test recorded and from the bucket bounds written out by hand, never
//! from our encoder's text.
//!
//! The collectors of `metrics-collectors` and the families of the `metrics` facade bridge go through the same tools.

use std::process::Command;
use std::sync::OnceLock;

use metrics_core::{
    BoundedStr, Format, LabelValue, MetricKind, OVERFLOW_VALUE, Outcome, Registry, metrics,
};
use tests::{
    ParsedExemplar, ParsedFamily, ParsedSample, PythonParser, python_parse,
    require_python_prometheus_client, require_tool, run_with_stdin,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
enum ConformanceQueue {
    Default,
    Priority,
    #[metrics(rename = "a\"b\\c ü🚀")]
    Hostile,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
enum ConformanceBreaker {
    Closed,
    HalfOpen,
    Open,
}

metrics! {
    namespace = "conformance";

    /// Jobs claimed, by queue and outcome.
    counter claims_total { queue: ConformanceQueue, outcome: Outcome }

    /// Money spent on model calls, by model (at most four models).
    counter cost_usd_total: f64 { model: BoundedStr<4>, unit = usd }

    /// Jobs running now.
    gauge jobs_running;

    /// Share of memory that is free.
    gauge free_ratio: f64;

    /// Job latency by queue.
    histogram job_latency_seconds { queue: ConformanceQueue, buckets = latency }

    /// Payload sizes.
    histogram payload_bytes { buckets = [100.0, 1000.0, 100000.0, 1000000.0] }

    /// Build facts.
    info build_info { version: String, commit: String }

    /// Circuit breaker state per queue.
    stateset breaker: ConformanceBreaker { queue: ConformanceQueue }

    #[doc = "Help with a backslash \\ and \"quotes\" in Grüße,\nthen a second line."]
    gauge hostile_help;
}

/// The HELP of `conformance_hostile_help`, as written in its `#[doc]` above.
const HOSTILE_HELP_TEXT: &str =
    "Help with a backslash \\ and \"quotes\" in Grüße,\nthen a second line.";
const HOSTILE_VERSION: &str = "1.0 \"rc\"\\\nü";

const CLAIMS: [(ConformanceQueue, Outcome, u64); 3] = [
    (ConformanceQueue::Default, Outcome::Success, 5),
    (ConformanceQueue::Hostile, Outcome::Failure, 2),
    (ConformanceQueue::Hostile, Outcome::Success, 1),
];
/// Model names and costs; the fifth model is past the cap of four and goes to the overflow series.
const MODELS: [(&str, f64); 5] = [
    ("gpt \"4o\"", 0.25),
    ("back\\slash", 1.5),
    ("new\nline", 0.125),
    ("ü🦀 = {x}", 2.0),
    ("fifth-overflows", 0.5),
];
const LATENCY_OBSERVATIONS: [f64; 5] = [0.01, 0.05, 0.3, 7.5, 30.0];
/// The `latency` preset's bounds and their canonical `le` text, written out by hand.
const LATENCY_LE: [(f64, &str); 9] = [
    (0.05, "0.05"),
    (0.1, "0.1"),
    (0.25, "0.25"),
    (0.5, "0.5"),
    (1.0, "1.0"),
    (2.0, "2.0"),
    (5.0, "5.0"),
    (10.0, "10.0"),
    (20.0, "20.0"),
];
const PAYLOAD_OBSERVATIONS: [f64; 3] = [50.0, 2048.0, 5e6];
const PAYLOAD_LE: [(f64, &str); 4] = [
    (100.0, "100.0"),
    (1000.0, "1000.0"),
    (100_000.0, "100000.0"),
    (1e6, "1e+06"),
];
const BREAKERS: [(ConformanceQueue, ConformanceBreaker); 2] = [
    (ConformanceQueue::Priority, ConformanceBreaker::Open),
    (ConformanceQueue::Hostile, ConformanceBreaker::HalfOpen),
];

/// The registry of this file's families with every value recorded once, and the samples a parser must read.
fn recorded() -> &'static (Registry, Vec<ParsedSample>) {
    static RECORDED: OnceLock<(Registry, Vec<ParsedSample>)> = OnceLock::new();
    RECORDED.get_or_init(|| {
        for (queue, outcome, count) in CLAIMS {
            CLAIMS_TOTAL.labels(queue, outcome).inc_by(count);
        }
        for (model, usd) in MODELS {
            assert!(COST_USD_TOTAL.labels(model).inc_by(usd));
        }
        JOBS_RUNNING.set(4);
        FREE_RATIO.set(0.75);
        for seconds in LATENCY_OBSERVATIONS {
            JOB_LATENCY_SECONDS
                .labels(ConformanceQueue::Default)
                .observe(seconds);
        }
        for bytes in PAYLOAD_OBSERVATIONS {
            PAYLOAD_BYTES.observe(bytes);
        }
        BUILD_INFO.set(BuildInfoLabels {
            version: HOSTILE_VERSION,
            commit: "abc123",
        });
        for (queue, state) in BREAKERS {
            BREAKER.labels(queue).set(state);
        }
        HOSTILE_HELP.set(1);
        let registry = Registry::builder()
            .register(&CLAIMS_TOTAL)
            .register(&COST_USD_TOTAL)
            .register(&JOBS_RUNNING)
            .register(&FREE_RATIO)
            .register(&JOB_LATENCY_SECONDS)
            .register(&PAYLOAD_BYTES)
            .register(&BUILD_INFO)
            .register(&BREAKER)
            .register(&HOSTILE_HELP)
            .build()
            .expect("the conformance families are valid");
        (registry, expected_samples())
    })
}

fn sample(name: &str, labels: &[(&str, &str)], value: f64) -> ParsedSample {
    ParsedSample {
        name: name.to_owned(),
        labels: labels
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        value,
        exemplar: None,
    }
}

/// The samples of a histogram that saw `observations`, computed here rather than read from our histogram.
fn histogram_samples(
    name: &str,
    labels: &[(&str, &str)],
    bounds: &[(f64, &str)],
    observations: &[f64],
) -> Vec<ParsedSample> {
    let count = observations.len() as f64;
    let mut out = Vec::new();
    for (bound, le) in bounds.iter().copied().chain([(f64::INFINITY, "+Inf")]) {
        let in_bucket = observations.iter().filter(|v| **v <= bound).count();
        let mut with_le = labels.to_vec();
        with_le.push(("le", le));
        out.push(sample(
            &format!("{name}_bucket"),
            &with_le,
            in_bucket as f64,
        ));
    }
    out.push(sample(&format!("{name}_count"), labels, count));
    // A fold from +0.0: `Sum for f64` starts from -0.0, which no histogram ever exposes.
    out.push(sample(
        &format!("{name}_sum"),
        labels,
        observations.iter().fold(0.0, |sum, v| sum + v),
    ));
    out
}

fn expected_samples() -> Vec<ParsedSample> {
    let mut out = Vec::new();
    for queue in ConformanceQueue::ALL {
        for outcome in Outcome::ALL {
            let count = CLAIMS
                .iter()
                .find(|(q, o, _)| q == queue && o == outcome)
                .map_or(0, |c| c.2);
            out.push(sample(
                "conformance_claims_total",
                &[("queue", queue.as_str()), ("outcome", outcome.as_str())],
                count as f64,
            ));
        }
    }
    let (kept, overflowed) = MODELS.split_at(4);
    for (model, usd) in kept {
        out.push(sample(
            "conformance_cost_usd_total",
            &[("model", model)],
            *usd,
        ));
    }
    let overflow_usd: f64 = overflowed.iter().map(|m| m.1).sum();
    out.push(sample(
        "conformance_cost_usd_total",
        &[("model", OVERFLOW_VALUE)],
        overflow_usd,
    ));
    out.push(sample(
        "metrics_label_overflow_total",
        &[("family", "conformance_cost_usd_total"), ("label", "model")],
        overflowed.len() as f64,
    ));
    out.push(sample("conformance_jobs_running", &[], 4.0));
    out.push(sample("conformance_free_ratio", &[], 0.75));
    for queue in ConformanceQueue::ALL {
        let observations: &[f64] = if *queue == ConformanceQueue::Default {
            &LATENCY_OBSERVATIONS
        } else {
            &[]
        };
        out.extend(histogram_samples(
            "conformance_job_latency_seconds",
            &[("queue", queue.as_str())],
            &LATENCY_LE,
            observations,
        ));
    }
    out.extend(histogram_samples(
        "conformance_payload_bytes",
        &[],
        &PAYLOAD_LE,
        &PAYLOAD_OBSERVATIONS,
    ));
    out.push(sample(
        "conformance_build_info",
        &[("version", HOSTILE_VERSION), ("commit", "abc123")],
        1.0,
    ));
    for queue in ConformanceQueue::ALL {
        let current = BREAKERS
            .iter()
            .find(|(q, _)| q == queue)
            .map_or(ConformanceBreaker::Closed, |b| b.1);
        for state in ConformanceBreaker::ALL {
            out.push(sample(
                "conformance_breaker",
                &[
                    ("queue", queue.as_str()),
                    ("conformance_breaker", state.as_str()),
                ],
                if *state == current { 1.0 } else { 0.0 },
            ));
        }
    }
    out.push(sample("conformance_hostile_help", &[], 1.0));
    out
}

/// The family metadata python must report, from each family's declaration.
fn expected_families(parser: PythonParser) -> Vec<(String, String, String, String)> {
    recorded()
        .0
        .families()
        .iter()
        .map(|family| {
            let d = family.descriptor();
            let (name, kind, unit) = match parser {
                PythonParser::OpenMetrics => {
                    (d.family_name(), d.kind.as_str(), d.unit.unwrap_or(""))
                }
                // 0.0.4 has no unit, info or stateset: those two are gauges. Python strips a counter's `_total`.
                PythonParser::Text004 => match d.kind {
                    MetricKind::Counter => (d.family_name(), "counter", ""),
                    MetricKind::Histogram => (d.name, "histogram", ""),
                    MetricKind::Gauge | MetricKind::Info | MetricKind::StateSet => {
                        (d.name, "gauge", "")
                    }
                },
            };
            (
                name.to_owned(),
                kind.to_owned(),
                unit.to_owned(),
                d.help.to_owned(),
            )
        })
        .collect()
}

fn sort_key(sample: &ParsedSample) -> (String, Vec<(String, String)>) {
    (
        sample.name.clone(),
        sample.labels.clone().into_iter().collect(),
    )
}

/// Asserts python read exactly the expected families and samples: nothing missing, nothing extra, values equal.
fn assert_read_back(parser: PythonParser, families: &[ParsedFamily]) {
    let metadata: Vec<_> = families
        .iter()
        .map(|f| {
            (
                f.name.clone(),
                f.kind.clone(),
                f.unit.clone(),
                f.help.clone(),
            )
        })
        .collect();
    assert_eq!(
        metadata,
        expected_families(parser),
        "{parser:?}: family names, types, units or HELP differ"
    );
    let hostile = families
        .iter()
        .find(|f| f.name == "conformance_hostile_help")
        .expect("the HELP family");
    assert_eq!(
        hostile.help, HOSTILE_HELP_TEXT,
        "{parser:?}: HELP with `\\`, `\"` and a newline must round-trip"
    );

    let mut actual: Vec<ParsedSample> = families.iter().flat_map(|f| f.samples.clone()).collect();
    let mut expected = recorded().1.clone();
    actual.sort_by_key(sort_key);
    expected.sort_by_key(sort_key);
    let keys = |samples: &[ParsedSample]| samples.iter().map(sort_key).collect::<Vec<_>>();
    let (actual_keys, expected_keys) = (keys(&actual), keys(&expected));
    let missing: Vec<_> = expected_keys
        .iter()
        .filter(|k| !actual_keys.contains(k))
        .collect();
    let extra: Vec<_> = actual_keys
        .iter()
        .filter(|k| !expected_keys.contains(k))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{parser:?}: series missing {missing:#?}\nseries not expected {extra:#?}"
    );
    for (a, e) in actual.iter().zip(&expected) {
        assert_eq!(
            a.value.to_bits(),
            e.value.to_bits(),
            "{parser:?}: {} {:?}: read {}, recorded {}",
            a.name,
            a.labels,
            a.value,
            e.value
        );
    }
    // The hostile queue's 2 claims series, 12 latency samples and 3 breaker samples, the 4 kept models, the info.
    let hostile_series = actual
        .iter()
        .filter(|s| {
            s.labels
                .values()
                .any(|v| v.contains(['"', '\\', '\n', 'ü']))
        })
        .count();
    assert_eq!(
        hostile_series,
        2 + 12 + 3 + 4 + 1,
        "{parser:?}: series with hostile label values"
    );
}

fn encode(format: Format) -> String {
    recorded()
        .0
        .encode_to_string(format)
        .expect("no external source can fail")
}

#[test]
fn promtool_accepts_the_text_004_exposition_without_lint_problems() {
    let Some(promtool) = require_tool("promtool", "apt-get install prometheus") else {
        return;
    };
    let text = encode(Format::Text004);
    let output = run_with_stdin(Command::new(promtool).args(["check", "metrics"]), &text);
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "promtool check metrics failed ({}):\n{report}\n--- input\n{text}",
        output.status
    );
    assert!(report.trim().is_empty(), "promtool reported:\n{report}");
}

#[test]
fn strict_openmetrics_parser_reads_back_every_recorded_value() {
    if !require_python_prometheus_client() {
        return;
    }
    let text = encode(Format::OpenMetrics);
    let families = python_parse(&text, PythonParser::OpenMetrics).unwrap_or_else(|error| {
        panic!("the strict OpenMetrics parser rejected our text:\n{error}\n--- input\n{text}")
    });
    assert_read_back(PythonParser::OpenMetrics, &families);
}

#[test]
fn lenient_text_004_parser_reads_back_every_recorded_value() {
    if !require_python_prometheus_client() {
        return;
    }
    let text = encode(Format::Text004);
    let families = python_parse(&text, PythonParser::Text004).unwrap_or_else(|error| {
        panic!("the 0.0.4 parser rejected our text:\n{error}\n--- input\n{text}")
    });
    assert_read_back(PythonParser::Text004, &families);
}

/// The harness can fail: the strict parser refuses 0.0.4 text (no `# EOF`, `_total` in a counter family name).
#[test]
fn strict_openmetrics_parser_refuses_text_004() {
    if !require_python_prometheus_client() {
        return;
    }
    let error = python_parse(&encode(Format::Text004), PythonParser::OpenMetrics)
        .expect_err("0.0.4 is not OpenMetrics");
    assert!(error.contains("ValueError"), "{error}");
}

#[test]
fn hostile_values_are_what_the_schema_wrote() {
    // The expectations above use `as_str()`; pin that the derive kept the hostile rename byte for byte.
    assert_eq!(ConformanceQueue::Hostile.as_str(), "a\"b\\c ü🚀");
}

/// Every collector family and the facade bridge, each with series, in one registry.
fn collectors_and_facade() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        static BUILD_DESCRIPTOR: metrics_core::Descriptor =
            metrics_collectors::build_info::descriptor(
                "conformance_collectors_build_info",
                metrics_core::source_location!(),
            );
        static BUILD: metrics_collectors::build_info::BuildInfo =
            metrics_collectors::build_info::BuildInfo::new(
                &BUILD_DESCRIPTOR,
                "1.2.3",
                Some("0123abc"),
                None,
            );
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        metrics_collectors::runtime::register("conformance", runtime.handle()).unwrap();
        let (tx, rx) = metrics_collectors::channel::channel::<u8>("conformance_jobs", 4);
        tx.try_send(1).unwrap();
        // Kept open for the life of the test binary, so the channel's series stay.
        std::mem::forget((tx, rx, runtime));
        let bridge = metrics_facade::Bridge::builder()
            .check_global_registry(false)
            .build();
        metrics::with_local_recorder(&bridge, || {
            fixture_facade::record_fetch("disk", 0.3, 2.0);
            metrics::counter!("conformance.facade.events", "kind" => "a \"quoted\" value")
                .increment(3);
        });
        let mut builder = Registry::builder()
            .register(&BUILD)
            .external(bridge.source());
        builder = metrics_collectors::process::register(builder);
        builder = metrics_collectors::runtime::register_families(builder);
        builder = metrics_collectors::channel::register_families(builder);
        builder.build().expect("the collector families are valid")
    })
}

#[test]
fn promtool_accepts_the_collectors_and_the_facade_without_lint_problems() {
    let Some(promtool) = require_tool("promtool", "apt-get install prometheus") else {
        return;
    };
    let text = collectors_and_facade()
        .encode_to_string(Format::Text004)
        .unwrap();
    for needle in [
        "\nprocess_resident_memory_bytes ",
        "\ntokio_runtime_workers{runtime=\"conformance\"} 1\n",
        "\nchannel_depth{channel=\"conformance_jobs\"} 1\n",
        "\nconformance_collectors_build_info{version=\"1.2.3\",revision=\"0123abc\",rustc=\"unknown\"} 1\n",
        "\nfixture_fetches_total{source=\"disk\"} 1\n",
        "\nconformance_facade_events_total{kind=\"a \\\"quoted\\\" value\"} 3\n",
    ] {
        assert!(text.contains(needle), "no {needle:?} in:\n{text}");
    }
    let output = run_with_stdin(Command::new(promtool).args(["check", "metrics"]), &text);
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "promtool: {report}\n--- input\n{text}"
    );
    assert!(report.trim().is_empty(), "promtool reported:\n{report}");
}

#[test]
fn strict_openmetrics_parser_reads_the_collectors_and_the_facade() {
    if !require_python_prometheus_client() {
        return;
    }
    let text = collectors_and_facade()
        .encode_to_string(Format::OpenMetrics)
        .unwrap();
    let families = python_parse(&text, PythonParser::OpenMetrics).unwrap_or_else(|error| {
        panic!("the strict OpenMetrics parser rejected the collectors:\n{error}\n--- input\n{text}")
    });
    let kind = |name: &str| {
        families
            .iter()
            .find(|f| f.name == name)
            .map(|f| (f.kind.as_str(), f.unit.as_str()))
    };
    assert_eq!(kind("process_cpu_seconds"), Some(("counter", "seconds")));
    assert_eq!(
        kind("process_resident_memory_bytes"),
        Some(("gauge", "bytes"))
    );
    assert_eq!(
        kind("channel_send_wait_seconds"),
        Some(("histogram", "seconds"))
    );
    assert_eq!(kind("conformance_collectors_build"), Some(("info", "")));
    assert_eq!(
        kind("fixture_fetch_duration_seconds"),
        Some(("histogram", ""))
    );
    assert_eq!(kind("metrics_facade_refused"), Some(("counter", "")));
}

/// Families that keep exemplars, in a registry of their own so the expectations above stay as they are.
mod traced {
    use metrics_core::metrics;

    use super::ConformanceQueue;

    metrics! {
        namespace = "conformance";

        /// Requests answered, with the trace of the latest.
        pub(super) counter traced_requests_total { exemplars = true }

        /// Request latency, with the trace of the latest request in each bucket.
        pub(super) histogram traced_latency_seconds { queue: ConformanceQueue, buckets = [0.1, 1.0], exemplars = true }
    }
}

/// A value of `chars` characters holding a backslash and a newline (both escaped) and a non-ASCII character. Not
/// a quote: python's OpenMetrics parser (0.26) rejects `\"` inside an exemplar's labels, though the specification
/// escapes it so and our encoder does (the same escaping as series labels, which this file tests with quotes).
fn hostile_value(chars: usize) -> String {
    let mut value = String::from("a\\b\nü");
    value.extend(std::iter::repeat_n('x', chars - value.chars().count()));
    value
}

/// The exemplar registry with exemplars recorded at the 128-character limit and one over it, and the time span
/// in which they were recorded.
fn traced_exposition(format: Format) -> (String, f64, f64) {
    use traced::{TRACED_LATENCY_SECONDS, TRACED_REQUESTS_TOTAL};
    static REGISTRY: OnceLock<(Registry, f64, f64)> = OnceLock::new();
    let (registry, start, end) = REGISTRY.get_or_init(|| {
        let now = || {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("after 1970")
                .as_secs_f64()
        };
        let start = now();
        // `trace_id` (8) + 120 = 128 characters, the most OpenMetrics allows.
        let at_limit = hostile_value(120);
        let latency = TRACED_LATENCY_SECONDS.labels(ConformanceQueue::Hostile);
        assert!(latency.observe_with_exemplar(0.05, &[("trace_id", "first")]));
        assert!(latency.observe_with_exemplar(0.07, &[("trace_id", &at_limit)]));
        // Two labels, 8 + 53 + 7 + 60 = 128 characters.
        assert!(latency.observe_with_exemplar(
            0.5,
            &[
                ("trace_id", &hostile_value(53)),
                ("span_id", &"s".repeat(60))
            ]
        ));
        // 129 characters: recorded, its exemplar dropped whole.
        assert!(latency.observe_with_exemplar(7.0, &[("trace_id", &hostile_value(121))]));
        TRACED_REQUESTS_TOTAL.inc_by_with_exemplar(3, &[("trace_id", &at_limit)]);
        let end = now();
        let registry = Registry::builder()
            .register(&TRACED_REQUESTS_TOTAL)
            .register(&TRACED_LATENCY_SECONDS)
            .build()
            .expect("the traced families are valid");
        (registry, start, end)
    });
    let text = registry
        .encode_to_string(format)
        .expect("no external source can fail");
    (text, *start, *end)
}

#[test]
fn strict_openmetrics_parser_reads_exemplars_at_the_limit_and_none_over_it() {
    if !require_python_prometheus_client() {
        return;
    }
    let (text, start, end) = traced_exposition(Format::OpenMetrics);
    let families = python_parse(&text, PythonParser::OpenMetrics).unwrap_or_else(|error| {
        panic!("the strict OpenMetrics parser rejected our exemplars:\n{error}\n--- input\n{text}")
    });
    let find = |name: &str, le: Option<&str>| -> ParsedSample {
        families
            .iter()
            .flat_map(|f| &f.samples)
            .find(|s| {
                s.name == name
                    && le.is_none_or(|le| s.labels.get("le").map(String::as_str) == Some(le))
                    && s.labels
                        .get("queue")
                        .is_none_or(|q| q == ConformanceQueue::Hostile.as_str())
            })
            .unwrap_or_else(|| panic!("{name} {le:?} in\n{text}"))
            .clone()
    };
    let exemplar = |labels: &[(&str, &str)], value: f64| {
        Some(ParsedExemplar {
            labels: labels
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            value,
            timestamp: None,
        })
    };
    let without_time = |mut sample: ParsedSample| {
        let exemplar = sample.exemplar.as_mut().map(|e| e.timestamp.take());
        if let Some(timestamp) = exemplar {
            let timestamp = timestamp.expect("each exemplar has its timestamp");
            // The coarse clock lags by up to one tick.
            assert!(
                (start - 0.1..=end + 0.1).contains(&timestamp),
                "timestamp {timestamp} outside the recording, {start}..{end}"
            );
        }
        sample.exemplar
    };
    let at_limit = hostile_value(120);
    assert_eq!(
        without_time(find(
            "conformance_traced_latency_seconds_bucket",
            Some("0.1")
        )),
        exemplar(&[("trace_id", &at_limit)], 0.07),
        "the latest exemplar of the bucket, at 128 characters"
    );
    assert_eq!(
        without_time(find(
            "conformance_traced_latency_seconds_bucket",
            Some("1.0")
        )),
        exemplar(
            &[
                ("trace_id", &hostile_value(53)),
                ("span_id", &"s".repeat(60))
            ],
            0.5
        ),
    );
    assert_eq!(
        without_time(find(
            "conformance_traced_latency_seconds_bucket",
            Some("+Inf")
        )),
        None,
        "the 129-character exemplar is absent"
    );
    assert_eq!(
        find("conformance_traced_latency_seconds_count", None).value,
        4.0,
        "its observation is counted"
    );
    assert_eq!(
        without_time(find("conformance_traced_requests_total", None)),
        exemplar(&[("trace_id", &at_limit)], 3.0)
    );
    let dropped = families
        .iter()
        .flat_map(|f| &f.samples)
        .find(|s| {
            s.name == "metrics_exemplars_dropped_total"
                && s.labels["family"] == "conformance_traced_latency_seconds"
        })
        .expect("the dropped-exemplar count");
    assert_eq!(dropped.value, 1.0);
}

#[test]
fn promtool_accepts_the_text_004_exposition_of_families_with_exemplars() {
    let (text, _, _) = traced_exposition(Format::Text004);
    assert!(!text.contains(" # "), "0.0.4 has no exemplars:\n{text}");
    let Some(promtool) = require_tool("promtool", "apt-get install prometheus") else {
        return;
    };
    let output = run_with_stdin(Command::new(promtool).args(["check", "metrics"]), &text);
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success() && report.trim().is_empty(),
        "promtool check metrics: {report}\n--- input\n{text}"
    );
}
