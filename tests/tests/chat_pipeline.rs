//! The chat pipeline example scraped by a real Prometheus: the roadmap's acceptance criteria as
//! queries. Run in-process on a free port, ten times faster than real time, with no scheduled outage: the test
//! takes the memory service and the primary LLM down and brings them back itself.
//!
//! Checked: every roadmap family is served on the gateway's own router with the roadmap's names, types and
//! bucket sets; during a memory-service outage the degraded-mode counters rise, the breaker opens and the
//! degraded buffer fills, and after recovery the buffer drains to 0 and the counters stop; during a primary-LLM
//! outage the fallback provider answers; tenant budgets overrun with a bounded `tenant`; health checks by
//! component and result; process CPU and memory; no stored label name is an identifier; `promtool check
//! metrics` is clean. Prometheus loads the catalog's generated rules (windows divided by 60): every recorded
//! series and dashboard query returns data, and the degraded-mode and open-breaker alerts go off during the
//! outage, the degraded-mode one quiet again after it.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::process::Command;
use std::time::Duration;

use examples::chat_pipeline::catalog::catalog;
use examples::chat_pipeline::deps::Dependency;
use examples::chat_pipeline::{ChatPipeline, Settings};
use tests::http::{get, wait_for};
use tests::prometheus::{Prometheus, SCRAPE_DEADLINE};
use tests::{require_tool, run_with_stdin};

/// The roadmap's families (with the compliant `sse_clients` for `sse_clients_gauge`) and their types.
const ROADMAP_FAMILIES: [(&str, &str); 32] = [
    ("chat_messages_in_total", "counter"),
    ("sessions_created_total", "counter"),
    ("sessions_deleted_total", "counter"),
    ("attachments_uploaded_total", "counter"),
    ("attachment_upload_seconds", "histogram"),
    ("sse_clients", "gauge"),
    ("sse_stream_errors_total", "counter"),
    ("chat_enqueue_seconds", "histogram"),
    ("context_build_seconds", "histogram"),
    ("llm_latency_seconds", "histogram"),
    ("event_to_response_seconds", "histogram"),
    ("wal_publish_seconds", "histogram"),
    ("wal_consume_seconds", "histogram"),
    ("llm_requests_total", "counter"),
    ("llm_tokens_total", "counter"),
    ("llm_request_tokens", "histogram"),
    ("llm_errors_total", "counter"),
    ("somabrain_calls_total", "counter"),
    ("somabrain_bypass_total", "counter"),
    ("circuit_state", "gauge"),
    ("assistant_emitted_total", "counter"),
    ("degraded_buffer_size", "gauge"),
    ("outbox_pending", "gauge"),
    ("outbox_replications_total", "counter"),
    ("wal_publish_errors_total", "counter"),
    ("redis_errors_total", "counter"),
    ("kafka_errors_total", "counter"),
    ("postgres_errors_total", "counter"),
    ("tenant_budget_tokens_allowed", "gauge"),
    ("tenant_budget_tokens_used", "gauge"),
    ("tenant_budget_tokens_overruns_total", "counter"),
    ("health_checks_total", "counter"),
];

/// Every label name a stored series may carry: the roadmap's, the server's and collectors' own, and the two
/// Prometheus attaches, and the catalog's rules' own (the objective of a recorded ratio, the alerts' `ALERTS`
/// series). Nothing that identifies a request, a message, a session or a user.
const ALLOWED_LABELS: [&str; 27] = [
    "route",
    "method",
    "__name__",
    "job",
    "instance",
    "role",
    "source",
    "reason",
    "model",
    "provider",
    "mode",
    "direction",
    "code",
    "result",
    "component",
    "circuit_state",
    "tenant",
    "le",
    "family",
    "label",
    "format",
    "status",
    "version",
    "objective",
    "alertname",
    "alertstate",
    "severity",
];

/// The catalog as the end-to-end test loads it: 5 s rates, every objective window divided by 60 (degraded mode
/// is an increase over 5 s, the breaker's alert waits 1 s).
const CATALOG_TEST_SETTINGS: metrics_catalog::Settings = metrics_catalog::Settings {
    rate_window_ms: 5000,
    time_scale: 60,
};

async fn scrape(addr: SocketAddr) -> String {
    let reply = get(addr, "/metrics", &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.text()
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

/// Waits until `promql` has risen above its value now.
async fn rises(prometheus: &Prometheus, promql: &str) -> f64 {
    let before = value(prometheus, promql, |_| true).await;
    value(prometheus, promql, |now| now > before).await
}

/// Asserts `promql` does not move over three seconds of scrapes, while `live` (a counter) does: the pipeline is
/// running and being scraped, and this counter has stopped.
async fn stays(prometheus: &Prometheus, promql: &str, live: &str) {
    let (first, live_first) = (
        value(prometheus, promql, |_| true).await,
        value(prometheus, live, |_| true).await,
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    let live_later = value(prometheus, live, |v| v > live_first).await;
    let later = value(prometheus, promql, |_| true).await;
    assert_eq!(
        later, first,
        "{promql} still moves after recovery (while {live} went {live_first} -> {live_later})"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn degraded_mode_budgets_and_health_seen_by_prometheus() {
    let settings = Settings {
        messages_per_second: 40.0,
        time_scale: 0.1,
        outage_every: 0.0,
        budget_tokens: 30_000,
        seed: 7,
        http: metrics_http::Config::default().addr(SocketAddr::from(([127, 0, 0, 1], 0))),
        ..Settings::default()
    };
    let pipeline = ChatPipeline::start(settings)
        .await
        .expect("start the pipeline");
    let addr = pipeline.local_addr();

    let text = wait_for(
        "answers are emitted",
        Duration::from_secs(15),
        Duration::from_millis(100),
        async || {
            let text = scrape(addr).await;
            if text.contains("assistant_emitted_total{mode=\"normal\"} ")
                && !text.contains("assistant_emitted_total{mode=\"normal\"} 0\n")
            {
                Ok(text)
            } else {
                Err(text)
            }
        },
    )
    .await;
    for (name, kind) in ROADMAP_FAMILIES {
        assert!(
            text.contains(&format!("# TYPE {name} {kind}\n")),
            "{name} ({kind}) is not served:\n{text}"
        );
    }
    // The roadmap's bucket sets.
    assert!(
        text.contains("chat_enqueue_seconds_bucket{le=\"0.05\"}"),
        "{text}"
    );
    assert!(
        text.contains("chat_enqueue_seconds_bucket{le=\"20.0\"}"),
        "{text}"
    );
    assert!(
        text.contains(
            "llm_request_tokens_bucket{provider=\"openai\",direction=\"in\",le=\"8192.0\"}"
        ),
        "{text}"
    );
    // The gateway's own routes answer on the same port as `/metrics`, and its RED layer records them by
    // template.
    let health = get(addr, "/v1/health", &[]).await;
    assert!(matches!(health.status, 200 | 503), "{}", health.text());
    assert_eq!(
        health.json().as_object().map(serde_json::Map::len),
        Some(5),
        "{}",
        health.text()
    );
    let delete = tests::http::request("DELETE", addr, "/v1/sessions/424242", &[]).await;
    assert_eq!(delete.status, 404, "{}", delete.text());
    let text = scrape(addr).await;
    for series in [
        r#"http_server_requests_total{route="/v1/health",method="GET",status="#,
        r#"http_server_requests_total{route="/v1/sessions/{id}",method="DELETE",status="4xx"} 1"#,
    ] {
        assert!(text.contains(series), "no {series}:\n{text}");
    }

    let Some(program) = require_tool("prometheus", "apt-get install prometheus") else {
        pipeline.shutdown().await;
        return;
    };
    let catalog = catalog(CATALOG_TEST_SETTINGS).expect("the example's catalog builds");
    let rules = catalog.files().expect("the catalog's files")["rules.yml"].clone();
    let prometheus = Prometheus::start_with_rules(&program, addr, "", &rules).await;
    prometheus.target_up().await;

    for promql in [
        "histogram_quantile(0.95, sum by (le) (chat_enqueue_seconds_bucket))",
        "histogram_quantile(0.95, sum by (le) (event_to_response_seconds_bucket))",
        r#"histogram_quantile(0.95, sum by (le) (llm_latency_seconds_bucket{provider="openai"}))"#,
    ] {
        let p95 = value(&prometheus, promql, f64::is_finite).await;
        assert!(p95 > 0.0, "{promql} = {p95}");
    }

    // The memory service goes down: degraded mode.
    pipeline.set_down(Dependency::Somabrain, true);
    rises(&prometheus, "somabrain_bypass_total").await;
    value(&prometheus, "degraded_buffer_size", |v| v > 0.0).await;
    value(&prometheus, r#"circuit_state{circuit_state="open"}"#, |v| {
        v == 1.0
    })
    .await;
    for promql in [
        r#"somabrain_calls_total{result="timeout"}"#,
        r#"somabrain_calls_total{result="circuit_open"}"#,
        r#"assistant_emitted_total{mode="degraded"}"#,
        r#"sum(llm_requests_total{mode="degraded_bypass_somabrain"})"#,
        r#"health_checks_total{component="somabrain",result="timeout"}"#,
    ] {
        value(&prometheus, promql, |v| v > 0.0).await;
    }
    // The alerts the roadmap asks for: degraded mode, and the memory service's breaker open.
    prometheus
        .alert_goes_off("SomabrainBypassDegradedMode")
        .await;
    prometheus.alert_goes_off("CircuitStateStateOpen").await;
    let peak = value(
        &prometheus,
        "max_over_time(degraded_buffer_size[1m])",
        |v| v > 0.0,
    )
    .await;

    // It recovers: the breaker closes, the buffer drains, the degraded counters stop.
    pipeline.set_down(Dependency::Somabrain, false);
    value(
        &prometheus,
        r#"circuit_state{circuit_state="closed"}"#,
        |v| v == 1.0,
    )
    .await;
    value(&prometheus, "degraded_buffer_size", |v| v == 0.0).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let live = r#"assistant_emitted_total{mode="normal"}"#;
    stays(&prometheus, "somabrain_bypass_total", live).await;
    stays(
        &prometheus,
        r#"assistant_emitted_total{mode="degraded"}"#,
        live,
    )
    .await;
    assert!(peak >= 1.0, "the degraded buffer never filled: {peak}");
    wait_for(
        "degraded mode is over",
        SCRAPE_DEADLINE,
        Duration::from_millis(500),
        async || match prometheus.alerts("SomabrainBypassDegradedMode").await? {
            states if states.is_empty() => Ok(()),
            states => Err(format!("{states:?}")),
        },
    )
    .await;

    // The primary LLM goes down: its errors rise and the fallback provider answers; then it recovers.
    pipeline.set_down(Dependency::PrimaryLlm, true);
    let outage_errors = r#"sum(llm_errors_total{provider="openai",code=~"timeout|unavailable"})"#;
    rises(&prometheus, outage_errors).await;
    rises(
        &prometheus,
        r#"sum(llm_requests_total{provider="anthropic"})"#,
    )
    .await;
    value(
        &prometheus,
        r#"health_checks_total{component="llm",result="fail"}"#,
        |v| v > 0.0,
    )
    .await;
    pipeline.set_down(Dependency::PrimaryLlm, false);
    tokio::time::sleep(Duration::from_secs(2)).await;
    stays(&prometheus, outage_errors, live).await;

    // Budgets: tenant-01 sends four messages in ten and overruns; six tenants, each with its allowance.
    value(
        &prometheus,
        r#"tenant_budget_tokens_overruns_total{tenant="tenant-01"}"#,
        |v| v > 0.0,
    )
    .await;
    value(
        &prometheus,
        "count(tenant_budget_tokens_allowed == 30000)",
        |v| v == 6.0,
    )
    .await;
    value(&prometheus, "max(tenant_budget_tokens_used)", |v| v > 0.0).await;

    // The outbox and the WAL.
    value(
        &prometheus,
        r#"outbox_replications_total{result="success"}"#,
        |v| v > 0.0,
    )
    .await;
    let wal_p95 = "histogram_quantile(0.95, sum by (le) (wal_publish_seconds_bucket))";
    value(&prometheus, wal_p95, f64::is_finite).await;
    value(&prometheus, "wal_consume_seconds_count", |v| v > 0.0).await;

    // Process CPU and memory, from the collector.
    #[cfg(target_os = "linux")]
    {
        value(&prometheus, "process_resident_memory_bytes", |v| v > 1e6).await;
        value(&prometheus, "process_cpu_seconds_total", |v| v > 0.0).await;
    }

    // Every recorded series and every dashboard query returns data: no empty panel.
    let (dashboards, recorded) = catalog.queries();
    prometheus
        .every_query_returns_data(recorded.iter().chain(&dashboards))
        .await;

    // No series carries an identifier: every label name Prometheus stored is an allowed one.
    let labels = prometheus.api("/api/v1/labels").await.expect("label names");
    let stored: BTreeSet<String> = labels["data"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|name| name.as_str().map(str::to_owned))
        .collect();
    let unexpected: Vec<_> = stored
        .iter()
        .filter(|name| !ALLOWED_LABELS.contains(&name.as_str()))
        .collect();
    assert!(
        unexpected.is_empty(),
        "unexpected label names: {unexpected:?}"
    );
    // `tenant` is bounded: at most 16 values plus the overflow series.
    let tenants = prometheus
        .query("count(count by (tenant) (tenant_budget_tokens_allowed))")
        .await
        .expect("tenant count");
    assert!(
        matches!(tenants.as_slice(), [(_, n)] if *n <= 17.0),
        "{tenants:?}"
    );

    if let Some(promtool) = require_tool("promtool", "apt-get install prometheus") {
        let text = scrape(addr).await;
        let output = run_with_stdin(Command::new(promtool).args(["check", "metrics"]), &text);
        assert!(
            output.status.success() && output.stdout.is_empty() && output.stderr.is_empty(),
            "promtool check metrics: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    drop(prometheus);
    pipeline.shutdown().await;
}

/// Settings come from the environment: each variable parsed, each error naming its variable.
#[test]
fn settings_come_from_the_environment() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    };
    let settings = Settings::from_lookup(env(&[
        ("CHAT_TIME_SCALE", "0.5"),
        ("CHAT_TENANTS", "3"),
        ("CHAT_LLM_MODEL", "gpt-4.1"),
        ("CHAT_OUTAGE_EVERY_SECONDS", "0"),
        ("METRICS_ADDR", "127.0.0.1:19999"),
    ]))
    .expect("valid settings");
    assert_eq!(settings.time_scale, 0.5);
    assert_eq!(settings.tenants, 3);
    assert_eq!(settings.model, "gpt-4.1");
    assert_eq!(settings.outage_every, 0.0);
    assert_eq!(
        settings.http.bind_addr(),
        SocketAddr::from(([127, 0, 0, 1], 19999))
    );
    assert_eq!(
        Settings::from_lookup(|_| None)
            .expect("defaults")
            .messages_per_second,
        20.0
    );
    for (pairs, named) in [
        (&[("CHAT_TIME_SCALE", "fast")][..], "CHAT_TIME_SCALE"),
        (&[("CHAT_TENANTS", "17")][..], "CHAT_TENANTS"),
        (&[("CHAT_FAILURE_RATE", "2")][..], "CHAT_FAILURE_RATE"),
        (&[("CHAT_LLM_MODEL", "")][..], "CHAT_LLM_MODEL"),
    ] {
        let error = Settings::from_lookup(env(pairs)).expect_err("invalid settings");
        assert!(error.contains(named), "{pairs:?}: {error}");
    }
}
