//! Registry-wide checks no single macro invocation can make: names unique and clash-free across every crate.

use std::collections::HashMap;
use std::fmt;

use metrics_rules::name;

use crate::family::{Descriptor, LabelValues, SourceLocation};

/// One thing wrong with the set of registered families.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Two families expose the same sample name (directly, or through a suffix such as `_bucket` or `_total`).
    Clash {
        /// The sample name both would expose.
        sample: String,
        /// The first family and where it was declared.
        first: (&'static str, SourceLocation),
        /// The second family and where it was declared.
        second: (&'static str, SourceLocation),
    },
    /// A metric or label name that is not valid in the exposition formats.
    InvalidName {
        /// The offending name.
        name: String,
        /// What is wrong with it.
        reason: &'static str,
        /// The family it belongs to and where it was declared.
        family: (&'static str, SourceLocation),
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Clash {
                sample,
                first,
                second,
            } => write!(
                f,
                "metric families `{}` (declared at {}) and `{}` (declared at {}) both expose `{sample}`: rename one",
                first.0, first.1, second.0, second.1
            ),
            Self::InvalidName {
                name,
                reason,
                family,
            } => {
                write!(
                    f,
                    "family `{}` (declared at {}): `{name}` {reason}",
                    family.0, family.1
                )
            }
        }
    }
}

/// The sample names a family writes (and so reserves) in either format.
fn exposed_names(descriptor: &Descriptor) -> Vec<String> {
    let family = descriptor.family_name();
    descriptor
        .kind
        .sample_suffixes()
        .iter()
        .map(|suffix| format!("{family}{suffix}"))
        .collect()
}

/// Checks every family against every other; returns all problems, not just the first.
pub(crate) fn validate(descriptors: &[&'static Descriptor]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut owners: HashMap<String, &'static Descriptor> = HashMap::new();
    for &descriptor in descriptors {
        let here = (descriptor.name, descriptor.location);
        if let Err(error) = name::check_metric_name(descriptor.name) {
            problems.push(Problem::InvalidName {
                name: descriptor.name.to_owned(),
                reason: error.reason(),
                family: here,
            });
        }
        for label in descriptor.labels {
            if let Err(error) = name::check_label_name(label.name) {
                problems.push(Problem::InvalidName {
                    name: label.name.to_owned(),
                    reason: error.reason(),
                    family: here,
                });
            }
            if let LabelValues::Enum(values) = label.values
                && values.is_empty()
            {
                problems.push(Problem::InvalidName {
                    name: label.name.to_owned(),
                    reason: "has no values",
                    family: here,
                });
            }
        }
        for sample in exposed_names(descriptor) {
            if let Some(first) = owners.get(&sample) {
                // Report each pair of families once, on the first name they share.
                let already = problems.iter().any(|p| {
                    matches!(p, Problem::Clash { first: f, second: s, .. } if f.0 == first.name && s.0 == descriptor.name && f.1 == first.location && s.1 == descriptor.location)
                });
                if !already {
                    problems.push(Problem::Clash {
                        sample,
                        first: (first.name, first.location),
                        second: here,
                    });
                }
            } else {
                owners.insert(sample, descriptor);
            }
        }
    }
    problems
}
