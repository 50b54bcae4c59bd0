//! B: a counter with two enum labels (4 x 3 series), the label values changing at every call.

use std::hint::black_box;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

use metrics_core::{LabelValue, metrics};

use crate::contender::{Contender, Library};
use crate::harness::Config;
use crate::inputs::{self, MASK};
use crate::label_sets::{JobStatus, JobStatusSet};
use crate::labels::{Job, Status};
use crate::report::Table;
use crate::scrape;

/// The metric name every library writes.
pub(crate) const NAME: &str = "bench_b_calls_total";
const HELP: &str = "Scenario B: calls by job and status";

metrics! {
    /// Scenario B: calls by job and status.
    pub(crate) counter bench_b_calls_total { task: Job, status: Status }
}

/// Runs scenario B.
pub(crate) fn run(config: &Config) -> Table {
    let mut table = Table::new(
        "B: counter increment, two enum labels (4 x 3 series), labels varying per call",
        "ns/op",
    );
    super::time_all(&mut table, &mut contenders(), config, 1.0);
    table
}

/// Every library's labelled counter, resolving the labels at every call.
pub(crate) fn contenders() -> Vec<Contender> {
    vec![
        floor(),
        ours(),
        ours_bounded(),
        ours_expiring(),
        facade(),
        prometheus_client(),
        prometheus(),
        metrics(),
        measured(),
        fastmetrics(),
    ]
}

/// The floor's text for 12 cells in job-major order, the same lines the libraries write.
pub(crate) fn floor_text(name: &str, cells: &[AtomicU64; 12]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for (series, cell) in cells.iter().enumerate() {
        let job = Job::ALL[series / Status::CARDINALITY].as_str();
        let status = Status::ALL[series % Status::CARDINALITY].as_str();
        let _ = writeln!(
            out,
            "{name}{{task=\"{job}\",status=\"{status}\"}} {}",
            cell.load(Ordering::Relaxed)
        );
    }
    out
}

fn floor() -> Contender {
    let cells = Rc::new([const { AtomicU64::new(0) }; 12]);
    let read = Rc::clone(&cells);
    Contender::ops(
        Library::Floor,
        "",
        move |start, n| {
            let input = black_box(inputs::calls());
            for i in start..start + n {
                let call = &input[i & MASK];
                // Indexed as a dense family indexes: from the label values, mixed radix.
                let series = call.job.index() * Status::CARDINALITY + call.status.index();
                cells[series].fetch_add(1, Ordering::Relaxed);
            }
        },
        move || floor_text(NAME, &read),
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
                BENCH_B_CALLS_TOTAL.labels(call.job, call.status).inc();
            }
        },
        || {
            let registry = metrics_core::Registry::builder()
                .register(&BENCH_B_CALLS_TOTAL)
                .build()
                .expect("a valid family");
            let mut out = String::new();
            scrape::ours(&registry, metrics_core::Format::Text004, &mut out);
            out
        },
    )
}

/// The job label as a bounded string (`BoundedStr<8>`): an interner probe per call, then the chunk's cell.
mod bounded {
    use crate::labels::Status;
    use metrics_core::{BoundedStr, metrics};

    metrics! {
        /// Scenario B: calls by job and status.
        pub(crate) counter bench_b_calls_total { task: BoundedStr<8>, status: Status }
    }
}

/// As [`bounded`], with `expire_after` (a removable family): each recording goes through `record`'s closure, which
/// pins the value's chunk (an atomic increment and decrement), checks the index still holds the value, and reads the
/// chunk's "touched" mark.
mod expiring {
    use crate::labels::Status;
    use metrics_core::{BoundedStr, metrics};

    metrics! {
        /// Scenario B: calls by job and status.
        pub(crate) counter bench_b_calls_total { task: BoundedStr<8>, status: Status, expire_after = 10m }
    }
}

fn ours_expiring() -> Contender {
    Contender::ops(
        Library::Ours,
        "`task: BoundedStr<8>`, `expire_after = 10m`",
        |start, n| {
            let input = black_box(inputs::calls());
            for i in start..start + n {
                let call = &input[i & MASK];
                expiring::BENCH_B_CALLS_TOTAL.record(
                    call.job.as_str(),
                    call.status,
                    metrics_core::Counter::inc,
                );
            }
        },
        || {
            let registry = metrics_core::Registry::builder()
                .register(&expiring::BENCH_B_CALLS_TOTAL)
                .build()
                .expect("a valid family");
            let mut out = String::new();
            scrape::ours(&registry, metrics_core::Format::Text004, &mut out);
            out
        },
    )
}

fn ours_bounded() -> Contender {
    Contender::ops(
        Library::Ours,
        "`task: BoundedStr<8>`",
        |start, n| {
            let input = black_box(inputs::calls());
            for i in start..start + n {
                let call = &input[i & MASK];
                bounded::BENCH_B_CALLS_TOTAL
                    .labels(call.job.as_str(), call.status)
                    .inc();
            }
        },
        || {
            let registry = metrics_core::Registry::builder()
                .register(&bounded::BENCH_B_CALLS_TOTAL)
                .build()
                .expect("a valid family");
            let mut out = String::new();
            scrape::ours(&registry, metrics_core::Format::Text004, &mut out);
            out
        },
    )
}

/// The `metrics` facade's macro per call, as the metrics row below, recorded by our bridge.
fn facade() -> Contender {
    let (bridge, read) = scrape::facade_bridge();
    Contender::ops(
        Library::Ours,
        "metrics-facade bridge, `counter!` per call",
        move |start, n| {
            metrics::with_local_recorder(&bridge, || {
                let input = black_box(inputs::calls());
                for i in start..start + n {
                    let call = &input[i & MASK];
                    metrics::counter!(NAME, "task" => call.job.as_str(), "status" => call.status.as_str())
                        .increment(1);
                }
            });
        },
        read,
    )
}

fn prometheus_client() -> Contender {
    use prometheus_client::metrics::{counter::Counter, family::Family};
    let family = Family::<JobStatus, Counter>::default();
    let mut registry = prometheus_client::registry::Registry::default();
    registry.register("bench_b_calls", HELP, family.clone());
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
                    .inc();
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
    let vec =
        prometheus::IntCounterVec::new(prometheus::Opts::new(NAME, HELP), &["task", "status"])
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
                    .inc();
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
    let (recorder, handle) =
        scrape::metrics_recorder(metrics_exporter_prometheus::PrometheusBuilder::new());
    Contender::ops(
        Library::Metrics,
        "",
        move |start, n| {
            metrics::with_local_recorder(&recorder, || {
                let input = black_box(inputs::calls());
                for i in start..start + n {
                    let call = &input[i & MASK];
                    metrics::counter!(NAME, "task" => call.job.as_str(), "status" => call.status.as_str())
                        .increment(1);
                }
            });
        },
        move || handle.render(),
    )
}

fn measured() -> Contender {
    let vec = Rc::new(measured::CounterVec::with_label_set(JobStatusSet::new()));
    let read = Rc::clone(&vec);
    Contender::ops(
        Library::Measured,
        "",
        move |start, n| {
            let input = black_box(inputs::calls());
            for i in start..start + n {
                let call = &input[i & MASK];
                vec.inc(JobStatus {
                    task: call.job,
                    status: call.status,
                });
            }
        },
        move || scrape::measured_family(&*read, NAME),
    )
}

fn fastmetrics() -> Contender {
    use fastmetrics::metrics::{counter::Counter, family::Family};
    let family = Family::<JobStatus, Counter>::default();
    let mut registry = fastmetrics::registry::Registry::default();
    registry
        .register("bench_b_calls", HELP, family.clone())
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
                family.with_or_new(&labels, Counter::inc);
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
    use crate::scenarios::checks::{counter_deltas, expected_counts};

    #[test]
    fn every_contender_counts_each_call_on_its_series() {
        for mut contender in contenders() {
            let deltas = counter_deltas(&mut contender, NAME, 100, 1000);
            assert_eq!(deltas, expected_counts(100, 1000), "{contender:?}");
        }
    }
}
