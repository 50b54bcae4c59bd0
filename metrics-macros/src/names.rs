//! Spelling helpers for generated identifiers and suggestions. The naming *rules* are in `metrics_rules`.

/// `snake_case` for a `camelCase` or `PascalCase` word.
pub(crate) fn to_snake(name: &str) -> String {
    metrics_rules::Snake(name).to_string()
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
