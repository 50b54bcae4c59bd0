//! The schema of a family, as declared: everything the encoders, the registry and the catalog need.

use std::time::Duration;

pub use metrics_rules::MetricKind;

use super::objective::Objective;

/// Where a family was declared, for error messages that point at both sides of a clash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceLocation {
    /// The source file.
    pub file: &'static str,
    /// The 1-based line.
    pub line: u32,
    /// The 1-based column.
    pub column: u32,
    /// The module path of the declaring code.
    pub module_path: &'static str,
}

/// The [`SourceLocation`] of the place this macro is written: for hand-written [`Descriptor`]s.
///
/// ```
/// let here = metrics_core::source_location!();
/// assert!(here.file.ends_with(".rs"));
/// ```
#[macro_export]
macro_rules! source_location {
    () => {
        $crate::SourceLocation {
            file: ::core::file!(),
            line: ::core::line!(),
            column: ::core::column!(),
            module_path: ::core::module_path!(),
        }
    };
}

impl std::fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// The set of values a label can take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LabelValues {
    /// A closed set, known at compile time.
    Enum(&'static [&'static str]),
    /// Open strings, at most `cap` distinct values plus the overflow value.
    Bounded {
        /// The declared cap.
        cap: usize,
    },
    /// A free string set once at start-up (info families).
    Text,
}

/// One label of a family.
///
/// Built with [`LabelDescriptor::new`] (`#[non_exhaustive]`); the fields are public to read.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct LabelDescriptor {
    /// The label name.
    pub name: &'static str,
    /// The values it can take.
    pub values: LabelValues,
    /// Whether a registry may switch the label off at start-up
    /// ([`RegistryBuilder::optional_label`](crate::RegistryBuilder::optional_label)), summing its series away.
    pub optional: bool,
}

impl LabelDescriptor {
    /// Label `name` taking `values`; `const`, for a [`Descriptor`] in a `static`.
    pub const fn new(name: &'static str, values: LabelValues) -> Self {
        Self {
            name,
            values,
            optional: false,
        }
    }

    /// The label, declared optional (`metrics!`'s `optional = [name]`).
    #[must_use]
    pub const fn optional(mut self) -> Self {
        self.optional = true;
        self
    }
}

/// The schema of one metric family.
///
/// Built with [`Descriptor::new`] and the `const` `with_*` methods, never as a struct literal
/// (`#[non_exhaustive]`), so that a field added later breaks no family written by hand. The fields are public to
/// read.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Descriptor {
    /// The exposition name as queried: a counter's ends in `_total`, an info's in `_info`.
    pub name: &'static str,
    /// The help text (the declaration's doc comment).
    pub help: &'static str,
    /// The metric kind.
    pub kind: MetricKind,
    /// The unit, a suffix of the name (`seconds`, `bytes`).
    pub unit: Option<&'static str>,
    /// The labels, in declaration order.
    pub labels: &'static [LabelDescriptor],
    /// Histogram upper bounds, without `+Inf`.
    pub buckets: &'static [f64],
    /// State-set states, in index order.
    pub states: &'static [&'static str],
    /// Where the family was declared.
    pub location: SourceLocation,
    /// Whether its series carry exemplars (`exemplars = true`): OpenMetrics shows one per counter and per
    /// histogram bucket.
    pub exemplars: bool,
    /// For a family with one bounded label (`expire_after = 10m`): how long a value may go without a recording
    /// before a scrape removes it and its series, freeing its place under the cap. `None`: values stay until
    /// removed.
    pub expire_after: Option<Duration>,
    /// The objectives judging this family (`metrics!`'s `objectives = [..]`), for the alerting rules and
    /// dashboards `metrics-catalog` derives.
    pub objectives: &'static [Objective],
    /// What records the family when the declaration says (an observable family's callback), for the catalog.
    pub recorded_by: Option<&'static str>,
}

impl Descriptor {
    /// A descriptor with no unit, labels, buckets or states: the start of a hand-written [`Family`](crate::Family).
    /// Chain the `with_*` methods for the rest; all are `const`, so the result can be a `static`.
    ///
    /// ```
    /// use metrics_core::{Descriptor, LabelDescriptor, LabelValues, MetricKind, source_location};
    ///
    /// static QUEUE_DEPTH: Descriptor = Descriptor::new("queue_depth", "Jobs waiting.", MetricKind::Gauge, source_location!())
    ///     .with_labels(&[LabelDescriptor::new("queue", LabelValues::Enum(&["fast", "slow"]))]);
    /// assert_eq!(QUEUE_DEPTH.max_series(), 2);
    /// ```
    pub const fn new(
        name: &'static str,
        help: &'static str,
        kind: MetricKind,
        location: SourceLocation,
    ) -> Self {
        Self {
            name,
            help,
            kind,
            unit: None,
            labels: &[],
            buckets: &[],
            states: &[],
            location,
            exemplars: false,
            expire_after: None,
            objectives: &[],
            recorded_by: None,
        }
    }

    /// The same descriptor with a unit (a suffix of the name).
    #[must_use]
    pub const fn with_unit(mut self, unit: &'static str) -> Self {
        self.unit = Some(unit);
        self
    }

    /// The same descriptor with these labels.
    #[must_use]
    pub const fn with_labels(mut self, labels: &'static [LabelDescriptor]) -> Self {
        self.labels = labels;
        self
    }

    /// The same descriptor with these histogram bounds (finite, strictly increasing, without `+Inf`).
    #[must_use]
    pub const fn with_buckets(mut self, buckets: &'static [f64]) -> Self {
        self.buckets = buckets;
        self
    }

    /// The same descriptor with these state-set states.
    #[must_use]
    pub const fn with_states(mut self, states: &'static [&'static str]) -> Self {
        self.states = states;
        self
    }

    /// The same descriptor, saying its series carry exemplars (cells such as
    /// [`ExemplarHistogram`](crate::ExemplarHistogram)).
    #[must_use]
    pub const fn with_exemplars(mut self) -> Self {
        self.exemplars = true;
        self
    }

    /// The same descriptor, saying that a value of its bounded label is removed (with its series) once it has gone
    /// `after` without a recording; see [`RemovableFamily`](crate::RemovableFamily) for when and how (a
    /// [`BoundedFamily`](crate::BoundedFamily) refuses it).
    #[must_use]
    pub const fn with_expire_after(mut self, after: Duration) -> Self {
        self.expire_after = Some(after);
        self
    }

    /// The same descriptor with these objectives.
    #[must_use]
    pub const fn with_objectives(mut self, objectives: &'static [Objective]) -> Self {
        self.objectives = objectives;
        self
    }

    /// The same descriptor, naming what records it (an observable family's callback path).
    #[must_use]
    pub const fn with_recorded_by(mut self, what: &'static str) -> Self {
        self.recorded_by = Some(what);
        self
    }

    /// The OpenMetrics family name: the name without a counter's `_total` or an info's `_info`.
    pub fn family_name(&self) -> &'static str {
        self.kind.family_name(self.name)
    }

    /// The most series this family can have: the product of its labels' value counts (bounded labels count their
    /// cap plus the overflow value).
    pub fn max_series(&self) -> usize {
        self.labels.iter().fold(1usize, |acc, label| {
            acc.saturating_mul(match label.values {
                LabelValues::Enum(values) => values.len(),
                LabelValues::Bounded { cap } => cap + 1,
                LabelValues::Text => 1,
            })
        })
    }
}
