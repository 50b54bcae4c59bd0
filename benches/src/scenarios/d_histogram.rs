//! D: a histogram with two enum labels and the 9 latency bounds (10 buckets with `+Inf`), the labels and the
//! observed value changing at every call.

use std::hint::black_box;
use std::rc::Rc;

use metrics_core::buckets::LATENCY;
use metrics_core::{LabelValue, metrics};

use crate::contender::{Contender, Library};
use crate::floor::LatencyHistogram;
use crate::harness::Config;
use crate::inputs::{self, MASK};
use crate::label_sets::{JobStatus, JobStatusSet};
use crate::labels::{Job, Status};
use crate::report::Table;
use crate::scrape;

/// The metric name every library writes.
pub(crate) const NAME: &str = "bench_d_latency_seconds";
const HELP: &str = "Scenario D: latency by job and status";

metrics! {
    /// Scenario D: latency by job and status.
    pub(crate) histogram bench_d_latency_seconds { task: Job, status: Status, buckets = latency }
}

/// The same family declared with `exemplars = true`, under the same name so the rows read back alike (each row
/// scrapes its own registry).
mod traced {
    use metrics_core::metrics;

    use crate::labels::{Job, Status};

    metrics! {
        /// Scenario D: latency by job and status, with the trace of the latest observation per bucket.
        pub(crate) histogram bench_d_latency_seconds { task: Job, status: Status, buckets = latency, exemplars = true }
    }
}

/// Trace ids for the exemplar rows: 32 lowercase hex digits each, a different one at every call in turn.
fn trace_ids() -> Vec<String> {
    (0..64u64)
        .map(|i| format!("{:032x}", i.wrapping_mul(0x9e37_79b9_7f4a_7c15)))
        .collect()
}

/// Runs scenario D.
pub(crate) fn run(config: &Config) -> Table {
    let mut table = Table::new(
        "D: histogram observe, two enum labels, 10 latency buckets, labels and values varying",
        "ns/op",
    );
    super::time_all(&mut table, &mut contenders(), config, 1.0);
    table.notes.push(
        "metrics queues observations and sorts them into buckets on upkeep or render; the bench runs \
         `run_upkeep()` at the end of every batch, inside the timed region, so its row includes that deferred \
         bucketing (without it the queue grows without bound)."
            .into(),
    );
    table
}

/// Every library's labelled histogram.
pub(crate) fn contenders() -> Vec<Contender> {
    vec![
        floor(),
        ours(),
        ours_exemplar_family(),
        ours_with_exemplar(),
        prometheus_client(),
        prometheus(),
        metrics(),
        measured(),
        fastmetrics(),
    ]
}

fn floor() -> Contender {
    let cells = Rc::new([const { LatencyHistogram::new(&LATENCY) }; 12]);
    let read = Rc::clone(&cells);
    Contender::ops(
        Library::Floor,
        "",
        move |start, n| {
            let input = black_box(inputs::calls());
            for i in start..start + n {
                let call = &input[i & MASK];
                let series = call.job.index() * Status::CARDINALITY + call.status.index();
                cells[series].observe(call.seconds);
            }
        },
        move || {
            let mut out = String::new();
            for (series, cell) in read.iter().enumerate() {
                let job = Job::ALL[series / Status::CARDINALITY].as_str();
                let status = Status::ALL[series % Status::CARDINALITY].as_str();
                cell.text(
                    NAME,
                    &format!("task=\"{job}\",status=\"{status}\""),
                    &mut out,
                );
            }
            out
        },
    )
}

fn ours() -> Contender {
    Contender::ops(
        Library::Ours,
        "",
        |start, n| {
            let input = black_box(inputs::calls());
            for i in start..start + n {
                let call = &input[i & MASK];
                BENCH_D_LATENCY_SECONDS
                    .labels(call.job, call.status)
                    .observe(call.seconds);
            }
        },
        || {
            let registry = metrics_core::Registry::builder()
                .register(&BENCH_D_LATENCY_SECONDS)
                .build()
                .expect("a valid family");
            let mut out = String::new();
            scrape::ours(&registry, metrics_core::Format::Text004, &mut out);
            out
        },
    )
}

/// A family that keeps exemplars, observed without one: the cost of the bigger cells alone.
fn ours_exemplar_family() -> Contender {
    Contender::ops(
        Library::Ours,
        "`exemplars = true`, plain `observe`",
        |start, n| {
            let input = black_box(inputs::calls());
            for i in start..start + n {
                let call = &input[i & MASK];
                traced::BENCH_D_LATENCY_SECONDS
                    .labels(call.job, call.status)
                    .observe(call.seconds);
            }
        },
        traced_scrape,
    )
}

/// Every observation with a `trace_id` exemplar: a 32-digit id checked, stamped and stored.
fn ours_with_exemplar() -> Contender {
    let ids = trace_ids();
    Contender::ops(
        Library::Ours,
        "`observe_with_exemplar`, one `trace_id`",
        move |start, n| {
            let input = black_box(inputs::calls());
            for i in start..start + n {
                let call = &input[i & MASK];
                traced::BENCH_D_LATENCY_SECONDS
                    .labels(call.job, call.status)
                    .observe_with_exemplar(call.seconds, &[("trace_id", &ids[i & 63])]);
            }
        },
        traced_scrape,
    )
}

fn traced_scrape() -> String {
    let registry = metrics_core::Registry::builder()
        .register(&traced::BENCH_D_LATENCY_SECONDS)
        .build()
        .expect("a valid family");
    let mut out = String::new();
    scrape::ours(&registry, metrics_core::Format::Text004, &mut out);
    out
}

fn prometheus_client() -> Contender {
    use prometheus_client::metrics::{family::Family, histogram::Histogram};
    let family = Family::<JobStatus, Histogram, fn() -> Histogram>::new_with_constructor(|| {
        Histogram::new(LATENCY)
    });
    let mut registry = prometheus_client::registry::Registry::default();
    registry.register(NAME, HELP, family.clone());
    Contender::ops(
        Library::PrometheusClient,
        "",
        move |start, n| {
            let input = black_box(inputs::calls());
            for i in start..start + n {
                let call = &input[i & MASK];
                family
                    .get_or_create(&JobStatus {
                        task: call.job,
                        status: call.status,
                    })
                    .observe(call.seconds);
            }
        },
        move || {
            let mut out = String::new();
            scrape::prometheus_client(&registry, &mut out);
            out
        },
    )
}

fn prometheus() -> Contender {
    let vec = prometheus::HistogramVec::new(
        prometheus::HistogramOpts::new(NAME, HELP).buckets(LATENCY.to_vec()),
        &["task", "status"],
    )
    .expect("a valid family");
    let registry = prometheus::Registry::new();
    registry
        .register(Box::new(vec.clone()))
        .expect("registered once");
    Contender::ops(
        Library::Prometheus,
        "",
        move |start, n| {
            let input = black_box(inputs::calls());
            for i in start..start + n {
                let call = &input[i & MASK];
                vec.with_label_values(&[call.job.as_str(), call.status.as_str()])
                    .observe(call.seconds);
            }
        },
        move || {
            let mut out = String::new();
            scrape::prometheus(&registry, &mut out);
            out
        },
    )
}

fn metrics() -> Contender {
    let builder = metrics_exporter_prometheus::PrometheusBuilder::new()
        .set_buckets_for_metric(
            metrics_exporter_prometheus::Matcher::Full(NAME.into()),
            &LATENCY,
        )
        .expect("non-empty buckets");
    let (recorder, handle) = scrape::metrics_recorder(builder);
    let upkeep = handle.clone();
    Contender::ops(
        Library::Metrics,
        "upkeep per batch",
        move |start, n| {
            metrics::with_local_recorder(&recorder, || {
                let input = black_box(inputs::calls());
                for i in start..start + n {
                    let call = &input[i & MASK];
                    metrics::histogram!(NAME, "task" => call.job.as_str(), "status" => call.status.as_str())
                        .record(call.seconds);
                }
            });
            upkeep.run_upkeep();
        },
        move || handle.render(),
    )
}

fn measured() -> Contender {
    use measured::metric::histogram::Thresholds;
    let vec = Rc::new(measured::HistogramVec::with_label_set_and_metadata(
        JobStatusSet::new(),
        Thresholds::with_buckets(LATENCY),
    ));
    let read = Rc::clone(&vec);
    Contender::ops(
        Library::Measured,
        "",
        move |start, n| {
            let input = black_box(inputs::calls());
            for i in start..start + n {
                let call = &input[i & MASK];
                let labels = JobStatus {
                    task: call.job,
                    status: call.status,
                };
                vec.observe(labels, call.seconds);
            }
        },
        move || scrape::measured_family(&*read, NAME),
    )
}

fn fastmetrics() -> Contender {
    use fastmetrics::metrics::{family::Family, histogram::Histogram};
    let family = Family::<JobStatus, Histogram>::new(|| Histogram::new(LATENCY));
    let mut registry = fastmetrics::registry::Registry::default();
    registry
        .register(NAME, HELP, family.clone())
        .expect("registered once");
    Contender::ops(
        Library::Fastmetrics,
        "",
        move |start, n| {
            let input = black_box(inputs::calls());
            for i in start..start + n {
                let call = &input[i & MASK];
                let labels = JobStatus {
                    task: call.job,
                    status: call.status,
                };
                family.with_or_new(&labels, |histogram| histogram.observe(call.seconds));
            }
        },
        move || {
            let mut out = String::new();
            scrape::fastmetrics(&registry, &mut out);
            out
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenarios::checks::{expected_counts, read_series};

    const COUNT: &str = "bench_d_latency_seconds_count";
    const BUCKET: &str = "bench_d_latency_seconds_bucket";
    const SUM: &str = "bench_d_latency_seconds_sum";

    fn read(contender: &Contender) -> [[f64; 12]; 4] {
        [
            read_series(contender, COUNT, &[]),
            read_series(contender, BUCKET, &[("le", "+Inf")]),
            read_series(contender, BUCKET, &[("le", "0.5")]),
            read_series(contender, SUM, &[]),
        ]
    }

    #[test]
    fn every_contender_buckets_and_sums_each_observation_on_its_series() {
        let (start, n) = (300, 1000);
        let counts = expected_counts(start, n);
        let mut at_most_half = [0.0; 12];
        let mut sums = [0.0; 12];
        for call in inputs::window(start, n) {
            sums[call.series] += call.seconds;
            if call.seconds <= 0.5 {
                at_most_half[call.series] += 1.0;
            }
        }
        for mut contender in contenders() {
            let before = read(&contender);
            contender.run(start, n);
            let after = read(&contender);
            let delta = |what: usize, series: usize| after[what][series] - before[what][series];
            for series in 0..12 {
                let context = format!("{contender:?}, series {series}");
                assert_eq!(delta(0, series), counts[series], "count: {context}");
                assert_eq!(delta(1, series), counts[series], "+Inf bucket: {context}");
                assert_eq!(delta(2, series), at_most_half[series], "le=0.5: {context}");
                let sum = delta(3, series);
                assert!(
                    (sum - sums[series]).abs() < 1e-6 * sums[series],
                    "sum {sum}: {context}"
                );
            }
        }
    }
}
