//! Compile-time diagnostics of every macro (`metrics!`, the derives, the instrumentation attributes), pinned with
//! trybuild: one folder per macro under `tests/ui/`.
//!
//! The `.stderr` snapshots depend on the exact rustc that wrote them, so the trybuild tests run only on that
//! toolchain; on any other one a twin test fails and says how to re-bless them.

#[rustversion::stable(1.95)]
#[test]
fn metrics() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/metrics/fail/*.rs");
    cases.pass("tests/ui/metrics/pass/*.rs");
}

#[rustversion::stable(1.95)]
#[test]
fn label_value() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/label_value/fail/*.rs");
    cases.pass("tests/ui/label_value/pass/*.rs");
}

#[rustversion::stable(1.95)]
#[test]
fn instrument_job() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/instrument_job/fail/*.rs");
    // The pass cases combine every attribute and derive of the instrumentation (hygiene, crate override, lints),
    // so they live here rather than in each attribute's folder.
    cases.pass("tests/ui/instrument_job/pass/*.rs");
}

#[rustversion::stable(1.95)]
#[test]
fn measure() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/measure/fail/*.rs");
}

#[rustversion::stable(1.95)]
#[test]
fn instrument_llm() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/instrument_llm/fail/*.rs");
}

#[rustversion::stable(1.95)]
#[test]
fn error_reason() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/error_reason/fail/*.rs");
}

#[rustversion::not(stable(1.95))]
#[test]
fn snapshots_match_this_toolchain() {
    panic!(
        "the ui-test `.stderr` snapshots were written with rustc 1.95 (stable) and rustc's wording \
         changes between releases, so they are not checked on this toolchain. Re-bless them on the new toolchain \
         with `TRYBUILD=overwrite cargo test -p ui-tests`, read the diff of every `.stderr`, then update \
         the `rustversion` gates in ui-tests/tests/ui.rs."
    );
}
