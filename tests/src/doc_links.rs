//! The repository's markdown must stand alone: every relative link and every backticked repository path names
//! something that exists in the repository, and nothing points at documents kept outside it.
//!
//! Checked: `README.md`, `CHANGELOG.md`, `docs/*.md` and every `README.md` under `examples/`. A relative link
//! `[text](path)` resolves from the file's own folder. A backticked span is taken for a repository path when it
//! holds only path characters, contains a `/` (and does not start with one), and either ends in a file extension
//! or `/`, or starts with a top-level entry of the repository (`.ci/run`); it resolves from the repository root or
//! from the file's folder. A `*` in the last part matches any text (`tests/tests/job_scheduler*.rs`), and a Rust
//! item after the file (`tests/tests/concurrency.rs::some_test`) is ignored. Fenced code blocks are skipped.

use std::path::{Component, Path, PathBuf};

/// Documents that lived beside the repository while it was written; naming them leaves a reader with nothing.
const OUTSIDE_DOCUMENTS: [&str; 4] = ["../shared", "CONFORMANCE.md", "DESIGN.md", "STYLE.md"];

/// Every problem in the repository at `root`'s markdown, as `file:line: what`.
pub fn problems(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for file in markdown_files(root) {
        match std::fs::read_to_string(&file) {
            Ok(text) => problems.extend(check_markdown(root, &file, &text)),
            Err(error) => problems.push(format!("{}: cannot read: {error}", file.display())),
        }
    }
    problems
}

/// The markdown files the check reads.
pub fn markdown_files(root: &Path) -> Vec<PathBuf> {
    let mut files = vec![root.join("README.md"), root.join("CHANGELOG.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    let mut folders = vec![root.join("examples")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.file_name().is_some_and(|n| n == "README.md") {
                files.push(path);
            }
        }
    }
    files
}

/// The problems of one markdown file `file` (inside the repository at `root`) whose text is `text`.
pub fn check_markdown(root: &Path, file: &Path, text: &str) -> Vec<String> {
    let folder = file.parent().unwrap_or(root);
    let shown = file
        .strip_prefix(root)
        .unwrap_or(file)
        .display()
        .to_string();
    let mut problems = Vec::new();
    let mut fenced = false;
    for (number, line) in (1..).zip(text.lines()) {
        let at = |what: String| format!("{shown}:{number}: {what}");
        for outside in OUTSIDE_DOCUMENTS {
            if line.contains(outside) {
                problems.push(at(format!(
                    "names `{outside}`, which is not in the repository: say what it says instead"
                )));
            }
        }
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        for target in link_targets(line) {
            let path = target.split('#').next().unwrap_or_default();
            if path.is_empty() || path.contains("://") || path.starts_with("mailto:") {
                continue;
            }
            if !resolves(root, &[folder], path) {
                problems.push(at(format!(
                    "link `{target}` does not resolve to a file in the repository"
                )));
            }
        }
        for span in code_spans(line) {
            if let Some(path) = repository_path(root, span)
                && !resolves(root, &[root, folder], path)
            {
                problems.push(at(format!(
                    "`{span}` names a path that is not in the repository"
                )));
            }
        }
    }
    problems
}

/// The targets of the inline links `[text](target)` of `line`.
fn link_targets(line: &str) -> Vec<&str> {
    line.match_indices("](")
        .filter_map(|(at, _)| {
            let rest = &line[at + 2..];
            rest.find(')').map(|end| rest[..end].trim())
        })
        .collect()
}

/// The contents of the single-backtick code spans of `line`.
fn code_spans(line: &str) -> Vec<&str> {
    line.split('`').skip(1).step_by(2).collect()
}

/// `span` as a repository path to check, or `None` when it does not look like one.
fn repository_path<'s>(root: &Path, span: &'s str) -> Option<&'s str> {
    // A Rust item after a file (`tests/tests/concurrency.rs::a_test`) names a test in that file.
    let span = span.find(".rs::").map_or(span, |at| &span[..at + 3]);
    let path_like = span
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '*'));
    if !path_like || !span.contains('/') || span.starts_with('/') || span.contains("//") {
        return None;
    }
    let last = span.rsplit('/').next().unwrap_or_default();
    let has_extension = last.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && (1..=8).contains(&ext.len())
            && ext.chars().all(|c| c.is_ascii_alphanumeric())
    });
    let first = span.split('/').next().unwrap_or_default();
    let top_level = !first.is_empty() && !first.contains('*') && root.join(first).exists();
    (has_extension || span.ends_with('/') || top_level).then_some(span)
}

/// Whether `path` names an existing file or folder inside `root`, read from any of `bases`.
fn resolves(root: &Path, bases: &[&Path], path: &str) -> bool {
    bases.iter().any(|base| {
        let Some(joined) = normalise(&base.join(path)) else {
            return false;
        };
        joined.starts_with(root) && exists_matching(&joined)
    })
}

/// `path` with `.` and `..` resolved, or `None` when `..` climbs above the filesystem root.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            other => out.push(other),
        }
    }
    Some(out)
}

/// Whether `path` exists; a `*` in its last part matches any text.
fn exists_matching(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some((prefix, suffix)) = name.split_once('*') else {
        return path.exists();
    };
    let folder = path.parent().unwrap_or(path);
    std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .any(|entry| {
            let entry = entry.file_name().to_string_lossy().into_owned();
            entry.len() >= prefix.len() + suffix.len()
                && entry.starts_with(prefix)
                && entry.ends_with(suffix)
        })
}
