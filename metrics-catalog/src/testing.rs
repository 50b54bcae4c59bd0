//! The drift test: committed catalog files must be what the code writes.

use std::collections::BTreeSet;
use std::path::Path;

use crate::Catalog;

/// The environment variable that re-blesses the committed files: `METRICS_CATALOG=overwrite`.
pub const OVERWRITE_VAR: &str = "METRICS_CATALOG";

/// Fails when the files under `dir` differ from what `catalog` writes (a changed file, a missing one, or a
/// stale one it no longer writes), naming each with the first differing line. Run with
/// `METRICS_CATALOG=overwrite` to write them instead, then review the diff and commit.
///
/// ```no_run
/// # let catalog: metrics_catalog::Catalog = unimplemented!();
/// #[test]
/// fn catalog_is_current() {
///     metrics_catalog::testing::assert_catalog_matches(&catalog, std::path::Path::new("ops/metrics"));
/// }
/// ```
///
/// # Panics
///
/// On any difference (that is the test failing), or when the catalog cannot be written.
pub fn assert_catalog_matches(catalog: &Catalog, dir: &Path) {
    if let Err(message) = compare(catalog, dir) {
        panic!("{message}");
    }
}

/// [`assert_catalog_matches`] as a value: `Err` lists the differences.
///
/// # Errors
///
/// The differences, or the catalog's own error.
pub fn compare(catalog: &Catalog, dir: &Path) -> Result<(), String> {
    let files = catalog.files().map_err(|e| e.to_string())?;
    if std::env::var(OVERWRITE_VAR).is_ok_and(|v| v == "overwrite") {
        for stale in existing(dir).difference(&files.keys().cloned().collect()) {
            std::fs::remove_file(dir.join(stale)).map_err(|e| format!("{stale}: {e}"))?;
        }
        catalog.write_to(dir).map_err(|e| e.to_string())?;
        return Ok(());
    }
    let mut problems = Vec::new();
    for (path, text) in &files {
        match std::fs::read_to_string(dir.join(path)) {
            Ok(found) if found == *text => {}
            Ok(found) => {
                let (want, got): (Vec<&str>, Vec<&str>) =
                    (text.lines().collect(), found.lines().collect());
                let line = (0..want.len().max(got.len()))
                    .find(|i| want.get(*i) != got.get(*i))
                    .unwrap_or(0);
                let (want, got) = (
                    want.get(line).copied().unwrap_or("(end of file)"),
                    got.get(line).copied().unwrap_or("(end of file)"),
                );
                problems.push(format!(
                    "{path} differs at line {}:\n  committed: {got}\n  generated: {want}",
                    line + 1
                ));
            }
            Err(_) => problems.push(format!("{path} is not committed")),
        }
    }
    for stale in existing(dir).difference(&files.keys().cloned().collect()) {
        problems.push(format!("{stale} is no longer generated"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the catalog in {} is not what the code generates; if the change is intended, run the test again \
             with {OVERWRITE_VAR}=overwrite and commit the result:\n{}",
            dir.display(),
            problems.join("\n")
        ))
    }
}

/// The files under `dir` that a catalog could have written.
fn existing(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (sub, ext) in [("", "md"), ("", "yml"), ("dashboards", "json")] {
        let Ok(read) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for entry in read.flatten() {
            let path = entry.path();
            if path.is_file() && path.extension().is_some_and(|e| e == ext) {
                let name = entry.file_name().to_string_lossy().into_owned();
                out.insert(if sub.is_empty() {
                    name
                } else {
                    format!("{sub}/{name}")
                });
            }
        }
    }
    out
}
