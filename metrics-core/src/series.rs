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

    /// One series of a family that carries exemplars, with the exemplar of each of its lines: the counter's
    /// (index 0) or each histogram bucket's (the bucket's index, `+Inf` last).
    ///
    /// Only families declared with `exemplars = true` call it, so families without exemplars pay nothing. The
    /// default drops the exemplars and calls [`SeriesSink::series`]: a sink that has no use for them (the summary
    /// sampler, a 0.0.4 encoder) needs no change.
    fn series_with_exemplars(
        &mut self,
        series: &Series<'_>,
        sample: &Sample<'_>,
        exemplars: &Exemplars<'_>,
    ) {
        let _ = exemplars;
        self.series(series, sample);
    }
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

/// The exemplar of one sample line: the labels, value and timestamp of one recorded observation, always from the
/// same one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exemplar<'a> {
    labels: &'a [u8],
    value: f64,
    timestamp: f64,
}

impl<'a> Exemplar<'a> {
    /// The label pairs, as recorded (raw, unescaped).
    pub fn labels(&self) -> ExemplarLabels<'a> {
        ExemplarLabels { rest: self.labels }
    }

    /// The observed value (a histogram's observation, a counter's increment).
    pub fn value(&self) -> f64 {
        self.value
    }

    /// When it was recorded, in seconds since the Unix epoch.
    pub fn timestamp(&self) -> f64 {
        self.timestamp
    }
}

/// The label pairs of an [`Exemplar`], in the order they were given.
#[derive(Debug, Clone)]
pub struct ExemplarLabels<'a> {
    /// Packed pairs: a name's length (one byte), the name, a value's length (two bytes, little endian), the value.
    rest: &'a [u8],
}

impl<'a> Iterator for ExemplarLabels<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let (&name_len, rest) = self.rest.split_first()?;
        let (name, rest) = rest.split_at_checked(usize::from(name_len))?;
        let (value_len, rest) = rest.split_first_chunk::<2>()?;
        let (value, rest) = rest.split_at_checked(usize::from(u16::from_le_bytes(*value_len)))?;
        self.rest = rest;
        // Packed from `&str`s and read back whole under the slot's sequence check, so this never fails; if it
        // did, the labels would end here rather than show a wrong pair.
        Some((
            std::str::from_utf8(name).ok()?,
            std::str::from_utf8(value).ok()?,
        ))
    }
}

/// Hands the packed form of `labels` to `piece`, piece by piece, in the order [`ExemplarLabels`] reads them.
/// `labels` must have passed the exemplar label rule, which bounds a name by 128 bytes and a value by 512; a
/// longer piece is cut at its length's width, which the rule makes unreachable.
#[inline]
pub(crate) fn pack_exemplar_labels(labels: &[(&str, &str)], mut piece: impl FnMut(&[u8])) {
    for (name, value) in labels {
        piece(&[name.len() as u8]);
        piece(name.as_bytes());
        piece(&(value.len() as u16).to_le_bytes());
        piece(value.as_bytes());
    }
}

/// Where one line's exemplar sits in an [`Exemplars`] buffer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ExemplarAt {
    pub(crate) labels: (u32, u32),
    pub(crate) value: f64,
    pub(crate) timestamp: f64,
}

/// The exemplars of one series' lines, by line index; a line without one has `None`.
#[derive(Debug, Clone, Copy)]
pub struct Exemplars<'a> {
    bytes: &'a [u8],
    lines: &'a [Option<ExemplarAt>],
}

impl<'a> Exemplars<'a> {
    pub(crate) fn new(bytes: &'a [u8], lines: &'a [Option<ExemplarAt>]) -> Self {
        Self { bytes, lines }
    }

    /// The exemplar of line `index`: 0 for a counter, the bucket's index for a histogram.
    pub fn get(&self, index: usize) -> Option<Exemplar<'a>> {
        let at = (*self.lines.get(index)?)?;
        Some(Exemplar {
            labels: self.bytes.get(at.labels.0 as usize..at.labels.1 as usize)?,
            value: at.value,
            timestamp: at.timestamp,
        })
    }

    /// How many lines there are (with or without an exemplar).
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether there are no lines.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}
