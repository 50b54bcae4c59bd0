//! A registry as one OTLP `ExportMetricsServiceRequest`, streamed into a reused buffer.
//!
//! The mapping (documented on [`RequestEncoder`]) follows the OpenTelemetry "Prometheus and OpenMetrics
//! compatibility" specification, so a collector exporting back to Prometheus restores the same names.

use std::time::{SystemTime, UNIX_EPOCH};

use metrics_core::{Descriptor, MetricKind, Number, Registry, Sample, Series, SeriesSink};

use crate::proto::Writer;

// Field numbers of opentelemetry-proto (collector/metrics/v1, metrics/v1, common/v1, resource/v1).
const REQUEST_RESOURCE_METRICS: u32 = 1;
const RESOURCE_METRICS_RESOURCE: u32 = 1;
const RESOURCE_METRICS_SCOPE_METRICS: u32 = 2;
const RESOURCE_ATTRIBUTES: u32 = 1;
const SCOPE_METRICS_SCOPE: u32 = 1;
const SCOPE_METRICS_METRICS: u32 = 2;
const SCOPE_NAME: u32 = 1;
const SCOPE_VERSION: u32 = 2;
const METRIC_NAME: u32 = 1;
const METRIC_DESCRIPTION: u32 = 2;
const METRIC_UNIT: u32 = 3;
const METRIC_GAUGE: u32 = 5;
const METRIC_SUM: u32 = 7;
const METRIC_HISTOGRAM: u32 = 9;
const DATA_POINTS: u32 = 1;
const AGGREGATION_TEMPORALITY: u32 = 2;
const SUM_IS_MONOTONIC: u32 = 3;
const TEMPORALITY_CUMULATIVE: u64 = 2;
const POINT_START_TIME: u32 = 2;
const POINT_TIME: u32 = 3;
const NUMBER_AS_DOUBLE: u32 = 4;
const NUMBER_AS_INT: u32 = 6;
const NUMBER_ATTRIBUTES: u32 = 7;
const HISTOGRAM_COUNT: u32 = 4;
const HISTOGRAM_SUM: u32 = 5;
const HISTOGRAM_BUCKET_COUNTS: u32 = 6;
const HISTOGRAM_EXPLICIT_BOUNDS: u32 = 7;
const HISTOGRAM_ATTRIBUTES: u32 = 9;
const KEY_VALUE_KEY: u32 = 1;
const KEY_VALUE_VALUE: u32 = 2;
const ANY_VALUE_STRING: u32 = 1;

/// The instrumentation scope every exported metric is reported under.
pub const SCOPE_NAME_VALUE: &str = "metrics-push";

/// Encodes a [`Registry`] as an OTLP `ExportMetricsServiceRequest` (protobuf), reusing its buffer.
///
/// The mapping:
///
/// | declared | OTLP |
/// | --- | --- |
/// | counter `x_total` | `Sum` named `x`, monotonic, cumulative, start time set |
/// | gauge | `Gauge` |
/// | histogram | `Histogram`, cumulative, explicit bounds, per-bucket (not cumulative) counts, count and sum |
/// | info `x_info` | `Sum` named `x_info`, not monotonic, cumulative, value 1 |
/// | state set `x` | `Sum` named `x`, not monotonic, cumulative: one point per state with attribute `x` = the state, value 1 for the current state and 0 for the others |
///
/// Labels become string attributes, HELP the description, and the unit its UCUM code (`seconds` → `s`,
/// `bytes` → `By`; others as declared). Integer values are sent as `as_int` (a counter above `i64::MAX` as a
/// double), float values as `as_double`. Families without series are left out.
///
/// ```
/// use std::time::SystemTime;
/// use metrics_push::otlp::{RequestEncoder, Resource};
///
/// metrics_core::metrics! {
///     /// Jobs done.
///     pub counter encoder_doc_jobs_total;
/// }
/// let registry = metrics_core::Registry::builder().register(&ENCODER_DOC_JOBS_TOTAL).build().unwrap();
/// let mut encoder = RequestEncoder::new(Resource::new("doc"), SystemTime::now());
/// let request = encoder.encode(&registry, SystemTime::now());
/// assert!(!request.is_empty());
/// ```
#[derive(Debug)]
pub struct RequestEncoder {
    writer: Writer,
    resource: super::Resource,
    start_nanos: u64,
    counts: Vec<u64>,
}

impl RequestEncoder {
    /// An encoder for this resource, whose cumulative series started at `start` (the program's start).
    pub fn new(resource: super::Resource, start: SystemTime) -> Self {
        Self {
            writer: Writer::default(),
            resource,
            start_nanos: unix_nanos(start),
            counts: Vec::new(),
        }
    }

    /// The request carrying every series of `registry` as read now, stamped `now`.
    pub fn encode(&mut self, registry: &Registry, now: SystemTime) -> &[u8] {
        let now_nanos = unix_nanos(now);
        let w = &mut self.writer;
        w.clear();
        let resource_metrics = w.open(REQUEST_RESOURCE_METRICS);
        let resource = w.open(RESOURCE_METRICS_RESOURCE);
        for (key, value) in self.resource.attributes() {
            attribute(w, RESOURCE_ATTRIBUTES, key, value);
        }
        w.close(resource);
        let scope_metrics = w.open(RESOURCE_METRICS_SCOPE_METRICS);
        let scope = w.open(SCOPE_METRICS_SCOPE);
        w.string(SCOPE_NAME, SCOPE_NAME_VALUE);
        w.string(SCOPE_VERSION, env!("CARGO_PKG_VERSION"));
        w.close(scope);
        for family in registry.families() {
            let descriptor = family.descriptor();
            let before = w.len();
            let metric = w.open(SCOPE_METRICS_METRICS);
            w.string(METRIC_NAME, otlp_name(descriptor));
            if !descriptor.help.is_empty() {
                w.string(METRIC_DESCRIPTION, descriptor.help);
            }
            if let Some(unit) = descriptor.unit {
                w.string(METRIC_UNIT, ucum(unit));
            }
            let (data, cumulative, monotonic) = match descriptor.kind {
                MetricKind::Counter => (METRIC_SUM, true, Some(true)),
                MetricKind::Gauge => (METRIC_GAUGE, false, None),
                MetricKind::Histogram => (METRIC_HISTOGRAM, true, None),
                MetricKind::Info | MetricKind::StateSet => (METRIC_SUM, true, Some(false)),
            };
            let body = w.open(data);
            let mut sink = PointSink {
                w,
                descriptor,
                start_nanos: if cumulative { self.start_nanos } else { 0 },
                now_nanos,
                counts: &mut self.counts,
                points: 0,
            };
            family.collect(&mut sink);
            if sink.points == 0 {
                w.truncate(before);
                continue;
            }
            if cumulative {
                w.uint(AGGREGATION_TEMPORALITY, TEMPORALITY_CUMULATIVE);
            }
            if let Some(monotonic) = monotonic {
                w.uint(SUM_IS_MONOTONIC, u64::from(monotonic));
            }
            w.close(body);
            w.close(metric);
        }
        w.close(scope_metrics);
        w.close(resource_metrics);
        w.bytes()
    }
}

/// Nanoseconds since the Unix epoch (0 before it, which no clock in use reports).
pub(crate) fn unix_nanos(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// The OTLP metric name: a counter without its `_total` (collectors add it back when exporting to Prometheus);
/// every other kind as exposed.
fn otlp_name(descriptor: &Descriptor) -> &'static str {
    match descriptor.kind {
        MetricKind::Counter => descriptor.family_name(),
        _ => descriptor.name,
    }
}

/// The UCUM code of a Prometheus unit suffix, as the OpenTelemetry compatibility specification maps them.
fn ucum(unit: &'static str) -> &'static str {
    match unit {
        "seconds" => "s",
        "milliseconds" => "ms",
        "bytes" => "By",
        "ratio" => "1",
        "meters" => "m",
        "volts" => "V",
        "amperes" => "A",
        "joules" => "J",
        "grams" => "g",
        "celsius" => "Cel",
        "hertz" => "Hz",
        "percent" => "%",
        other => other,
    }
}

fn attribute(w: &mut Writer, field: u32, key: &str, value: &str) {
    let kv = w.open(field);
    w.string(KEY_VALUE_KEY, key);
    let any = w.open(KEY_VALUE_VALUE);
    w.string(ANY_VALUE_STRING, value);
    w.close(any);
    w.close(kv);
}

/// Writes each series of one family as data points.
struct PointSink<'a> {
    w: &'a mut Writer,
    descriptor: &'static Descriptor,
    /// 0 for gauges, which carry no start time.
    start_nanos: u64,
    now_nanos: u64,
    counts: &'a mut Vec<u64>,
    points: usize,
}

impl PointSink<'_> {
    fn number_point(&mut self, series: &Series<'_>, value: Number, state: Option<&str>) {
        let w = &mut *self.w;
        let point = w.open(DATA_POINTS);
        if self.start_nanos != 0 {
            w.fixed64(POINT_START_TIME, self.start_nanos);
        }
        w.fixed64(POINT_TIME, self.now_nanos);
        match value {
            Number::U64(v) => match i64::try_from(v) {
                Ok(v) => w.sfixed64(NUMBER_AS_INT, v),
                Err(_) => w.double(NUMBER_AS_DOUBLE, v as f64),
            },
            Number::I64(v) => w.sfixed64(NUMBER_AS_INT, v),
            Number::F64(v) => w.double(NUMBER_AS_DOUBLE, v),
        }
        for (label, value) in self.descriptor.labels.iter().zip(series.values()) {
            attribute(w, NUMBER_ATTRIBUTES, label.name, value);
        }
        if let Some(state) = state {
            attribute(w, NUMBER_ATTRIBUTES, self.descriptor.name, state);
        }
        w.close(point);
        self.points += 1;
    }
}

impl SeriesSink for PointSink<'_> {
    fn series(&mut self, series: &Series<'_>, sample: &Sample<'_>) {
        match *sample {
            Sample::Counter(value) | Sample::Gauge(value) => self.number_point(series, value, None),
            Sample::Info => self.number_point(series, Number::I64(1), None),
            Sample::StateSet { current } => {
                for (i, state) in self.descriptor.states.iter().enumerate() {
                    self.number_point(series, Number::I64(i64::from(i == current)), Some(state));
                }
            }
            Sample::Histogram { cumulative, sum } => {
                // OTLP counts each bucket on its own; the registry keeps them cumulative.
                self.counts.clear();
                let mut previous = 0;
                for &count in cumulative {
                    self.counts.push(count.saturating_sub(previous));
                    previous = count;
                }
                let w = &mut *self.w;
                let point = w.open(DATA_POINTS);
                w.fixed64(POINT_START_TIME, self.start_nanos);
                w.fixed64(POINT_TIME, self.now_nanos);
                w.fixed64(HISTOGRAM_COUNT, cumulative.last().copied().unwrap_or(0));
                w.double(HISTOGRAM_SUM, sum);
                w.packed_fixed64(HISTOGRAM_BUCKET_COUNTS, self.counts.iter().copied());
                w.packed_double(HISTOGRAM_EXPLICIT_BOUNDS, self.descriptor.buckets);
                for (label, value) in self.descriptor.labels.iter().zip(series.values()) {
                    attribute(w, HISTOGRAM_ATTRIBUTES, label.name, value);
                }
                w.close(point);
                self.points += 1;
            }
        }
    }
}
