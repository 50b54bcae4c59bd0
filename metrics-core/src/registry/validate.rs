//! Registry-wide checks no single macro invocation can make: names unique and clash-free across every crate.

use metrics_rules::name;
use std::collections::HashMap;

use crate::family::{Descriptor, LabelValues, Problem};

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
            if let Some(reason) = name::target_label_reason(label.name) {
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
