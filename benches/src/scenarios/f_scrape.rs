//! F: one full scrape of 10,000 counter series (one open string label) plus 100 histogram series (two enum
//! labels, 10 buckets): microseconds per scrape and the bytes written.
//!
//! Every library holds the same values: tenant `i` counted [`tenant_count`]`(i)`, histogram series `s`
//! observed 20 values from the shared input table. Each scrape writes into a buffer kept between scrapes where
//! the library's API takes one.

use std::hint::black_box;
use std::rc::Rc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use metrics_core::buckets::LATENCY;
use metrics_core::{BoundedStr, Format, LabelValue, metrics};

use crate::contender::{Contender, Library};
use crate::floor::LatencyHistogram;
use crate::harness::Config;
use crate::inputs;
use crate::label_sets::{Tenant, TenantRef, TenantSet, TwoDigits, TwoDigitsSet, tenant_name};
use crate::labels::Digit;
use crate::report::{Table, number};
use crate::scrape;

/// Counter series.
pub(crate) const TENANTS: usize = 10_000;
/// Histogram series.
pub(crate) const HISTOGRAMS: usize = 100;
/// Observations per histogram series.
pub(crate) const OBSERVATIONS: usize = 20;
/// The counter family's name.
pub(crate) const COUNTER: &str = "bench_f_requests_total";
/// The histogram family's name.
pub(crate) const HISTOGRAM: &str = "bench_f_latency_seconds";
const COUNTER_HELP: &str = "Scenario F: requests by tenant.";
const HISTOGRAM_HELP: &str = "Scenario F: latency by two digits.";

metrics! {
    /// Scenario F: requests by tenant.
    pub(crate) counter bench_f_requests_total { tenant: BoundedStr<10000>, budget = 10001 }

    /// Scenario F: latency by two digits.
    pub(crate) histogram bench_f_latency_seconds { a: Digit, b: Digit, buckets = latency }
}

/// What tenant `i`'s counter holds: varied, so integer formatting is not always one digit.
pub(crate) fn tenant_count(i: usize) -> u64 {
    (i as u64 * 7919) % 100_000 + 1
}

/// The observations of histogram series `s`.
fn observations(series: usize) -> impl Iterator<Item = f64> {
    inputs::window(series * OBSERVATIONS, OBSERVATIONS).map(|call| call.seconds)
}

/// Runs scenario F.
pub(crate) fn run(config: &Config) -> Table {
    let mut table = Table::new(
        "F: full scrape of 10,000 counter series (one string label) + 100 histogram series",
        "µs/scrape",
    );
    table.extra_headers = vec!["bytes", "MB/s"];
    super::time_all_with(
        &mut table,
        &mut contenders(),
        config,
        1e-3,
        |contender, micros| {
            let bytes = (contender.read)().len();
            vec![bytes.to_string(), number(bytes as f64 / micros)]
        },
    );
    table.notes.push(
        "Formats: ours in both; prometheus-client and fastmetrics write OpenMetrics 1.0 (their default); \
         prometheus, metrics and measured write text 0.0.4. The floor writes 0.0.4 lines from preformatted \
         label text with no escaping at all; ours escapes every string label value at every scrape."
            .into(),
    );
    table
}

/// Every library's scrape.
pub(crate) fn contenders() -> Vec<Contender> {
    vec![
        floor(),
        ours(Format::Text004),
        ours(Format::OpenMetrics),
        prometheus_client(),
        prometheus(),
        metrics(),
        measured(),
        fastmetrics(),
    ]
}

/// A contender that scrapes into a buffer it keeps, and reads by scraping into a new one (scenarios F, K and L).
pub(crate) fn scraper(
    library: Library,
    note: &'static str,
    encode: impl Fn(&mut String) + 'static,
) -> Contender {
    let encode = Rc::new(encode);
    let read = Rc::clone(&encode);
    let mut buffer = String::new();
    Contender::ops(
        library,
        note,
        move |_, n| {
            for _ in 0..n {
                buffer.clear();
                encode(&mut buffer);
                black_box(&buffer);
            }
        },
        move || {
            let mut out = String::new();
            read(&mut out);
            out
        },
    )
}

/// The hand-written encoder: every line's name and labels preformatted once, so a scrape is copies, `itoa` and
/// `ryu`. It escapes nothing.
pub(crate) struct Floor {
    counters: Vec<(Box<str>, AtomicU64)>,
    histograms: Vec<(Vec<Box<str>>, LatencyHistogram)>,
}

impl Floor {
    pub(crate) fn new() -> Self {
        let counters = (0..TENANTS)
            .map(|i| {
                let prefix = format!("{COUNTER}{{tenant=\"{}\"}} ", tenant_name(i));
                (prefix.into(), AtomicU64::new(tenant_count(i)))
            })
            .collect();
        let histograms = (0..HISTOGRAMS)
            .map(|s| {
                let labels = TwoDigits::of(s);
                let labels = format!("a=\"{}\",b=\"{}\"", labels.a.as_str(), labels.b.as_str());
                let mut prefixes: Vec<Box<str>> = LATENCY
                    .iter()
                    .map(ToString::to_string)
                    .chain(["+Inf".to_owned()])
                    .map(|le| format!("{HISTOGRAM}_bucket{{{labels},le=\"{le}\"}} ").into())
                    .collect();
                prefixes.push(format!("{HISTOGRAM}_sum{{{labels}}} ").into());
                prefixes.push(format!("{HISTOGRAM}_count{{{labels}}} ").into());
                let histogram = LatencyHistogram::new(&LATENCY);
                observations(s).for_each(|v| {
                    histogram.observe(v);
                });
                (prefixes, histogram)
            })
            .collect();
        Self {
            counters,
            histograms,
        }
    }

    /// Adds one to tenant `i % TENANTS`.
    pub(crate) fn add(&self, i: usize) {
        self.counters[i % TENANTS].1.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn encode(&self, out: &mut String) {
        let mut integers = itoa::Buffer::new();
        let mut floats = ryu::Buffer::new();
        out.push_str("# HELP bench_f_requests_total Scenario F: requests by tenant.\n");
        out.push_str("# TYPE bench_f_requests_total counter\n");
        for (prefix, cell) in &self.counters {
            out.push_str(prefix);
            out.push_str(integers.format(cell.load(Ordering::Relaxed)));
            out.push('\n');
        }
        out.push_str("# HELP bench_f_latency_seconds Scenario F: latency by two digits.\n");
        out.push_str("# TYPE bench_f_latency_seconds histogram\n");
        for (prefixes, histogram) in &self.histograms {
            let cumulative = histogram.cumulative();
            for (prefix, count) in prefixes.iter().zip(&cumulative) {
                out.push_str(prefix);
                out.push_str(integers.format(*count));
                out.push('\n');
            }
            out.push_str(&prefixes[cumulative.len()]);
            out.push_str(floats.format(histogram.sum()));
            out.push('\n');
            out.push_str(&prefixes[cumulative.len() + 1]);
            out.push_str(integers.format(cumulative[LATENCY.len()]));
            out.push('\n');
        }
    }
}

fn floor() -> Contender {
    let floor = Floor::new();
    scraper(Library::Floor, "no escaping", move |out| floor.encode(out))
}

/// Our two families, filled once (they are statics), in a registry of their own.
pub(crate) fn ours_registry() -> &'static metrics_core::Registry {
    static REGISTRY: OnceLock<metrics_core::Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        for i in 0..TENANTS {
            BENCH_F_REQUESTS_TOTAL
                .labels(&tenant_name(i))
                .inc_by(tenant_count(i));
        }
        for s in 0..HISTOGRAMS {
            let labels = TwoDigits::of(s);
            let histogram = BENCH_F_LATENCY_SECONDS.labels(labels.a, labels.b);
            observations(s).for_each(|v| {
                histogram.observe(v);
            });
        }
        metrics_core::Registry::builder()
            .register(&BENCH_F_REQUESTS_TOTAL)
            .register(&BENCH_F_LATENCY_SECONDS)
            .build()
            .expect("valid families")
    })
}

fn ours(format: Format) -> Contender {
    let registry = ours_registry();
    let note = match format {
        Format::Text004 => "text 0.0.4",
        Format::OpenMetrics => "OpenMetrics 1.0",
    };
    scraper(Library::Ours, note, move |out| {
        scrape::ours(registry, format, out);
    })
}

fn prometheus_client() -> Contender {
    use prometheus_client::metrics::{counter::Counter, family::Family, histogram::Histogram};
    let counters = Family::<Tenant, Counter>::default();
    let histograms =
        Family::<TwoDigits, Histogram, fn() -> Histogram>::new_with_constructor(|| {
            Histogram::new(LATENCY)
        });
    for i in 0..TENANTS {
        let tenant = tenant_name(i);
        counters
            .get_or_create(&Tenant { tenant })
            .inc_by(tenant_count(i));
    }
    for s in 0..HISTOGRAMS {
        let histogram = histograms.get_or_create(&TwoDigits::of(s));
        observations(s).for_each(|v| {
            histogram.observe(v);
        });
    }
    let mut registry = prometheus_client::registry::Registry::default();
    registry.register("bench_f_requests", COUNTER_HELP, counters);
    registry.register(HISTOGRAM, HISTOGRAM_HELP, histograms);
    scraper(Library::PrometheusClient, "OpenMetrics 1.0", move |out| {
        scrape::prometheus_client(&registry, out);
    })
}

fn prometheus() -> Contender {
    let counters =
        prometheus::IntCounterVec::new(prometheus::Opts::new(COUNTER, COUNTER_HELP), &["tenant"])
            .expect("a valid family");
    let histograms = prometheus::HistogramVec::new(
        prometheus::HistogramOpts::new(HISTOGRAM, HISTOGRAM_HELP).buckets(LATENCY.to_vec()),
        &["a", "b"],
    )
    .expect("a valid family");
    for i in 0..TENANTS {
        counters
            .with_label_values(&[tenant_name(i)])
            .inc_by(tenant_count(i));
    }
    for s in 0..HISTOGRAMS {
        let labels = TwoDigits::of(s);
        let histogram = histograms.with_label_values(&[labels.a.as_str(), labels.b.as_str()]);
        observations(s).for_each(|v| {
            histogram.observe(v);
        });
    }
    let registry = prometheus::Registry::new();
    registry
        .register(Box::new(counters))
        .expect("registered once");
    registry
        .register(Box::new(histograms))
        .expect("registered once");
    scraper(Library::Prometheus, "text 0.0.4", move |out| {
        scrape::prometheus(&registry, out);
    })
}

fn metrics() -> Contender {
    let builder = metrics_exporter_prometheus::PrometheusBuilder::new()
        .set_buckets_for_metric(
            metrics_exporter_prometheus::Matcher::Full(HISTOGRAM.into()),
            &LATENCY,
        )
        .expect("non-empty buckets");
    let (recorder, handle) = scrape::metrics_recorder(builder);
    metrics::with_local_recorder(&recorder, || {
        metrics::describe_counter!(COUNTER, COUNTER_HELP);
        metrics::describe_histogram!(HISTOGRAM, HISTOGRAM_HELP);
        for i in 0..TENANTS {
            metrics::counter!(COUNTER, "tenant" => tenant_name(i)).increment(tenant_count(i));
        }
        for s in 0..HISTOGRAMS {
            let labels = TwoDigits::of(s);
            let histogram =
                metrics::histogram!(HISTOGRAM, "a" => labels.a.as_str(), "b" => labels.b.as_str());
            observations(s).for_each(|v| histogram.record(v));
        }
    });
    // `render` returns a new string each time: the API takes no buffer to reuse.
    let read = handle.clone();
    Contender::ops(
        Library::Metrics,
        "text 0.0.4",
        move |_, n| {
            for _ in 0..n {
                black_box(handle.render());
            }
        },
        move || read.render(),
    )
}

/// measured's families, as its `MetricGroup` derive documents: the group writes HELP and TYPE lines.
#[derive(measured::MetricGroup)]
#[metric(new())]
struct MeasuredFamilies {
    /// Scenario F: requests by tenant.
    #[metric(label_set = TenantSet::default())]
    bench_f_requests_total: measured::CounterVec<TenantSet>,
    /// Scenario F: latency by two digits.
    #[metric(label_set = TwoDigitsSet::new())]
    #[metric(metadata = measured::metric::histogram::Thresholds::with_buckets(LATENCY))]
    bench_f_latency_seconds: measured::HistogramVec<TwoDigitsSet, { LATENCY.len() }>,
}

fn measured() -> Contender {
    use measured::MetricGroup as _;
    let families = MeasuredFamilies::new();
    for i in 0..TENANTS {
        let tenant = tenant_name(i);
        families
            .bench_f_requests_total
            .inc_by(TenantRef { tenant: &tenant }, tenant_count(i));
    }
    for s in 0..HISTOGRAMS {
        observations(s).for_each(|v| {
            families
                .bench_f_latency_seconds
                .observe(TwoDigits::of(s), v);
        });
    }
    let families = Rc::new(families);
    let read = Rc::clone(&families);
    // The encoder keeps its buffer between scrapes; `finish` hands out the bytes a response would carry.
    let mut encoder = measured::text::BufferedTextEncoder::new();
    Contender::ops(
        Library::Measured,
        "text 0.0.4",
        move |_, n| {
            for _ in 0..n {
                let _ = families.collect_group_into(&mut encoder);
                black_box(encoder.finish());
            }
        },
        move || {
            let mut encoder = measured::text::BufferedTextEncoder::new();
            let _ = read.collect_group_into(&mut encoder);
            scrape::text(&encoder.finish())
        },
    )
}

fn fastmetrics() -> Contender {
    use fastmetrics::metrics::{counter::Counter, family::Family, histogram::Histogram};
    let counters = Family::<Tenant, Counter>::default();
    let histograms = Family::<TwoDigits, Histogram>::new(|| Histogram::new(LATENCY));
    for i in 0..TENANTS {
        let tenant = Tenant {
            tenant: tenant_name(i),
        };
        counters.with_or_new(&tenant, |counter| counter.inc_by(tenant_count(i)));
    }
    for s in 0..HISTOGRAMS {
        histograms.with_or_new(&TwoDigits::of(s), |histogram| {
            observations(s).for_each(|v| {
                histogram.observe(v);
            });
        });
    }
    let mut registry = fastmetrics::registry::Registry::default();
    registry
        .register("bench_f_requests", COUNTER_HELP, counters)
        .expect("registered once");
    registry
        .register(HISTOGRAM, HISTOGRAM_HELP, histograms)
        .expect("registered once");
    scraper(Library::Fastmetrics, "OpenMetrics 1.0", move |out| {
        scrape::fastmetrics(&registry, out);
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exposition::{count, value};

    #[test]
    fn every_scrape_holds_every_series_with_its_value() {
        let labels = TwoDigits::of(42);
        let two_digits = [("a", labels.a.as_str()), ("b", labels.b.as_str())];
        let mut inf = two_digits.to_vec();
        inf.push(("le", "+Inf"));
        let sum: f64 = observations(42).sum();
        for mut contender in contenders() {
            contender.run(0, 1);
            let text = (contender.read)();
            let context = format!("{contender:?}");
            assert_eq!(count(&text, COUNTER), TENANTS, "{context}");
            assert_eq!(
                value(&text, COUNTER, &[("tenant", "tenant-0042")]),
                Some(tenant_count(42) as f64),
                "{context}"
            );
            assert_eq!(
                count(&text, "bench_f_latency_seconds_count"),
                HISTOGRAMS,
                "{context}"
            );
            assert_eq!(
                count(&text, "bench_f_latency_seconds_bucket"),
                HISTOGRAMS * (LATENCY.len() + 1),
                "{context}"
            );
            let count_42 = value(&text, "bench_f_latency_seconds_count", &two_digits);
            assert_eq!(count_42, Some(OBSERVATIONS as f64), "{context}");
            let inf_42 = value(&text, "bench_f_latency_seconds_bucket", &inf);
            assert_eq!(inf_42, Some(OBSERVATIONS as f64), "{context}");
            let sum_42 = value(&text, "bench_f_latency_seconds_sum", &two_digits).unwrap_or(0.0);
            assert!(
                (sum_42 - sum).abs() < 1e-9 * sum,
                "{context}: {sum_42} != {sum}"
            );
        }
    }
}
