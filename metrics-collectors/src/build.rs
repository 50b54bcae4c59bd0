//! The build-script half of [`build_info!`](crate::build_info!): a macro cannot run `git` or `rustc`, so one line in
//! your crate's `build.rs` hands their answers to the compiler as environment variables the macro reads.
//!
//! ```no_run
//! // build.rs, whose `fn main` is this one line:
//! metrics_collectors::build::emit();
//! ```
//!
//! with `metrics-collectors` under `[build-dependencies]` (`default-features = false` keeps it small). Without it
//! the `revision` and `rustc` labels are `unknown`.

use std::path::Path;
use std::process::Command;

/// The variable [`build_info!`](crate::build_info!) reads the git revision from.
pub const REVISION_VAR: &str = "METRICS_BUILD_REVISION";
/// The variable [`build_info!`](crate::build_info!) reads the compiler version from.
pub const RUSTC_VAR: &str = "METRICS_BUILD_RUSTC";

/// Prints the `cargo:` lines that set [`REVISION_VAR`] (the checkout's `HEAD` commit, when the crate is built from
/// a git checkout and `git` is installed) and [`RUSTC_VAR`] (the version `$RUSTC --version` reports), and asks
/// cargo to run the build script again when `HEAD` moves. Call it from `build.rs`; it never fails the build: what
/// it cannot find stays `unknown`.
pub fn emit() {
    print!("{}", lines());
}

/// The lines [`emit`] prints.
fn lines() -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(&dir)
            .output()
            .ok()?;
        let text = String::from_utf8(out.stdout).ok()?.trim().to_owned();
        (out.status.success() && !text.is_empty()).then_some(text)
    };
    if let Some(revision) = git(&["rev-parse", "HEAD"]) {
        let _ = writeln!(out, "cargo:rustc-env={REVISION_VAR}={revision}");
        // Rerun when HEAD moves to another branch or commit; the files live in the git directory.
        if let Some(git_dir) = git(&["rev-parse", "--absolute-git-dir"]) {
            let git_dir = Path::new(&git_dir);
            let _ = writeln!(
                out,
                "cargo:rerun-if-changed={}",
                git_dir.join("HEAD").display()
            );
            if let Some(reference) = git(&["symbolic-ref", "-q", "HEAD"]) {
                let common = git(&["rev-parse", "--path-format=absolute", "--git-common-dir"]);
                let base = common.as_deref().map_or(git_dir, Path::new);
                let _ = writeln!(
                    out,
                    "cargo:rerun-if-changed={}",
                    base.join(reference).display()
                );
                let _ = writeln!(
                    out,
                    "cargo:rerun-if-changed={}",
                    base.join("packed-refs").display()
                );
            }
        }
    } else {
        let _ = writeln!(out, "cargo:rerun-if-changed=build.rs");
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    if let Some(version) = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| rustc_version(&text).map(str::to_owned))
    {
        let _ = writeln!(out, "cargo:rustc-env={RUSTC_VAR}={version}");
    }
    out
}

/// The version number of `rustc --version` output (`rustc 1.95.0 (hash date)` gives `1.95.0`).
fn rustc_version(text: &str) -> Option<&str> {
    text.strip_prefix("rustc ")?.split_ascii_whitespace().next()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_checkout_gives_its_revision_and_the_compiler_its_version() {
        let lines = super::lines();
        let inside_git = std::process::Command::new("git")
            .args(["rev-parse", "HEAD"])
            .output()
            .is_ok_and(|out| out.status.success());
        if inside_git {
            let revision = lines
                .lines()
                .find_map(|l| l.strip_prefix("cargo:rustc-env=METRICS_BUILD_REVISION="))
                .unwrap_or_else(|| panic!("no revision in:\n{lines}"));
            assert_eq!(revision.len(), 40, "{revision}");
            assert!(lines.contains("cargo:rerun-if-changed="), "{lines}");
        }
        assert!(
            lines.contains(&format!("cargo:rustc-env=METRICS_BUILD_RUSTC={}", "1.")),
            "{lines}"
        );
    }

    #[test]
    fn rustc_version_is_the_second_word() {
        assert_eq!(
            super::rustc_version("rustc 1.95.0 (abc 2026-01-01)\n"),
            Some("1.95.0")
        );
        assert_eq!(
            super::rustc_version("rustc 1.96.0-nightly (x y)"),
            Some("1.96.0-nightly")
        );
        assert_eq!(super::rustc_version("cargo 1.0"), None);
    }
}
