//! Golden files: the whole exposition text, in both formats, of a registry holding every metric type and of one
//! holding hostile label values and HELP text.
//!
//! Each golden file under `tests/golden/` was read line by line against the rules of `docs/exposition.md` (the
//! Prometheus 0.0.4 and OpenMetrics 1.0 specifications); a diff here is a change to what Prometheus ingests. After
//! an intended change, rewrite them with `BLESS=1 cargo test -p tests --test golden` and read the `git diff` before
//! committing it.
//!
//! The docs that state those rules are reference text too: the last tests here check that every link and
//! repository path in the markdown resolves inside the repository (`tests::doc_links`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use metrics_core::{BoundedStr, Direction, Format, LabelValue, Outcome, Registry, metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
enum GoldenJob {
    Email,
    Report,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
enum GoldenBreaker {
    Closed,
    HalfOpen,
    Open,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
enum GoldenDependency {
    Database,
    Cache,
}

/// Label values a schema author may legally write: `"`, `\` and any non-control UTF-8 (control characters,
/// newline included, are refused by the derive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
enum Hostile {
    #[metrics(rename = "a\"b\\c")]
    Quoted,
    #[metrics(rename = "grüße 🚀")]
    Unicode,
    #[metrics(rename = "x=\"1\",y=\"2\"}")]
    LooksLikeLabels,
}

metrics! {
    namespace = "golden";

    /// Jobs finished, by job type and outcome.
    counter jobs_total { job_type: GoldenJob, outcome: Outcome }

    /// Scheduler ticks since start.
    counter ticks_total;

    /// Money spent on model calls.
    counter spend_usd_total: f64 { unit = usd }

    /// Account balance in whole credits.
    gauge balance;

    /// Outside temperature.
    gauge outside_celsius: f64;

    /// Capacity left, as a ratio.
    gauge headroom_ratio: f64;

    /// Time jobs waited before they started.
    histogram wait_seconds { job_type: GoldenJob, buckets = [0.00001, 0.005, 1.0, 2.5, 100000.0, 1000000.0] }

    /// Build facts.
    info build_info { version: String, commit: String }

    /// Circuit breaker state per dependency.
    stateset breaker: GoldenBreaker { dependency: GoldenDependency }

    /// Tokens by model (open set, at most two models) and direction.
    counter tokens_total { model: BoundedStr<2>, direction: Direction }
}

metrics! {
    namespace = "golden_hostile";

    /// Calls by a label whose values were renamed to hostile text.
    counter renamed_total { kind: Hostile }

    #[doc = "Help with a backslash \\ and \"quotes\" in Grüße,\nthen a second line."]
    gauge help_escapes;

    /// Requests by tenant, whose names come from outside.
    counter tenant_requests_total { tenant: BoundedStr<8> }

    /// Build facts with hostile text.
    info release_info { version: String }

    /// A state set whose states are hostile text.
    stateset mood: Hostile;
}

/// Tenant names that exercise every escape, and UTF-8 that must pass through untouched.
const HOSTILE_TENANTS: [&str; 7] = [
    "quote\"d",
    "back\\slash",
    "new\nline",
    "ü🦀 emoji",
    "all three: \\ \" \n end",
    "trailing backslash\\",
    "a=\"1\",b=\"2\"}",
];

/// The registry of every metric type, with values recorded once (tests of both formats share it).
fn types_registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        JOBS_TOTAL
            .labels(GoldenJob::Email, Outcome::Success)
            .inc_by(3);
        JOBS_TOTAL.labels(GoldenJob::Report, Outcome::Failure).inc();
        // 2^53 + 1: not a float; integer counters must be written exactly.
        TICKS_TOTAL.inc_by(9_007_199_254_740_993);
        SPEND_USD_TOTAL.inc_by(0.1);
        SPEND_USD_TOTAL.inc_by(0.2);
        BALANCE.set(-3);
        OUTSIDE_CELSIUS.set(-12.5);
        HEADROOM_RATIO.set(f64::INFINITY);
        let email = WAIT_SECONDS.labels(GoldenJob::Email);
        // Below the first bound, exactly on a bound (upper bounds are inclusive), mid-range, past every bound.
        for seconds in [0.000_001, 0.005, 0.5, 3.0, 2e6] {
            email.observe(seconds);
        }
        BUILD_INFO.set(BuildInfoLabels {
            version: "1.2.3",
            commit: "abc123",
        });
        BREAKER
            .labels(GoldenDependency::Database)
            .set(GoldenBreaker::HalfOpen);
        TOKENS_TOTAL.labels("model-a", Direction::In).inc_by(10);
        TOKENS_TOTAL.labels("model-b", Direction::Out).inc_by(5);
        // The cap is two models: these two go to the overflow series and count in the overflow family.
        TOKENS_TOTAL.labels("model-c", Direction::In).inc();
        TOKENS_TOTAL.labels("model-d", Direction::Out).inc_by(2);
        TOKENS_TOTAL.labels("model-a", Direction::In).inc();
        Registry::builder()
            .register(&JOBS_TOTAL)
            .register(&TICKS_TOTAL)
            .register(&SPEND_USD_TOTAL)
            .register(&BALANCE)
            .register(&OUTSIDE_CELSIUS)
            .register(&HEADROOM_RATIO)
            .register(&WAIT_SECONDS)
            .register(&BUILD_INFO)
            .register(&BREAKER)
            .register(&TOKENS_TOTAL)
            .build()
            .expect("the golden families are valid")
    })
}

/// The registry of hostile label values and HELP text, recorded once.
fn hostile_registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        RENAMED_TOTAL.labels(Hostile::Quoted).inc();
        RENAMED_TOTAL.labels(Hostile::Unicode).inc_by(2);
        HELP_ESCAPES.set(1);
        for (count, tenant) in (1..).zip(HOSTILE_TENANTS) {
            TENANT_REQUESTS_TOTAL.labels(tenant).inc_by(count);
        }
        RELEASE_INFO.set(ReleaseInfoLabels {
            version: "v\"1\\2\n3 ü",
        });
        MOOD.set(Hostile::Unicode);
        Registry::builder()
            .register(&RENAMED_TOTAL)
            .register(&HELP_ESCAPES)
            .register(&TENANT_REQUESTS_TOTAL)
            .register(&RELEASE_INFO)
            .register(&MOOD)
            .build()
            .expect("the hostile families are valid")
    })
}

/// Compares `actual` with the golden file `name`, or rewrites the file when `BLESS=1`.
fn assert_golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("golden")
        .join(name);
    if std::env::var_os("BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "read {}: {e} (create it with BLESS=1, then review it)",
            path.display()
        )
    });
    if expected != actual {
        let first_difference = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .map_or_else(
                || "one text is a prefix of the other".to_owned(),
                |i| format!("first difference on line {}", i + 1),
            );
        panic!(
            "{} differs from the encoder's output ({first_difference}).\n--- expected\n{expected}\n--- actual\n{actual}\n\
             If the change is intended: BLESS=1 cargo test -p tests --test golden, then review the diff.",
            path.display()
        );
    }
}

fn encode(registry: &Registry, format: Format) -> String {
    registry
        .encode_to_string(format)
        .expect("no external source can fail")
}

#[test]
fn every_metric_type_in_text_004() {
    assert_golden(
        "types.text004.txt",
        &encode(types_registry(), Format::Text004),
    );
}

#[test]
fn every_metric_type_in_openmetrics() {
    assert_golden(
        "types.openmetrics.txt",
        &encode(types_registry(), Format::OpenMetrics),
    );
}

#[test]
fn hostile_text_in_text_004() {
    assert_golden(
        "hostile.text004.txt",
        &encode(hostile_registry(), Format::Text004),
    );
}

#[test]
fn hostile_text_in_openmetrics() {
    assert_golden(
        "hostile.openmetrics.txt",
        &encode(hostile_registry(), Format::OpenMetrics),
    );
}

/// The goldens only pin what was encoded; this pins that the scrape reads the recorded values, so a golden
/// blessed from a broken recording path cannot pass.
#[test]
fn golden_values_are_the_recorded_values() {
    types_registry();
    hostile_registry();
    assert_eq!(
        JOBS_TOTAL.labels(GoldenJob::Email, Outcome::Success).get(),
        3
    );
    assert_eq!(TICKS_TOTAL.get(), 9_007_199_254_740_993);
    assert_eq!(WAIT_SECONDS.labels(GoldenJob::Email).count(), 5);
    assert_eq!(TOKENS_TOTAL.labels("model-a", Direction::In).get(), 11);
    assert_eq!(TENANT_REQUESTS_TOTAL.labels("new\nline").get(), 3);
    assert_eq!(MOOD.get(), Hostile::Unicode);
}

/// The repository root: the `tests` crate's parent.
fn repository_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is inside the repository")
}

#[test]
fn every_doc_link_and_path_resolves_inside_the_repository() {
    let root = repository_root();
    let files = tests::doc_links::markdown_files(root);
    for expected in ["README.md", "CHANGELOG.md", "docs/exposition.md"] {
        assert!(
            files.contains(&root.join(expected)),
            "{expected} is not among the checked files: {files:?}"
        );
    }
    let problems = tests::doc_links::problems(root);
    assert!(
        problems.is_empty(),
        "{} problem(s) in the markdown:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The checker itself finds what it must: broken links and paths, links out of the repository, and documents
/// kept outside it; and accepts what exists.
#[test]
fn the_doc_link_check_reports_what_does_not_resolve() {
    let root = repository_root();
    let page = root.join("docs").join("example.md");
    let check = |text: &str| tests::doc_links::check_markdown(root, &page, text);
    let fine = "See [the rules](exposition.md), [a section](#numbers), [the specs](https://prometheus.io/docs/), \
                `tests/golden/types.text004.txt`, `tests/tests/job_scheduler*.rs`, `.ci/run`, \
                `tests/tests/golden.rs::every_metric_type_in_text_004`, `text/plain`, `/metrics`, `*/*`.\n\
                ```text\n`not/a/checked.rs` inside a fence\n```";
    assert_eq!(check(fine), Vec::<String>::new());
    let broken = check(
        "[gone](missing.md) and `metrics-core/src/nowhere.rs` and [out](../../elsewhere/README.md)\n\
         `tests/tests/none*.rs` and see CONFORMANCE.md and [design](../shared/x.md)",
    );
    let expected = [
        "docs/example.md:1: link `missing.md`",
        "docs/example.md:1: `metrics-core/src/nowhere.rs`",
        "docs/example.md:1: link `../../elsewhere/README.md`",
        "docs/example.md:2: `tests/tests/none*.rs`",
        "docs/example.md:2: names `CONFORMANCE.md`",
        "docs/example.md:2: names `../shared`",
        "docs/example.md:2: link `../shared/x.md`",
    ];
    for want in expected {
        assert!(
            broken.iter().any(|p| p.starts_with(want)),
            "no problem starting {want:?} in {broken:#?}"
        );
    }
    assert_eq!(broken.len(), expected.len(), "{broken:#?}");
}
