//! Reads sample values back from any library's text exposition, for the tests that prove each scenario records
//! what it should. Only what those tests need: label values here never hold `"`, `,` or escapes.

/// The value of the sample named `name` whose labels are exactly `labels` (in any order), if there is one.
pub(crate) fn value(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples(text)
        .find(|(n, l, _)| {
            *n == name && l.len() == labels.len() && labels.iter().all(|pair| l.contains(pair))
        })
        .map(|(_, _, v)| v)
}

/// The sum of every sample named `name`, whatever its labels.
pub(crate) fn total(text: &str, name: &str) -> f64 {
    samples(text)
        .filter(|(n, _, _)| *n == name)
        .map(|(_, _, v)| v)
        .sum()
}

/// How many samples are named `name`.
pub(crate) fn count(text: &str, name: &str) -> usize {
    samples(text).filter(|(n, _, _)| *n == name).count()
}

type Parsed<'t> = (&'t str, Vec<(&'t str, &'t str)>, f64);

fn samples(text: &str) -> impl Iterator<Item = Parsed<'_>> {
    text.lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| parse(line).unwrap_or_else(|| panic!("not a sample line: {line:?}")))
}

fn parse(line: &str) -> Option<Parsed<'_>> {
    let (name, labels, rest) = if let Some((name, rest)) = line.split_once('{') {
        let (labels, rest) = rest.split_once('}')?;
        let labels = labels
            .split(',')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (label, value) = pair.split_once('=')?;
                Some((
                    label.trim(),
                    value.trim().strip_prefix('"')?.strip_suffix('"')?,
                ))
            })
            .collect::<Option<Vec<_>>>()?;
        (name, labels, rest)
    } else {
        let (name, rest) = line.split_once(' ')?;
        (name, Vec::new(), rest)
    };
    let value = rest.split_whitespace().next()?;
    let value = match value {
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        other => other.parse().ok()?,
    };
    Some((name, labels, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# HELP x_total X.\n# TYPE x_total counter\nx_total{task=\"email\",status=\"ok\"} 3\n\
                        x_total{status=\"retry\",task=\"email\"} 4.0\ny 7 1700000000\nh_bucket{le=\"+Inf\"} 2\n";

    #[test]
    fn finds_samples_by_name_and_label_set() {
        assert_eq!(
            value(TEXT, "x_total", &[("status", "retry"), ("task", "email")]),
            Some(4.0)
        );
        assert_eq!(value(TEXT, "x_total", &[("task", "email")]), None);
        assert_eq!(value(TEXT, "y", &[]), Some(7.0));
        assert_eq!(value(TEXT, "h_bucket", &[("le", "+Inf")]), Some(2.0));
        assert_eq!(total(TEXT, "x_total"), 7.0);
        assert_eq!(count(TEXT, "x_total"), 2);
    }
}
