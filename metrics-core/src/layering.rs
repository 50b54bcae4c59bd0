//! Keeps the crate's shape: each module imports only from the layers below its own, and from the module that
//! defines a name rather than the crate root's re-exports. The layers are drawn in `docs/architecture.md`.

use std::path::{Path, PathBuf};

/// The modules of this crate, bottom layer first. A module may use the modules of lower layers only.
const LAYERS: &[&[&str]] = &[
    // What one series is at scrape time, and the bucket presets: nothing below them.
    &["series", "buckets"],
    // Label values and the interner.
    &["label"],
    // Per-series cells.
    &["metric"],
    // Families: descriptors, storage, problems.
    &["family"],
    // The text encoders and their per-family caches.
    &["encode"],
    // The registry: validation, ordering, the encoding entry point.
    &["registry"],
    // What builds on all of it: the instrumentation runtime, the prometheus-client bridge, the test helpers.
    &["instrument", "interop", "testing"],
    // The type of the families `metrics!` declares, their accessors and the errors of the calls they cannot answer.
    &["declared"],
    // What generated code names, and this test.
    &["__private", "layering"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The top-level module a file of `src/` belongs to (`family` for `src/family/dense.rs`); `None` for `lib.rs`.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    let module = first.strip_suffix(".rs").unwrap_or(first);
    (module != "lib").then(|| module.to_owned())
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// Every `crate::<name>` a line's code (not its comment) names, with whether `<name>` is a macro.
fn crate_paths(line: &str) -> Vec<(String, bool)> {
    let code = line.split("//").next().unwrap_or_default();
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = &rest[..at];
        let after = &rest[at + "crate::".len()..];
        rest = after;
        // `$crate::` is a macro's path as seen from the user's crate: always through the public root.
        if before.ends_with('$') || before.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = after.strip_prefix('{') {
            // A group on one line names each item; one spread over lines is reported whole.
            match group.split_once('}') {
                Some((items, _)) => found.extend(
                    items
                        .split(',')
                        .map(|item| (item.trim().to_owned(), false))
                        .filter(|(item, _)| !item.is_empty()),
                ),
                None => found.push(("{".to_owned(), false)),
            }
            continue;
        }
        let name: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let is_macro = after[name.len()..].starts_with('!');
        found.push((name, is_macro));
    }
    found
}

/// The names of the crate's `#[macro_export]` macros, which live at the crate root whatever file defines them.
fn exported_macros(files: &[PathBuf]) -> Vec<String> {
    let mut names = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).expect("source files are readable");
        let mut exported = false;
        for line in text.lines().map(str::trim) {
            if line == "#[macro_export]" {
                exported = true;
            } else if let Some(rest) = line.strip_prefix("macro_rules! ").filter(|_| exported) {
                names.push(rest.trim_end_matches([' ', '{']).to_owned());
                exported = false;
            } else if !line.starts_with("#[") && !line.starts_with("//") {
                exported = false;
            }
        }
    }
    names
}

/// Each import that breaks the layering, as `file:line: what`.
fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let macros = exported_macros(&files);
    let mut problems = Vec::new();
    for file in files {
        // This file's own examples of bad paths are not imports.
        let Some(module) = module_of(src, &file).filter(|m| m != "layering") else {
            continue;
        };
        let shown = file
            .strip_prefix(src.parent().unwrap_or(src))
            .unwrap_or(&file)
            .display();
        let Some(own) = layer_of(&module) else {
            problems.push(format!(
                "{shown}: module `{module}` is in no layer of LAYERS: place it"
            ));
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("source files are readable");
        for (number, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for (name, is_macro) in crate_paths(line) {
                // `#[macro_export]` macros live at the crate root: that is their only path.
                if is_macro || name == module || macros.contains(&name) {
                    continue;
                }
                let at = format!("{shown}:{}", number + 1);
                match layer_of(&name) {
                    Some(layer) if layer < own => {}
                    Some(_) => problems.push(format!(
                        "{at}: `{module}` imports from `{name}`, which is not below it"
                    )),
                    None => problems.push(format!(
                        "{at}: `{module}` names `crate::{name}`: import it from the module that defines it"
                    )),
                }
            }
        }
    }
    problems
}

#[test]
fn modules_import_only_from_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let problems = violations(&src);
    assert!(
        problems.is_empty(),
        "imports against the layering of docs/architecture.md:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_check_sees_upward_and_root_imports() {
    assert_eq!(
        crate_paths("use crate::encode::Format; // crate::registry"),
        [("encode".to_owned(), false)]
    );
    assert_eq!(
        crate_paths("use crate::{Counter, Gauge};"),
        [("Counter".to_owned(), false), ("Gauge".to_owned(), false)]
    );
    assert_eq!(crate_paths("use crate::{"), [("{".to_owned(), false)]);
    assert_eq!(
        crate_paths("const L: X = crate::source_location!(); $crate::Y"),
        [("source_location".to_owned(), true)]
    );
    assert_eq!(layer_of("series"), Some(0));
    assert!(layer_of("family") < layer_of("encode"));
}
