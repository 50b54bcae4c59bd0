//! The workflow orchestrator example (seed 004) scraped by a real Prometheus with exemplar storage and exporting
//! over OTLP/gRPC to a receiver built on the official opentelemetry-proto modules (`tests/otlp/receiver.py`).
//! Run in-process on a free port, ten times faster than real time; the test takes the database down and brings
//! it back itself.
//!
//! Checked: the seed's families in seconds; step p50/p95/p99 finite; task and step failure rates; no
//! `correlation_id` label anywhere; the API breaker's transitions (closed, open, half-open, closed) visible in
//! Prometheus and rejections above the seed's 10/s alert threshold during an outage; during a slowdown the
//! completion channel fills above 80 %, its sends are slow and its breaker opens and closes again; the three
//! named channels' capacities; step duration exemplars carry the tasks' trace ids; OTLP pushes arrive
//! every interval, and the final push carries the same values as the scrape. Prometheus loads the catalog's
//! generated rules (windows divided by 60): the breaker-open alert goes off during the outage, and every
//! recorded series and dashboard query returns data.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use examples::workflow_orchestrator::catalog::catalog;
use examples::workflow_orchestrator::{DEFAULT_ADDR, Orchestrator, Settings, otlp_config};
use metrics_push::otlp::Protocol;
use serde_json::Value;
use tests::http::{ChildGuard, TempDir, get, wait_for};
use tests::prometheus::{Prometheus, SCRAPE_DEADLINE};
use tests::require_tool;

/// The catalog as the end-to-end test loads it: 5 s rates, every objective window divided by 60 (the breaker-open
/// alert waits 1 s).
const CATALOG_TEST_SETTINGS: metrics_catalog::Settings = metrics_catalog::Settings {
    rate_window_ms: 5000,
    time_scale: 60,
};

/// The seed's families in their compliant form, and their types.
const SEED_FAMILIES: [(&str, &str); 26] = [
    ("tasker_tasks_requests_total", "counter"),
    ("tasker_tasks_completions_total", "counter"),
    ("tasker_tasks_failures_total", "counter"),
    ("tasker_steps_enqueued_total", "counter"),
    ("tasker_step_results_processed_total", "counter"),
    ("tasker_task_initialization_duration_seconds", "histogram"),
    ("tasker_task_finalization_duration_seconds", "histogram"),
    (
        "tasker_step_result_processing_duration_seconds",
        "histogram",
    ),
    ("tasker_tasks_active", "gauge"),
    ("tasker_steps_ready", "gauge"),
    ("tasker_steps_executions_total", "counter"),
    ("tasker_steps_successes_total", "counter"),
    ("tasker_steps_failures_total", "counter"),
    ("tasker_steps_claimed_total", "counter"),
    ("tasker_steps_results_submitted_total", "counter"),
    ("tasker_step_execution_duration_seconds", "histogram"),
    ("tasker_step_claim_duration_seconds", "histogram"),
    (
        "tasker_step_result_submission_duration_seconds",
        "histogram",
    ),
    ("tasker_steps_active_executions", "gauge"),
    ("tasker_circuit_breaker_state", "gauge"),
    ("api_requests_rejected_total", "counter"),
    ("ffi_completion_slow_sends_total", "counter"),
    ("ffi_completion_circuit_open_rejections_total", "counter"),
    ("channel_capacity", "gauge"),
    ("channel_depth", "gauge"),
    ("channel_full_total", "counter"),
];

fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

/// The one value of an instant query, waiting until Prometheus has it and `accept` holds.
async fn value(prometheus: &Prometheus, promql: &str, accept: impl Fn(f64) -> bool) -> f64 {
    wait_for(
        promql,
        SCRAPE_DEADLINE,
        Duration::from_millis(250),
        async || match prometheus.query(promql).await?.as_slice() {
            [(_, value)] if accept(*value) => Ok(*value),
            other => Err(format!("{other:?}")),
        },
    )
    .await
}

/// A running `tests/otlp/receiver.py` serving OTLP/gRPC; killed on drop.
struct Receiver {
    port: u16,
    out: PathBuf,
    _process: ChildGuard,
    _dir: TempDir,
}

impl Receiver {
    fn start() -> Self {
        let dir = TempDir::new("orchestrator-otlp");
        let out = dir.path().join("requests.jsonl");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("otlp/receiver.py");
        let mut child = Command::new("python3")
            .arg(script)
            .args(["--protocol", "grpc", "--port", "0", "--out"])
            .arg(&out)
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

/// The value of every series of the counter `name` in a 0.0.4 scrape, by its label text.
fn scraped_counter(text: &str, name: &str) -> BTreeMap<String, f64> {
    text.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix(name)?;
            let (labels, value) = rest.rsplit_once(' ')?;
            if !(labels.is_empty() || labels.starts_with('{')) {
                return None;
            }
            Some((labels.to_owned(), value.parse().ok()?))
        })
        .collect()
}

/// The points of the OTLP sum `name` (exported without `_total`) in one decoded request, as label text like
/// the scrape's, ordered by the label names the scrape uses.
fn pushed_counter(request: &Value, name: &str, label_order: &[&str]) -> BTreeMap<String, f64> {
    let metrics = &request["resources"][0]["scopes"][0]["metrics"];
    let metric = metrics
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == name)
        .unwrap_or_else(|| panic!("no metric {name} in {metrics}"));
    assert_eq!(metric["kind"], "sum", "{metric}");
    assert_eq!(metric["monotonic"], true, "{metric}");
    metric["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|point| {
            let labels: Vec<String> = label_order
                .iter()
                .map(|key| format!("{key}=\"{}\"", point["attributes"][key].as_str().unwrap()))
                .collect();
            let labels = if labels.is_empty() {
                String::new()
            } else {
                format!("{{{}}}", labels.join(","))
            };
            (labels, point["int"].as_f64().unwrap())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_acceptance_criteria_hold_in_prometheus_and_over_otlp() {
    let Some(program) = require_tool("prometheus", "apt-get install prometheus") else {
        return;
    };
    if !tests::require_python_modules(
        "opentelemetry.proto.collector.metrics.v1.metrics_service_pb2_grpc, grpc",
        "opentelemetry-proto grpcio protobuf",
    ) {
        return;
    }
    let receiver = Receiver::start();
    let endpoint = format!("http://127.0.0.1:{}", receiver.port);
    let otlp = otlp_config(|name| match name {
        "OTEL_EXPORTER_OTLP_ENDPOINT" => Some(endpoint.clone()),
        "OTEL_METRIC_EXPORT_INTERVAL" => Some("1000".to_owned()),
        _ => None,
    })
    .expect("OTLP settings");
    assert_eq!(
        otlp.protocol(),
        Protocol::Grpc,
        "the seed exports over gRPC"
    );
    let started = now();
    let settings = Settings {
        tasks_per_second: 40.0,
        time_scale: 0.1,
        failure_rate: 0.05,
        outage_every: 0.0,
        seed: 4,
        otlp: Some(otlp),
        http: metrics_http::Config::default().addr(SocketAddr::from(([127, 0, 0, 1], 0))),
        ..Settings::default()
    };
    let mut orchestrator = Orchestrator::start(settings)
        .await
        .expect("start the orchestrator");
    let addr = orchestrator.local_addr();

    let text = wait_for(
        "tasks complete",
        Duration::from_secs(15),
        Duration::from_millis(100),
        async || {
            let text = get(addr, "/metrics", &[]).await.text();
            if text.contains("tasker_tasks_completions_total{task_type=\"report_generation\"} ")
                && !text
                    .contains("tasker_tasks_completions_total{task_type=\"report_generation\"} 0\n")
            {
                Ok(text)
            } else {
                Err(text)
            }
        },
    )
    .await;
    for (name, kind) in SEED_FAMILIES {
        assert!(
            text.contains(&format!("# TYPE {name} {kind}\n")),
            "{name} ({kind}) is not served:\n{text}"
        );
    }
    assert!(!text.contains("milliseconds"), "{text}");
    assert!(!text.contains("correlation_id"), "{text}");

    let catalog = catalog(CATALOG_TEST_SETTINGS).expect("the example's catalog builds");
    let rules = catalog.files().expect("the catalog's files")["rules.yml"].clone();
    let prometheus = Prometheus::start_with_rules_and_flags(
        &program,
        addr,
        "",
        &rules,
        &["--enable-feature=exemplar-storage"],
    )
    .await;
    prometheus.target_up().await;

    // Worker dashboard: step execution latency percentiles, finite and ordered.
    let mut previous = 0.0;
    for q in ["0.5", "0.95", "0.99"] {
        let promql = format!(
            "histogram_quantile({q}, sum by (le) (rate(tasker_step_execution_duration_seconds_bucket[10s])))"
        );
        let v = value(&prometheus, &promql, |v| v.is_finite() && v > 0.0).await;
        assert!(v >= previous, "p{q} = {v} < {previous}");
        previous = v;
    }
    // The seed's own queries, in seconds, by namespace and claim method.
    for promql in [
        "histogram_quantile(0.95, sum by (le) (rate(tasker_task_initialization_duration_seconds_bucket[10s])))",
        "histogram_quantile(0.95, sum by (claim_method, le) (rate(tasker_step_claim_duration_seconds_bucket{claim_method=\"event\"}[10s])))",
        "histogram_quantile(0.95, sum by (namespace, le) (rate(tasker_step_execution_duration_seconds_bucket{namespace=\"rust_e2e_linear\"}[10s])))",
        "rate(tasker_step_result_processing_duration_seconds_sum{result_type=\"success\"}[10s]) / rate(tasker_step_result_processing_duration_seconds_count{result_type=\"success\"}[10s])",
    ] {
        value(&prometheus, promql, |v| v.is_finite() && v > 0.0).await;
    }
    // Failure rates, and the step flow: enqueued >= executed >= succeeded.
    value(
        &prometheus,
        "sum(rate(tasker_steps_failures_total[10s])) / sum(rate(tasker_steps_executions_total[10s]))",
        |v| v > 0.0 && v < 0.5,
    )
    .await;
    value(
        &prometheus,
        "sum(rate(tasker_tasks_completions_total[10s])) / (sum(rate(tasker_tasks_completions_total[10s])) + sum(rate(tasker_tasks_failures_total[10s])))",
        |v| v > 0.5 && v < 1.0,
    )
    .await;
    value(
        &prometheus,
        "sum(tasker_steps_enqueued_total) >= sum(tasker_steps_executions_total) and sum(tasker_steps_executions_total) >= sum(tasker_steps_successes_total)",
        |v| v > 0.0,
    )
    .await;
    // The gauges the seed planned: tasks and steps in progress.
    for promql in [
        "sum(tasker_tasks_active)",
        "sum(tasker_steps_active_executions)",
    ] {
        value(&prometheus, promql, |v| v > 0.0).await;
    }
    // No `correlation_id` label on any stored series.
    let labels = prometheus.api("/api/v1/labels").await.expect("labels");
    assert!(
        !labels["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l == "correlation_id"),
        "{labels}"
    );
    assert!(
        prometheus
            .query("count({correlation_id=~\".+\"})")
            .await
            .expect("query")
            .is_empty()
    );
    // The named channels' capacities.
    for (channel, capacity) in examples::workflow_orchestrator::pipeline::CHANNELS {
        value(
            &prometheus,
            &format!("channel_capacity{{channel=\"{channel}\"}}"),
            |v| v == capacity as f64,
        )
        .await;
    }

    // A database outage: the API breaker opens, requests are rejected above the seed's 10/s, the completion
    // channel fills; then it recovers and the breaker closes again.
    value(
        &prometheus,
        "tasker_circuit_breaker_state{component=\"api\",tasker_circuit_breaker_state=\"closed\"}",
        |v| v == 1.0,
    )
    .await;
    orchestrator.world().set_db_down(true);
    value(
        &prometheus,
        "tasker_circuit_breaker_state{component=\"api\",tasker_circuit_breaker_state=\"open\"}",
        |v| v == 1.0,
    )
    .await;
    value(
        &prometheus,
        "sum(rate(api_requests_rejected_total[3s]))",
        |v| v > 10.0,
    )
    .await;
    // The seed's breaker-open alert, generated from the catalog.
    prometheus
        .alert_goes_off("TaskerCircuitBreakerStateStateOpen")
        .await;
    value(
        &prometheus,
        "sum(tasker_steps_failures_total{error_type=\"database_error\"})",
        |v| v > 0.0,
    )
    .await;
    orchestrator.world().set_db_down(false);
    value(
        &prometheus,
        "tasker_circuit_breaker_state{component=\"api\",tasker_circuit_breaker_state=\"closed\"}",
        |v| v == 1.0,
    )
    .await;
    // closed -> open -> half-open -> closed (at least), as Prometheus stored it.
    value(
        &prometheus,
        "changes(tasker_circuit_breaker_state{component=\"api\",tasker_circuit_breaker_state=\"open\"}[1m])",
        |v| v >= 2.0,
    )
    .await;

    // A slow database: result processing falls behind, the completion channel fills (full events, slow sends),
    // the completion breaker opens and refuses completions; the backpressure reaches the step queue.
    orchestrator.world().set_db_slow(true);
    for promql in [
        "channel_full_total{channel=\"ffi_completion\"}",
        "ffi_completion_slow_sends_total",
        "ffi_completion_circuit_open_rejections_total",
        "tasker_circuit_breaker_state{component=\"ffi_completion\",tasker_circuit_breaker_state=\"open\"}",
        "max(channel_depth / channel_capacity)",
    ] {
        value(&prometheus, promql, |v| v > 0.0).await;
    }
    value(
        &prometheus,
        "max_over_time(channel_depth{channel=\"ffi_completion\"}[10s]) / channel_capacity{channel=\"ffi_completion\"}",
        |v| v >= 0.8,
    )
    .await;
    orchestrator.world().set_db_slow(false);
    value(
        &prometheus,
        "tasker_circuit_breaker_state{component=\"ffi_completion\",tasker_circuit_breaker_state=\"closed\"}",
        |v| v == 1.0,
    )
    .await;

    // Every recorded series and every dashboard query of the four dashboards returns data: no empty panel.
    let (dashboards, recorded) = catalog.queries();
    prometheus
        .every_query_returns_data(recorded.iter().chain(&dashboards))
        .await;

    // Exemplars: step durations link to the traces of the tasks the steps belong to.
    let exemplars = prometheus
        .exemplar_trace_ids(
            "tasker_step_execution_duration_seconds_bucket",
            started - 1.0,
            now() + 60.0,
            5,
        )
        .await;
    let issued: BTreeSet<String> = orchestrator.world().traces().into_iter().collect();
    for id in &exemplars {
        assert_eq!(id.len(), 32, "{id}");
        assert!(
            issued.contains(id),
            "exemplar trace {id} is no task's trace"
        );
    }

    // OTLP: an export every interval while running; after the simulation stops, the final export carries the
    // scrape's values.
    let periodic = receiver.requests().len();
    assert!(periodic >= 3, "{periodic} exports so far");
    orchestrator.stop_simulation().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let scrape = get(addr, "/metrics", &[]).await.text();
    // Nothing is in progress once the simulation has stopped: the cancelled tasks left their states.
    for state in ["initializing", "steps_in_process", "finalizing"] {
        let series = format!("tasker_tasks_active{{state=\"{state}\"}} 0\n");
        assert!(scrape.contains(&series), "no {series}:\n{scrape}");
    }
    for namespace in ["rust_e2e_linear", "fulfillment", "reporting"] {
        let series = format!("tasker_steps_ready{{namespace=\"{namespace}\"}} 0\n");
        assert!(scrape.contains(&series), "no {series}:\n{scrape}");
    }
    let report = orchestrator
        .shutdown()
        .await
        .expect("an exporter ran")
        .expect("the final export succeeds");
    assert_eq!(report.rejected_data_points, 0, "{report:?}");
    let last = receiver.requests().pop().expect("the final export");
    assert_eq!(
        last["resources"][0]["attributes"]["service.name"], "tasker-core",
        "{last}"
    );
    for (name, labels) in [
        (
            "tasker_tasks_requests_total",
            &["task_type", "namespace"][..],
        ),
        ("tasker_tasks_completions_total", &["task_type"][..]),
        (
            "tasker_steps_enqueued_total",
            &["namespace", "step_name"][..],
        ),
        ("tasker_steps_executions_total", &["namespace"][..]),
        (
            "tasker_steps_failures_total",
            &["namespace", "error_type"][..],
        ),
        ("api_requests_rejected_total", &["endpoint"][..]),
        ("ffi_completion_slow_sends_total", &[][..]),
    ] {
        let scraped = scraped_counter(&scrape, name);
        assert!(!scraped.is_empty(), "{name} not scraped");
        let pushed = pushed_counter(&last, name.trim_end_matches("_total"), labels);
        assert_eq!(pushed, scraped, "{name}: pushed vs scraped");
    }
}

#[test]
fn settings_come_from_the_environment() {
    let settings = Settings::from_lookup(|_| None).expect("defaults");
    assert_eq!(settings.http.bind_addr(), DEFAULT_ADDR);
    let otlp = settings.otlp.expect("on by default, as the seed");
    assert_eq!(otlp.protocol(), Protocol::Grpc);
    assert_eq!(otlp.endpoint().to_string(), "http://localhost:4317/");
    assert_eq!(otlp.interval(), Duration::from_mins(1));
    let settings =
        Settings::from_lookup(|name| (name == "TASKER_OTLP").then(|| "false".to_owned()))
            .expect("parsed");
    assert!(settings.otlp.is_none());
    let error =
        Settings::from_lookup(|name| (name == "TASKER_TIME_SCALE").then(|| "fast".to_owned()))
            .expect_err("refused");
    assert!(error.contains("TASKER_TIME_SCALE"), "{error}");
}
