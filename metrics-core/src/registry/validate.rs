//! Registry-wide checks no single macro invocation can make: names unique and clash-free across every crate.

use crate::family::{Descriptor, LabelValues, MetricKind, Problem};
use std::collections::HashMap;

/// The sample names a family writes (and so reserves) in either format.
fn exposed_names(descriptor: &Descriptor) -> Vec<String> {
    let name = descriptor.name;
    match descriptor.kind {
        // OpenMetrics reserves a counter family's `_created` sample even while it is not written (it is opt-in):
        // parsers refuse another family of that name beside it.
        MetricKind::Counter => {
            let family = descriptor.family_name();
            vec![
                name.to_owned(),
                family.to_owned(),
                format!("{family}_created"),
            ]
        }
        MetricKind::Info => vec![name.to_owned(), descriptor.family_name().to_owned()],
        MetricKind::Histogram => ["", "_bucket", "_sum", "_count", "_created"]
            .iter()
            .map(|s| format!("{name}{s}"))
            .collect(),
        MetricKind::Gauge | MetricKind::StateSet => vec![name.to_owned()],
    }
}

pub(crate) fn metric_name_problem(name: &str) -> Option<&'static str> {
    let mut chars = name.chars();
    match chars.next() {
        None => Some("is empty"),
        Some(c) if !(c.is_ascii_alphabetic() || c == '_' || c == ':') => {
            Some("must start with a letter, `_` or `:`")
        }
        _ if !chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') => {
            Some("may contain only ASCII letters, digits, `_` and `:`")
        }
        _ => None,
    }
}

pub(crate) fn label_name_problem(name: &str) -> Option<&'static str> {
    if name.starts_with("__") {
        return Some("starts with `__`, which is reserved for Prometheus' internal labels");
    }
    let mut chars = name.chars();
    match chars.next() {
        None => Some("is empty"),
        Some(c) if !(c.is_ascii_alphabetic() || c == '_') => {
            Some("must start with a letter or `_`")
        }
        _ if !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') => {
            Some("may contain only ASCII letters, digits and `_`")
        }
        _ => None,
    }
}

/// Checks every family against every other; returns all problems, not just the first.
pub(crate) fn validate(descriptors: &[&'static Descriptor]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut owners: HashMap<String, &'static Descriptor> = HashMap::new();
    for &descriptor in descriptors {
        let here = (descriptor.name, descriptor.location);
        if let Some(reason) = metric_name_problem(descriptor.name) {
            problems.push(Problem::InvalidName {
                name: descriptor.name.to_owned(),
                reason,
                family: here,
            });
        }
        for label in descriptor.labels {
            if let Some(reason) = label_name_problem(label.name) {
                problems.push(Problem::InvalidName {
                    name: label.name.to_owned(),
                    reason,
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
