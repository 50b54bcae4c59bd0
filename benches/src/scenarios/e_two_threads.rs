//! E: two threads incrementing the same labelled series at once, resolving its labels at every call.
//!
//! Both threads hit one cache line, so this measures how each library behaves under contention: the floor pays
//! only the line bouncing between cores; a library that takes a lock, or bumps a reference count, to find the
//! series bounces a second line.

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use metrics_core::{LabelValue, metrics};

use crate::contender::{Contender, Library};
use crate::harness::Config;
use crate::label_sets::{JobStatus, JobStatusSet};
use crate::labels::{Job, Status};
use crate::report::Table;
use crate::scrape;

/// The metric name every library writes.
pub(crate) const NAME: &str = "bench_e_calls_total";
const HELP: &str = "Scenario E: calls by job and status";

metrics! {
    /// Scenario E: calls by job and status.
    pub(crate) counter bench_e_calls_total { task: Job, status: Status }
}

/// The labels both threads record, through `black_box` so that no lookup is hoisted out of the loop.
fn labels() -> JobStatus {
    black_box(JobStatus {
        task: Job::Email,
        status: Status::Ok,
    })
}

/// Runs scenario E.
pub(crate) fn run(config: &Config) -> Table {
    let mut table = Table::new(
        "E: two threads incrementing the same labelled series (per thread)",
        "ns/op",
    );
    super::time_all(&mut table, &mut contenders(), config, 1.0);
    table.notes.push(
        "Each sample is the slower thread's time over its batch. On a 2-core machine shared with other \
         work, the two threads are not always on a core together; the spread column shows it."
            .into(),
    );
    table
}

/// Every library's labelled counter, from two threads.
pub(crate) fn contenders() -> Vec<Contender> {
    vec![
        floor(),
        ours(),
        prometheus_client(),
        prometheus(),
        metrics(),
        measured(),
        fastmetrics(),
    ]
}

fn floor() -> Contender {
    let cells = Arc::new([const { AtomicU64::new(0) }; 12]);
    let read = Arc::clone(&cells);
    Contender::two_threads(
        Library::Floor,
        "",
        move |_, n| {
            for _ in 0..n {
                let labels = labels();
                let series = labels.task.index() * Status::CARDINALITY + labels.status.index();
                cells[series].fetch_add(1, Ordering::Relaxed);
            }
        },
        move || super::b_labelled::floor_text(NAME, &read),
    )
}

fn ours() -> Contender {
    Contender::two_threads(
        Library::Ours,
        "",
        |_, n| {
            for _ in 0..n {
                let labels = labels();
                BENCH_E_CALLS_TOTAL.labels(labels.task, labels.status).inc();
            }
        },
        || {
            let registry = metrics_core::Registry::builder()
                .register(&BENCH_E_CALLS_TOTAL)
                .build()
                .expect("a valid family");
            let mut out = String::new();
            scrape::ours(&registry, metrics_core::Format::Text004, &mut out);
            out
        },
    )
}

fn prometheus_client() -> Contender {
    use prometheus_client::metrics::{counter::Counter, family::Family};
    let family = Family::<JobStatus, Counter>::default();
    let mut registry = prometheus_client::registry::Registry::default();
    registry.register("bench_e_calls", HELP, family.clone());
    Contender::two_threads(
        Library::PrometheusClient,
        "",
        move |_, n| {
            for _ in 0..n {
                family.get_or_create(&labels()).inc();
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
    Contender::two_threads(
        Library::Prometheus,
        "",
        move |_, n| {
            for _ in 0..n {
                let labels = labels();
                vec.with_label_values(&[labels.task.as_str(), labels.status.as_str()])
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
    let recorder = Arc::new(recorder);
    Contender::two_threads(
        Library::Metrics,
        "",
        move |_, n| {
            metrics::with_local_recorder(&*recorder, || {
                for _ in 0..n {
                    let labels = labels();
                    metrics::counter!(NAME, "task" => labels.task.as_str(), "status" => labels.status.as_str())
                        .increment(1);
                }
            });
        },
        move || handle.render(),
    )
}

fn measured() -> Contender {
    let vec = Arc::new(measured::CounterVec::with_label_set(JobStatusSet::new()));
    let read = Arc::clone(&vec);
    Contender::two_threads(
        Library::Measured,
        "",
        move |_, n| {
            for _ in 0..n {
                vec.inc(labels());
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
        .register("bench_e_calls", HELP, family.clone())
        .expect("registered once");
    Contender::two_threads(
        Library::Fastmetrics,
        "",
        move |_, n| {
            for _ in 0..n {
                family.with_or_new(&labels(), Counter::inc);
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
    use crate::scenarios::checks::counter_deltas;

    #[test]
    fn both_threads_count_every_increment_on_the_one_series() {
        let mut expected = [0.0; 12];
        expected[Job::Email.index() * Status::CARDINALITY + Status::Ok.index()] = 2000.0;
        for mut contender in contenders() {
            assert_eq!(
                counter_deltas(&mut contender, NAME, 0, 1000),
                expected,
                "{contender:?}"
            );
        }
    }
}
