//! Facade names checked with the rules of our own declarations (`metrics_rules`), and rewritten when a rewrite
//! can make them valid: `http.requests` becomes `http_requests`, as other Prometheus exporters of the facade do.

use metrics_rules::name::{check_label_name, check_metric_name, is_reserved_label};

/// A name as it will be exposed, and whether it had to be rewritten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Checked {
    pub(crate) name: String,
    pub(crate) sanitised: bool,
}

/// Rewrites `raw` with `keep` deciding which characters stay (others become `_`) and a `_` in front of a leading
/// digit, then checks the result with `check`.
fn sanitise(
    raw: &str,
    keep: impl Fn(char) -> bool,
    check: impl Fn(&str) -> bool,
) -> Option<Checked> {
    if check(raw) {
        return Some(Checked {
            name: raw.to_owned(),
            sanitised: false,
        });
    }
    let mut name: String = raw.chars().map(|c| if keep(c) { c } else { '_' }).collect();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    check(&name).then_some(Checked {
        name,
        sanitised: true,
    })
}

/// The exposed name of a facade metric; counters get the `_total` suffix they are queried by.
pub(crate) fn metric_name(raw: &str, counter: bool) -> Option<Checked> {
    let mut checked = sanitise(
        raw,
        |c| c.is_ascii_alphanumeric() || c == '_' || c == ':',
        |n| check_metric_name(n).is_ok(),
    )?;
    if counter && !checked.name.ends_with("_total") {
        checked.name.push_str("_total");
    }
    Some(checked)
}

/// The exposed name of a facade label; `None` for names no rewrite can save (empty, `__`-prefixed, `le`,
/// `quantile`).
pub(crate) fn label_name(raw: &str) -> Option<Checked> {
    let checked = sanitise(
        raw,
        |c| c.is_ascii_alphanumeric() || c == '_',
        |n| check_label_name(n).is_ok(),
    )?;
    (!is_reserved_label(&checked.name)).then_some(checked)
}

/// A label value as it will be exposed: control characters become `_` (no query could type them); an empty value
/// is refused, as Prometheus reads it as a missing label.
pub(crate) fn label_value(raw: &str) -> Option<Checked> {
    match metrics_rules::label::check_label_value(raw) {
        Ok(()) => Some(Checked {
            name: raw.to_owned(),
            sanitised: false,
        }),
        Err(metrics_rules::label::LabelValueError::Empty) => None,
        Err(metrics_rules::label::LabelValueError::Control { .. }) => Some(Checked {
            name: raw
                .chars()
                .map(|c| if c.is_control() { '_' } else { c })
                .collect(),
            sanitised: true,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exposed(checked: Option<Checked>) -> Option<(String, bool)> {
        checked.map(|c| (c.name, c.sanitised))
    }

    #[test]
    fn metric_names() {
        assert_eq!(
            exposed(metric_name("jobs_total", true)),
            Some(("jobs_total".into(), false))
        );
        assert_eq!(
            exposed(metric_name("jobs", true)),
            Some(("jobs_total".into(), false))
        );
        assert_eq!(
            exposed(metric_name("http.requests", false)),
            Some(("http_requests".into(), true))
        );
        assert_eq!(
            exposed(metric_name("9lives", false)),
            Some(("_9lives".into(), true))
        );
        assert_eq!(
            exposed(metric_name("ns:latency", false)),
            Some(("ns:latency".into(), false))
        );
        assert_eq!(exposed(metric_name("", false)), None);
    }

    #[test]
    fn label_names_and_values() {
        assert_eq!(exposed(label_name("route")), Some(("route".into(), false)));
        assert_eq!(
            exposed(label_name("http.method")),
            Some(("http_method".into(), true))
        );
        assert_eq!(exposed(label_name("__name__")), None);
        assert_eq!(exposed(label_name("le")), None);
        assert_eq!(exposed(label_value("a\nb")), Some(("a_b".into(), true)));
        assert_eq!(exposed(label_value("ok")), Some(("ok".into(), false)));
        assert_eq!(exposed(label_value("")), None);
    }
}
