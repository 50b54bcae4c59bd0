//! What `CatalogBuilder::build` refuses, and what a catalog writes without being told.

use metrics_catalog::Catalog;
use metrics_core::{Objective, Outcome, Registry, Rule, metrics};

metrics! {
    namespace = "svc";
    /// Requests by outcome.
    pub counter requests_total { outcome: Outcome }
    /// Request latency.
    pub histogram request_seconds { buckets = [0.1, 0.5, 1.0] }
}

metrics! {
    namespace = "other";
    /// Queue depth.
    pub gauge queue_depth;
    /// Rows waiting, read at each scrape.
    pub gauge backlog_rows { observe = read_backlog }
}

fn read_backlog(out: &mut BacklogRowsObserver<'_>) {
    out.observe((), 3);
}

fn registry() -> Registry {
    Registry::builder()
        .register(&REQUESTS_TOTAL)
        .register(&REQUEST_SECONDS)
        .register(&QUEUE_DEPTH)
        .register(&BACKLOG_ROWS)
        .build()
        .expect("registry")
}

#[test]
fn runtime_objectives_are_checked_like_declared_ones() {
    let registry = registry();
    let refused = |family: &str, objective: Objective| {
        Catalog::builder("Svc", &registry)
            .objective(family, objective)
            .build()
            .expect_err("refused")
            .to_string()
    };
    assert!(
        refused(
            "svc_nothing_total",
            Objective::success_rate("s", 0.99, 86_400)
        )
        .contains("does not serve")
    );
    assert!(
        refused(
            "svc_request_seconds",
            Objective::latency("l", 0.95, 0.25, 86_400)
        )
        .contains("0.25 is not one of its bucket bounds")
    );
    assert!(
        refused(
            "other_queue_depth",
            Objective::success_rate("s", 0.99, 86_400)
        )
        .contains("judges a counter")
    );
    assert!(
        refused(
            "svc_requests_total",
            Objective::success_rate("s", 0.99, 86_400).matching(&[("function", "run")])
        )
        .contains("matches on `function`")
    );
    assert!(
        refused(
            "svc_requests_total",
            Objective::success_rate("s", 1.5, 86_400)
        )
        .contains("between 0 and 1")
    );
    assert!(
        refused(
            "other_queue_depth",
            Objective::new(
                "up",
                Rule::State {
                    state: "open",
                    for_secs: 60
                }
            )
        )
        .contains("not one of its states")
    );
}

#[test]
fn one_dashboard_per_namespace_by_default_and_identical_output_twice() {
    let registry = registry();
    let catalog = Catalog::builder("Svc", &registry)
        .objective(
            "svc_requests_total",
            Objective::success_rate("ok", 0.999, 30 * 86_400),
        )
        .build()
        .expect("catalog");
    let files = catalog.files().expect("files");
    let names: Vec<&String> = files.keys().collect();
    assert_eq!(
        names,
        [
            "catalog.md",
            // The built-in `metrics_observation_failures_total`, present beside an observable family.
            "dashboards/svc-metrics.json",
            "dashboards/svc-other.json",
            "dashboards/svc-svc.json",
            "rules.test.15m.yml",
            "rules.test.1m.yml",
            "rules.test.6m.yml",
            "rules.yml"
        ]
    );
    assert_eq!(catalog.files().expect("files"), files, "deterministic");
    let rules = &files["rules.yml"];
    assert!(
        rules.contains(r#"record: "instance:svc_requests:rate5m""#),
        "{rules}"
    );
    assert!(rules.contains(r#"outcome!~\"success\""#), "{rules}");
    let md = &files["catalog.md"];
    assert!(
        md.contains("`ok`: 99.9 % of events succeed over 30 days"),
        "{md}"
    );
    assert!(
        md.contains("- recorded by: `read_backlog`, at every scrape"),
        "{md}"
    );
    assert!(
        md.contains("- declared at: `metrics-catalog/tests/builder.rs:"),
        "{md}"
    );
    let dashboard: serde_json::Value =
        serde_json::from_str(&files["dashboards/svc-svc.json"]).expect("json");
    assert_eq!(dashboard["uid"], "svc-svc");
    let titles: Vec<&str> = dashboard["panels"]
        .as_array()
        .expect("panels")
        .iter()
        .map(|p| p["title"].as_str().unwrap_or_default())
        .collect();
    assert!(
        titles.contains(&"svc_request_seconds p50 / p95 / p99"),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"svc_requests_total: objective ok (error ratio)"),
        "{titles:?}"
    );
}

#[test]
fn the_cli_flag_writes_only_when_given() {
    let registry = registry();
    let build = || Catalog::builder("Svc", &registry).build();
    assert_eq!(
        metrics_catalog::cli::handle(vec!["--port".to_owned(), "1".to_owned()], build),
        Ok(false)
    );
    let dir = std::env::temp_dir().join(format!("catalog-cli-{}", std::process::id()));
    let arg = format!("--emit-catalog={}", dir.display());
    assert_eq!(metrics_catalog::cli::handle(vec![arg], build), Ok(true));
    assert!(dir.join("catalog.md").is_file());
    std::fs::remove_dir_all(&dir).expect("clean up");
    assert!(metrics_catalog::cli::handle(vec!["--emit-catalog".to_owned()], build).is_err());
}
