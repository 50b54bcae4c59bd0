//! Metric families: a descriptor plus one cell per label combination, and what a scrape reads from them.

mod bounded;
mod dense;
mod descriptor;
mod info;

pub use bounded::BoundedFamily;
pub use dense::DenseFamily;
pub use descriptor::{Descriptor, LabelDescriptor, LabelValues, MetricKind, SourceLocation};
pub use info::InfoFamily;

/// The most labels one family may have; `metrics!` rejects more at compile time.
pub use metrics_rules::MAX_LABELS;

/// A registered metric family: what the registry, the encoders and the catalog see.
///
/// `metrics!` implements it for every family it declares. Implement it yourself to expose values computed at
/// scrape time (a queue length read from another system), and register the static with
/// [`RegistryBuilder::register`](crate::RegistryBuilder::register).
pub trait Family: Send + Sync + 'static {
    /// The family's schema.
    fn descriptor(&self) -> &'static Descriptor;

    /// Calls `sink` once per series, in a stable order.
    fn collect(&self, sink: &mut dyn SeriesSink);

    /// Reports, per bounded string label, how many values went to the overflow series. Families without bounded
    /// labels report nothing.
    fn label_overflows(&self, report: &mut dyn FnMut(&'static str, u64)) {
        let _ = report;
    }

    /// Reports what only the family can see is wrong with it (two instrumented functions sharing one `job`
    /// label value); the registry refuses to build while any problem remains. Most families report nothing.
    fn problems(&self, report: &mut dyn FnMut(crate::Problem)) {
        let _ = report;
    }
}

/// Receives the series of a family during a scrape.
pub trait SeriesSink {
    /// One series: its label values and its current value.
    fn series(&mut self, series: &Series<'_>, sample: &Sample<'_>);
}

impl<F: FnMut(&Series<'_>, &Sample<'_>)> SeriesSink for F {
    fn series(&mut self, series: &Series<'_>, sample: &Sample<'_>) {
        self(series, sample);
    }
}

/// The label values of one series, in the order of the descriptor's labels.
#[derive(Debug, Clone, Copy)]
pub struct Series<'a> {
    values: &'a [&'a str],
    rendered: Option<&'a str>,
    /// Every value is known to need no escaping, so the encoder may copy them as they are.
    clean: bool,
}

impl<'a> Series<'a> {
    /// A series with these label values (raw, unescaped).
    pub fn new(values: &'a [&'a str]) -> Self {
        Self {
            values,
            rendered: None,
            clean: false,
        }
    }

    /// A series whose values the family knows need no escaping.
    pub(crate) fn clean(values: &'a [&'a str]) -> Self {
        Self {
            values,
            rendered: None,
            clean: true,
        }
    }

    pub(crate) fn prerendered(values: &'a [&'a str], rendered: &'a str) -> Self {
        Self {
            values,
            rendered: Some(rendered),
            clean: false,
        }
    }

    /// The raw label values, in the order of [`Descriptor::labels`].
    pub fn values(&self) -> &'a [&'a str] {
        self.values
    }

    /// The escaped `name="value",...` text, when the family cached it.
    pub(crate) fn rendered(&self) -> Option<&'a str> {
        self.rendered
    }

    /// Whether every value is known to need no escaping.
    pub(crate) fn is_clean(&self) -> bool {
        self.clean
    }
}

/// A number as stored: integer cells are encoded exactly, never through a float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// An unsigned integer (counters).
    U64(u64),
    /// A signed integer (gauges).
    I64(i64),
    /// A float.
    F64(f64),
}

impl Number {
    /// The value as a float (may round integers above 2^53).
    pub fn as_f64(self) -> f64 {
        match self {
            Self::U64(v) => v as f64,
            Self::I64(v) => v as f64,
            Self::F64(v) => v,
        }
    }
}

/// One series' value at scrape time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sample<'a> {
    /// A counter's total.
    Counter(Number),
    /// A gauge's value.
    Gauge(Number),
    /// A histogram: cumulative bucket counts, one per bound plus `+Inf` (which is the count), and the sum.
    Histogram {
        /// Cumulative counts; the last one is the `+Inf` bucket and the observation count.
        cumulative: &'a [u64],
        /// The sum of observations.
        sum: f64,
    },
    /// An info series (always 1).
    Info,
    /// A state set: the index of the current state in [`Descriptor::states`].
    StateSet {
        /// Index of the current state.
        current: usize,
    },
}

/// Writes the label values of series `index` of an all-enum label set into `out`: mixed radix, last label fastest.
pub(crate) fn decode_enum_index<'v>(
    labels: &[LabelDescriptor],
    mut index: usize,
    out: &mut [&'v str],
) -> usize
where
    'static: 'v,
{
    for (slot, label) in labels.iter().enumerate().rev() {
        let LabelValues::Enum(values) = label.values else {
            continue;
        };
        out[slot] = values[index % values.len()];
        index /= values.len();
    }
    labels.len()
}
