//! Compile-time diagnostics of `metrics!` and `#[derive(LabelValue)]`, pinned with trybuild.
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
    cases.pass("tests/ui/instrument_job/pass/*.rs");
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
