//! A: one counter without labels, incremented once per operation.

use std::hint::black_box;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

use metrics_core::metrics;

use crate::contender::{Contender, Library};
use crate::harness::Config;
use crate::report::Table;
use crate::scrape;

/// The metric name every library writes.
pub(crate) const NAME: &str = "bench_a_ops_total";

metrics! {
    /// Scenario A: operations.
    pub(crate) counter bench_a_ops_total;
}

/// Runs scenario A.
pub(crate) fn run(config: &Config) -> Table {
    let mut table = Table::new("A: counter increment, no labels", "ns/op");
    super::time_all(&mut table, &mut contenders(), config, 1.0);
    table.notes.push(
        "metrics is measured twice: through `counter!` at every call (its documented call site, a registry \
         lookup each time) and through the `Counter` handle `counter!` returns."
            .into(),
    );
    table
}

/// Every library's counter.
pub(crate) fn contenders() -> Vec<Contender> {
    vec![
        floor(),
        ours(),
        prometheus_client(),
        prometheus(),
        metrics_macro(),
        metrics_handle(),
        measured(),
        fastmetrics(),
    ]
}

fn floor() -> Contender {
    let cell = Rc::new(AtomicU64::new(0));
    let read = Rc::clone(&cell);
    Contender::ops(
        Library::Floor,
        "",
        move |_, n| {
            for _ in 0..n {
                black_box(&*cell).fetch_add(1, Ordering::Relaxed);
            }
        },
        move || format!("{NAME} {}\n", read.load(Ordering::Relaxed)),
    )
}

fn ours() -> Contender {
    Contender::ops(
        Library::Ours,
        "",
        |_, n| {
            for _ in 0..n {
                black_box(&BENCH_A_OPS_TOTAL).inc();
            }
        },
        || {
            let registry = metrics_core::Registry::builder()
                .register(&BENCH_A_OPS_TOTAL)
                .build()
                .expect("a valid family");
            let mut out = String::new();
            scrape::ours(&registry, metrics_core::Format::Text004, &mut out);
            out
        },
    )
}

fn prometheus_client() -> Contender {
    let counter = prometheus_client::metrics::counter::Counter::<u64>::default();
    let mut registry = prometheus_client::registry::Registry::default();
    registry.register("bench_a_ops", "Scenario A: operations", counter.clone());
    Contender::ops(
        Library::PrometheusClient,
        "",
        move |_, n| {
            for _ in 0..n {
                black_box(&counter).inc();
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
    let counter =
        prometheus::IntCounter::new(NAME, "Scenario A: operations").expect("a valid name");
    let registry = prometheus::Registry::new();
    registry
        .register(Box::new(counter.clone()))
        .expect("registered once");
    Contender::ops(
        Library::Prometheus,
        "",
        move |_, n| {
            for _ in 0..n {
                black_box(&counter).inc();
            }
        },
        move || {
            let mut out = String::new();
            scrape::prometheus(&registry, &mut out);
            out
        },
    )
}

fn metrics_macro() -> Contender {
    let (recorder, handle) =
        scrape::metrics_recorder(metrics_exporter_prometheus::PrometheusBuilder::new());
    Contender::ops(
        Library::Metrics,
        "`counter!` per call",
        move |_, n| {
            metrics::with_local_recorder(&recorder, || {
                for _ in 0..n {
                    metrics::counter!(NAME).increment(1);
                }
            });
        },
        move || handle.render(),
    )
}

fn metrics_handle() -> Contender {
    let (recorder, handle) =
        scrape::metrics_recorder(metrics_exporter_prometheus::PrometheusBuilder::new());
    let counter = metrics::with_local_recorder(&recorder, || metrics::counter!(NAME));
    Contender::ops(
        Library::Metrics,
        "handle",
        move |_, n| {
            for _ in 0..n {
                black_box(&counter).increment(1);
            }
        },
        move || handle.render(),
    )
}

fn measured() -> Contender {
    let counter = Rc::new(measured::Counter::new());
    let read = Rc::clone(&counter);
    Contender::ops(
        Library::Measured,
        "",
        move |_, n| {
            for _ in 0..n {
                black_box(&*counter).inc();
            }
        },
        move || scrape::measured_family(&*read, NAME),
    )
}

fn fastmetrics() -> Contender {
    let counter = <fastmetrics::metrics::counter::Counter>::default();
    let mut registry = fastmetrics::registry::Registry::default();
    registry
        .register("bench_a_ops", "Scenario A: operations", counter.clone())
        .expect("registered once");
    Contender::ops(
        Library::Fastmetrics,
        "",
        move |_, n| {
            for _ in 0..n {
                black_box(&counter).inc();
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
    use crate::exposition::total;

    #[test]
    fn every_contender_counts_each_increment() {
        for mut contender in contenders() {
            let before = total(&(contender.read)(), NAME);
            contender.run(0, 1000);
            let after = total(&(contender.read)(), NAME);
            assert_eq!(
                after - before,
                1000.0,
                "{contender:?}: {}",
                (contender.read)()
            );
        }
    }
}
