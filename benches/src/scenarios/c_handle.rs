//! C: as B, with each series' handle resolved once up front (where the library hands one out) and the call
//! picking the handle of its series.

use std::hint::black_box;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

use metrics_core::{Counter, LabelValue, metrics};

use crate::contender::{Contender, Library};
use crate::harness::Config;
use crate::inputs::{self, MASK};
use crate::label_sets::{JobStatus, JobStatusSet};
use crate::labels::{Job, Status};
use crate::report::Table;
use crate::scrape;

/// The metric name every library writes.
pub(crate) const NAME: &str = "bench_c_calls_total";
const HELP: &str = "Scenario C: calls by job and status";

metrics! {
    /// Scenario C: calls by job and status.
    pub(crate) counter bench_c_calls_total { task: Job, status: Status }
}

/// The labels of series `series`, job major: the order of every handle array here.
fn labels_of(series: usize) -> JobStatus {
    JobStatus {
        task: Job::ALL[series / Status::CARDINALITY],
        status: Status::ALL[series % Status::CARDINALITY],
    }
}

/// Runs scenario C.
pub(crate) fn run(config: &Config) -> Table {
    let mut table = Table::new("C: as B, with a handle per series resolved once", "ns/op");
    super::time_all(&mut table, &mut contenders(), config, 1.0);
    table
}

/// Every library's series handles.
pub(crate) fn contenders() -> Vec<Contender> {
    vec![
        floor(),
        ours(),
        facade(),
        prometheus_client(),
        prometheus(),
        metrics(),
        measured(),
        fastmetrics(),
    ]
}

/// Calls `inc` on the handle of each call's series, for `n` calls from `start`.
fn drive<H>(handles: &[H; 12], start: usize, n: usize, inc: impl Fn(&H)) {
    let input = black_box(inputs::calls());
    for i in start..start + n {
        inc(&handles[input[i & MASK].series]);
    }
}

fn floor() -> Contender {
    let cells = Rc::new([const { AtomicU64::new(0) }; 12]);
    let read = Rc::clone(&cells);
    Contender::ops(
        Library::Floor,
        "",
        move |start, n| {
            drive(&cells, start, n, |cell| {
                cell.fetch_add(1, Ordering::Relaxed);
            });
        },
        move || super::b_labelled::floor_text(NAME, &read),
    )
}

fn ours() -> Contender {
    let handles: [&'static Counter; 12] = std::array::from_fn(|series| {
        let labels = labels_of(series);
        BENCH_C_CALLS_TOTAL.labels(labels.task, labels.status)
    });
    Contender::ops(
        Library::Ours,
        "`&Counter` from `.labels(..)`",
        move |start, n| drive(&handles, start, n, |counter| counter.inc()),
        || {
            let registry = metrics_core::Registry::builder()
                .register(&BENCH_C_CALLS_TOTAL)
                .build()
                .expect("a valid family");
            let mut out = String::new();
            scrape::ours(&registry, metrics_core::Format::Text004, &mut out);
            out
        },
    )
}

/// `metrics::Counter` handles kept, as the metrics row below, from our bridge.
fn facade() -> Contender {
    let (bridge, read) = scrape::facade_bridge();
    let handles: [metrics::Counter; 12] = metrics::with_local_recorder(&bridge, || {
        std::array::from_fn(|series| {
            let labels = labels_of(series);
            metrics::counter!(NAME, "task" => labels.task.as_str(), "status" => labels.status.as_str())
        })
    });
    Contender::ops(
        Library::Ours,
        "metrics-facade bridge, `counter!` kept",
        move |start, n| drive(&handles, start, n, |counter| counter.increment(1)),
        read,
    )
}

fn prometheus_client() -> Contender {
    use prometheus_client::metrics::{counter::Counter, family::Family};
    let family = Family::<JobStatus, Counter>::default();
    let mut registry = prometheus_client::registry::Registry::default();
    registry.register("bench_c_calls", HELP, family.clone());
    let handles: [Counter; 12] =
        std::array::from_fn(|series| family.get_or_create_owned(&labels_of(series)));
    Contender::ops(
        Library::PrometheusClient,
        "`get_or_create_owned`",
        move |start, n| {
            drive(&handles, start, n, |counter| {
                counter.inc();
            });
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
    let handles: [prometheus::IntCounter; 12] = std::array::from_fn(|series| {
        let labels = labels_of(series);
        vec.with_label_values(&[labels.task.as_str(), labels.status.as_str()])
    });
    Contender::ops(
        Library::Prometheus,
        "`with_label_values` kept",
        move |start, n| drive(&handles, start, n, prometheus::IntCounter::inc),
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
    let handles: [metrics::Counter; 12] = metrics::with_local_recorder(&recorder, || {
        std::array::from_fn(|series| {
            let labels = labels_of(series);
            metrics::counter!(NAME, "task" => labels.task.as_str(), "status" => labels.status.as_str())
        })
    });
    Contender::ops(
        Library::Metrics,
        "`counter!` kept",
        move |start, n| drive(&handles, start, n, |counter| counter.increment(1)),
        move || handle.render(),
    )
}

fn measured() -> Contender {
    // measured lends a series as a guard borrowing its vec; the vec lives for the whole run, as a user's static
    // would, so the guards can be kept.
    let vec: &'static measured::CounterVec<JobStatusSet> = Box::leak(Box::new(
        measured::CounterVec::with_label_set(JobStatusSet::new()),
    ));
    let handles: [_; 12] =
        std::array::from_fn(|series| vec.get_metric(vec.with_labels(labels_of(series))));
    Contender::ops(
        Library::Measured,
        "`get_metric` guard kept",
        move |start, n| drive(&handles, start, n, |counter| counter.inc()),
        move || scrape::measured_family(vec, NAME),
    )
}

fn fastmetrics() -> Contender {
    use fastmetrics::metrics::{counter::Counter, family::Family};
    let family = Family::<JobStatus, Counter>::default();
    let mut registry = fastmetrics::registry::Registry::default();
    registry
        .register("bench_c_calls", HELP, family.clone())
        .expect("registered once");
    // Its counters share their cell through an `Arc`: a clone taken inside `with_or_new` is a handle.
    let handles: [Counter; 12] =
        std::array::from_fn(|series| family.with_or_new(&labels_of(series), Counter::clone));
    Contender::ops(
        Library::Fastmetrics,
        "`Counter` cloned out of `with_or_new`",
        move |start, n| drive(&handles, start, n, Counter::inc),
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
            let deltas = counter_deltas(&mut contender, NAME, 7, 1000);
            assert_eq!(deltas, expected_counts(7, 1000), "{contender:?}");
        }
    }
}
