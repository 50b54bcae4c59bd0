//! Metric and label name rules, at two strengths.
//!
//! - **Syntax** ([`check_metric_name`], [`check_label_name`]): what the exposition formats can carry. The
//!   registry checks every family against it at start-up, whoever wrote the descriptor, and the OpenMetrics
//!   parser checks what it reads.
//! - **Declared names** ([`check_declared_metric_name`], [`check_declared_label_name`]): the syntax plus the
//!   conventions `metrics!` holds its declarations to (lowercase `snake_case`, no `__`, no type word in the
//!   name, reserved labels). Their messages name the fix.

use core::fmt;

use crate::{MetricKind, Snake};

/// Words that name a metric's own type; promtool lints a name containing one.
const TYPE_WORDS: [&str; 4] = [
    MetricKind::Counter.as_str(),
    MetricKind::Gauge.as_str(),
    MetricKind::Histogram.as_str(),
    "summary",
];

/// The label a histogram writes its bucket bounds in.
pub const BUCKET_LABEL: &str = "le";

/// The label a summary writes its quantiles in.
pub const QUANTILE_LABEL: &str = "quantile";

/// The prefix Prometheus reserves for its internal labels.
pub const RESERVED_LABEL_PREFIX: &str = "__";

/// Whether a label name is one the exposition writes itself or Prometheus keeps for itself (`le`, `quantile`,
/// `__` names), so no series may carry it as its own label.
///
/// ```
/// use metrics_rules::name::is_reserved_label;
///
/// assert!(is_reserved_label("le") && is_reserved_label("__name__") && !is_reserved_label("queue"));
/// ```
pub fn is_reserved_label(name: &str) -> bool {
    name.starts_with(RESERVED_LABEL_PREFIX) || name == BUCKET_LABEL || name == QUANTILE_LABEL
}

/// The labels Prometheus attaches to every series it scrapes: `job` (the scrape job's name) and `instance` (the
/// scraped target). A series' own label of either name is renamed `exported_job` / `exported_instance` (with the
/// default `honor_labels: false`), so a query on the name the code used matches nothing.
pub const TARGET_LABELS: [&str; 2] = ["job", "instance"];

/// Why a series may not carry a label called `name`, if it is one of [`TARGET_LABELS`]: the text follows the name
/// in a sentence and says what to use instead. Both the compile-time rule ([`check_declared_label_name`]) and the
/// registry's run-time check of hand-built families use it.
///
/// ```
/// use metrics_rules::name::target_label_reason;
///
/// assert!(target_label_reason("job").unwrap().contains("exported_job"));
/// assert_eq!(target_label_reason("task"), None);
/// ```
pub const fn target_label_reason(name: &str) -> Option<&'static str> {
    match name.as_bytes() {
        b"job" => Some(
            "is attached by Prometheus to every scraped series (the scrape job's name) and a series' own `job` is renamed `exported_job`, so queries on `job` would not find it: name the label after what it holds, such as `function`, `task` or `worker`",
        ),
        b"instance" => Some(
            "is attached by Prometheus to every scraped series (the scraped target's address) and a series' own `instance` is renamed `exported_instance`, so queries on `instance` would not find it: name the label after what it holds, such as `replica`, `node` or `worker`",
        ),
        _ => None,
    }
}

/// A name the exposition formats cannot carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntaxError {
    /// The name is empty.
    Empty,
    /// A metric name starts with something other than an ASCII letter, `_` or `:`.
    MetricStart,
    /// A metric name holds something other than ASCII letters, digits, `_` and `:`.
    MetricChar,
    /// A label name starts with something other than an ASCII letter or `_`.
    LabelStart,
    /// A label name holds something other than ASCII letters, digits and `_`.
    LabelChar,
    /// A label name starts with `__`, reserved for Prometheus' internal labels.
    LabelReserved,
}

impl SyntaxError {
    /// What is wrong, to follow the name in a sentence ("`my-name` may contain only ...").
    pub const fn reason(self) -> &'static str {
        match self {
            Self::Empty => "is empty",
            Self::MetricStart => "must start with a letter, `_` or `:`",
            Self::MetricChar => "may contain only ASCII letters, digits, `_` and `:`",
            Self::LabelStart => "must start with a letter or `_`",
            Self::LabelChar => "may contain only ASCII letters, digits and `_`",
            Self::LabelReserved => {
                "starts with `__`, which is reserved for Prometheus' internal labels"
            }
        }
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.reason())
    }
}

/// A metric name as the exposition formats read it: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
///
/// # Errors
///
/// The first way the name breaks the rule.
///
/// ```
/// use metrics_rules::name::{SyntaxError, check_metric_name};
///
/// assert_eq!(check_metric_name("http:requests_total"), Ok(()));
/// assert_eq!(check_metric_name("9lives"), Err(SyntaxError::MetricStart));
/// ```
pub fn check_metric_name(name: &str) -> Result<(), SyntaxError> {
    let mut bytes = name.bytes();
    match bytes.next() {
        None => Err(SyntaxError::Empty),
        Some(b) if !(b.is_ascii_alphabetic() || b == b'_' || b == b':') => {
            Err(SyntaxError::MetricStart)
        }
        _ if !bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':') => {
            Err(SyntaxError::MetricChar)
        }
        _ => Ok(()),
    }
}

/// A label name as the exposition formats read it: `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`.
///
/// # Errors
///
/// The first way the name breaks the rule.
///
/// ```
/// use metrics_rules::name::{SyntaxError, check_label_name};
///
/// assert_eq!(check_label_name("job_type"), Ok(()));
/// assert_eq!(check_label_name("__name__"), Err(SyntaxError::LabelReserved));
/// ```
#[inline]
pub fn check_label_name(name: &str) -> Result<(), SyntaxError> {
    if name.starts_with(RESERVED_LABEL_PREFIX) {
        return Err(SyntaxError::LabelReserved);
    }
    let mut bytes = name.bytes();
    match bytes.next() {
        None => Err(SyntaxError::Empty),
        Some(b) if !(b.is_ascii_alphabetic() || b == b'_') => Err(SyntaxError::LabelStart),
        _ if !bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_') => Err(SyntaxError::LabelChar),
        _ => Ok(()),
    }
}

/// Which name a declaration rule speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A family's name.
    Metric,
    /// A block's `namespace`, which prefixes every family name.
    Namespace,
    /// A declared `unit`, which ends the family name.
    Unit,
    /// A label's name.
    Label,
}

impl Subject {
    const fn noun(self) -> &'static str {
        match self {
            Self::Metric => "metric name",
            Self::Namespace => "namespace",
            Self::Unit => "unit",
            Self::Label => "label name",
        }
    }
}

/// What is wrong with a declared name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    /// Breaks the exposition syntax.
    Syntax(SyntaxError),
    /// A metric name starting with `_`.
    LeadingUnderscore,
    /// ASCII capitals.
    NotSnakeCase,
    /// A character outside `a-z`, `0-9` and `_`.
    BadChar(char),
    /// `__` inside a metric name.
    DoubleUnderscore,
    /// A type word (`counter`, `gauge`, `histogram`, `summary`) in a metric name.
    TypeWord(&'static str),
    /// A label name starting with `__`.
    ReservedPrefix,
    /// The label `le`; `histogram` when the family is one (it writes `le` itself).
    ReservedBucketLabel {
        /// Whether the family is a histogram.
        histogram: bool,
    },
    /// The label `quantile`, which summaries write.
    ReservedQuantileLabel,
    /// A state set's label named like the family, which carries the state.
    ReservedStateLabel,
    /// `job` or `instance`, which Prometheus attaches to every scraped series ([`TARGET_LABELS`]).
    TargetLabel(&'static str),
}

/// A declared name that breaks a rule, and which rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameError<'a> {
    /// Which name it is.
    pub subject: Subject,
    /// The name as declared.
    pub name: &'a str,
    /// The rule it breaks.
    pub problem: NameProblem,
}

impl fmt::Display for NameError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (noun, name) = (self.subject.noun(), self.name);
        match self.problem {
            // A declared metric name cannot start with `_` or `:` either (rules checked before the syntax).
            NameProblem::Syntax(SyntaxError::MetricStart) => {
                write!(f, "{noun} `{name}` must start with a letter")
            }
            NameProblem::Syntax(error) => write!(f, "{noun} `{name}` {error}"),
            NameProblem::LeadingUnderscore => write!(
                f,
                "{noun} `{name}` must not start with `_`: names starting with `__` are reserved"
            ),
            NameProblem::NotSnakeCase => {
                write!(
                    f,
                    "{noun} `{name}` must be snake_case: use `{}`",
                    Snake(name)
                )
            }
            NameProblem::BadChar(c) => write!(
                f,
                "{noun} `{name}` contains `{c}`: use only `a-z`, `0-9` and `_`"
            ),
            NameProblem::DoubleUnderscore => {
                write!(f, "{noun} `{name}` contains `__`: use single underscores")
            }
            NameProblem::TypeWord(word) => write!(
                f,
                "{noun} `{name}` contains the type name `{word}`: the type is already in `# TYPE`; drop it"
            ),
            NameProblem::ReservedPrefix => write!(
                f,
                "{noun} `{name}` starts with `__`, which Prometheus reserves for internal labels: rename it"
            ),
            NameProblem::ReservedBucketLabel { histogram: true } => write!(
                f,
                "{noun} `{name}` is reserved: a histogram writes its bucket bound as `{name}`; rename this label"
            ),
            NameProblem::ReservedBucketLabel { histogram: false } => write!(
                f,
                "{noun} `{name}` is reserved for histogram buckets: rename this label"
            ),
            NameProblem::ReservedQuantileLabel => write!(
                f,
                "{noun} `{name}` is reserved for summary quantiles: rename this label"
            ),
            NameProblem::ReservedStateLabel => write!(
                f,
                "{noun} `{name}` is reserved in this stateset: it carries the state; rename this label"
            ),
            NameProblem::TargetLabel(reason) => write!(f, "{noun} `{name}` {reason}"),
        }
    }
}

/// The first character outside `a-z`, `0-9` and `_`, if any.
fn first_bad_char(name: &str) -> Option<char> {
    name.chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_'))
}

/// A declared metric name (or namespace, or unit): lowercase `snake_case` that is also valid
/// [syntax](check_metric_name), no `_` first, no `__`, no type word.
///
/// # Errors
///
/// The first rule the name breaks, worded for `subject`.
///
/// ```
/// use metrics_rules::name::{Subject, check_declared_metric_name};
///
/// assert!(check_declared_metric_name("jobs_total", Subject::Metric).is_ok());
/// let error = check_declared_metric_name("my-app", Subject::Namespace).unwrap_err();
/// assert_eq!(error.to_string(), "namespace `my-app` contains `-`: use only `a-z`, `0-9` and `_`");
/// ```
pub fn check_declared_metric_name(name: &str, subject: Subject) -> Result<(), NameError<'_>> {
    let error = |problem| {
        Err(NameError {
            subject,
            name,
            problem,
        })
    };
    if name.starts_with('_') {
        return error(NameProblem::LeadingUnderscore);
    }
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        return error(NameProblem::NotSnakeCase);
    }
    if let Some(c) = first_bad_char(name) {
        return error(NameProblem::BadChar(c));
    }
    if let Err(syntax) = check_metric_name(name) {
        return error(NameProblem::Syntax(syntax));
    }
    if name.contains("__") {
        return error(NameProblem::DoubleUnderscore);
    }
    if let Some(word) = name
        .split('_')
        .find_map(|w| TYPE_WORDS.into_iter().find(|t| *t == w))
    {
        return error(NameProblem::TypeWord(word));
    }
    Ok(())
}

/// A declared label name of a `kind` family named `family`: lowercase `snake_case` that is also valid
/// [syntax](check_label_name), none of the labels the exposition writes itself (`le`, `quantile`, a state
/// set's own name, `__` names), and none of the labels Prometheus attaches itself ([`TARGET_LABELS`]).
///
/// # Errors
///
/// The first rule the name breaks.
///
/// ```
/// use metrics_rules::MetricKind;
/// use metrics_rules::name::check_declared_label_name;
///
/// assert!(check_declared_label_name("queue", MetricKind::Histogram, "wait_seconds").is_ok());
/// assert!(check_declared_label_name("le", MetricKind::Histogram, "wait_seconds").is_err());
/// ```
pub fn check_declared_label_name<'a>(
    name: &'a str,
    kind: MetricKind,
    family: &str,
) -> Result<(), NameError<'a>> {
    let error = |problem| {
        Err(NameError {
            subject: Subject::Label,
            name,
            problem,
        })
    };
    if name.starts_with(RESERVED_LABEL_PREFIX) {
        return error(NameProblem::ReservedPrefix);
    }
    if name == BUCKET_LABEL {
        return error(NameProblem::ReservedBucketLabel {
            histogram: kind == MetricKind::Histogram,
        });
    }
    if name == QUANTILE_LABEL {
        return error(NameProblem::ReservedQuantileLabel);
    }
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        return error(NameProblem::NotSnakeCase);
    }
    if let Some(c) = first_bad_char(name) {
        return error(NameProblem::BadChar(c));
    }
    if let Err(syntax) = check_label_name(name) {
        return error(NameProblem::Syntax(syntax));
    }
    if kind == MetricKind::StateSet && name == family {
        return error(NameProblem::ReservedStateLabel);
    }
    if let Some(reason) = target_label_reason(name) {
        return error(NameProblem::TargetLabel(reason));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::string::ToString as _;

    use super::*;

    #[test]
    fn metric_name_syntax() {
        for (name, expected) in [
            ("jobs_total", Ok(())),
            ("Jobs:Total", Ok(())),
            ("_x", Ok(())),
            (":x", Ok(())),
            ("", Err(SyntaxError::Empty)),
            ("9x", Err(SyntaxError::MetricStart)),
            ("-x", Err(SyntaxError::MetricStart)),
            ("my-app", Err(SyntaxError::MetricChar)),
            ("tâches", Err(SyntaxError::MetricChar)),
            ("utf8.name", Err(SyntaxError::MetricChar)),
        ] {
            assert_eq!(check_metric_name(name), expected, "{name:?}");
        }
    }

    #[test]
    fn label_name_syntax() {
        for (name, expected) in [
            ("job_type", Ok(())),
            ("JobType", Ok(())),
            ("_x", Ok(())),
            ("le", Ok(())),
            ("", Err(SyntaxError::Empty)),
            ("__name__", Err(SyntaxError::LabelReserved)),
            ("9x", Err(SyntaxError::LabelStart)),
            (":x", Err(SyntaxError::LabelStart)),
            ("a:b", Err(SyntaxError::LabelChar)),
            ("résultat", Err(SyntaxError::LabelChar)),
        ] {
            assert_eq!(check_label_name(name), expected, "{name:?}");
        }
    }

    #[test]
    fn declared_metric_names() {
        for (name, subject, message) in [
            ("jobs_total", Subject::Metric, None),
            ("a1_b2", Subject::Metric, None),
            (
                "_jobs",
                Subject::Metric,
                Some(
                    "metric name `_jobs` must not start with `_`: names starting with `__` are reserved",
                ),
            ),
            (
                "jobsTotal",
                Subject::Metric,
                Some("metric name `jobsTotal` must be snake_case: use `jobs_total`"),
            ),
            (
                "Seconds",
                Subject::Unit,
                Some("unit `Seconds` must be snake_case: use `seconds`"),
            ),
            (
                "tâches_total",
                Subject::Metric,
                Some("metric name `tâches_total` contains `â`: use only `a-z`, `0-9` and `_`"),
            ),
            (
                "my-app",
                Subject::Namespace,
                Some("namespace `my-app` contains `-`: use only `a-z`, `0-9` and `_`"),
            ),
            (
                "9app",
                Subject::Namespace,
                Some("namespace `9app` must start with a letter"),
            ),
            ("", Subject::Metric, Some("metric name `` is empty")),
            (
                "jobs__total",
                Subject::Metric,
                Some("metric name `jobs__total` contains `__`: use single underscores"),
            ),
            (
                "jobs_counter_total",
                Subject::Metric,
                Some(
                    "metric name `jobs_counter_total` contains the type name `counter`: the type is already in `# TYPE`; drop it",
                ),
            ),
            (
                "summary",
                Subject::Namespace,
                Some(
                    "namespace `summary` contains the type name `summary`: the type is already in `# TYPE`; drop it",
                ),
            ),
            ("build_info", Subject::Metric, None),
            ("state_stateset", Subject::Metric, None),
        ] {
            let got = check_declared_metric_name(name, subject)
                .err()
                .map(|e| e.to_string());
            assert_eq!(got.as_deref(), message, "{name:?}");
        }
    }

    #[test]
    fn declared_label_names() {
        use MetricKind::{Counter, Histogram, StateSet};
        for (name, kind, message) in [
            ("job_type", Counter, None),
            ("state", Counter, None),
            (
                "__name",
                Counter,
                Some(
                    "label name `__name` starts with `__`, which Prometheus reserves for internal labels: rename it",
                ),
            ),
            (
                "le",
                Histogram,
                Some(
                    "label name `le` is reserved: a histogram writes its bucket bound as `le`; rename this label",
                ),
            ),
            (
                "le",
                Counter,
                Some("label name `le` is reserved for histogram buckets: rename this label"),
            ),
            (
                "quantile",
                Counter,
                Some("label name `quantile` is reserved for summary quantiles: rename this label"),
            ),
            (
                "jobType",
                Counter,
                Some("label name `jobType` must be snake_case: use `job_type`"),
            ),
            (
                "résultat",
                Counter,
                Some("label name `résultat` contains `é`: use only `a-z`, `0-9` and `_`"),
            ),
            (
                "9x",
                Counter,
                Some("label name `9x` must start with a letter or `_`"),
            ),
            (
                "state",
                StateSet,
                Some(
                    "label name `state` is reserved in this stateset: it carries the state; rename this label",
                ),
            ),
            (
                "job",
                Counter,
                Some(
                    "label name `job` is attached by Prometheus to every scraped series (the scrape job's name) and a series' own `job` is renamed `exported_job`, so queries on `job` would not find it: name the label after what it holds, such as `function`, `task` or `worker`",
                ),
            ),
            (
                "instance",
                Histogram,
                Some(
                    "label name `instance` is attached by Prometheus to every scraped series (the scraped target's address) and a series' own `instance` is renamed `exported_instance`, so queries on `instance` would not find it: name the label after what it holds, such as `replica`, `node` or `worker`",
                ),
            ),
            ("instances", Counter, None),
        ] {
            let got = check_declared_label_name(name, kind, "state")
                .err()
                .map(|e| e.to_string());
            assert_eq!(got.as_deref(), message, "{name:?} on a {kind}");
        }
    }

    #[test]
    fn declared_names_are_never_reserved() {
        for name in ["le", "quantile", "__name__", "__x"] {
            assert!(is_reserved_label(name), "{name}");
            assert!(check_declared_label_name(name, MetricKind::Gauge, "g").is_err());
        }
        for name in ["queue", "l", "les", "_x"] {
            assert!(!is_reserved_label(name), "{name}");
        }
    }

    #[test]
    fn declared_names_are_valid_syntax() {
        for name in ["a", "a_b", "a1", "abc_def_9"] {
            assert!(check_declared_metric_name(name, Subject::Metric).is_ok());
            assert!(check_metric_name(name).is_ok());
            assert!(check_declared_label_name(name, MetricKind::Gauge, "g").is_ok());
            assert!(check_label_name(name).is_ok());
        }
    }
}
