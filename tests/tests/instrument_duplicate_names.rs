//! Two instrumented functions with one `function` label in one module would expose the same series twice: the
//! registry refuses to build and names both functions' locations. Two `fn run` in different modules do not clash:
//! the `module` label tells them apart. (Its own test binary: the global registry of this one is invalid.)

use metrics_core::{Problem, Registry, instrument_job};

mod billing {
    #[metrics_core::instrument_job]
    pub fn run() {}
}

mod reports {
    #[metrics_core::instrument_job]
    pub fn run() {}
}

#[instrument_job(name = "settle")]
fn settle_daily() {}

#[instrument_job(name = "settle")]
fn settle_monthly() {}

#[test]
fn one_function_name_in_one_module_on_two_functions_is_a_registry_error() {
    billing::run();
    reports::run();
    settle_daily();
    settle_monthly();
    let error = Registry::global().expect_err("two functions share a function name");
    let clashes: Vec<_> = error
        .problems()
        .iter()
        .filter_map(|problem| match problem {
            Problem::Clash {
                sample,
                first,
                second,
            } => Some((sample.as_str(), first.0, second.0, first.1, second.1)),
            Problem::InvalidName { .. } | Problem::Policy { .. } => None,
        })
        .collect();
    assert_eq!(
        clashes.len(),
        1,
        "`billing::run` and `reports::run` do not clash: {error}"
    );
    let (sample, first, second, at_first, at_second) = clashes[0];
    assert_eq!(
        (sample, first, second),
        (
            "job_runs_total{function=\"settle\",module=\"instrument_duplicate_names\"}",
            "settle",
            "settle"
        )
    );
    assert_ne!(
        at_first.line, at_second.line,
        "both declarations are named: {error}"
    );
    assert!(at_first.file.ends_with("instrument_duplicate_names.rs"));
    let text = error.to_string();
    assert!(
        text.contains(&format!("{at_first}")) && text.contains(&format!("{at_second}")),
        "{text}"
    );
}
