//! The JSON APIs over real TCP: `/api/metrics/summary` reports what the test recorded over a window (counter
//! delta and rate, gauge last/min/max, histogram count/sum/quantiles), rejects bad windows with a 400 JSON error,
//! and `/api/metrics/schema` lists every family with its labels and buckets.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use metrics_core::{BoundedStr, LabelValue, Registry, metrics};
use metrics_http::Config;
use serde_json::Value;
use tests::http::{TestServer, get, wait_for};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
enum ApiKind {
    Email,
    Report,
}

metrics! {
    /// Jobs the API test recorded.
    counter http_api_jobs_total { kind: ApiKind }

    /// Jobs waiting, as the API test set it.
    gauge http_api_queue_depth;

    /// Waits the API test observed, with the trace of the latest in each bucket.
    histogram http_api_wait_seconds { buckets = [1.0, 2.0, 4.0, 8.0], exemplars = true }

    /// Tokens per model; the series first appears in the middle of the window.
    counter http_api_tokens_total { model: BoundedStr<4> }

    /// Rows an outbox has written, read at scrape time from `OUTBOX_ROWS`.
    counter http_api_outbox_rows_total { observe = read_outbox_rows }

    /// Declared and never set: the schema says it was never recorded.
    gauge http_api_never_set;

    /// Incremented by the schema test: the schema says it was recorded.
    counter http_api_schema_reads_total;

    /// Jobs per worker; a worker removed or idle for ten minutes leaves the summary and the scrape.
    counter http_api_worker_jobs_total { worker: BoundedStr<4>, expire_after = 10m }
}

/// What the observable counter reads: the summary sees it like any stored counter.
static OUTBOX_ROWS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn read_outbox_rows(out: &mut HttpApiOutboxRowsTotalObserver<'_>) {
    out.set(OUTBOX_ROWS.load(std::sync::atomic::Ordering::Relaxed));
}

fn registry() -> &'static Registry {
    static REGISTRY: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    REGISTRY.get_or_init(|| {
        Registry::builder()
            .register(&HTTP_API_JOBS_TOTAL)
            .register(&HTTP_API_QUEUE_DEPTH)
            .register(&HTTP_API_WAIT_SECONDS)
            .register(&HTTP_API_TOKENS_TOTAL)
            .register(&HTTP_API_OUTBOX_ROWS_TOTAL)
            .register(&HTTP_API_NEVER_SET)
            .register(&HTTP_API_SCHEMA_READS_TOTAL)
            .register(&HTTP_API_WORKER_JOBS_TOTAL)
            .build()
            .expect("a valid registry")
    })
}

async fn server() -> TestServer {
    TestServer::start(
        Config::default()
            .registry(registry())
            .summary_interval(Duration::from_millis(100))
            .summary_retention(Duration::from_mins(1)),
    )
    .await
}

fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

/// The series of `family` whose labels are `labels` in a summary or schema body.
fn series<'a>(body: &'a Value, family: &str, labels: &Value) -> &'a Value {
    let family = body["families"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == family)
        .unwrap_or_else(|| panic!("no family {family} in {body}"));
    family["series"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| &s["labels"] == labels)
        .unwrap_or_else(|| panic!("no series {labels} in {family}"))
}

fn close(actual: &Value, expected: f64) -> bool {
    actual.as_f64().is_some_and(|v| (v - expected).abs() < 1e-9)
}

/// Waits until the ring holds at least `count` snapshots taken since `since` (a closed window ending now, so the
/// snapshot the server takes at request time is not counted).
async fn snapshots_since(server: &TestServer, since: f64, count: u64) {
    wait_for(
        "snapshots",
        Duration::from_secs(10),
        Duration::from_millis(20),
        async || {
            let path = format!("/api/metrics/summary?from={since}&to={}", unix_now());
            let samples = get(server.addr, &path, &[]).await.json()["samples"]
                .as_u64()
                .unwrap_or(0);
            if samples >= count {
                Ok(())
            } else {
                Err(format!("{samples} snapshots"))
            }
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_summary_reports_what_was_recorded_over_the_window() {
    let start = unix_now();
    let server = server().await;
    snapshots_since(&server, start, 2).await;
    let before = unix_now();

    HTTP_API_JOBS_TOTAL.labels(ApiKind::Email).inc_by(5);
    HTTP_API_QUEUE_DEPTH.set(7);
    HTTP_API_TOKENS_TOTAL.labels("small").inc_by(100);
    OUTBOX_ROWS.store(40, std::sync::atomic::Ordering::Relaxed);
    snapshots_since(&server, unix_now(), 1).await; // one snapshot sees the gauge at 7
    HTTP_API_QUEUE_DEPTH.set(3);
    for _ in 0..10 {
        HTTP_API_WAIT_SECONDS.observe(1.5);
    }

    let reply = get(server.addr, "/api/metrics/summary?from=-1m", &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let body = reply.json();
    assert!(
        body["samples"].as_u64().unwrap() >= 4,
        "two before, one between, and the one taken at request time: {body}"
    );
    let span =
        body["last_sample_unix"].as_f64().unwrap() - body["first_sample_unix"].as_f64().unwrap();
    assert!(
        span > 0.0 && span < 60.0,
        "the samples span the test: {span}"
    );

    let email = series(
        &body,
        "http_api_jobs_total",
        &serde_json::json!({"kind": "email"}),
    );
    assert!(close(&email["delta"], 5.0), "{email}");
    // JSON carries the sample times with about a microsecond of precision: compare the rate relatively.
    let rate = email["rate"].as_f64().unwrap();
    assert!(
        (rate / (5.0 / span) - 1.0).abs() < 1e-5,
        "rate is delta per second over the samples: {email}, span {span}"
    );
    let report = series(
        &body,
        "http_api_jobs_total",
        &serde_json::json!({"kind": "report"}),
    );
    assert!(close(&report["delta"], 0.0), "{report}");
    let tokens = series(
        &body,
        "http_api_tokens_total",
        &serde_json::json!({"model": "small"}),
    );
    assert!(
        close(&tokens["delta"], 100.0),
        "a series born in the window counts from 0: {tokens}"
    );

    let rows = series(&body, "http_api_outbox_rows_total", &serde_json::json!({}));
    assert!(
        close(&rows["delta"], 40.0),
        "an observable counter in the summary: {rows}"
    );

    let queue = series(&body, "http_api_queue_depth", &serde_json::json!({}));
    assert!(
        close(&queue["last"], 3.0) && close(&queue["min"], 0.0) && close(&queue["max"], 7.0),
        "{queue}"
    );

    // Ten observations of 1.5 in the (1, 2] bucket: histogram_quantile interpolates 1 + q within it.
    let wait = series(&body, "http_api_wait_seconds", &serde_json::json!({}));
    assert_eq!(wait["count"], 10, "{wait}");
    assert!(close(&wait["sum"], 15.0), "{wait}");
    assert!(
        close(&wait["p50"], 1.5) && close(&wait["p95"], 1.95) && close(&wait["p99"], 1.99),
        "{wait}"
    );

    // A window that closed before anything was recorded saw nothing happen.
    let path = format!("/api/metrics/summary?from={}&to={before}", before - 30.0);
    let earlier = get(server.addr, &path, &[]).await.json();
    assert!(earlier["samples"].as_u64().unwrap() >= 2, "{earlier}");
    assert!(earlier["last_sample_unix"].as_f64().unwrap() <= before);
    assert!(close(
        &series(
            &earlier,
            "http_api_jobs_total",
            &serde_json::json!({"kind": "email"})
        )["delta"],
        0.0
    ));
    assert!(close(
        &series(&earlier, "http_api_queue_depth", &serde_json::json!({}))["max"],
        0.0
    ));
    assert_eq!(
        series(&earlier, "http_api_wait_seconds", &serde_json::json!({}))["p50"],
        Value::Null,
        "nothing observed"
    );

    // RFC 3339, with and without an offset, reaches back over the whole run.
    for from in ["2000-01-01T00:00:00Z", "2000-01-01T02:00:00%2B02:00"] {
        let whole = get(
            server.addr,
            &format!("/api/metrics/summary?from={from}&to=now"),
            &[],
        )
        .await
        .json();
        assert!(close(
            &series(
                &whole,
                "http_api_jobs_total",
                &serde_json::json!({"kind": "email"})
            )["delta"],
            5.0
        ));
    }

    let one = get(
        server.addr,
        "/api/metrics/summary?family=http_api_queue_depth",
        &[],
    )
    .await
    .json();
    let names: Vec<&Value> = one["families"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["name"])
        .collect();
    assert_eq!(names, [&Value::from("http_api_queue_depth")]);

    // Whether a family keeps exemplars, in the summary as in the schema.
    let flags: Vec<(&Value, &Value)> = body["families"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["name"] == "http_api_wait_seconds" || f["name"] == "http_api_jobs_total")
        .map(|f| (&f["name"], &f["exemplars"]))
        .collect();
    assert_eq!(
        flags,
        [
            (&Value::from("http_api_jobs_total"), &Value::Bool(false)),
            (&Value::from("http_api_wait_seconds"), &Value::Bool(true))
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_windows_get_a_400_saying_what_is_wrong() {
    let server = server().await;
    for (query, needle) in [
        ("from=yesterday", "invalid `from`"),
        ("from=-5x", "invalid `from`"),
        ("from=", "invalid `from`"),
        ("to=2024-13-01T00:00:00Z", "invalid `to`"),
        ("to=1.2.3", "invalid `to`"),
        ("to=-1e3s", "invalid `to`"),
        ("from=99999999999999", "invalid `from`"),
        ("from=now&to=-1h", "is after"),
        ("from=-1m&from=-2m", "query string"),
        ("family=no_such_family", "no metric family"),
    ] {
        let reply = get(server.addr, &format!("/api/metrics/summary?{query}"), &[]).await;
        assert_eq!(reply.status, 400, "{query}: {}", reply.text());
        assert_eq!(
            reply.header("content-type"),
            Some("application/json"),
            "{query}"
        );
        let error = reply.json()["error"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_default();
        assert!(
            error.contains(needle),
            "{query}: {error:?} should mention {needle:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn error_bodies_quote_bounded_excerpts_of_the_input() {
    let server = server().await;
    let long = "x".repeat(50_000);
    for (query, needle) in [
        (format!("family={long}"), "no metric family"),
        (format!("from=-5{long}"), "invalid `from`"),
        (format!("to={long}"), "invalid `to`"),
        (format!("from={}", "9".repeat(50_000)), "invalid `from`"),
    ] {
        let reply = get(server.addr, &format!("/api/metrics/summary?{query}"), &[]).await;
        assert_eq!(reply.status, 400);
        let error = reply.json()["error"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_default();
        assert!(error.contains(needle), "{error}");
        assert!(
            reply.body.len() < 1024,
            "{} bytes of error for {} bytes of query",
            reply.body.len(),
            query.len()
        );
        assert!(
            error.contains("(50"),
            "the excerpt says how long the input was: {error}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_series_leaves_the_summary() {
    HTTP_API_WORKER_JOBS_TOTAL.record("gone", metrics_core::Counter::inc);
    HTTP_API_WORKER_JOBS_TOTAL.record("stays", metrics_core::Counter::inc);
    let server = server().await;
    assert!(HTTP_API_WORKER_JOBS_TOTAL.remove("gone"));
    let since = unix_now();
    snapshots_since(&server, since, 2).await;
    let body = get(
        server.addr,
        &format!("/api/metrics/summary?family=http_api_worker_jobs_total&from={since}"),
        &[],
    )
    .await
    .json();
    series(
        &body,
        "http_api_worker_jobs_total",
        &serde_json::json!({"worker": "stays"}),
    );
    let labels: Vec<&Value> = body["families"][0]["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["labels"])
        .collect();
    assert_eq!(labels, [&serde_json::json!({"worker": "stays"})], "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_schema_lists_every_family_with_its_labels_and_buckets() {
    HTTP_API_SCHEMA_READS_TOTAL.inc();
    let server = server().await;
    let reply = get(server.addr, "/api/metrics/schema", &[]).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let body = reply.json();
    let family = |name: &str| -> Value {
        body["families"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no family {name} in {body}"))
    };

    let jobs = family("http_api_jobs_total");
    assert_eq!(jobs["family"], "http_api_jobs");
    assert_eq!(jobs["type"], "counter");
    assert_eq!(jobs["help"], "Jobs the API test recorded.");
    assert_eq!(jobs["unit"], Value::Null);
    assert_eq!(
        jobs["labels"],
        serde_json::json!([{"name": "kind", "kind": "enum", "values": ["email", "report"]}])
    );
    assert_eq!(jobs["max_series"], 2);
    assert_eq!(jobs["exemplars"], false);
    assert!(
        jobs["source"]["file"]
            .as_str()
            .unwrap()
            .ends_with("http_api.rs"),
        "{jobs}"
    );

    let wait = family("http_api_wait_seconds");
    assert_eq!(
        (&wait["type"], &wait["unit"]),
        (&Value::from("histogram"), &Value::from("seconds"))
    );
    assert_eq!(wait["buckets"], serde_json::json!([1.0, 2.0, 4.0, 8.0]));
    assert_eq!(wait["exemplars"], true, "{wait}");

    let tokens = family("http_api_tokens_total");
    assert_eq!(
        tokens["labels"],
        serde_json::json!([{"name": "model", "kind": "bounded", "cap": 4}])
    );
    assert_eq!(
        tokens["max_series"], 5,
        "four values plus the overflow value"
    );

    assert_eq!(family("http_api_queue_depth")["type"], "gauge");
    assert_eq!(
        family("http_api_worker_jobs_total")["expire_after_seconds"],
        600.0
    );
    assert!(
        tokens.get("expire_after_seconds").is_none(),
        "absent where values never expire: {tokens}"
    );

    assert_eq!(
        family("http_api_never_set")["recorded"],
        false,
        "a family never recorded since start is visible"
    );
    assert_eq!(family("http_api_schema_reads_total")["recorded"], true);
    let unrecorded =
        metrics_core::testing::check_recorded(registry(), &[]).expect_err("one never set");
    assert!(unrecorded.0.contains(&"http_api_never_set"), "{unrecorded}");
    assert!(
        !unrecorded.0.contains(&"http_api_schema_reads_total"),
        "{unrecorded}"
    );
    assert!(
        unrecorded.to_string().contains("\n  - http_api_never_set"),
        "{unrecorded}"
    );
}
