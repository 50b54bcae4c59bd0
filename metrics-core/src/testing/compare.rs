//! The exposition of named families against expected text, as `client_golang`'s `testutil.CollectAndCompare`.

use std::collections::HashSet;
use std::fmt;

use crate::encode::Format;
use crate::registry::Registry;

/// The exposition of the compared families differs from the expected text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpositionMismatch {
    /// Expected lines that the exposition does not have, in expected order.
    pub missing: Vec<String>,
    /// Exposed lines that the expected text does not have, in exposition order.
    pub unexpected: Vec<String>,
    /// The compared families' exposition, whole.
    pub actual: String,
}

impl fmt::Display for ExpositionMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the exposition differs from the expected text")?;
        if self.missing.is_empty() && self.unexpected.is_empty() {
            f.write_str(" in the order of its lines")?;
        }
        for line in &self.missing {
            write!(f, "\n- {line}")?;
        }
        for line in &self.unexpected {
            write!(f, "\n+ {line}")?;
        }
        write!(f, "\nactual:\n{}", self.actual)
    }
}

impl std::error::Error for ExpositionMismatch {}

/// Compares the Prometheus text (0.0.4) exposition of the families named in `families` (declared names, as
/// `jobs_total`, without the registry's [prefix](crate::RegistryBuilder::prefix)) with `expected`: their `# HELP`/`# TYPE` lines and every sample, in exposition order. Lines are
/// compared trimmed, and blank lines are ignored, so `expected` may be an indented raw string.
///
/// Values are compared as text: snapshot-style tests read best with a fresh registry
/// ([`Registry::builder`]) or families only the test records; for shared families, assert on a
/// [`Delta`](super::Delta).
///
/// # Errors
///
/// [`ExpositionMismatch`], with the missing and unexpected lines and the actual text.
///
/// ```
/// use metrics_core::{Registry, metrics, testing};
///
/// metrics! {
///     /// Jobs done.
///     pub counter compare_doc_jobs_total;
/// }
///
/// COMPARE_DOC_JOBS_TOTAL.inc_by(3);
/// let registry = Registry::global().unwrap();
/// testing::compare_exposition(registry, &["compare_doc_jobs_total"], r"
///     ## HELP compare_doc_jobs_total Jobs done.
///     ## TYPE compare_doc_jobs_total counter
///     compare_doc_jobs_total 3
/// ").unwrap();
/// assert!(testing::compare_exposition(registry, &["compare_doc_jobs_total"], "compare_doc_jobs_total 4").is_err());
/// ```
pub fn compare_exposition(
    registry: &Registry,
    families: &[&str],
    expected: &str,
) -> Result<(), ExpositionMismatch> {
    let prefix = registry.name_prefix();
    let names: HashSet<String> = registry
        .families()
        .iter()
        .map(|family| family.descriptor())
        .filter(|descriptor| families.contains(&descriptor.name))
        .flat_map(|descriptor| {
            let base = descriptor.family_name();
            let mut names: Vec<String> = descriptor
                .kind
                .sample_suffixes()
                .iter()
                .map(|suffix| format!("{prefix}{base}{suffix}"))
                .collect();
            names.push(format!("{prefix}{}", descriptor.name));
            names
        })
        .collect();
    // An external source failing leaves nothing to compare against: every expected line is then missing.
    let text = registry
        .encode_to_string(Format::Text004)
        .unwrap_or_default();
    let actual: Vec<&str> = text
        .lines()
        .filter(|line| names.contains(metric_name(line)))
        .collect();
    let expected: Vec<&str> = expected
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    if actual == expected {
        return Ok(());
    }
    let actual_set: HashSet<&str> = actual.iter().copied().collect();
    let expected_set: HashSet<&str> = expected.iter().copied().collect();
    Err(ExpositionMismatch {
        missing: expected
            .iter()
            .filter(|line| !actual_set.contains(*line))
            .map(|line| (*line).to_owned())
            .collect(),
        unexpected: actual
            .iter()
            .filter(|line| !expected_set.contains(*line))
            .map(|line| (*line).to_owned())
            .collect(),
        actual: actual.iter().fold(String::new(), |mut out, line| {
            out.push_str(line);
            out.push('\n');
            out
        }),
    })
}

/// The metric name a line of 0.0.4 text is about: a sample's name, or the name after `# HELP`/`# TYPE`.
fn metric_name(line: &str) -> &str {
    let rest = line
        .strip_prefix("# HELP ")
        .or_else(|| line.strip_prefix("# TYPE "))
        .unwrap_or(line);
    let end = rest.find(['{', ' ']).unwrap_or(rest.len());
    &rest[..end]
}
