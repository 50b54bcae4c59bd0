//! Our families as a prometheus-client [`Collector`], for a program whose `/metrics` is a prometheus-client
//! registry.

use std::fmt;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, MetricEncoder, NoLabelSet};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::exemplar::Exemplar;
use prometheus_client::registry::Unit;

use crate::encode::{Format, escape_help};
use crate::family::{Descriptor, Family, MetricKind};
use crate::registry::Registry;
use crate::series::{Number, Sample, Series};

/// Encodes a set of our families through prometheus-client, on every scrape of the registry it is registered in.
///
/// ```
/// use metrics_core::interop::PrometheusClientCollector;
/// use metrics_core::metrics;
///
/// metrics! {
///     /// Jobs done.
///     pub counter collector_doc_jobs_total;
/// }
///
/// COLLECTOR_DOC_JOBS_TOTAL.inc();
/// let mut registry = prometheus_client::registry::Registry::default();
/// registry.register_collector(Box::new(PrometheusClientCollector::from_families([&COLLECTOR_DOC_JOBS_TOTAL as _])));
///
/// let mut text = String::new();
/// prometheus_client::encoding::text::encode(&mut text, &registry).unwrap();
/// assert!(text.contains("# TYPE collector_doc_jobs counter\ncollector_doc_jobs_total 1\n"));
/// ```
///
/// # What prometheus-client writes
///
/// Sample names, label values, HELP text and sample values are ours. prometheus-client appends `_total` and
/// `_info` itself, and the unit after the name, so each family is handed over as its base name (a counter
/// `foo_seconds_total` with unit `seconds` goes as `foo` + [`Unit`] `seconds`), and its text shows our exact
/// sample names. HELP is handed over already escaped, because prometheus-client's text encoder writes it
/// verbatim. What prometheus-client decides, and how its output differs from [`Registry::encode`]:
///
/// - metadata order: `# HELP`, `# TYPE`, `# UNIT` (ours: TYPE, UNIT, HELP; both are valid OpenMetrics);
/// - histogram lines: `_sum`, `_count`, then the buckets, with `le` before the family's labels
///   (`foo_bucket{le="0.5",task="a"}`), and `le` written by its own float formatting: `1000000.0` and
///   `0.00001` where ours writes the canonical `1e+06` and `1e-05` (the usual bounds, from 0.0001 to below
///   1e6, print alike);
/// - float values: `inf` and `-inf` where ours writes `+Inf` and `-Inf` (both valid OpenMetrics);
/// - **state sets** are written as gauges: prometheus-client 0.25 has no stateset type, so the family's
///   `# TYPE` says `gauge`, while its samples are ours exactly (`foo{foo="open"} 1`, one per state);
/// - an info family without labels is written `foo_info{} 1`;
/// - a hand-written [`Family`] that reports a negative counter fails the encoding with [`fmt::Error`]: no
///   valid text exists for it;
/// - the registry it is registered in may add its prefix and constant labels (`sub_registry_with_prefix`);
/// - **exemplars** of families declared with `exemplars = true` are not forwarded: prometheus-client 0.25 makes
///   an `Exemplar` only inside its own metric types, so a collector cannot hand one over.
///
/// External sources of a [`Registry`] are not forwarded: they are text, and prometheus-client takes metrics.
pub struct PrometheusClientCollector {
    families: Families,
}

enum Families {
    Registry(&'static Registry),
    List(Vec<&'static dyn Family>),
}

impl PrometheusClientCollector {
    /// Every family of `registry` (including its `metrics_label_overflow_total`), such as
    /// [`Registry::global`]'s.
    pub fn new(registry: &'static Registry) -> Self {
        Self {
            families: Families::Registry(registry),
        }
    }

    /// These families only, in the order given: the way to move one module's families at a time.
    pub fn from_families(families: impl IntoIterator<Item = &'static dyn Family>) -> Self {
        Self {
            families: Families::List(families.into_iter().collect()),
        }
    }
}

impl fmt::Debug for PrometheusClientCollector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = match &self.families {
            Families::Registry(registry) => registry
                .families()
                .iter()
                .map(|family| family.descriptor().name)
                .collect(),
            Families::List(list) => list.iter().map(|family| family.descriptor().name).collect(),
        };
        f.debug_struct("PrometheusClientCollector")
            .field("families", &names)
            .finish()
    }
}

impl Collector for PrometheusClientCollector {
    fn encode(&self, mut encoder: DescriptorEncoder<'_>) -> fmt::Result {
        match &self.families {
            Families::Registry(registry) => registry
                .families()
                .into_iter()
                .try_for_each(|family| encode_family(family, &mut encoder)),
            Families::List(list) => list
                .iter()
                .try_for_each(|family| encode_family(*family, &mut encoder)),
        }
    }
}

fn encode_family(family: &dyn Family, encoder: &mut DescriptorEncoder<'_>) -> fmt::Result {
    let descriptor = family.descriptor();
    let family_name = descriptor.family_name();
    // prometheus-client writes `name_unit`: hand it the name without the unit so the unit is not doubled.
    let (base, unit) = match descriptor.unit {
        Some(unit) => match metrics_rules::unit::strip_unit(family_name, unit) {
            Some(base) => (base, Some(Unit::Other(unit.to_owned()))),
            None => (family_name, None),
        },
        None => (family_name, None),
    };
    let mut help = String::new();
    escape_help(descriptor.help, Format::OpenMetrics, &mut help);
    let metric_type = match descriptor.kind {
        MetricKind::Counter => MetricType::Counter,
        MetricKind::Histogram => MetricType::Histogram,
        MetricKind::Info => MetricType::Info,
        MetricKind::Gauge | MetricKind::StateSet => MetricType::Gauge,
    };
    let mut metric = encoder.encode_descriptor(base, &help, unit.as_ref(), metric_type)?;
    let mut result = Ok(());
    family.collect(&mut |series: &Series<'_>, sample: &Sample<'_>| {
        if result.is_ok() {
            result = encode_series(descriptor, &mut metric, series, sample);
        }
    });
    result
}

fn encode_series(
    descriptor: &Descriptor,
    metric: &mut MetricEncoder<'_>,
    series: &Series<'_>,
    sample: &Sample<'_>,
) -> fmt::Result {
    let mut labels: Vec<(&str, &str)> = descriptor
        .labels
        .iter()
        .map(|label| label.name)
        .zip(series.values().iter().copied())
        .collect();
    match *sample {
        // prometheus-client writes info labels itself, after the `_info` suffix.
        Sample::Info => metric.encode_info(&labels),
        Sample::StateSet { current } => {
            labels.push((descriptor.family_name(), ""));
            for (i, state) in descriptor.states.iter().enumerate() {
                if let Some(last) = labels.last_mut() {
                    last.1 = state;
                }
                metric
                    .encode_family(&labels)?
                    .encode_gauge(&u64::from(i == current))?;
            }
            Ok(())
        }
        Sample::Counter(Number::U64(v)) => {
            with_labels(metric, &labels, |m| m.encode_counter(&v, NO_EXEMPLAR))
        }
        Sample::Counter(Number::F64(v)) => {
            with_labels(metric, &labels, |m| m.encode_counter(&v, NO_EXEMPLAR))
        }
        // No counter cell stores a signed value; a negative one has no valid encoding.
        Sample::Counter(Number::I64(v)) => {
            let v = u64::try_from(v).map_err(|_| fmt::Error)?;
            with_labels(metric, &labels, |m| m.encode_counter(&v, NO_EXEMPLAR))
        }
        Sample::Gauge(Number::U64(v)) => with_labels(metric, &labels, |m| m.encode_gauge(&v)),
        Sample::Gauge(Number::I64(v)) => with_labels(metric, &labels, |m| m.encode_gauge(&v)),
        Sample::Gauge(Number::F64(v)) => with_labels(metric, &labels, |m| m.encode_gauge(&v)),
        Sample::Histogram { cumulative, sum } => {
            // prometheus-client takes per-bucket counts and accumulates them again.
            let mut previous = 0;
            let buckets: Vec<(f64, u64)> = cumulative
                .iter()
                .enumerate()
                .map(|(i, &count)| {
                    let bound = descriptor.buckets.get(i).copied().unwrap_or(f64::INFINITY);
                    let own = count.saturating_sub(previous);
                    previous = count;
                    (bound, own)
                })
                .collect();
            let count = cumulative.last().copied().unwrap_or(0);
            with_labels(metric, &labels, |m| {
                m.encode_histogram::<NoLabelSet>(sum, count, &buckets, None)
            })
        }
    }
}

/// No exemplar is forwarded (see [`PrometheusClientCollector`]).
const NO_EXEMPLAR: Option<&Exemplar<NoLabelSet, u64>> = None;

/// Runs `encode` on the series' encoder. Without labels that is the descriptor's own encoder: the family
/// encoder would write `foo{} 1`.
fn with_labels(
    metric: &mut MetricEncoder<'_>,
    labels: &Vec<(&str, &str)>,
    encode: impl FnOnce(&mut MetricEncoder<'_>) -> fmt::Result,
) -> fmt::Result {
    if labels.is_empty() {
        encode(metric)
    } else {
        encode(&mut metric.encode_family(labels)?)
    }
}
