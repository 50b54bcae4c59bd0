//! One facade metric name as a family of ours: its series keyed by label values, capped, with an overflow series.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use metrics_core::{
    Descriptor, Family, LabelDescriptor, LabelValues, MAX_LABELS, MetricKind, Number,
    OVERFLOW_VALUE, Sample, SampleScratch, Series, SeriesSink, source_location,
};

use crate::cells::{Cell, CounterCell, GaugeCell, HistogramCell};
use crate::selfmetrics::SelfMetrics;

/// The three kinds of the facade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Counter,
    Gauge,
    Histogram,
}

/// The HELP of a family the facade never described.
pub(crate) const DEFAULT_HELP: &str = "Recorded through the metrics facade.";

/// The series of one family: label values (in the family's label order) to cell, in creation order.
#[derive(Debug, Default)]
struct SeriesMap {
    index: HashMap<Box<[Box<str>]>, usize>,
    cells: Vec<(Box<[Box<str>]>, Cell)>,
}

/// A facade metric name exposed as a family.
#[derive(Debug)]
pub(crate) struct FacadeFamily {
    descriptor: RwLock<&'static Descriptor>,
    pub(crate) kind: Kind,
    bounds: &'static [f64],
    max_series: usize,
    series: RwLock<SeriesMap>,
    overflow: OnceLock<Cell>,
    overflows: AtomicU64,
    counters: &'static SelfMetrics,
}

/// Leaks a descriptor: families are `'static`, and the bridge creates at most its maximum number of them.
fn leak_descriptor(
    name: &'static str,
    help: &str,
    kind: Kind,
    labels: &'static [LabelDescriptor],
    bounds: &'static [f64],
) -> &'static Descriptor {
    let metric_kind = match kind {
        Kind::Counter => MetricKind::Counter,
        Kind::Gauge => MetricKind::Gauge,
        Kind::Histogram => MetricKind::Histogram,
    };
    let help: &'static str = Box::leak(help.into());
    let descriptor =
        Descriptor::new(name, help, metric_kind, source_location!()).with_labels(labels);
    let descriptor = if kind == Kind::Histogram {
        descriptor.with_buckets(bounds)
    } else {
        descriptor
    };
    Box::leak(Box::new(descriptor))
}

impl FacadeFamily {
    /// A family named `name` with these (valid) label names, leaked.
    pub(crate) fn leak(
        name: &str,
        help: &str,
        kind: Kind,
        label_names: &[String],
        bounds: &'static [f64],
        max_series: usize,
        counters: &'static SelfMetrics,
    ) -> &'static Self {
        let name: &'static str = Box::leak(name.into());
        let labels: &'static [LabelDescriptor] = Box::leak(
            label_names
                .iter()
                // Free text, capped per family by the bridge; `Text` keeps our registry from adding a second
                // `metrics_label_overflow_total` beside the served registry's (see `metrics_facade_overflow_total`).
                .map(|label| {
                    LabelDescriptor::new(Box::leak(label.as_str().into()), LabelValues::Text)
                })
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        );
        Box::leak(Box::new(Self {
            descriptor: RwLock::new(leak_descriptor(name, help, kind, labels, bounds)),
            kind,
            bounds,
            max_series,
            series: RwLock::new(SeriesMap::default()),
            overflow: OnceLock::new(),
            overflows: AtomicU64::new(0),
            counters,
        }))
    }

    /// The label names, in order.
    pub(crate) fn label_names(&self) -> impl Iterator<Item = &'static str> {
        self.descriptor().labels.iter().map(|l| l.name)
    }

    /// Replaces the HELP text, once, when the facade describes the name after first recording it. Returns whether
    /// it changed (the served registry must then be rebuilt).
    pub(crate) fn describe(&self, help: &str) -> bool {
        let mut descriptor = self
            .descriptor
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if descriptor.help != DEFAULT_HELP || help == DEFAULT_HELP {
            return false;
        }
        *descriptor = leak_descriptor(
            descriptor.name,
            help,
            self.kind,
            descriptor.labels,
            self.bounds,
        );
        true
    }

    fn new_cell(&self) -> Cell {
        match self.kind {
            Kind::Counter => Cell::Counter(Arc::new(CounterCell::default())),
            Kind::Gauge => Cell::Gauge(Arc::new(GaugeCell::default())),
            Kind::Histogram => {
                Cell::Histogram(Arc::new(HistogramCell::new(self.bounds, self.counters)))
            }
        }
    }

    /// The cell of these label values (in the family's label order), created if there is room; past the cap, the
    /// overflow series (counted). The flag says whether the answer is the series' own cell, safe to cache.
    pub(crate) fn cell(&self, values: Vec<Box<str>>) -> (Cell, bool) {
        let values = values.into_boxed_slice();
        {
            let series = self.series.read().unwrap_or_else(PoisonError::into_inner);
            if let Some(&at) = series.index.get(&values) {
                return (series.cells[at].1.clone(), true);
            }
        }
        let mut series = self.series.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(&at) = series.index.get(&values) {
            return (series.cells[at].1.clone(), true);
        }
        // A caller's own `__overflow__` values land on the overflow series too, so it can never appear twice.
        let overflowing = values.iter().any(|v| &**v == OVERFLOW_VALUE);
        if series.cells.len() >= self.max_series || overflowing {
            drop(series);
            self.overflows.fetch_add(1, Ordering::Relaxed);
            return (self.overflow.get_or_init(|| self.new_cell()).clone(), false);
        }
        let cell = self.new_cell();
        let at = series.cells.len();
        series.index.insert(values.clone(), at);
        series.cells.push((values, cell.clone()));
        (cell, true)
    }

    /// Registrations recorded under the overflow series.
    pub(crate) fn overflows(&self) -> u64 {
        self.overflows.load(Ordering::Relaxed)
    }
}

impl Family for FacadeFamily {
    fn descriptor(&self) -> &'static Descriptor {
        *self
            .descriptor
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        let mut scratch = SampleScratch::new();
        let mut refs = [""; MAX_LABELS];
        let series = self.series.read().unwrap_or_else(PoisonError::into_inner);
        for (values, cell) in &series.cells {
            for (slot, value) in refs.iter_mut().zip(values.iter()) {
                *slot = value;
            }
            sink.series(
                &Series::new(&refs[..values.len()]),
                &cell.sample(&mut scratch),
            );
        }
        drop(series);
        if let Some(cell) = self.overflow.get() {
            let count = self.descriptor().labels.len();
            let overflow = [OVERFLOW_VALUE; MAX_LABELS];
            sink.series(&Series::new(&overflow[..count]), &cell.sample(&mut scratch));
        }
    }
}

static OVERFLOW_DESCRIPTOR: Descriptor = Descriptor::new(
    "metrics_facade_overflow_total",
    "Registrations from the metrics facade recorded under the overflow series because their family reached its \
     series cap, by family.",
    MetricKind::Counter,
    source_location!(),
)
.with_labels(&[LabelDescriptor::new("family", LabelValues::Text)]);

/// `metrics_facade_overflow_total{family}`: one series per facade family with labels, present at 0.
#[derive(Debug)]
pub(crate) struct OverflowFamily(pub(crate) &'static RwLock<Vec<&'static FacadeFamily>>);

impl Family for OverflowFamily {
    fn descriptor(&self) -> &'static Descriptor {
        &OVERFLOW_DESCRIPTOR
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        let families = self.0.read().unwrap_or_else(PoisonError::into_inner);
        for family in families
            .iter()
            .filter(|f| !f.descriptor().labels.is_empty())
        {
            sink.series(
                &Series::new(&[family.descriptor().name]),
                &Sample::Counter(Number::U64(family.overflows())),
            );
        }
    }
}
