//! Shared support for the end-to-end tests: finding the real external tools, and running them.
//!
//! A test that needs a tool calls [`require_tool`]. In CI (`CI=true`) a missing tool fails the test, because CI
//! installs every tool and a silent skip would hide a broken install. Elsewhere the test is skipped with a loud
//! message, so a developer without the tools can still run the rest of the suite.

pub mod doc_links;
pub mod http;
pub mod prometheus;
mod python;
pub mod victoria;

pub use python::{ParsedExemplar, ParsedFamily, ParsedSample, PythonParser, python_parse};

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// The value of the one sample line of `text` that starts with `series` (name and labels, exactly as exposed).
///
/// # Panics
///
/// When no such line exists or its value does not parse: the test's expectation is wrong or the output is.
pub fn sample_value(text: &str, series: &str) -> f64 {
    let line = text
        .lines()
        .find(|line| {
            line.strip_prefix(series)
                .is_some_and(|rest| rest.starts_with(' '))
        })
        .unwrap_or_else(|| panic!("no sample {series} in:\n{text}"));
    line[series.len()..]
        .trim()
        .parse()
        .unwrap_or_else(|e| panic!("{line}: {e}"))
}

/// Whether the suite runs in CI, where every external tool must be present.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// The path of `tool` on `PATH`, or `None` (after a loud message) when it is missing outside CI.
///
/// # Panics
///
/// When the tool is missing and [`in_ci`] is true.
pub fn require_tool(tool: &str, install_hint: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(tool))
            .find(|candidate| candidate.is_file())
    });
    if found.is_none() {
        assert!(
            !in_ci(),
            "`{tool}` is required in CI but is not installed: {install_hint}"
        );
        eprintln!(
            "\n!!! SKIPPED: `{tool}` is not installed ({install_hint}); this test proves nothing here.\n"
        );
    }
    found
}

/// Whether python3 can import `prometheus_client` (the independent OpenMetrics parser), with the same CI rule
/// as [`require_tool`].
///
/// # Panics
///
/// When it cannot and [`in_ci`] is true.
pub fn require_python_prometheus_client() -> bool {
    require_python_modules("prometheus_client.openmetrics.parser", "prometheus_client")
}

/// Whether python3 can run `import {modules}` (comma-separated, as Python writes them); fails in CI, skips
/// loudly elsewhere, naming the pip packages (`packages`) that provide them.
///
/// # Panics
///
/// When it cannot and [`in_ci`] is true.
pub fn require_python_modules(modules: &str, packages: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {modules}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            !in_ci(),
            "python3 with `{modules}` is required in CI: pip install {packages}"
        );
        eprintln!("\n!!! SKIPPED: python3 cannot import {modules} (pip install {packages}).\n");
    }
    ok
}

/// Runs `command` with `input` on its standard input and returns its output.
///
/// # Panics
///
/// When the command cannot be started: the caller checked the tool exists.
pub fn run_with_stdin(command: &mut Command, input: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the tool");
    // A tool that exits early closes its stdin; its exit status then says why, so a write error is not the story.
    let _ = child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.as_bytes());
    child.wait_with_output().expect("wait for the tool")
}
