//! The job scheduler example with synthetic failures off, `METRICS_LABEL_TENANT` on and `ROUTER_SCORE_V2`
//! off (its own test binary: the families are process-global). Jobs flow, yet retries, terminal failures,
//! dead letters, tool errors and failovers stay at 0; the job-path families carry a bounded `tenant` label and
//! no other family does; the routing endpoint is behind the bearer token like `/metrics`; the rank score gauge
//! is not exposed and the router ranks by price; `promtool check metrics` is clean.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::process::Command;
use std::time::Duration;

use examples::job_scheduler::metrics::Tenant;
use examples::job_scheduler::{Scheduler, Settings};
use metrics_core::LabelValue;
use tests::http::{get, wait_for};
use tests::prometheus::{Prometheus, SCRAPE_DEADLINE};
use tests::{require_tool, run_with_stdin};

const TOKEN: &str = "quiet-scheduler-token";

/// The families whose series carry `tenant` when the flag is on.
const JOB_PATH: [&str; 8] = [
    "cogo_scheduler_claim_total",
    "cogo_scheduler_claim_conflict_total",
    "cogo_job_lease_renew_total",
    "cogo_job_lease_expired_total",
    "cogo_job_latency_seconds",
    "cogo_job_retries_total",
    "cogo_job_failures_total",
    "cogo_job_dlq_total",
];

/// Families that count failures, which must stay 0 with failures off.
const FAILURE_COUNTERS: [&str; 6] = [
    "cogo_job_retries_total",
    "cogo_job_failures_total",
    "cogo_job_dlq_total",
    "cogo_job_lease_expired_total",
    "cogo_tool_errors_total",
    "cogo_router_failover_total",
];

/// `(metric name, labels text, value)` of each sample line.
fn samples(text: &str) -> Vec<(&str, &str, f64)> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|line| {
            let (series, value) = line.rsplit_once(' ').expect("name and value");
            let (name, labels) = series.split_once('{').unwrap_or((series, ""));
            (name, labels, value.parse().expect("a number"))
        })
        .collect()
}

fn total(text: &str, metric: &str) -> f64 {
    samples(text)
        .iter()
        .filter(|(name, _, _)| *name == metric)
        .map(|(_, _, value)| value)
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_off_and_tenant_on() {
    let settings = Settings {
        failure_rate: 0.0,
        jobs_per_second: 30.0,
        // Long enough that a loaded test machine never lets a lease lapse: an expiry is a failure here.
        lease: Duration::from_secs(3),
        label_tenant: true,
        router_score_v2: false,
        http: metrics_http::Config::default()
            .addr(SocketAddr::from(([127, 0, 0, 1], 0)))
            .bearer_token(metrics_http::BearerToken::new(TOKEN).expect("a valid token")),
        ..Settings::default()
    };
    let scheduler = Scheduler::start(settings)
        .await
        .expect("start the scheduler");
    let addr = scheduler.local_addr();
    let auth = format!("Bearer {TOKEN}");
    let auth: &[(&str, &str)] = &[("authorization", &auth)];

    // The example's own route sits behind the metrics router's guards.
    let refused = get(addr, "/api/metrics/routing?service=chat", &[]).await;
    assert_eq!(refused.status, 401, "{}", refused.text());

    // Enough work that failures would have shown up at any nonzero rate.
    let text = wait_for(
        "jobs run",
        Duration::from_secs(30),
        Duration::from_millis(250),
        async || {
            let text = get(addr, "/metrics", auth).await.text();
            let runs = total(&text, "cogo_job_latency_seconds_count");
            let tool_calls = total(&text, "cogo_tool_latency_seconds_count");
            let tokens = total(&text, "cogo_llm_tokens_total");
            if runs >= 100.0 && tool_calls >= 100.0 && tokens > 0.0 {
                Ok(text)
            } else {
                Err(format!(
                    "{runs} job latencies, {tool_calls} tool calls, {tokens} tokens"
                ))
            }
        },
    )
    .await;

    for family in FAILURE_COUNTERS {
        assert_eq!(
            total(&text, family),
            0.0,
            "{family} with failures off:\n{text}"
        );
        assert!(
            text.contains(&format!("# TYPE {family} counter\n")),
            "{family} is not served"
        );
    }

    let mut tenants = BTreeSet::new();
    for (name, labels, _) in samples(&text) {
        let family = name
            .strip_suffix("_bucket")
            .or_else(|| name.strip_suffix("_count"))
            .or_else(|| name.strip_suffix("_sum"))
            .filter(|f| JOB_PATH.contains(f))
            .unwrap_or(name);
        let tenant = labels
            .split(',')
            .find_map(|pair| pair.strip_prefix("tenant=\""))
            .map(|v| v.trim_end_matches('"'));
        if JOB_PATH.contains(&family) {
            let tenant = tenant.unwrap_or_else(|| panic!("{name}{{{labels}}} has no tenant"));
            tenants.insert(tenant.to_owned());
        } else {
            assert!(
                tenant.is_none(),
                "tenant outside the job path: {name}{{{labels}}}"
            );
        }
    }
    let allowed: BTreeSet<String> = Tenant::VALUES.iter().map(|v| (*v).to_owned()).collect();
    assert!(
        !tenants.is_empty() && tenants.is_subset(&allowed),
        "tenants {tenants:?}, allowed {allowed:?}"
    );

    assert!(
        !text.contains("cogo_router_rank_score"),
        "rank scores exposed without ROUTER_SCORE_V2:\n{text}"
    );
    let routing = get(addr, "/api/metrics/routing?service=chat", auth)
        .await
        .json();
    assert_eq!(routing["scoring"], "v1", "{routing}");
    assert!(routing["candidates"][0]["score"].is_null(), "{routing}");

    if let Some(promtool) = require_tool("promtool", "apt-get install prometheus") {
        let output = run_with_stdin(Command::new(promtool).args(["check", "metrics"]), &text);
        assert!(
            output.status.success() && output.stdout.is_empty() && output.stderr.is_empty(),
            "promtool check metrics: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    // The catalog's rules loaded into a real Prometheus: with failures off, the tool success objective's
    // error ratio is recorded (0) and its burn-rate alert never goes pending.
    if let Some(program) = require_tool("prometheus", "apt-get install prometheus") {
        let catalog = examples::job_scheduler::catalog::catalog(metrics_catalog::Settings {
            rate_window_ms: 5000,
            time_scale: 60,
        })
        .expect("the example's catalog builds");
        let rules = catalog.files().expect("the catalog's files")["rules.yml"].clone();
        let auth = format!("    authorization:\n      credentials: {TOKEN}\n");
        let prometheus = Prometheus::start_with_rules(&program, addr, &auth, &rules).await;
        prometheus.target_up().await;
        let ratio = r#"job:cogo_tool_errors:error_ratio_rate1m{objective="tool_success"}"#;
        wait_for(
            ratio,
            SCRAPE_DEADLINE,
            Duration::from_millis(500),
            async || match prometheus.query(ratio).await?.as_slice() {
                [(_, value)] if *value == 0.0 => Ok(()),
                other => Err(format!("{other:?}")),
            },
        )
        .await;
        // Ten more evaluations, each of which would make a burning objective pending.
        tokio::time::sleep(Duration::from_secs(10)).await;
        for alert in catalog
            .alert_names()
            .iter()
            .filter(|a| a.starts_with("CogoToolErrors"))
        {
            let states = prometheus.alerts(alert).await.expect("alerts");
            assert!(states.is_empty(), "{alert} is {states:?} with failures off");
        }
    }

    scheduler.shutdown().await;
}
