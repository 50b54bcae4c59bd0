//! The ground floor: what one series is at scrape time, and the seam every consumer of series plugs into.
//!
//! Nothing here knows an exposition format or a storage layout. Families hand each series to a [`SeriesSink`];
//! the text encoders, the summary sampler and the interop collector are sinks. **To add an exporter, start here**:
//! implement [`SeriesSink`], then walk a registry's families (`Registry::families`) and call
//! [`Family::collect`](crate::Family::collect) on each with your sink. Whatever the sink caches between scrapes
//! (rendered label text, per-family state) belongs to the sink, keyed by family; storage holds values only.

/// Receives the series of a family during a scrape.
///
/// ```
/// use metrics_core::{Sample, Series, SeriesSink};
///
/// /// Sums every counter series it is handed.
/// struct Total(f64);
///
/// impl SeriesSink for Total {
///     fn series(&mut self, _: &Series<'_>, sample: &Sample<'_>) {
///         if let Sample::Counter(value) = sample {
///             self.0 += value.as_f64();
///         }
///     }
/// }
/// # let mut total = Total(0.0);
/// # total.series(&Series::new(&["a"]), &Sample::Counter(metrics_core::Number::U64(2)));
/// # assert_eq!(total.0, 2.0);
/// ```
pub trait SeriesSink {
    /// One series: its label values and its current value.
    fn series(&mut self, series: &Series<'_>, sample: &Sample<'_>);
}

impl<F: FnMut(&Series<'_>, &Sample<'_>)> SeriesSink for F {
    fn series(&mut self, series: &Series<'_>, sample: &Sample<'_>) {
        self(series, sample);
    }
}

/// The label values of one series, in the order of the family descriptor's labels.
#[derive(Debug, Clone, Copy)]
pub struct Series<'a> {
    values: &'a [&'a str],
    positions: Option<&'a [u32]>,
}

impl<'a> Series<'a> {
    /// A series with these label values (raw, unescaped).
    pub fn new(values: &'a [&'a str]) -> Self {
        Self {
            values,
            positions: None,
        }
    }

    /// A series whose values the family can also name by position: `positions[i]` is the index of `values[i]`
    /// within label `i`'s value set (the enum variant's index, or the bounded string's interned index).
    ///
    /// A position is a promise that lets a sink cache whatever it derives from a value (its escaped text) across
    /// scrapes: for the life of the family, the same position of the same label always carries the same value.
    pub fn with_positions(values: &'a [&'a str], positions: &'a [u32]) -> Self {
        debug_assert_eq!(values.len(), positions.len());
        Self {
            values,
            positions: Some(positions),
        }
    }

    /// The raw label values, in the order of the descriptor's labels.
    pub fn values(&self) -> &'a [&'a str] {
        self.values
    }

    /// Each value's stable position in its label's value set, when the family knows them (see
    /// [`Series::with_positions`]).
    pub fn positions(&self) -> Option<&'a [u32]> {
        self.positions
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

impl From<u64> for Number {
    fn from(value: u64) -> Self {
        Self::U64(value)
    }
}

impl From<i64> for Number {
    fn from(value: i64) -> Self {
        Self::I64(value)
    }
}

impl From<f64> for Number {
    fn from(value: f64) -> Self {
        Self::F64(value)
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
    /// A state set: the index of the current state in the descriptor's states.
    StateSet {
        /// Index of the current state.
        current: usize,
    },
}
