//! Real scrapers against the server: a Prometheus (2.42, Debian package) and a VictoriaMetrics started on free
//! loopback ports with temporary storage and a 1 s scrape interval, scraping with a bearer token. The target must
//! be up with no error, the values the test recorded must come back from `/api/v1/query`, Prometheus' metadata
//! must carry type, help and unit, and `histogram_quantile` over the histogram must be the finite value the
//! recorded observations imply. Prometheus also reads the process collector back with the values and metadata
//! `client_golang`'s names carry, and runs with exemplar storage: the traced example's request trace ids
//! must come back from `/api/v1/query_exemplars`.

use std::fs::File;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use metrics_core::{LabelValue, instrument_job, metrics};
use metrics_http::{BearerToken, Config};
use tests::http::{ChildGuard, TempDir, TestServer, free_port, get, try_request, wait_for};
use tests::prometheus::{self, SCRAPE_DEADLINE};
use tests::require_tool;

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
enum PromKind {
    Email,
    Report,
}

metrics! {
    /// Jobs the Prometheus test recorded.
    counter http_prom_jobs_total { kind: PromKind }

    /// How long the Prometheus test's jobs took.
    histogram http_prom_job_duration_seconds { buckets = latency }

    /// Jobs waiting, read at scrape time.
    gauge http_prom_queue_depth { kind: PromKind, observe = read_queue_depth }

    /// A family whose reading always fails: the scrape must still succeed without it.
    gauge http_prom_broken_depth { observe = read_broken_depth }
}

fn read_queue_depth(out: &mut HttpPromQueueDepthObserver<'_>) {
    out.observe(
        HttpPromQueueDepthLabels {
            kind: PromKind::Report,
        },
        12,
    );
}

fn read_broken_depth(_: &mut HttpPromBrokenDepthObserver<'_>) {
    panic!(
        "the queue's database is unreachable (a deliberate failure of the observable-family test)"
    );
}

metrics_collectors::process_collector!();

/// A job instrumented with the built-in preset: its series carry `function` and `module`, and Prometheus adds its
/// own `job` (the scrape job's name) beside them without renaming anything.
#[instrument_job]
fn prom_settle(fail: bool) -> Result<(), std::io::Error> {
    if fail {
        Err(std::io::Error::from(std::io::ErrorKind::TimedOut))
    } else {
        Ok(())
    }
}

struct PromWorker;

impl PromWorker {
    #[instrument_job]
    fn run(&self) {}
}

const TOKEN: &str = "prom-scrape-token";

/// Records the values once for the binary: 42 email jobs, and 20 jobs of 0.3 s, whose 95th percentile
/// `histogram_quantile` puts at 0.25 + (0.5 - 0.25) * 19 / 20 = 0.4875 in the (0.25, 0.5] bucket. Also runs the
/// traced example's requests (one per bucket it lands in), and returns their trace ids and when they ran.
fn record() -> &'static Traced {
    static TRACED: std::sync::OnceLock<Traced> = std::sync::OnceLock::new();
    TRACED.get_or_init(|| {
        HTTP_PROM_JOBS_TOTAL.labels(PromKind::Email).inc_by(42);
        for _ in 0..20 {
            HTTP_PROM_JOB_DURATION_SECONDS.observe(0.3);
        }
        for fail in [false, false, false, true] {
            let _ = prom_settle(fail);
        }
        PromWorker.run();
        let (subscriber, _provider) = examples::traced::subscriber();
        let start = unix_seconds();
        let (traces, job) = tracing::subscriber::with_default(subscriber, || {
            (
                [0.02, 0.3, 1.7].map(examples::traced::handle_request),
                examples::traced::reindex(),
            )
        });
        Traced {
            traces,
            job,
            start,
            end: unix_seconds(),
        }
    })
}

/// The traced example's requests and job run: their trace ids, and the seconds since the epoch around them.
struct Traced {
    traces: [String; 3],
    job: String,
    start: f64,
    end: f64,
}

fn unix_seconds() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs_f64()
}

/// Prometheus' stored exemplars of the traced example's buckets hold each request's trace id, with a timestamp
/// from when it ran, and the instrumented job's duration bucket holds its run's.
async fn exemplars_come_back(addr: SocketAddr) {
    let traced = record();
    let requests = stored_exemplars(addr, "traced_request_duration_seconds_bucket", 3).await;
    let job = stored_exemplars(
        addr,
        r#"job_run_duration_seconds_bucket{function="reindex",outcome="success"}"#,
        1,
    )
    .await;
    for (trace, exemplars) in traced
        .traces
        .iter()
        .map(|trace| (trace, &requests))
        .chain([(&traced.job, &job)])
    {
        let (_, timestamp) = exemplars
            .iter()
            .find(|(id, _)| id == trace)
            .unwrap_or_else(|| panic!("trace {trace} not among the exemplars {exemplars:?}"));
        assert!(
            (traced.start - 1.0..=traced.end + 1.0).contains(timestamp),
            "exemplar of {trace} stamped {timestamp}, outside {}..{}",
            traced.start,
            traced.end
        );
    }
}

/// The exemplars Prometheus stored for `selector` while the traced work ran (waiting for at least `least`): each
/// one's trace id and timestamp.
async fn stored_exemplars(addr: SocketAddr, selector: &str, least: usize) -> Vec<(String, f64)> {
    let traced = record();
    // The API's window must cover the exemplars' own timestamps (a coarse clock's tick either side).
    let path = format!(
        "/api/v1/query_exemplars?query={}&start={:.3}&end={:.3}",
        prometheus::encode(selector),
        traced.start - 1.0,
        traced.end + 1.0
    );
    wait_for(
        "prometheus exemplars",
        SCRAPE_DEADLINE,
        Duration::from_millis(250),
        async || {
            let body = prometheus::api(addr, &path).await?;
            let exemplars: Vec<(String, f64)> = body["data"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|series| series["exemplars"].as_array().cloned().unwrap_or_default())
                .map(|exemplar| {
                    (
                        exemplar["labels"]["trace_id"]
                            .as_str()
                            .unwrap_or_default()
                            .to_owned(),
                        exemplar["timestamp"].as_f64().unwrap_or_default(),
                    )
                })
                .collect();
            if exemplars.len() >= least {
                Ok(exemplars)
            } else {
                Err(body.to_string())
            }
        },
    )
    .await
}

const EXPECTED_P95: f64 = 0.4875;

async fn metrics_server() -> TestServer {
    let _ = record();
    TestServer::start(Config::default().bearer_token(BearerToken::new(TOKEN).unwrap())).await
}

/// A scrape config for one target with a 1 s interval and the bearer token; both scrapers read this shape.
fn scrape_config(target: SocketAddr) -> String {
    format!(
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: metrics_http\n    \
         authorization:\n      credentials: {TOKEN}\n    static_configs:\n      - targets: ['{target}']\n"
    )
}

fn start(program: &Path, args: &[String], log: &Path) -> ChildGuard {
    let log = File::create(log).expect("create the log file");
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("clone the log file"))
        .stderr(log)
        .spawn()
        .unwrap_or_else(|error| panic!("start {}: {error}", program.display()));
    ChildGuard(child)
}

/// The value of an instant query with exactly one series in its result.
async fn query(addr: SocketAddr, promql: &str) -> Result<f64, String> {
    match prometheus::query(addr, promql).await?.as_slice() {
        [(_, value)] => Ok(*value),
        other => Err(format!("{promql}: {} series: {other:?}", other.len())),
    }
}

/// Checks what every scraper must return: the counter's value and a finite, correct `histogram_quantile`.
async fn recorded_values_come_back(addr: SocketAddr, who: &str) {
    let jobs = wait_for(
        &format!("{who}: the counter"),
        SCRAPE_DEADLINE,
        Duration::from_millis(250),
        async || {
            query(
                addr,
                r#"http_prom_jobs_total{kind="email",job="metrics_http"}"#,
            )
            .await
        },
    )
    .await;
    assert_eq!(jobs, 42.0, "{who}: the recorded counter value");
    let report = query(addr, r#"http_prom_jobs_total{kind="report"}"#)
        .await
        .expect("the zero series");
    assert_eq!(report, 0.0, "{who}: enum series exist at zero");
    // The built-in families, queried by `function` as the docs say, beside the scraper's own `job` label.
    let settled = query(
        addr,
        r#"job_runs_total{function="prom_settle",module="http_prometheus",outcome="success",job="metrics_http"}"#,
    )
    .await
    .unwrap_or_else(|error| panic!("{who}: the instrumented function by `function`: {error}"));
    assert_eq!(settled, 3.0, "{who}: runs of `prom_settle`");
    let timed_out = query(
        addr,
        r#"job_failures_total{function="prom_settle",reason="timed_out"}"#,
    )
    .await
    .unwrap_or_else(|error| panic!("{who}: {error}"));
    assert_eq!(timed_out, 1.0, "{who}: the failure by reason");
    let method = query(
        addr,
        r#"job_runs_total{function="PromWorker::run",outcome="success"}"#,
    )
    .await
    .unwrap_or_else(|error| panic!("{who}: a method by `Type::method`: {error}"));
    assert_eq!(method, 1.0, "{who}: runs of `PromWorker::run`");
    let renamed = prometheus::query(addr, r#"{exported_job!=""}"#)
        .await
        .unwrap_or_else(|error| panic!("{who}: {error}"));
    assert!(
        renamed.is_empty(),
        "{who}: no series of ours carries a `job` label Prometheus had to rename: {renamed:?}"
    );
    let p95 = query(
        addr,
        "histogram_quantile(0.95, sum by (le) (http_prom_job_duration_seconds_bucket))",
    )
    .await
    .unwrap_or_else(|error| panic!("{who}: {error}"));
    assert!(p95.is_finite(), "{who}: histogram_quantile is {p95}");
    let depth = query(addr, r#"http_prom_queue_depth{kind="report"}"#)
        .await
        .unwrap_or_else(|error| panic!("{who}: the observable gauge: {error}"));
    assert_eq!(depth, 12.0, "{who}: the value the callback reported");
    let unreported = prometheus::query(addr, r#"http_prom_queue_depth{kind="email"}"#)
        .await
        .unwrap_or_else(|error| panic!("{who}: {error}"));
    assert!(
        unreported.is_empty(),
        "{who}: a series the callback did not report is absent"
    );
    // Polled: the series is stored from the first scrape that met a panic, and a loaded machine may serve the
    // query a sample or two behind.
    wait_for(
        &format!("{who}: the panicking callback was counted"),
        SCRAPE_DEADLINE,
        Duration::from_millis(250),
        async || match query(
            addr,
            r#"metrics_observation_failures_total{family="http_prom_broken_depth",reason="panic"}"#,
        )
        .await?
        {
            panics if panics >= 1.0 => Ok(()),
            panics => Err(format!("{panics} panics counted")),
        },
    )
    .await;
    assert!(
        (p95 - EXPECTED_P95).abs() < 1e-9,
        "{who}: p95 is {p95}, expected {EXPECTED_P95}"
    );
}

/// The process collector as Prometheus stored it: plausible values, and the types `client_golang`'s names have.
#[cfg(target_os = "linux")]
async fn process_values_come_back(addr: SocketAddr) {
    let rss = query(addr, r#"process_resident_memory_bytes{job="metrics_http"}"#)
        .await
        .expect("the resident memory");
    assert!(rss > 1e6 && rss < 1e11, "resident memory {rss}");
    let threads = query(addr, "process_threads").await.expect("threads");
    assert!(
        threads >= 2.0,
        "the test's runtime alone has two workers: {threads}"
    );
    let start = query(addr, "process_start_time_seconds")
        .await
        .expect("start time");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!(
        now - start >= 0.0 && now - start < 3600.0,
        "started at {start}, now {now}"
    );
    let fds = query(addr, "process_open_fds <= process_max_fds")
        .await
        .expect("fds");
    assert!(fds > 0.0, "{fds}");
    let cpu = query(addr, "process_cpu_seconds_total").await.expect("cpu");
    assert!(cpu > 0.0, "{cpu}");
    for (name, kind) in [
        ("process_cpu_seconds", "counter"),
        ("process_resident_memory_bytes", "gauge"),
    ] {
        let metadata = prometheus::api(addr, &format!("/api/v1/metadata?metric={name}"))
            .await
            .expect("process metadata");
        assert_eq!(metadata["data"][name][0]["type"], kind, "{metadata}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prometheus_scrapes_the_server() {
    let Some(prometheus) = require_tool("prometheus", "apt-get install prometheus") else {
        return;
    };
    let server = metrics_server().await;
    let dir = TempDir::new("metrics-http-prometheus");
    let config = dir.path().join("prometheus.yml");
    std::fs::write(&config, scrape_config(server.addr)).unwrap();
    let addr = SocketAddr::from(([127, 0, 0, 1], free_port()));
    let _prometheus = start(
        &prometheus,
        &[
            format!("--config.file={}", config.display()),
            format!("--storage.tsdb.path={}", dir.path().join("data").display()),
            format!("--web.listen-address={addr}"),
            "--enable-feature=exemplar-storage".to_owned(),
        ],
        &dir.path().join("prometheus.log"),
    );
    wait_for(
        "prometheus ready",
        SCRAPE_DEADLINE,
        Duration::from_millis(100),
        async || match try_request("GET", addr, "/-/ready", &[]).await {
            Ok(reply) if reply.status == 200 => Ok(()),
            other => Err(format!("{other:?}")),
        },
    )
    .await;

    prometheus::target_up(addr, "prometheus").await;
    recorded_values_come_back(addr, "prometheus").await;
    exemplars_come_back(addr).await;

    let metadata = wait_for(
        "prometheus metadata",
        SCRAPE_DEADLINE,
        Duration::from_millis(250),
        async || {
            let body = prometheus::api(
                addr,
                "/api/v1/metadata?metric=http_prom_job_duration_seconds",
            )
            .await?;
            match body["data"]["http_prom_job_duration_seconds"].as_array() {
                Some(entries) if !entries.is_empty() => Ok(entries[0].clone()),
                _ => Err(body.to_string()),
            }
        },
    )
    .await;
    assert_eq!(metadata["type"], "histogram", "{metadata}");
    assert_eq!(
        metadata["help"], "How long the Prometheus test's jobs took.",
        "{metadata}"
    );
    assert_eq!(metadata["unit"], "seconds", "{metadata}");
    let counter = prometheus::api(addr, "/api/v1/metadata?metric=http_prom_jobs")
        .await
        .expect("counter metadata");
    assert_eq!(
        counter["data"]["http_prom_jobs"][0]["type"], "counter",
        "{counter}"
    );

    #[cfg(target_os = "linux")]
    process_values_come_back(addr).await;

    // Prometheus negotiated OpenMetrics: the server counted it.
    let text = get(
        server.addr,
        "/metrics",
        &[("authorization", &format!("Bearer {TOKEN}"))],
    )
    .await
    .text();
    assert!(
        text.lines().any(|l| l
            .starts_with(r#"metrics_http_scrapes_total{format="openmetrics-1.0.0",status="2xx"}"#)
            && !l.ends_with(" 0")),
        "no OpenMetrics scrape was counted:\n{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn victoria_metrics_scrapes_the_server() {
    let Some(victoria) = require_tool("victoria-metrics", "apt-get install victoria-metrics")
    else {
        return;
    };
    let server = metrics_server().await;
    let dir = TempDir::new("metrics-http-victoria");
    let config = dir.path().join("scrape.yml");
    std::fs::write(&config, scrape_config(server.addr)).unwrap();
    let addr = SocketAddr::from(([127, 0, 0, 1], free_port()));
    let _victoria = start(
        &victoria,
        &[
            format!("-promscrape.config={}", config.display()),
            format!("-storageDataPath={}", dir.path().join("data").display()),
            format!("-httpListenAddr={addr}"),
            // Make fresh samples queryable at once (the default hides the last 30 s).
            "-search.latencyOffset=1s".to_owned(),
            "-search.disableCache".to_owned(),
        ],
        &dir.path().join("victoria-metrics.log"),
    );
    wait_for(
        "victoria-metrics ready",
        SCRAPE_DEADLINE,
        Duration::from_millis(100),
        async || match try_request("GET", addr, "/health", &[]).await {
            Ok(reply) if reply.status == 200 => Ok(()),
            other => Err(format!("{other:?}")),
        },
    )
    .await;

    prometheus::target_up(addr, "victoria-metrics").await;
    recorded_values_come_back(addr, "victoria-metrics").await;
}
