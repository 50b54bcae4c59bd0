//! Registry-wide checks no single macro invocation can make: names unique and clash-free across every crate.

use metrics_rules::name;
use std::collections::HashMap;

use crate::encode::Policy;
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

/// Checks the registry's name prefix and constant labels, alone and against every family's labels.
pub(crate) fn validate_policy(
    policy: &Policy,
    descriptors: &[&'static Descriptor],
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut problem = |setting: String, reason: String| {
        problems.push(Problem::Policy { setting, reason });
    };
    if !policy.prefix.is_empty()
        && let Err(error) = name::check_metric_name(&policy.prefix)
    {
        problem(
            format!("prefix({:?})", policy.prefix),
            format!("the prefix {error}"),
        );
    }
    for (index, (label, value)) in policy.const_labels.iter().enumerate() {
        let setting = format!("const_label({label:?}, {value:?})");
        if let Err(error) = name::check_label_name(label) {
            problem(setting.clone(), format!("the label name {error}"));
        } else if name::is_reserved_label(label) {
            problem(
                setting.clone(),
                format!("`{label}` is written by the exposition itself; choose another name"),
            );
        } else if let Some(reason) = name::target_label_reason(label) {
            problem(setting.clone(), format!("`{label}` {reason}"));
        }
        if let Err(error) = metrics_rules::label::check_label_value(value) {
            problem(setting.clone(), error.to_string());
        }
        if policy.const_labels[..index].iter().any(|(l, _)| l == label) {
            problem(setting.clone(), format!("`{label}` is set twice; keep one"));
        }
        for descriptor in descriptors {
            if descriptor.labels.iter().any(|l| l.name == label)
                || (descriptor.kind == crate::family::MetricKind::StateSet
                    && descriptor.family_name() == label)
            {
                problem(
                    setting.clone(),
                    format!(
                        "family `{}` (declared at {}) has its own label `{label}`; a series cannot carry it twice",
                        descriptor.name, descriptor.location
                    ),
                );
            }
        }
    }
    problems
}
