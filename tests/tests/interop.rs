//! prometheus-client interop, both directions: our families encoded by a prometheus-client registry, and a
//! prometheus-client registry served beside our families in both formats; checked against exact text,
//! `client_python`'s parsers and promtool.

use std::fmt::Write as _;
use std::process::Command;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, OnceLock};

use metrics_core::interop::{
    PrometheusClientCollector, PrometheusClientSource, transcode_openmetrics,
};
use metrics_core::{
    BoundedStr, Descriptor, Family, Format, LabelValue, MetricKind, Number, OVERFLOW_VALUE,
    Registry, Sample, Series, SeriesSink, metrics, source_location,
};
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter as ClientCounter;
use prometheus_client::metrics::family::Family as ClientFamily;
use prometheus_client::metrics::gauge::Gauge as ClientGauge;
use prometheus_client::metrics::histogram::Histogram as ClientHistogram;
use prometheus_client::metrics::info::Info as ClientInfo;
use prometheus_client::registry::{Registry as ClientRegistry, Unit};

/// A queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Queue {
    /// Emails.
    Email,
    /// Reports.
    Report,
}

/// A circuit breaker's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum BreakerState {
    /// Calls go through.
    Closed,
    /// One trial call goes through.
    HalfOpen,
    /// Calls fail fast.
    Open,
}

metrics! {
    namespace = "interop";

    /// Rows waiting, read at scrape time.
    pub gauge observed_backlog { queue: Queue, observe = read_backlog }

    /// Jobs claimed, by queue.
    pub counter claims_total { queue: Queue }

    /// Money spent, in "dollars" \ cents.
    pub counter spend_usd_total: f64 { unit = usd }

    /// Jobs running now.
    pub gauge in_flight;

    /// How full the queue is.
    pub gauge fill_ratio: f64;

    /// Time to run a job.
    pub histogram run_seconds { queue: Queue, buckets = [0.005, 0.5, 1.0, 1000000.0] }

    /// Circuit breaker state per queue.
    pub stateset breaker: BreakerState { queue: Queue }

    /// Build facts.
    pub info build_info { version: String }

    /// Tokens used, per model.
    pub counter tokens_total { model: BoundedStr<2> }

    /// Jobs done by the part of the program already on typed families.
    pub counter beside_jobs_total;

    /// Emails sent by the one module migrated so far.
    pub counter migrated_emails_total;
}

/// Reads `text` with `client_python`'s parser (`om`: the strict OpenMetrics one; `text`: the 0.0.4 one) and prints
/// each family as `family NAME TYPE UNIT HELP-HEX` and each sample as `sample NAME LABELS VALUE`, label values
/// hex-encoded (so no escaping can blur a comparison) except `le`, read as a float.
const PYTHON_READ: &str = r#"
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families as om
from prometheus_client.parser import text_string_to_metric_families as text
parse = om if sys.argv[1] == "om" else text
def h(s): return s.encode().hex()
for f in parse(sys.stdin.read()):
    print("family", f.name, f.type, f.unit, h(f.documentation))
    for s in f.samples:
        labels = ",".join(k + "=" + (repr(float(v)) if k == "le" else h(v)) for k, v in sorted(s.labels.items()))
        print("sample", s.name, labels, repr(float(s.value)))
"#;

fn hex(text: &str) -> String {
    text.bytes().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// What `client_python` reads from `text` (see [`PYTHON_READ`]), or `None` when it is not installed.
///
/// # Panics
///
/// When the parser rejects the text.
fn python_read(parser: &str, text: &str) -> Option<Vec<String>> {
    if !tests::require_python_prometheus_client() {
        return None;
    }
    let output = tests::run_with_stdin(
        Command::new("python3").args(["-c", PYTHON_READ, parser]),
        text,
    );
    assert!(
        output.status.success(),
        "client_python's {parser} parser rejected the text: {}\n{text}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(
        String::from_utf8(output.stdout)
            .expect("utf-8")
            .lines()
            .map(str::to_owned)
            .collect(),
    )
}

fn samples(read: &[String]) -> Vec<&str> {
    let mut samples: Vec<&str> = read
        .iter()
        .map(String::as_str)
        .filter(|line| line.starts_with("sample "))
        .collect();
    samples.sort_unstable();
    samples
}

/// Runs `promtool check metrics` on 0.0.4 text: it must be clean (no parse error, no lint problem).
fn promtool_check(text: &str) {
    let Some(promtool) = tests::require_tool("promtool", "apt-get install prometheus") else {
        return;
    };
    let output = tests::run_with_stdin(Command::new(promtool).args(["check", "metrics"]), text);
    assert!(
        output.status.success(),
        "promtool check metrics failed: {}{}\n{text}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn assert_contains(text: &str, expected: &[&str]) {
    for piece in expected {
        assert!(text.contains(piece), "missing {piece:?} in:\n{text}");
    }
}

fn our_registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        Registry::builder()
            .register(&CLAIMS_TOTAL)
            .register(&SPEND_USD_TOTAL)
            .register(&IN_FLIGHT)
            .register(&FILL_RATIO)
            .register(&RUN_SECONDS)
            .register(&BREAKER)
            .register(&BUILD_INFO)
            .register(&TOKENS_TOTAL)
            .build()
            .expect("the test's families are valid")
    })
}

#[test]
fn our_families_encode_through_a_prometheus_client_registry() {
    CLAIMS_TOTAL.labels(Queue::Email).inc_by(3);
    SPEND_USD_TOTAL.inc_by(1.25);
    IN_FLIGHT.set(-2);
    FILL_RATIO.set(f64::INFINITY);
    for seconds in [0.3, 0.7, 2e6] {
        RUN_SECONDS.labels(Queue::Report).observe(seconds);
    }
    BREAKER.labels(Queue::Report).set(BreakerState::HalfOpen);
    BUILD_INFO.set(BuildInfoLabels {
        version: "1.2.3 \"beta\"\n#x",
    });
    TOKENS_TOTAL.labels("a\"b}# c").inc();
    TOKENS_TOTAL.labels("d\\e").inc_by(2);
    TOKENS_TOTAL.labels("one too many").inc();

    let mut client = ClientRegistry::default();
    client.register_collector(Box::new(PrometheusClientCollector::new(our_registry())));
    let mut text = String::new();
    encode(&mut text, &client).expect("prometheus-client encodes");

    assert_contains(
        &text,
        &[
            // The base name goes to prometheus-client, which appends `_total`: our exact sample names come out.
            "# HELP interop_claims Jobs claimed, by queue.\n# TYPE interop_claims counter\n",
            "interop_claims_total{queue=\"email\"} 3\n",
            "interop_claims_total{queue=\"report\"} 0\n",
            // HELP is escaped before prometheus-client writes it verbatim; the unit is not doubled.
            "# HELP interop_spend_usd Money spent, in \\\"dollars\\\" \\\\ cents.\n\
             # TYPE interop_spend_usd counter\n\
             # UNIT interop_spend_usd usd\n\
             interop_spend_usd_total 1.25\n",
            "# TYPE interop_in_flight gauge\ninterop_in_flight -2\n",
            // prometheus-client's float formatting: `inf`, not `+Inf`.
            "# UNIT interop_fill_ratio ratio\ninterop_fill_ratio inf\n",
            // Histograms: `_sum`, `_count`, then buckets with `le` first and prometheus-client's `le` text.
            "# TYPE interop_run_seconds histogram\n# UNIT interop_run_seconds seconds\n",
            "interop_run_seconds_sum{queue=\"report\"} 2000001.0\n\
             interop_run_seconds_count{queue=\"report\"} 3\n\
             interop_run_seconds_bucket{le=\"0.005\",queue=\"report\"} 0\n\
             interop_run_seconds_bucket{le=\"0.5\",queue=\"report\"} 1\n\
             interop_run_seconds_bucket{le=\"1.0\",queue=\"report\"} 2\n\
             interop_run_seconds_bucket{le=\"1000000.0\",queue=\"report\"} 2\n\
             interop_run_seconds_bucket{le=\"+Inf\",queue=\"report\"} 3\n",
            "interop_run_seconds_bucket{le=\"+Inf\",queue=\"email\"} 0\n",
            // A state set has no prometheus-client type: it is a gauge with our samples.
            "# TYPE interop_breaker gauge\n",
            "interop_breaker{queue=\"report\",interop_breaker=\"closed\"} 0\n\
             interop_breaker{queue=\"report\",interop_breaker=\"half_open\"} 1\n\
             interop_breaker{queue=\"report\",interop_breaker=\"open\"} 0\n",
            "# TYPE interop_build info\ninterop_build_info{version=\"1.2.3 \\\"beta\\\"\\n#x\"} 1\n",
            "interop_tokens_total{model=\"a\\\"b}# c\"} 1\n",
            "interop_tokens_total{model=\"d\\\\e\"} 2\n",
            &format!("interop_tokens_total{{model=\"{OVERFLOW_VALUE}\"}} 1\n"),
            // The registry's overflow family comes along.
            "metrics_label_overflow_total{family=\"interop_tokens_total\",label=\"model\"} 1\n",
        ],
    );
    assert!(text.ends_with("# EOF\n"));

    let Some(theirs) = python_read("om", &text) else {
        return;
    };
    // What the strict parser reads equals what it reads from our own encoder, but for the state set's type.
    let ours_text = our_registry()
        .encode_to_string(Format::OpenMetrics)
        .expect("no external sources");
    let Some(ours) = python_read("om", &ours_text) else {
        return;
    };
    let stateset_as_gauge = |line: &String| {
        line.replace(
            "family interop_breaker stateset",
            "family interop_breaker gauge",
        )
    };
    let mut ours: Vec<String> = ours.iter().map(stateset_as_gauge).collect();
    ours.sort_unstable();
    let mut sorted_theirs = theirs.clone();
    sorted_theirs.sort_unstable();
    assert_eq!(sorted_theirs, ours, "\n{text}\n{ours_text}");
    assert!(theirs.contains(&format!(
        "sample interop_build_info version={} 1.0",
        hex("1.2.3 \"beta\"\n#x")
    )));
    assert!(theirs.contains(&format!(
        "family interop_spend_usd counter usd {}",
        hex("Money spent, in \"dollars\" \\ cents.")
    )));
}

fn read_backlog(out: &mut ObservedBacklogObserver<'_>) {
    out.observe(
        ObservedBacklogLabels {
            queue: Queue::ALL[0],
        },
        9,
    );
}

#[test]
fn an_observable_family_goes_through_the_collector_like_any_other() {
    let mut client = ClientRegistry::default();
    client.register_collector(Box::new(PrometheusClientCollector::from_families([
        &OBSERVED_BACKLOG as _,
    ])));
    let mut text = String::new();
    encode(&mut text, &client).expect("prometheus-client encodes");
    let first = <Queue as metrics_core::LabelValue>::VALUES[0];
    assert!(
        text.contains(&format!(
            "interop_observed_backlog{{queue=\"{first}\"}} 9\n"
        )),
        "{text}"
    );
}

#[test]
fn a_collector_of_some_families_moves_one_module() {
    MIGRATED_EMAILS_TOTAL.inc_by(4);
    // A prefixed sub-registry prefixes our names too: the registry's choice, applied to every collector.
    let mut client = ClientRegistry::default();
    let legacy = ClientCounter::<u64>::default();
    legacy.inc();
    client.register("legacy_requests", "Requests", legacy.clone());
    client.register_collector(Box::new(PrometheusClientCollector::from_families([
        &MIGRATED_EMAILS_TOTAL as _,
    ])));
    client
        .sub_registry_with_prefix("app")
        .register_collector(Box::new(PrometheusClientCollector::from_families([
            &MIGRATED_EMAILS_TOTAL as _,
        ])));
    let mut text = String::new();
    encode(&mut text, &client).expect("prometheus-client encodes");
    assert_eq!(
        text,
        "# HELP legacy_requests Requests.\n\
         # TYPE legacy_requests counter\n\
         legacy_requests_total 1\n\
         # HELP interop_migrated_emails Emails sent by the one module migrated so far.\n\
         # TYPE interop_migrated_emails counter\n\
         interop_migrated_emails_total 4\n\
         # HELP app_interop_migrated_emails Emails sent by the one module migrated so far.\n\
         # TYPE app_interop_migrated_emails counter\n\
         app_interop_migrated_emails_total 4\n\
         # EOF\n"
    );
    python_read("om", &text);
}

/// A hand-written family with one series, of any kind and value, and no labels.
struct HandWritten {
    descriptor: &'static Descriptor,
    sample: Sample<'static>,
}

impl Family for HandWritten {
    fn descriptor(&self) -> &'static Descriptor {
        self.descriptor
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        sink.series(&Series::new(&[]), &self.sample);
    }
}

const fn hand_written(name: &'static str, kind: MetricKind) -> Descriptor {
    Descriptor::new(name, "Hand-written.", kind, source_location!())
}

static BARE_INFO: Descriptor = hand_written("interop_bare_info", MetricKind::Info);
static SIGNED_TOTAL: Descriptor = hand_written("interop_signed_total", MetricKind::Counter);

#[test]
fn hand_written_families_show_the_documented_edges() {
    static INFO: HandWritten = HandWritten {
        descriptor: &BARE_INFO,
        sample: Sample::Info,
    };
    static POSITIVE: HandWritten = HandWritten {
        descriptor: &SIGNED_TOTAL,
        sample: Sample::Counter(Number::I64(5)),
    };
    static NEGATIVE: HandWritten = HandWritten {
        descriptor: &SIGNED_TOTAL,
        sample: Sample::Counter(Number::I64(-1)),
    };

    let mut client = ClientRegistry::default();
    client.register_collector(Box::new(PrometheusClientCollector::from_families([
        &INFO as _,
        &POSITIVE as _,
    ])));
    let mut text = String::new();
    encode(&mut text, &client).expect("prometheus-client encodes");
    assert_contains(
        &text,
        &[
            "# TYPE interop_bare info\ninterop_bare_info{} 1\n",
            "interop_signed_total 5\n",
        ],
    );
    python_read("om", &text);

    let mut client = ClientRegistry::default();
    client.register_collector(Box::new(PrometheusClientCollector::from_families([
        &NEGATIVE as _,
    ])));
    assert!(
        encode(&mut String::new(), &client).is_err(),
        "a negative counter has no valid text"
    );
}

/// A prometheus-client registry with a labelled counter family (one hostile label value), gauges, a histogram
/// and an info metric.
fn legacy_registry() -> ClientRegistry {
    let mut legacy = ClientRegistry::default();
    let requests = ClientFamily::<Vec<(String, String)>, ClientCounter>::default();
    legacy.register("pc_http_requests", "HTTP requests served", requests.clone());
    let pair = |method: &str, path: &str| {
        vec![
            ("method".to_owned(), method.to_owned()),
            ("path".to_owned(), path.to_owned()),
        ]
    };
    requests.get_or_create(&pair("GET", "/")).inc_by(5);
    requests.get_or_create(&pair("POST", HOSTILE)).inc();

    let depth: ClientGauge = ClientGauge::default();
    legacy.register(
        "pc_queue_depth",
        "Depth of the \"main\" queue \\ now",
        depth.clone(),
    );
    depth.set(7);
    let level = ClientGauge::<f64, AtomicU64>::default();
    legacy.register("pc_level", "A level that overflowed", level.clone());
    level.set(f64::INFINITY);

    let duration = ClientHistogram::new([0.00001, 0.5, 1e6]);
    legacy.register_with_unit(
        "pc_request_duration",
        "Request duration",
        Unit::Seconds,
        duration.clone(),
    );
    for seconds in [0.2, 0.3, 5e6] {
        duration.observe(seconds);
    }

    legacy.register(
        "pc_build",
        "Build facts",
        ClientInfo::new(vec![("version".to_owned(), "2.0".to_owned())]),
    );
    legacy
}

/// A label value with every character a naive line splitter trips on.
const HOSTILE: &str = "/a b#c}\"d\\e\nf # {x=\"1\"} 2";

#[test]
fn a_prometheus_client_registry_is_served_beside_our_families() {
    let registry = Registry::builder()
        .register(&BESIDE_JOBS_TOTAL)
        .external(PrometheusClientSource::new(Arc::new(legacy_registry())))
        .build()
        .expect("valid");
    BESIDE_JOBS_TOTAL.inc();

    let text = registry
        .encode_to_string(Format::Text004)
        .expect("the source converts");
    let om = registry
        .encode_to_string(Format::OpenMetrics)
        .expect("the source converts");

    assert!(
        text.starts_with("# HELP interop_beside_jobs_total "),
        "our families first:\n{text}"
    );
    assert_contains(
        &text,
        &[
            "# HELP pc_http_requests_total HTTP requests served.\n# TYPE pc_http_requests_total counter\n",
            "pc_http_requests_total{method=\"GET\",path=\"/\"} 5\n",
            "pc_http_requests_total{method=\"POST\",path=\"/a b#c}\\\"d\\\\e\\nf # {x=\\\"1\\\"} 2\"} 1\n",
            // 0.0.4 HELP escapes backslash and newline only.
            "# HELP pc_queue_depth Depth of the \"main\" queue \\\\ now.\n# TYPE pc_queue_depth gauge\npc_queue_depth 7\n",
            "# TYPE pc_level gauge\npc_level +Inf\n",
            "# HELP pc_request_duration_seconds Request duration.\n\
             # TYPE pc_request_duration_seconds histogram\n\
             pc_request_duration_seconds_sum 5000000.5\n\
             pc_request_duration_seconds_count 3\n\
             pc_request_duration_seconds_bucket{le=\"1e-05\"} 0\n\
             pc_request_duration_seconds_bucket{le=\"0.5\"} 2\n\
             pc_request_duration_seconds_bucket{le=\"1e+06\"} 2\n\
             pc_request_duration_seconds_bucket{le=\"+Inf\"} 3\n",
            "# HELP pc_build_info Build facts.\n# TYPE pc_build_info gauge\npc_build_info{version=\"2.0\"} 1\n",
        ],
    );
    assert!(
        !text.contains("# UNIT") && !text.contains("# EOF"),
        "{text}"
    );

    assert_contains(
        &om,
        &[
            "# TYPE pc_http_requests counter\n# HELP pc_http_requests HTTP requests served.\n",
            "pc_http_requests_total{method=\"POST\",path=\"/a b#c}\\\"d\\\\e\\nf # {x=\\\"1\\\"} 2\"} 1\n",
            "# TYPE pc_queue_depth gauge\n# HELP pc_queue_depth Depth of the \\\"main\\\" queue \\\\ now.\npc_queue_depth 7\n",
            "pc_level +Inf\n",
            "# TYPE pc_request_duration_seconds histogram\n\
             # UNIT pc_request_duration_seconds seconds\n\
             # HELP pc_request_duration_seconds Request duration.\n",
            "pc_request_duration_seconds_bucket{le=\"1e+06\"} 2\n",
            "# TYPE pc_build info\n# HELP pc_build Build facts.\npc_build_info{version=\"2.0\"} 1\n",
        ],
    );
    assert_eq!(om.matches("# EOF").count(), 1);
    assert!(
        om.ends_with("pc_build_info{version=\"2.0\"} 1\n# EOF\n"),
        "{om}"
    );

    promtool_check(&text);
    let Some(om_read) = python_read("om", &om) else {
        return;
    };
    let Some(text_read) = python_read("text", &text) else {
        return;
    };
    assert_eq!(
        samples(&om_read),
        samples(&text_read),
        "both formats carry the same samples"
    );
    for expected in [
        "sample interop_beside_jobs_total  1.0".to_owned(),
        format!(
            "sample pc_http_requests_total method={},path={} 5.0",
            hex("GET"),
            hex("/")
        ),
        format!(
            "sample pc_http_requests_total method={},path={} 1.0",
            hex("POST"),
            hex(HOSTILE)
        ),
        "sample pc_queue_depth  7.0".to_owned(),
        "sample pc_level  inf".to_owned(),
        "sample pc_request_duration_seconds_sum  5000000.5".to_owned(),
        "sample pc_request_duration_seconds_count  3.0".to_owned(),
        "sample pc_request_duration_seconds_bucket le=1e-05 0.0".to_owned(),
        "sample pc_request_duration_seconds_bucket le=0.5 2.0".to_owned(),
        "sample pc_request_duration_seconds_bucket le=1000000.0 2.0".to_owned(),
        "sample pc_request_duration_seconds_bucket le=inf 3.0".to_owned(),
        format!("sample pc_build_info version={} 1.0", hex("2.0")),
    ] {
        assert!(
            om_read.contains(&expected),
            "missing {expected:?} in {om_read:#?}"
        );
    }
    // HELP reads back the same from both formats.
    let help = hex("Depth of the \"main\" queue \\ now.");
    assert!(
        om_read.contains(&format!("family pc_queue_depth gauge  {help}")),
        "{om_read:#?}"
    );
    assert!(
        text_read.contains(&format!("family pc_queue_depth gauge  {help}")),
        "{text_read:#?}"
    );
    assert_eq!(
        samples(&om_read).len(),
        12,
        "no sample lost or added: {om_read:#?}"
    );
}

#[test]
fn a_registry_the_source_cannot_convert_fails_the_scrape_whole() {
    // prometheus-client writes HELP verbatim: a newline in it breaks its own output.
    let mut broken = ClientRegistry::default();
    broken.register(
        "pc_broken",
        "first line\nsecond line",
        ClientCounter::<u64>::default(),
    );
    let registry = Registry::builder()
        .register(&BESIDE_JOBS_TOTAL)
        .external(PrometheusClientSource::from(broken))
        .build()
        .expect("valid");
    for format in [Format::Text004, Format::OpenMetrics] {
        let mut out = String::from("kept\n");
        let error = registry
            .encode(format, &mut out)
            .expect_err("the scrape fails");
        assert!(error.0.contains("second line."), "{error}");
        assert_eq!(out, "kept\n", "nothing half-written");
    }
}

/// Runs the converter into a buffer that already holds text, which must survive.
fn convert(input: &str, format: Format) -> Result<String, String> {
    let mut out = String::from("before\n");
    match transcode_openmetrics(input, format, &mut out) {
        Ok(()) => Ok(out
            .strip_prefix("before\n")
            .expect("prefix kept")
            .to_owned()),
        Err(error) => {
            assert_eq!(out, "before\n", "an error leaves the buffer as it was");
            Err(error.0)
        }
    }
}

const COUNTER_IN: &str = r#"# HELP foo Say \"hi\" \\ back\nslash.
# TYPE foo counter
foo_total{a="x # {y} z",b="q\"}\\"} 1 # {trace_id="abc # }"} 0.5 1.5
foo_created{a="x # {y} z",b="q\"}\\"} 1700000000.5
"#;

const HISTOGRAM_IN: &str = r#"# HELP lat_seconds Latency.
# TYPE lat_seconds histogram
# UNIT lat_seconds seconds
lat_seconds_sum{path="/x"} 5000000.5
lat_seconds_count{path="/x"} 3
lat_seconds_bucket{le="0.00001",path="/x"} 0
lat_seconds_bucket{le="0.5",path="/x"} 2
lat_seconds_bucket{le="1000000.0",path="/x"} 2
lat_seconds_bucket{le="+Inf",path="/x"} 3 # {trace_id="t"} 5000000.0
"#;

const KINDS_IN: &str = r#"# HELP build Build facts.
# TYPE build info
build_info{version="1.0"} 1
# HELP door Door state.
# TYPE door stateset
door{door="open"} 1
door{door="shut"} 0
# HELP level Level.
# TYPE level gauge
level inf
level{side="low"} -Inf
level{side="mid"} nan
# HELP mystery Who knows.
# TYPE mystery unknown
mystery 1 1700000000.25
# HELP rpc_seconds RPC time.
# TYPE rpc_seconds summary
rpc_seconds{quantile="0.5"} 1.5
rpc_seconds{quantile="0.99"} 3
rpc_seconds_sum 10
rpc_seconds_count 4
rpc_seconds_created 1700000000
"#;

#[test]
fn converter_renames_counters_and_drops_exemplars_and_created_for_0_0_4() {
    assert_eq!(
        convert(COUNTER_IN, Format::Text004).unwrap(),
        concat!(
            "# HELP foo_total Say \"hi\" \\\\ back\\nslash.\n",
            "# TYPE foo_total counter\n",
            "foo_total{a=\"x # {y} z\",b=\"q\\\"}\\\\\"} 1\n",
        )
    );
    assert_eq!(
        convert(COUNTER_IN, Format::OpenMetrics).unwrap(),
        concat!(
            "# TYPE foo counter\n",
            "# HELP foo Say \\\"hi\\\" \\\\ back\\nslash.\n",
            "foo_total{a=\"x # {y} z\",b=\"q\\\"}\\\\\"} 1 # {trace_id=\"abc # }\"} 0.5 1.5\n",
            "foo_created{a=\"x # {y} z\",b=\"q\\\"}\\\\\"} 1700000000.5\n",
        )
    );
}

#[test]
fn converter_canonicalises_le_and_drops_unit_for_0_0_4() {
    let samples = r#"lat_seconds_sum{path="/x"} 5000000.5
lat_seconds_count{path="/x"} 3
lat_seconds_bucket{le="1e-05",path="/x"} 0
lat_seconds_bucket{le="0.5",path="/x"} 2
lat_seconds_bucket{le="1e+06",path="/x"} 2
lat_seconds_bucket{le="+Inf",path="/x"} 3"#;
    assert_eq!(
        convert(HISTOGRAM_IN, Format::Text004).unwrap(),
        format!("# HELP lat_seconds Latency.\n# TYPE lat_seconds histogram\n{samples}\n")
    );
    assert_eq!(
        convert(HISTOGRAM_IN, Format::OpenMetrics).unwrap(),
        format!(
            "# TYPE lat_seconds histogram\n# UNIT lat_seconds seconds\n# HELP lat_seconds Latency.\n{samples} # {{trace_id=\"t\"}} 5000000.0\n"
        )
    );
}

#[test]
fn converter_maps_info_stateset_unknown_summary_and_special_values() {
    assert_eq!(
        convert(KINDS_IN, Format::Text004).unwrap(),
        r#"# HELP build_info Build facts.
# TYPE build_info gauge
build_info{version="1.0"} 1
# HELP door Door state.
# TYPE door gauge
door{door="open"} 1
door{door="shut"} 0
# HELP level Level.
# TYPE level gauge
level +Inf
level{side="low"} -Inf
level{side="mid"} NaN
# HELP mystery Who knows.
# TYPE mystery untyped
mystery 1 1700000000250
# HELP rpc_seconds RPC time.
# TYPE rpc_seconds summary
rpc_seconds{quantile="0.5"} 1.5
rpc_seconds{quantile="0.99"} 3
rpc_seconds_sum 10
rpc_seconds_count 4
"#
    );
    let om = convert(KINDS_IN, Format::OpenMetrics).unwrap();
    assert_contains(
        &om,
        &[
            "# TYPE build info\n# HELP build Build facts.\nbuild_info{version=\"1.0\"} 1\n",
            "# TYPE door stateset\n",
            "level +Inf\nlevel{side=\"low\"} -Inf\nlevel{side=\"mid\"} NaN\n",
            "# TYPE mystery unknown\n# HELP mystery Who knows.\nmystery 1 1700000000.25\n",
            "rpc_seconds_created 1700000000\n",
        ],
    );
}

#[test]
fn converter_output_passes_promtool_and_the_strict_parser() {
    let input = format!("{COUNTER_IN}{HISTOGRAM_IN}{KINDS_IN}# EOF\n");
    let text = convert(&input, Format::Text004).unwrap();
    let om = convert(&input, Format::OpenMetrics).unwrap() + "# EOF\n";
    promtool_check(&text);
    let Some(om_read) = python_read("om", &om) else {
        return;
    };
    let Some(text_read) = python_read("text", &text) else {
        return;
    };
    let without_created: Vec<&str> = samples(&om_read)
        .into_iter()
        .filter(|line| !line.contains("_created "))
        .collect();
    assert_eq!(without_created, samples(&text_read));
    let Some(input_read) = python_read("om", &input) else {
        return;
    };
    assert_eq!(
        samples(&input_read),
        samples(&om_read),
        "OpenMetrics in, the same samples out"
    );
}

#[test]
fn converter_accepts_samples_without_metadata_and_empty_input() {
    assert_eq!(convert("", Format::Text004).unwrap(), "");
    assert_eq!(convert("# EOF\n", Format::OpenMetrics).unwrap(), "");
    let input = "bare{x=\"1\"} 2\nbare{x=\"2\"} 3\nother 1\n";
    assert_eq!(convert(input, Format::Text004).unwrap(), input);
    assert_eq!(convert(input, Format::OpenMetrics).unwrap(), input);
    // prometheus-client writes `{}` for an info without labels; the output drops it.
    assert_eq!(
        convert("# TYPE i info\ni_info{} 1\n", Format::Text004).unwrap(),
        "# TYPE i_info gauge\ni_info 1\n"
    );
}

#[test]
fn converter_rejects_what_it_cannot_write_validly() {
    let both = [Format::Text004, Format::OpenMetrics];
    let cases: &[(&str, &[Format], &str)] = &[
        (
            "# TYPE g gaugehistogram\ng_bucket{le=\"+Inf\"} 1\ng_gcount 1\ng_gsum 1\n",
            &[Format::Text004],
            "gaugehistogram",
        ),
        (
            "# TYPE foo counter\nfoo_total 1\n# HELP foo late\n",
            &both,
            "after its samples",
        ),
        (
            "# TYPE foo gauge\nfoo 1\n# TYPE bar gauge\nbar 1\n# TYPE foo gauge\nfoo 2\n",
            &both,
            "appears twice",
        ),
        (
            "# TYPE foo counter\nfoo_total 1\n# TYPE foo_total gauge\nfoo_total 2\n",
            &both,
            "clashes",
        ),
        ("# TYPE foo thing\n", &both, "unknown type"),
        ("# HELP foo x\n# HELP foo y\n", &both, "second `# HELP`"),
        ("# TYPE foo counter\nfoo_total -1\n", &both, "non-negative"),
        ("# TYPE foo counter\nfoo_total NaN\n", &both, "non-negative"),
        ("# TYPE s stateset\ns{s=\"a\"} 2\n", &both, "0 or 1"),
        (
            "# TYPE s stateset\ns{t=\"a\"} 1\n",
            &both,
            "without the `s` label",
        ),
        ("# TYPE i info\ni_info{v=\"1\"} 2\n", &both, "other than 1"),
        ("# TYPE h histogram\nh_bucket 1\n", &both, "without `le`"),
        (
            "# TYPE h histogram\nh_bucket{le=\"x\"} 1\n",
            &both,
            "not a number",
        ),
        (
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1.5\n",
            &both,
            "integer",
        ),
        ("# TYPE r summary\nr 1\n", &both, "without `quantile`"),
        (
            "# TYPE foo_seconds gauge\n# UNIT foo_seconds bytes\nfoo_seconds 1\n",
            &[Format::OpenMetrics],
            "not a suffix",
        ),
        (
            "# TYPE g gauge\ng 1 # {a=\"b\"} 1\n",
            &[Format::OpenMetrics],
            "exemplars",
        ),
        ("# TYPE g gauge\ng{le=\"1\"} 1\n", &both, "reserved"),
        ("g{__name__=\"x\"} 1\n", &both, "reserved"),
        ("foo 1\n# EOF\nbar 1\n", &both, "after `# EOF`"),
        ("foo 1", &both, "newline"),
        ("foo 1\r\n", &both, "invalid value"),
        ("foo 1\n\nbar 1\n", &both, "invalid metric name"),
        ("foo{a=\"1} 1\n", &both, "unterminated"),
        ("foo{a=\"1\",} 1\n", &both, "label name"),
        ("foo{a=\"1\"}1\n", &both, "space before the value"),
        ("# comment\n", &both, "not an OpenMetrics comment"),
        ("{\"utf8.name\"} 1\n", &both, "invalid metric name"),
    ];
    for (input, formats, reason) in cases {
        for format in *formats {
            let error = convert(input, *format).expect_err(input);
            assert!(
                error.contains(reason),
                "{input:?} in {format:?}: {error:?} does not say {reason:?}"
            );
        }
    }
    // The gauge histogram is valid OpenMetrics: only 0.0.4 cannot say it.
    assert!(convert(cases[0].0, Format::OpenMetrics).is_ok());
}
