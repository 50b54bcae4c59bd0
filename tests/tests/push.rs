//! The OTLP exporter and the Pushgateway client against real components started here: OTLP/HTTP and OTLP/gRPC
//! receivers written on the official opentelemetry-proto Python modules (tests/otlp/receiver.py), and a real
//! Pushgateway scraped by a real Prometheus with `honor_labels: true`.

use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use metrics_core::{LabelValue, Registry, metrics};
use metrics_push::otlp::{
    Compression, ExportFailure, OtlpConfig, OtlpExporter, Protocol, Resource, SCOPE_NAME_VALUE,
};
use metrics_push::pushgateway::{GroupingKey, PushOnExit, Pushgateway};
use serde_json::{Value, json};
use tests::http::{ChildGuard, TempDir, free_port, get, wait_for};
use tests::prometheus::{Prometheus, SCRAPE_DEADLINE};
use tests::require_tool;

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
enum Queue {
    Fast,
    Slow,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
enum BreakerState {
    Closed,
    HalfOpen,
    Open,
}

metrics! {
    namespace = "push_otlp";

    /// Jobs done, by queue.
    counter jobs_total { queue: Queue }

    /// Jobs waiting.
    gauge depth;

    /// Fraction of capacity in use.
    gauge load_ratio: f64;

    /// Time jobs took, by queue.
    histogram job_duration_seconds { queue: Queue, buckets = [0.1, 0.5, 2.5] }

    /// Build facts.
    info build_info { version: String }

    /// Circuit breaker state.
    stateset breaker: BreakerState;

    /// Requests sent while the collector was down.
    counter outage_requests_total;
}

metrics! {
    namespace = "push_gateway";

    /// Rows the batch job copied.
    counter rows_total;

    /// Rows left when the batch job ended.
    gauge rows_left;

    /// Runs of the batch job that ended in a panic (pushed by the guard).
    counter guarded_runs_total;
}

/// When the programs under test started counting.
fn start_time() -> SystemTime {
    static START: OnceLock<SystemTime> = OnceLock::new();
    *START.get_or_init(SystemTime::now)
}

/// The registry of every kind, with its values recorded once (both protocol tests compare against them).
fn types_registry() -> &'static Registry {
    static REGISTRY: OnceLock<&'static Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        JOBS_TOTAL.labels(Queue::Fast).inc_by(7);
        JOBS_TOTAL.labels(Queue::Slow).inc();
        DEPTH.set(-4);
        LOAD_RATIO.set(0.625);
        let fast = JOB_DURATION_SECONDS.labels(Queue::Fast);
        for seconds in [0.05, 0.1, 0.3, 1.0, 1.0, 9.0] {
            fast.observe(seconds);
        }
        BUILD_INFO.set(BuildInfoLabels { version: "1.2.3" });
        BREAKER.set(BreakerState::HalfOpen);
        let registry = Registry::builder()
            .register(&JOBS_TOTAL)
            .register(&DEPTH)
            .register(&LOAD_RATIO)
            .register(&JOB_DURATION_SECONDS)
            .register(&BUILD_INFO)
            .register(&BREAKER)
            .build()
            .expect("valid registry");
        Box::leak(Box::new(registry))
    })
}

/// A registry for the whole test binary (each test builds its own once).
fn leak(registry: Result<Registry, metrics_core::RegistryError>) -> &'static Registry {
    Box::leak(Box::new(registry.expect("valid registry")))
}

/// Whether python3 has the official OTLP modules and grpcio; fails in CI, skips loudly elsewhere.
fn require_otlp_python() -> bool {
    tests::require_python_modules(
        "opentelemetry.proto.collector.metrics.v1.metrics_service_pb2_grpc, grpc",
        "opentelemetry-proto grpcio protobuf",
    )
}

/// A running tests/otlp/receiver.py; killed on drop.
struct Receiver {
    port: u16,
    out: PathBuf,
    _process: ChildGuard,
    _dir: TempDir,
}

impl Receiver {
    fn start(protocol: &str, port: u16, args: &[&str]) -> Self {
        let dir = TempDir::new("otlp-receiver");
        let out = dir.path().join("requests.jsonl");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("otlp/receiver.py");
        let mut child = Command::new("python3")
            .arg(script)
            .args(["--protocol", protocol, "--port", &port.to_string(), "--out"])
            .arg(&out)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the OTLP receiver");
        let stdout = child.stdout.take().expect("piped stdout");
        let guard = ChildGuard(child);
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the receiver's port");
        let port = line
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the receiver said {line:?}"));
        Self {
            port,
            out,
            _process: guard,
            _dir: dir,
        }
    }

    fn requests(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).expect("receiver JSON"))
            .collect()
    }
}

fn otlp_config(protocol: Protocol, endpoint: &str) -> OtlpConfig {
    OtlpConfig::from_lookup(|_| None)
        .expect("defaults")
        .with_protocol(protocol)
        .with_endpoint(endpoint)
        .expect("endpoint")
        .with_start_time(start_time())
        .with_resource(Resource::new("push-test").with_attribute("deployment.environment", "test"))
}

fn nanos(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).unwrap().as_nanos() as u64
}

/// The one metric named `name` of a decoded request.
fn metric<'a>(request: &'a Value, name: &str) -> &'a Value {
    let metrics = &request["resources"][0]["scopes"][0]["metrics"];
    metrics
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == name)
        .unwrap_or_else(|| panic!("no metric {name} in {metrics}"))
}

/// Checks every value, bound, attribute, temporality and time of one decoded request of [`types_registry`].
fn assert_types_request(request: &Value, before: SystemTime, after: SystemTime) {
    let start = nanos(start_time());
    let (before, after) = (nanos(before), nanos(after));
    let resource = &request["resources"][0];
    let attributes = &resource["attributes"];
    assert_eq!(attributes["service.name"], "push-test");
    assert_eq!(attributes["deployment.environment"], "test");
    assert_eq!(attributes["telemetry.sdk.name"], "metrics-push");
    assert_eq!(attributes["telemetry.sdk.language"], "rust");
    assert_eq!(
        attributes["telemetry.sdk.version"],
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(
        attributes["service.instance.id"].as_str().unwrap().len(),
        36
    );
    let scope = &resource["scopes"][0];
    assert_eq!(scope["name"], SCOPE_NAME_VALUE);
    assert_eq!(scope["metrics"].as_array().unwrap().len(), 6, "{scope}");

    // Every point: the export's own time; cumulative points also the start time, gauges none.
    for m in scope["metrics"].as_array().unwrap() {
        for point in m["points"].as_array().unwrap() {
            let time = point["time"].as_u64().unwrap();
            assert!(before <= time && time <= after, "{m}");
            let expected_start = if m["kind"] == "gauge" { 0 } else { start };
            assert_eq!(point["start"].as_u64().unwrap(), expected_start, "{m}");
        }
    }
    let strip = |m: &Value| {
        let mut m = m.clone();
        for point in m["points"].as_array_mut().unwrap() {
            let point = point.as_object_mut().unwrap();
            point.remove("time");
            point.remove("start");
        }
        m
    };
    assert_eq!(
        strip(metric(request, "push_otlp_jobs")),
        json!({
            "name": "push_otlp_jobs", "description": "Jobs done, by queue.", "unit": "", "kind": "sum",
            "temporality": "cumulative", "monotonic": true,
            "points": [
                {"attributes": {"queue": "fast"}, "int": 7},
                {"attributes": {"queue": "slow"}, "int": 1},
            ],
        })
    );
    assert_eq!(
        strip(metric(request, "push_otlp_depth")),
        json!({
            "name": "push_otlp_depth", "description": "Jobs waiting.", "unit": "", "kind": "gauge",
            "points": [{"attributes": {}, "int": -4}],
        })
    );
    assert_eq!(
        strip(metric(request, "push_otlp_load_ratio")),
        json!({
            "name": "push_otlp_load_ratio", "description": "Fraction of capacity in use.", "unit": "1",
            "kind": "gauge", "points": [{"attributes": {}, "double": 0.625}],
        })
    );
    // Per-bucket counts (OTLP), not the registry's cumulative ones: (..0.1] 2, (0.1..0.5] 1, (0.5..2.5] 2,
    // (2.5..) 1. The slow queue has no observations and still reports its (empty) series.
    assert_eq!(
        strip(metric(request, "push_otlp_job_duration_seconds")),
        json!({
            "name": "push_otlp_job_duration_seconds", "description": "Time jobs took, by queue.", "unit": "s",
            "kind": "histogram", "temporality": "cumulative",
            "points": [
                {"attributes": {"queue": "fast"}, "count": 6, "sum": 11.45,
                 "bucket_counts": [2, 1, 2, 1], "bounds": [0.1, 0.5, 2.5]},
                {"attributes": {"queue": "slow"}, "count": 0, "sum": 0.0,
                 "bucket_counts": [0, 0, 0, 0], "bounds": [0.1, 0.5, 2.5]},
            ],
        })
    );
    assert_eq!(
        strip(metric(request, "push_otlp_build_info")),
        json!({
            "name": "push_otlp_build_info", "description": "Build facts.", "unit": "", "kind": "sum",
            "temporality": "cumulative", "monotonic": false,
            "points": [{"attributes": {"version": "1.2.3"}, "int": 1}],
        })
    );
    assert_eq!(
        strip(metric(request, "push_otlp_breaker")),
        json!({
            "name": "push_otlp_breaker", "description": "Circuit breaker state.", "unit": "", "kind": "sum",
            "temporality": "cumulative", "monotonic": false,
            "points": [
                {"attributes": {"push_otlp_breaker": "closed"}, "int": 0},
                {"attributes": {"push_otlp_breaker": "half_open"}, "int": 1},
                {"attributes": {"push_otlp_breaker": "open"}, "int": 0},
            ],
        })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn otlp_http_export_is_decoded_by_the_official_modules_exactly_as_recorded() {
    if !require_otlp_python() {
        return;
    }
    let receiver = Receiver::start("http", 0, &["--reject", "2"]);
    let registry = types_registry();
    let config = otlp_config(
        Protocol::HttpProtobuf,
        &format!("http://127.0.0.1:{}/v1/metrics", receiver.port),
    )
    .with_compression(Compression::Gzip)
    .with_header("x-tenant", "blue")
    .unwrap();
    let mut exporter = OtlpExporter::new(registry, &config).unwrap();
    let before = SystemTime::now();
    let report = exporter.export().await.expect("export");
    let after = SystemTime::now();
    // The receiver's partial success is reported back.
    assert_eq!(report.attempts, 1);
    assert_eq!(report.rejected_data_points, 2);
    assert_eq!(report.message, "test receiver rejects some points");
    let requests = receiver.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0]["encoding"], "gzip");
    assert_eq!(requests[0]["headers"]["x-tenant"], "blue");
    assert_types_request(&requests[0], before, after);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn otlp_grpc_export_is_decoded_by_the_official_modules_exactly_as_recorded_after_unavailable_retries()
 {
    if !require_otlp_python() {
        return;
    }
    // The first two calls answer UNAVAILABLE: the exporter backs off and retries.
    let receiver = Receiver::start("grpc", 0, &["--fail", "2"]);
    let registry = types_registry();
    let config = otlp_config(
        Protocol::Grpc,
        &format!("http://127.0.0.1:{}", receiver.port),
    )
    .with_compression(Compression::Gzip)
    .with_header("x-tenant", "green")
    .unwrap();
    let mut exporter = OtlpExporter::new(registry, &config).unwrap();
    let before = SystemTime::now();
    let report = exporter.export().await.expect("export");
    let after = SystemTime::now();
    assert_eq!(report.attempts, 3);
    assert_eq!(report.rejected_data_points, 0);
    let requests = receiver.requests();
    assert_eq!(requests.len(), 1);
    // grpcio decompresses the gzip-flagged frame itself (and hides `grpc-encoding` from the handler): the
    // decoded request below is the proof that the compressed framing is right.
    assert_eq!(requests[0]["headers"]["x-tenant"], "green");
    assert_types_request(&requests[0], before, after);
}

/// Resident memory of this process, in KiB.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_the_collector_is_down_the_program_runs_memory_stays_flat_and_recovery_sends_the_totals()
 {
    if !require_otlp_python() {
        return;
    }
    let registry = leak(Registry::builder().register(&OUTAGE_REQUESTS_TOTAL).build());
    let port = free_port();
    let interval = Duration::from_millis(50);
    let config = otlp_config(
        Protocol::HttpProtobuf,
        &format!("http://127.0.0.1:{port}/v1/metrics"),
    )
    .with_interval(interval)
    .with_timeout(Duration::from_millis(200));
    let failures = || {
        let mut total = 0;
        metrics_push::otlp::families()[1].collect(
            &mut |s: &metrics_core::Series<'_>, sample: &metrics_core::Sample<'_>| {
                if s.values() == ["connect"]
                    && let metrics_core::Sample::Counter(metrics_core::Number::U64(n)) = sample
                {
                    total += n;
                }
            },
        );
        total
    };
    let failures_before = failures();
    let handle = OtlpExporter::new(registry, &config).unwrap().spawn();

    // The application keeps working, unaffected, through many failed intervals.
    let work = async {
        for _ in 0..20 {
            OUTAGE_REQUESTS_TOTAL.inc();
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    work.await;
    let rss_start = rss_kib();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(3) {
        OUTAGE_REQUESTS_TOTAL.inc();
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let rss_end = rss_kib();
    assert!(
        rss_end <= rss_start + 4 * 1024,
        "RSS grew from {rss_start} KiB to {rss_end} KiB over ~60 failed intervals"
    );
    assert!(
        failures() - failures_before >= 10,
        "connection failures were not counted"
    );

    // The collector comes up: the next export carries every increment, lost intervals included.
    let receiver = Receiver::start("http", port, &[]);
    let total = OUTAGE_REQUESTS_TOTAL.get();
    let request = wait_for(
        "an export after recovery",
        Duration::from_secs(10),
        interval,
        async || {
            receiver
                .requests()
                .pop()
                .ok_or_else(|| "nothing received yet".to_owned())
        },
    )
    .await;
    let value = metric(&request, "push_otlp_outage_requests")["points"][0]["int"]
        .as_u64()
        .unwrap();
    assert_eq!(value, total);

    // Shutdown makes one final export with the final total.
    OUTAGE_REQUESTS_TOTAL.inc_by(5);
    let final_report = handle.shutdown().await.expect("final export");
    assert_eq!(final_report.attempts, 1);
    let last = receiver.requests().pop().unwrap();
    let value = metric(&last, "push_otlp_outage_requests")["points"][0]["int"]
        .as_u64()
        .unwrap();
    assert_eq!(value, OUTAGE_REQUESTS_TOTAL.get());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_503_with_retry_after_is_retried_after_the_requested_delay() {
    if !require_otlp_python() {
        return;
    }
    let receiver = Receiver::start(
        "http",
        0,
        &["--fail", "1", "--status", "503", "--retry-after", "1"],
    );
    let config = otlp_config(
        Protocol::HttpProtobuf,
        &format!("http://127.0.0.1:{}/v1/metrics", receiver.port),
    )
    .with_interval(Duration::from_secs(10));
    let mut exporter = OtlpExporter::new(types_registry(), &config).unwrap();
    let started = Instant::now();
    let report = exporter.export().await.expect("export after the retry");
    let took = started.elapsed();
    assert_eq!(report.attempts, 2);
    // Retry-After: 1 is honoured rather than the 250 ms first backoff.
    assert!(took >= Duration::from_secs(1), "retried after {took:?}");
    assert!(took < Duration::from_secs(5), "retried after {took:?}");
    assert_eq!(receiver.requests().len(), 1);

    // A non-retryable status is not retried.
    let rejecting = Receiver::start("http", 0, &["--fail", "5", "--status", "400"]);
    let config = otlp_config(
        Protocol::HttpProtobuf,
        &format!("http://127.0.0.1:{}/v1/metrics", rejecting.port),
    );
    let error = OtlpExporter::new(types_registry(), &config)
        .unwrap()
        .export()
        .await
        .unwrap_err();
    assert_eq!((error.reason, error.attempts), (ExportFailure::Rejected, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_slower_than_the_timeout_fails_the_export_within_its_interval() {
    if !require_otlp_python() {
        return;
    }
    let receiver = Receiver::start("http", 0, &["--delay", "3"]);
    let config = otlp_config(
        Protocol::HttpProtobuf,
        &format!("http://127.0.0.1:{}/v1/metrics", receiver.port),
    )
    .with_timeout(Duration::from_millis(300))
    .with_interval(Duration::from_secs(1));
    let mut exporter = OtlpExporter::new(types_registry(), &config).unwrap();
    let started = Instant::now();
    let error = exporter.export().await.unwrap_err();
    let took = started.elapsed();
    assert_eq!(error.reason, ExportFailure::Timeout);
    assert!(error.attempts >= 2, "{error}");
    assert!(
        took < Duration::from_millis(1500),
        "the export overran its interval: {took:?}"
    );
}

/// A running Pushgateway on a free loopback port; killed on drop.
struct Gateway {
    addr: SocketAddr,
    _process: ChildGuard,
}

impl Gateway {
    async fn start(program: &Path) -> Self {
        let addr = SocketAddr::from(([127, 0, 0, 1], free_port()));
        let child = Command::new(program)
            .arg(format!("--web.listen-address={addr}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the Pushgateway");
        let gateway = Self {
            addr,
            _process: ChildGuard(child),
        };
        wait_for(
            "pushgateway ready",
            SCRAPE_DEADLINE,
            Duration::from_millis(100),
            async || match tests::http::try_request("GET", addr, "/-/ready", &[]).await {
                Ok(reply) if reply.status == 200 => Ok(()),
                other => Err(format!("{other:?}")),
            },
        )
        .await;
        gateway
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushed_values_reach_prometheus_with_the_pushed_job_and_delete_removes_the_group() {
    let Some(pushgateway) = require_tool(
        "prometheus-pushgateway",
        "apt-get install prometheus-pushgateway",
    ) else {
        return;
    };
    let Some(prometheus) = require_tool("prometheus", "apt-get install prometheus") else {
        return;
    };
    let gateway = Gateway::start(&pushgateway).await;
    let prom = Prometheus::start_with(&prometheus, gateway.addr, "    honor_labels: true\n").await;

    let registry = leak(
        Registry::builder()
            .register(&ROWS_TOTAL)
            .register(&ROWS_LEFT)
            .build(),
    );
    ROWS_TOTAL.inc_by(1234);
    ROWS_LEFT.set(7);
    let client = Pushgateway::new(&format!("http://{}", gateway.addr)).unwrap();
    // An instance with a `/` travels base64-encoded in the path.
    let key = GroupingKey::new("nightly_copy")
        .unwrap()
        .with_label("instance", "worker/1")
        .unwrap();
    client.push(&key, registry).await.expect("push");

    let found = wait_for(
        "the pushed value in Prometheus",
        SCRAPE_DEADLINE,
        Duration::from_millis(250),
        async || match prom.query("push_gateway_rows_total").await {
            Ok(result) if !result.is_empty() => Ok(result),
            other => Err(format!("{other:?}")),
        },
    )
    .await;
    assert_eq!(found.len(), 1, "{found:?}");
    let (labels, value) = &found[0];
    assert_eq!(*value, 1234.0);
    // honor_labels: the pushed job and instance, not the Pushgateway's own target labels.
    assert_eq!(labels["job"], "nightly_copy");
    assert_eq!(labels["instance"], "worker/1");

    // push-add replaces only what it sends; delete removes the whole group.
    ROWS_LEFT.set(0);
    client.push_add(&key, registry).await.expect("push-add");
    let text = get(gateway.addr, "/metrics", &[]).await.text();
    assert!(
        text.contains("push_gateway_rows_left{instance=\"worker/1\",job=\"nightly_copy\"} 0"),
        "{text}"
    );
    client.delete(&key).await.expect("delete");
    let text = get(gateway.addr, "/metrics", &[]).await.text();
    assert!(
        !text.contains("nightly_copy"),
        "the group survived its delete:\n{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_guard_pushes_when_the_batch_job_panics() {
    let Some(pushgateway) = require_tool(
        "prometheus-pushgateway",
        "apt-get install prometheus-pushgateway",
    ) else {
        return;
    };
    let gateway = Gateway::start(&pushgateway).await;
    let registry = leak(Registry::builder().register(&GUARDED_RUNS_TOTAL).build());
    let client = Pushgateway::new(&format!("http://{}", gateway.addr)).unwrap();
    let key = GroupingKey::new("guarded").unwrap();
    // The batch job's main: counts, then panics with the guard armed.
    let job = std::thread::spawn(move || {
        let _push = PushOnExit::new(client, key, registry);
        GUARDED_RUNS_TOTAL.inc_by(3);
        panic!("the batch job failed");
    });
    assert!(job.join().is_err());
    let text = get(gateway.addr, "/metrics", &[]).await.text();
    assert!(
        text.contains("push_gateway_guarded_runs_total{instance=\"\",job=\"guarded\"} 3"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_otlp_example_exports_its_totals_configured_by_the_otel_variables() {
    if !require_otlp_python() {
        return;
    }
    // `cargo test --workspace` builds the examples beside this test binary (target/<profile>/examples);
    // `cargo test -p tests` alone does not.
    let exe = std::env::current_exe().unwrap();
    let example = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples/otlp_export");
    if !example.is_file() {
        eprintln!(
            "\n!!! SKIPPED: {} is not built (run `cargo test --workspace`).\n",
            example.display()
        );
        return;
    }
    let receiver = Receiver::start("grpc", 0, &[]);
    let output = tokio::task::spawn_blocking(move || {
        Command::new(example)
            .env("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
            .env(
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                format!("http://127.0.0.1:{}", receiver.port),
            )
            .env("OTEL_SERVICE_NAME", "otlp-example")
            .env("OTEL_RESOURCE_ATTRIBUTES", "team=metrics%20core")
            .env("OTEL_METRIC_EXPORT_INTERVAL", "400")
            .env("OTLP_EXAMPLE_ROUNDS", "2")
            .output()
            .map(|output| (output, receiver))
    })
    .await
    .unwrap()
    .expect("run the example");
    let (output, receiver) = output;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The final export (on shutdown) carries both rounds: one success per job type per round.
    let requests = receiver.requests();
    let last = requests.last().expect("at least the final export");
    assert_eq!(
        last["resources"][0]["attributes"]["service.name"],
        "otlp-example"
    );
    assert_eq!(last["resources"][0]["attributes"]["team"], "metrics core");
    let jobs = metric(last, "otlp_example_jobs");
    assert_eq!(jobs["monotonic"], true);
    let points = jobs["points"].as_array().unwrap();
    let total: i64 = points.iter().map(|p| p["int"].as_i64().unwrap()).sum();
    assert_eq!(total, 4, "{jobs}");
    // The exporter's own metrics travel with the program's.
    assert_eq!(metric(last, "metrics_push_otlp_exports")["kind"], "sum");
}
