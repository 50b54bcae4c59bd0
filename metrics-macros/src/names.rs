//! Metric and label naming rules as pure functions: each returns the message the user sees, or `None`.

/// Units that are not Prometheus base units, with the base unit to use instead.
const NON_BASE_UNITS: &[(&str, &str)] = &[
    ("milliseconds", "seconds"),
    ("millis", "seconds"),
    ("ms", "seconds"),
    ("microseconds", "seconds"),
    ("us", "seconds"),
    ("nanoseconds", "seconds"),
    ("ns", "seconds"),
    ("minutes", "seconds"),
    ("hours", "seconds"),
    ("days", "seconds"),
    ("kilobytes", "bytes"),
    ("kb", "bytes"),
    ("kib", "bytes"),
    ("megabytes", "bytes"),
    ("mb", "bytes"),
    ("mib", "bytes"),
    ("gigabytes", "bytes"),
    ("gb", "bytes"),
    ("gib", "bytes"),
    ("bits", "bytes"),
    ("percent", "ratio"),
];

/// Base units recognised from a name's suffix when no `unit` is given.
const BASE_UNITS: &[&str] = &[
    "seconds", "bytes", "ratio", "celsius", "volts", "amperes", "joules", "grams", "meters",
];

/// Words that mark a metric's own type in its name; promtool lints them.
const TYPE_WORDS: &[&str] = &["counter", "gauge", "histogram", "summary"];

/// A metric (or unit) name must be lowercase snake case: `[a-z][a-z0-9_]*`, no `__`.
pub(crate) fn metric_name_problem(name: &str) -> Option<String> {
    if name.starts_with('_') {
        return Some(format!(
            "metric name `{name}` must not start with `_`: names starting with `__` are reserved"
        ));
    }
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        return Some(format!(
            "metric name `{name}` must be snake_case: use `{}`",
            to_snake(name)
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_'))
    {
        return Some(format!(
            "metric name `{name}` contains `{c}`: use only `a-z`, `0-9` and `_`"
        ));
    }
    if name.contains("__") {
        return Some(format!(
            "metric name `{name}` contains `__`: use single underscores"
        ));
    }
    if let Some(word) = name.split('_').find(|w| TYPE_WORDS.contains(w)) {
        return Some(format!(
            "metric name `{name}` contains the type name `{word}`: the type is already in `# TYPE`; drop it"
        ));
    }
    None
}

/// A label name: snake case, not reserved.
pub(crate) fn label_name_problem(name: &str, is_histogram: bool) -> Option<String> {
    if name.starts_with("__") {
        return Some(format!(
            "label name `{name}` starts with `__`, which Prometheus reserves for internal labels: rename it"
        ));
    }
    if name == "le" {
        return Some(if is_histogram {
            "label name `le` is reserved: a histogram writes its bucket bound as `le`; rename this label".to_owned()
        } else {
            "label name `le` is reserved for histogram buckets: rename this label".to_owned()
        });
    }
    if name == "quantile" {
        return Some(
            "label name `quantile` is reserved for summary quantiles: rename this label".to_owned(),
        );
    }
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        return Some(format!(
            "label name `{name}` must be snake_case: use `{}`",
            to_snake(name)
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_'))
    {
        return Some(format!(
            "label name `{name}` contains `{c}`: use only `a-z`, `0-9` and `_`"
        ));
    }
    None
}

/// The first non-base unit word in `name`, as a message naming the base unit.
pub(crate) fn non_base_unit_problem(name: &str) -> Option<String> {
    name.split('_').find_map(|word| {
        NON_BASE_UNITS.iter().find(|(bad, _)| *bad == word).map(|(bad, base)| {
            let fixed = name.split('_').map(|w| if w == *bad { *base } else { w }).collect::<Vec<_>>().join("_");
            format!(
                "`{bad}` is not a base unit: Prometheus records {base}; convert the value and name the metric `{fixed}`"
            )
        })
    })
}

/// The base unit to use instead of `unit`, when `unit` is a known non-base unit (`ms` -> `seconds`).
pub(crate) fn base_unit_of(unit: &str) -> Option<&'static str> {
    NON_BASE_UNITS
        .iter()
        .find(|(bad, _)| *bad == unit)
        .map(|(_, base)| *base)
}

/// The name without a counter's `_total`: what a unit must be a suffix of.
pub(crate) fn unit_stem(name: &str) -> &str {
    name.strip_suffix("_total").unwrap_or(name)
}

/// The unit implied by a name ending in a base unit (`_seconds`, `_bytes_total`).
pub(crate) fn implied_unit(name: &str) -> Option<&'static str> {
    let stem = unit_stem(name);
    BASE_UNITS
        .iter()
        .copied()
        .find(|unit| stem.ends_with(&format!("_{unit}")))
}

/// A declared unit must be the name's suffix (before `_total`), as OpenMetrics requires of the `UNIT` line.
pub(crate) fn unit_mismatch_problem(name: &str, unit: &str) -> Option<String> {
    if unit_stem(name).ends_with(&format!("_{unit}")) {
        return None;
    }
    let stem = unit_stem(name);
    let fixed = if name.ends_with("_total") {
        format!("{stem}_{unit}_total")
    } else {
        format!("{stem}_{unit}")
    };
    Some(format!(
        "unit `{unit}` does not match the metric name `{name}`: OpenMetrics requires the name to end with the unit; rename it `{fixed}`"
    ))
}

/// `snake_case` for a `camelCase` or `PascalCase` word.
pub(crate) fn to_snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `PascalCase` for a `snake_case` name.
pub(crate) fn to_pascal(name: &str) -> String {
    name.split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Edit distance for "did you mean" suggestions.
pub(crate) fn closest<'a>(word: &str, options: &[&'a str]) -> Option<&'a str> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut previous = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let current = row[j + 1];
                row[j + 1] = (previous + usize::from(ca != *cb))
                    .min(row[j] + 1)
                    .min(current + 1);
                previous = current;
            }
        }
        row[b.len()]
    }
    options
        .iter()
        .copied()
        .map(|o| (distance(word, o), o))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, o)| o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_names() {
        assert_eq!(metric_name_problem("jobs_total"), None);
        assert!(
            metric_name_problem("jobsTotal")
                .unwrap()
                .contains("`jobs_total`")
        );
        assert!(metric_name_problem("__jobs").is_some());
        assert!(metric_name_problem("jobs__total").is_some());
        assert!(
            metric_name_problem("jobs_counter_total")
                .unwrap()
                .contains("type name")
        );
    }

    #[test]
    fn label_names() {
        assert_eq!(label_name_problem("job_type", false), None);
        assert!(
            label_name_problem("le", true)
                .unwrap()
                .contains("bucket bound")
        );
        assert!(label_name_problem("quantile", false).is_some());
        assert!(label_name_problem("__name", false).is_some());
        assert!(
            label_name_problem("jobType", false)
                .unwrap()
                .contains("`job_type`")
        );
    }

    #[test]
    fn units() {
        assert!(
            non_base_unit_problem("latency_milliseconds")
                .unwrap()
                .contains("`latency_seconds`")
        );
        assert!(
            non_base_unit_problem("size_kb_total")
                .unwrap()
                .contains("`size_bytes_total`")
        );
        assert_eq!(non_base_unit_problem("latency_seconds"), None);
        assert_eq!(base_unit_of("ms"), Some("seconds"));
        assert_eq!(base_unit_of("usd"), None);
        assert_eq!(implied_unit("io_bytes_total"), Some("bytes"));
        assert_eq!(implied_unit("jobs_total"), None);
        assert_eq!(unit_mismatch_problem("cost_usd_total", "usd"), None);
        assert!(
            unit_mismatch_problem("latency", "seconds")
                .unwrap()
                .contains("`latency_seconds`")
        );
        assert!(
            unit_mismatch_problem("spent_total", "seconds")
                .unwrap()
                .contains("`spent_seconds_total`")
        );
    }

    #[test]
    fn case_conversions_and_suggestions() {
        assert_eq!(to_pascal("job_latency_seconds"), "JobLatencySeconds");
        assert_eq!(to_snake("JobType"), "job_type");
        assert_eq!(
            closest("bukets", &["buckets", "unit", "budget"]),
            Some("buckets")
        );
        assert_eq!(closest("zzz", &["buckets"]), None);
    }
}
