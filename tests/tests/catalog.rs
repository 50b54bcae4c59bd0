//! The catalogs of the examples (job scheduler, chat pipeline, model proxy, workflow orchestrator, agent
//! platform), against the real tools: the committed files are what the code writes (the drift test), `promtool
//! check rules` and `promtool test rules` pass on them, and each dashboard type-checks against Grafana's published
//! `Dashboard` type (npm `@grafana/schema`, TypeScript, strict, unknown keys refused). That every query returns
//! data from a real Prometheus is in each example's end-to-end test (`job_scheduler.rs`, `chat_pipeline.rs`,
//! `model_proxy.rs`, `workflow_orchestrator.rs`, `agent_platform.rs`).

use std::path::{Path, PathBuf};
use std::process::Command;

use examples::job_scheduler::catalog::{GENERATED_DIR, catalog};
use metrics_catalog::{Catalog, Settings};
use tests::{in_ci, require_tool};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
        .to_path_buf()
}

/// Each example with a committed catalog: its folder (relative to the workspace) and its catalog.
type ExampleCatalog = fn(Settings) -> Result<Catalog, metrics_catalog::Error>;
const EXAMPLES: [(&str, ExampleCatalog); 5] = [
    (GENERATED_DIR, catalog),
    (
        examples::chat_pipeline::catalog::GENERATED_DIR,
        examples::chat_pipeline::catalog::catalog,
    ),
    (
        examples::model_proxy::catalog::GENERATED_DIR,
        examples::model_proxy::catalog::catalog,
    ),
    (
        examples::workflow_orchestrator::catalog::GENERATED_DIR,
        examples::workflow_orchestrator::catalog::catalog,
    ),
    (
        examples::agent_platform::catalog::GENERATED_DIR,
        examples::agent_platform::catalog::catalog,
    ),
];

/// The promtool test files in `dir`, sorted.
fn test_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("the catalog's folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|f| metrics_catalog::is_rules_test_file(f))
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no promtool test file in {}",
        dir.display()
    );
    files
}

#[test]
fn committed_catalogs_are_what_the_code_generates() {
    for (dir, catalog) in EXAMPLES {
        let catalog = catalog(Settings::default()).expect("the example's catalog builds");
        metrics_catalog::testing::assert_catalog_matches(&catalog, &workspace().join(dir));
    }
}

#[test]
fn drift_is_reported_with_the_file_and_line() {
    let catalog = catalog(Settings::default()).expect("the example's catalog builds");
    let dir = std::env::temp_dir().join(format!("catalog-drift-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    catalog.write_to(&dir).expect("write");
    assert_eq!(metrics_catalog::testing::compare(&catalog, &dir), Ok(()));
    let rules = dir.join("rules.yml");
    let text = std::fs::read_to_string(&rules).expect("read");
    std::fs::write(&rules, text.replacen("rate(cogo_", "rate(cogo_renamed_", 1)).expect("write");
    std::fs::write(dir.join("dashboards/stale.json"), "{}").expect("write");
    let error = metrics_catalog::testing::compare(&catalog, &dir).expect_err("drift is found");
    assert!(error.contains("rules.yml differs at line"), "{error}");
    assert!(
        error.contains("dashboards/stale.json is no longer generated"),
        "{error}"
    );
    assert!(error.contains("METRICS_CATALOG=overwrite"), "{error}");
    std::fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn a_query_naming_what_the_catalog_lacks_is_refused() {
    let catalog = catalog(Settings::default()).expect("the example's catalog builds");
    catalog
        .check_query(
            "sum by (tool) (rate(cogo_tool_errors_total{job=~\"$job\"}[$__rate_interval]))",
        )
        .expect("a good query passes");
    for (query, expected) in [
        ("rate(cogo_tool_error_total[5m])", "neither a served sample"),
        ("rate(cogo_worker_inflight_jobs[5m])", "not a counter"),
        ("cogo_job_retries_total_bucket", "neither a served sample"),
        (
            "histogram_quantile(0.9, rate(cogo_job_retries_total[5m]))",
            "not a histogram's buckets",
        ),
        (
            "sum by (model) (rate(cogo_tool_errors_total[5m]))",
            "groups by `model`",
        ),
        (
            "cogo_tool_errors_total{tenant=\"acme\"}",
            "has no label `tenant`",
        ),
        ("rate(cogo_tool_errors_total[5m]", "does not parse"),
    ] {
        let error = catalog.check_query(query).expect_err(query).to_string();
        assert!(error.contains(expected), "{query}: {error}");
    }
}

#[test]
fn promtool_checks_and_tests_the_rules() {
    let Some(promtool) = require_tool("promtool", "apt-get install prometheus") else {
        return;
    };
    for (dir, catalog) in EXAMPLES {
        let dir = workspace().join(dir);
        let check = Command::new(&promtool)
            .args(["check", "rules", "rules.yml"])
            .current_dir(&dir)
            .output()
            .expect("run promtool");
        assert!(
            check.status.success(),
            "promtool check rules in {}:\n{}{}",
            dir.display(),
            String::from_utf8_lossy(&check.stdout),
            String::from_utf8_lossy(&check.stderr)
        );
        let files = test_files(&dir);
        let test = Command::new(&promtool)
            .args(["test", "rules"])
            .args(&files)
            .current_dir(&dir)
            .output()
            .expect("run promtool");
        assert!(
            test.status.success(),
            "promtool test rules in {}:\n{}{}",
            dir.display(),
            String::from_utf8_lossy(&test.stdout),
            String::from_utf8_lossy(&test.stderr)
        );
        let alerts = catalog(Settings::default()).expect("builds").alert_names();
        assert!(!alerts.is_empty(), "{}: no alert", dir.display());
        let tests: String = files
            .iter()
            .map(|f| std::fs::read_to_string(dir.join(f)).expect("read"))
            .collect();
        for alert in &alerts {
            assert!(
                tests.contains(&format!("# {alert}: fires"))
                    && tests.contains(&format!("# {alert}: stays quiet")),
                "{alert} has no promtool case"
            );
        }
    }
}

/// `metrics-catalog/grafana-check/` holds the npm packages (`npm install` there; `.ci/run` does it).
#[test]
fn dashboards_satisfy_grafanas_dashboard_type() {
    let check = workspace().join("metrics-catalog/grafana-check");
    let tsc = check.join("node_modules/.bin/tsc");
    if !tsc.is_file() || !check.join("node_modules/@grafana/schema").is_dir() {
        assert!(
            !in_ci(),
            "the Grafana type check needs `npm install` in {} (CI's .ci/run does it)",
            check.display()
        );
        eprintln!(
            "\n!!! SKIPPED: run `npm install` in {} to type-check the dashboards.\n",
            check.display()
        );
        return;
    }
    let out = check.join("generated");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).expect("create");
    // Every example's committed dashboards, and those of every kind of family and objective (the ratio panels).
    let mut dashboards: Vec<(String, String)> = Vec::new();
    for (index, (dir, _)) in EXAMPLES.iter().enumerate() {
        for entry in
            std::fs::read_dir(workspace().join(dir).join("dashboards")).expect("dashboards")
        {
            let path = entry.expect("entry").path();
            let json = std::fs::read_to_string(&path).expect("read");
            let stem = path.file_stem().expect("stem").to_string_lossy();
            dashboards.push((format!("example{index}_{stem}"), json));
        }
    }
    for (file, json) in every_kind_catalog().files().expect("files") {
        if let Some(name) = file
            .strip_prefix("dashboards/")
            .and_then(|f| f.strip_suffix(".json"))
        {
            dashboards.push((format!("every_kind_{name}"), json));
        }
    }
    for (name, json) in dashboards {
        let name = name.replace('-', "_");
        std::fs::write(
            out.join(format!("{name}.ts")),
            format!(
                "import type {{ Dashboard }} from '@grafana/schema';\nimport type {{ Json }} from '../json';\n\
                 export const {name} = (\n{json}) satisfies Json<Dashboard>;\n"
            ),
        )
        .expect("write");
    }
    let run = Command::new(&tsc)
        .args(["-p", "."])
        .current_dir(&check)
        .output()
        .expect("run tsc");
    assert!(
        run.status.success(),
        "tsc:\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    // The check can fail: a key Grafana does not know is refused.
    let first = std::fs::read_dir(&out)
        .expect("generated")
        .next()
        .expect("a file")
        .expect("entry")
        .path();
    let text = std::fs::read_to_string(&first).expect("read");
    std::fs::write(
        &first,
        text.replacen(
            "\"collapsed\": false,",
            "\"collapsed\": false, \"colapsed\": true,",
            1,
        ),
    )
    .expect("write");
    let run = Command::new(&tsc)
        .args(["-p", "."])
        .current_dir(&check)
        .output()
        .expect("run tsc");
    assert!(
        !run.status.success(),
        "an unknown key must fail the type check"
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("colapsed"));
}

mod every_kind {
    //! Families carrying every kind of objective, so that each generator of rules and promtool cases is
    //! checked by promtool, not only those the example uses.
    use metrics_core::{LabelValue, Outcome, metrics};

    /// A circuit breaker's states.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
    #[metrics(rename_all = "snake_case")]
    pub(crate) enum Breaker {
        /// Calls go through.
        Closed,
        /// Calls are refused.
        Open,
    }

    metrics! {
        namespace = "kinds";
        /// Checkouts by outcome.
        pub(crate) counter checkouts_total {
            outcome: Outcome,
            objectives = [success_rate(99.9%, over = 30d), critical(for = 10m, severity = warning)],
        }
        /// Checkout latency.
        pub(crate) histogram checkout_seconds {
            buckets = [0.1, 0.25, 1.0],
            exemplars = true,
            objectives = [latency(90% under 0.25, over = 7d, runbook = "https://runbooks.example.invalid/latency")],
        }
        /// Free connections in the pool.
        pub(crate) gauge pool_free_connections { objectives = [below(2, for = 5m)] }
        /// Channel fill, 0 to 1.
        pub(crate) gauge channel_fill_ratio: f64 { objectives = [above(0.8, for = 15m)] }
        /// Worker restarts.
        pub(crate) counter worker_restarts_total { objectives = [increase(3, over = 15m)] }
        /// The payment breaker.
        pub(crate) stateset payment_breaker: Breaker { objectives = [state(open, for = 1m)] }
        /// What is deployed.
        pub(crate) info deploy_info { version: String }
        /// Jobs waiting, by queue and shard.
        pub(crate) gauge queue_depth {
            queue: metrics_core::BoundedStr<4>,
            shard: metrics_core::BoundedStr<4>,
            objectives = [above(0.8, of = queue_capacity, for = 15m, name = queue_full)],
        }
        /// Room of each queue, shared by its shards.
        pub(crate) gauge queue_capacity { queue: metrics_core::BoundedStr<4> }
    }
}

/// An instrumented job, judged by a success-rate objective on the preset's `job_runs_total`, for this function.
#[metrics_core::instrument_job(reasons = "generic")]
fn send_digest(fail: bool) -> Result<(), std::fmt::Error> {
    if fail { Err(std::fmt::Error) } else { Ok(()) }
}

/// A worker restart, counted by `#[measure]`: the catalog names this function as what records the counter.
#[metrics_core::measure(count(every_kind::WORKER_RESTARTS_TOTAL))]
fn restart_worker() {}

#[test]
fn a_measured_family_names_the_function_recording_it() {
    restart_worker();
    let md = &every_kind_catalog().files().expect("files")["catalog.md"];
    let section = md
        .split("\n## ")
        .find(|s| s.starts_with("kinds_worker_restarts_total\n"))
        .expect("the family's section");
    assert!(
        section.contains("- recorded by: `catalog::restart_worker` (count)\n"),
        "{section}"
    );
    // A family no function records names none.
    let section = md
        .split("\n## ")
        .find(|s| s.starts_with("kinds_pool_free_connections\n"))
        .expect("the family's section");
    assert!(!section.contains("recorded by"), "{section}");
}

/// A registry of every kind of family, and the job preset's runs.
fn every_kind_registry() -> metrics_core::Registry {
    use every_kind::*;
    let _ = send_digest(false);
    metrics_core::Registry::builder()
        .register(&metrics_core::instrument::JOB_RUNS_TOTAL)
        .register(&CHECKOUTS_TOTAL)
        .register(&CHECKOUT_SECONDS)
        .register(&POOL_FREE_CONNECTIONS)
        .register(&CHANNEL_FILL_RATIO)
        .register(&WORKER_RESTARTS_TOTAL)
        .register(&PAYMENT_BREAKER)
        .register(&DEPLOY_INFO)
        .register(&QUEUE_DEPTH)
        .register(&QUEUE_CAPACITY)
        .register(&metrics_collectors::channel::CAPACITY)
        .register(&metrics_collectors::channel::DEPTH)
        .build()
        .expect("registry")
}

/// A catalog of every kind of family and objective, and a preset family judged for one function.
fn every_kind_catalog() -> metrics_catalog::Catalog {
    every_kind_catalog_with(metrics_catalog::Settings::default())
}

fn every_kind_catalog_with(settings: metrics_catalog::Settings) -> metrics_catalog::Catalog {
    metrics_catalog::Catalog::builder("Kinds", &every_kind_registry())
        .settings(settings)
        .objective(
            "job_runs_total",
            metrics_core::Objective::success_rate("digest_success", 0.995, 28 * 86_400)
                .matching(&[("function", "send_digest")])
                .runbook_url("https://runbooks.example.invalid/digest"),
        )
        // Seed 004's channel saturation, on the collectors' channel families declared elsewhere: above 80 % for
        // 15 minutes warns, above 90 % for 5 minutes pages.
        .objective(
            "channel_depth",
            metrics_core::Objective::above("saturation", 0.8, 15 * 60)
                .of("channel_capacity")
                .severity(metrics_core::Severity::Warning),
        )
        .objective(
            "channel_depth",
            metrics_core::Objective::above("saturation_high", 0.9, 5 * 60).of("channel_capacity"),
        )
        .build()
        .expect("catalog")
}

#[test]
fn promtool_tests_every_kind_of_objective() {
    let catalog = every_kind_catalog();
    let alerts = catalog.alert_names();
    for expected in [
        "KindsCheckoutsSuccessRateBurnFast",
        "KindsCheckoutsSuccessRateBurnMedium",
        "KindsCheckoutsSuccessRateBurnSlow",
        "KindsCheckoutsAbsent",
        // 90 %: at 14.4x the error ratio would be 1.44, which cannot happen: no fast burn.
        "KindsCheckoutSecondsLatencyBurnMedium",
        "KindsCheckoutSecondsLatencyBurnSlow",
        "KindsPoolFreeConnectionsBelow",
        "KindsChannelFillRatioAbove",
        "KindsWorkerRestartsIncrease",
        "KindsPaymentBreakerStateOpen",
        "JobRunsDigestSuccessBurnFast",
        "KindsQueueDepthQueueFull",
        "ChannelDepthSaturation",
        "ChannelDepthSaturationHigh",
    ] {
        assert!(
            alerts.iter().any(|a| a == expected),
            "{expected} not in {alerts:?}"
        );
    }
    assert!(
        !alerts
            .iter()
            .any(|a| a == "KindsCheckoutSecondsLatencyBurnFast")
    );
    let rules = &catalog.files().expect("files")["rules.yml"];
    for expr in [
        // One capacity per queue, several shards: the depth keeps its labels.
        "kinds_queue_depth / ignoring (shard) group_left kinds_queue_capacity > 0.8",
        // The same labels on both sides.
        "channel_depth / channel_capacity > 0.9",
    ] {
        assert!(rules.contains(expr), "{expr} not in\n{rules}");
    }
    let Some(promtool) = require_tool("promtool", "apt-get install prometheus") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("catalog-kinds-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    catalog.write_to(&dir).expect("write");
    let mut test = vec!["test".to_owned(), "rules".to_owned()];
    test.extend(test_files(&dir));
    let check = ["check", "rules", "rules.yml"].map(str::to_owned).to_vec();
    for args in [check, test] {
        let run = Command::new(&promtool)
            .args(&args)
            .current_dir(&dir)
            .output()
            .expect("run promtool");
        assert!(
            run.status.success(),
            "promtool {args:?}:\n{}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
    }
    std::fs::remove_dir_all(&dir).expect("clean up");
}

/// Every kind of panel against a real Prometheus with the rules loaded: each recorded series and each dashboard
/// query returns data (the state timeline's sum over states, the info table, the quantiles over recorded bucket
/// rates, the preset's per-function error ratio), and the breaker's state alert fires once it is open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_panel_returns_data_from_prometheus() {
    use every_kind::*;
    use std::time::Duration;
    use tests::http::{TestServer, wait_for};
    use tests::prometheus::{Prometheus, SCRAPE_DEADLINE};

    let registry: &'static metrics_core::Registry = Box::leak(Box::new(every_kind_registry()));
    DEPLOY_INFO.set(DeployInfoLabels { version: "1.2.3" });
    PAYMENT_BREAKER.set(Breaker::Open);
    POOL_FREE_CONNECTIONS.set(5);
    CHANNEL_FILL_RATIO.set(0.5);
    QUEUE_CAPACITY.labels("mail").set(10);
    QUEUE_DEPTH.labels("mail", "0").set(9);
    QUEUE_DEPTH.labels("mail", "1").set(2);
    // A bounded channel holding 3 of 4: the ratio panel reads 0.75.
    let (channel_tx, _channel_rx) = metrics_collectors::channel::channel::<u32>("catalog_jobs", 4);
    for i in 0..3 {
        channel_tx.try_send(i).expect("room");
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut i = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                CHECKOUTS_TOTAL.labels(metrics_core::Outcome::Success).inc();
                CHECKOUT_SECONDS.observe(0.05 * (i % 10) as f64);
                WORKER_RESTARTS_TOTAL.inc();
                let _ = send_digest(i.is_multiple_of(7));
                i += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    let server = TestServer::start(metrics_http::Config::default().registry(registry)).await;
    let Some(program) = require_tool("prometheus", "apt-get install prometheus") else {
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        writer.join().expect("writer");
        return;
    };
    let catalog = every_kind_catalog_with(metrics_catalog::Settings {
        rate_window_ms: 5000,
        time_scale: 60,
    });
    let rules = catalog.files().expect("files")["rules.yml"].clone();
    let prometheus = Prometheus::start_with_rules(&program, server.addr, "", &rules).await;
    prometheus.target_up().await;
    let (dashboards, recorded) = catalog.queries();
    for promql in recorded.iter().chain(&dashboards) {
        wait_for(
            promql,
            SCRAPE_DEADLINE,
            Duration::from_millis(500),
            async || match prometheus.query(promql).await?.as_slice() {
                [] => Err("no data".to_owned()),
                _ => Ok(()),
            },
        )
        .await;
    }
    // The ratio panels: the channel at 3 of 4, each shard of the queue over the queue's capacity.
    let ratio = dashboards
        .iter()
        .find(|q| q.contains("channel_depth{") && q.contains("channel_capacity{"))
        .expect("the channel's ratio panel");
    let values = prometheus.query(ratio).await.expect("query");
    assert!(
        values.iter().any(|(_, v)| (*v - 0.75).abs() < 1e-9),
        "{ratio}: {values:?}"
    );
    let ratio = dashboards
        .iter()
        .find(|q| q.contains("kinds_queue_depth{") && q.contains("kinds_queue_capacity{"))
        .expect("the queue's ratio panel");
    let mut values: Vec<f64> = prometheus
        .query(ratio)
        .await
        .expect("query")
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    values.sort_by(f64::total_cmp);
    assert_eq!(values, [0.2, 0.9], "{ratio}");
    // The state timeline reads the open state's index (1) for the target.
    let timeline = dashboards
        .iter()
        .find(|q| q.contains("kinds_payment_breaker{"))
        .expect("the breaker's panel");
    let values = prometheus.query(timeline).await.expect("query");
    assert!(
        values.iter().all(|(_, v)| *v == 1.0),
        "{timeline}: {values:?}"
    );
    wait_for(
        "the breaker's state alert",
        SCRAPE_DEADLINE,
        Duration::from_millis(500),
        async || {
            let states = prometheus.alerts("KindsPaymentBreakerStateOpen").await?;
            if states.iter().any(|s| s == "firing") {
                Ok(())
            } else {
                Err(format!("{states:?}"))
            }
        },
    )
    .await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().expect("writer");
}
