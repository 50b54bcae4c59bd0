//! The catalog of the job scheduler example, against the real tools: the committed files are what the code
//! writes (the drift test), `promtool check rules` and `promtool test rules` pass on them, and each dashboard
//! type-checks against Grafana's published `Dashboard` type (npm `@grafana/schema`, TypeScript, strict, unknown
//! keys refused). That every query returns data from a real Prometheus is in `job_scheduler.rs`.

use std::path::{Path, PathBuf};
use std::process::Command;

use examples::job_scheduler::catalog::{GENERATED_DIR, catalog};
use metrics_catalog::Settings;
use tests::{in_ci, require_tool};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
        .to_path_buf()
}

fn generated() -> PathBuf {
    workspace().join(GENERATED_DIR)
}

#[test]
fn committed_catalog_is_what_the_code_generates() {
    let catalog = catalog(Settings::default()).expect("the example's catalog builds");
    metrics_catalog::testing::assert_catalog_matches(&catalog, &generated());
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
    let dir = generated();
    let check = Command::new(&promtool)
        .args(["check", "rules", "rules.yml"])
        .current_dir(&dir)
        .output()
        .expect("run promtool");
    assert!(
        check.status.success(),
        "promtool check rules:\n{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let test = Command::new(&promtool)
        .args(["test", "rules", metrics_catalog::RULES_TEST_FILE])
        .current_dir(&dir)
        .output()
        .expect("run promtool");
    assert!(
        test.status.success(),
        "promtool test rules:\n{}{}",
        String::from_utf8_lossy(&test.stdout),
        String::from_utf8_lossy(&test.stderr)
    );
    let alerts = catalog(Settings::default()).expect("builds").alert_names();
    let tests = std::fs::read_to_string(dir.join(metrics_catalog::RULES_TEST_FILE)).expect("read");
    for alert in &alerts {
        assert!(
            tests.contains(&format!("# {alert}: fires"))
                && tests.contains(&format!("# {alert}: stays quiet")),
            "{alert} has no promtool case"
        );
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
    let mut count = 0;
    for entry in std::fs::read_dir(generated().join("dashboards")).expect("dashboards") {
        let path = entry.expect("entry").path();
        let json = std::fs::read_to_string(&path).expect("read");
        let name = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .replace('-', "_");
        std::fs::write(
            out.join(format!("{name}.ts")),
            format!(
                "import type {{ Dashboard }} from '@grafana/schema';\nimport type {{ Json }} from '../json';\n\
                 export const {name} = (\n{json}) satisfies Json<Dashboard>;\n"
            ),
        )
        .expect("write");
        count += 1;
    }
    assert_eq!(count, 3, "queue health, reliability, cost and LLM");
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
