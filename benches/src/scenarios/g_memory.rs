//! G: bytes per series for 10,000 counter series, counted by the counting allocator ([`crate::alloc`]): once
//! for a family of four ten-valued enum labels, once for a family of one open string label.
//!
//! A row counts what creating the family and its 10,000 series leaves allocated (registry included), then what
//! the first scrape leaves allocated on top (caches built lazily). Our enum family is a `static` that allocates
//! nothing, so its row is the static's own size, `size_of_val(&FAMILY)`, divided by the series.

use std::hint::black_box;
use std::sync::atomic::AtomicU64;

use metrics_core::{BoundedStr, Format, metrics};

use crate::alloc;
use crate::contender::Library;
use crate::harness::Config;
use crate::label_sets::{FourDigits, FourDigitsSet, Tenant, TenantRef, TenantSet, tenant_name};
use crate::labels::Digit;
use crate::report::{Row, Table, number};
use crate::scrape;

/// Series per family.
pub(crate) const SERIES: usize = 10_000;

metrics! {
    /// Scenario G: a family of 10,000 enum series.
    pub(crate) counter bench_g_enum_total { a: Digit, b: Digit, c: Digit, d: Digit, budget = 10000 }

    /// Scenario G: a family of 10,000 bounded-string series.
    pub(crate) counter bench_g_tenant_total { tenant: BoundedStr<10000>, budget = 10001 }
}

/// One library's memory: bytes per series after creating, and after the first scrape as well.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Memory {
    /// Bytes per series held once the family and its series exist.
    pub(crate) created: f64,
    /// Bytes per series held after one scrape on top of that.
    pub(crate) scraped: f64,
}

/// Builds with `make`, scrapes once with `scrape`, and divides what stays allocated by [`SERIES`].
fn measure<T>(make: impl FnOnce() -> T, scrape: impl Fn(&T) -> String) -> Memory {
    let (built, created) = alloc::retained(make);
    let ((), scraped) = alloc::retained(|| {
        black_box(scrape(&built));
    });
    drop(built);
    Memory {
        created: created as f64 / SERIES as f64,
        scraped: (created + scraped) as f64 / SERIES as f64,
    }
}

/// Runs scenario G: two tables, enum labels and string labels.
pub(crate) fn run(_: &Config) -> Vec<Table> {
    assert!(
        alloc::installed(),
        "scenario G needs `alloc::Counting` as the global allocator"
    );
    let mut enums = Table::new(
        "G1: memory of 10,000 counter series, four enum labels (10 x 10 x 10 x 10)",
        "B/series",
    );
    enums.extra_headers = vec!["after 1st scrape", "what is counted"];
    let floor = (std::mem::size_of::<[AtomicU64; SERIES]>() / SERIES) as f64;
    enums.rows.push(row(
        Library::Floor,
        "`[AtomicU64; 10000]`",
        Memory {
            created: floor,
            scraped: floor,
        },
        "size of the array",
    ));
    enums.rows.push(row(
        Library::Ours,
        "",
        ours_enum(),
        "`size_of_val(&FAMILY)` (a static; creating series allocates nothing), then the registry's encoder text for it (one escaped string per label value, not per series)",
    ));
    for (library, memory) in peers_enum() {
        enums.rows.push(row(library, "", memory, "heap"));
    }
    enums.notes.push(
        "measured picks its sparse (hash map) representation above 1,024 series, which 10,000 enum \
         combinations are; its dense one would pre-allocate every series."
            .into(),
    );

    let mut strings = Table::new(
        "G2: memory of 10,000 counter series, one string label (`BoundedStr<10000>` for ours)",
        "B/series",
    );
    strings.extra_headers = vec!["after 1st scrape", "what is counted"];
    strings.rows.push(row(
        Library::Ours,
        "",
        ours_bounded(),
        "heap (interner, cells in pages of 64, the interned text) + the static, then the registry's encoder text and clean bits",
    ));
    for (library, memory) in peers_string() {
        strings.rows.push(row(library, "", memory, "heap"));
    }
    strings.notes.push(
        "Requested bytes are counted, not what `malloc` rounds them up to; the label text itself \
         (`tenant-0042`, 11 bytes) is part of every string row."
            .into(),
    );
    let mut allocations = Table::new(
        "G3: heap allocations per scrape of scenario F's registry (10,100 series), once warm, buffer kept",
        "allocations",
    );
    for (format, note) in [
        (Format::Text004, "text 0.0.4"),
        (Format::OpenMetrics, "OpenMetrics 1.0"),
    ] {
        let calls = steady_scrape_allocations(format);
        allocations.rows.push(Row {
            library: Library::Ours,
            note: note.into(),
            value: calls,
            spread: None,
            extra: vec![],
        });
    }
    vec![enums, strings, allocations]
}

fn row(library: Library, note: &str, memory: Memory, counted: &str) -> Row {
    Row {
        library,
        note: note.into(),
        value: memory.created,
        spread: None,
        extra: vec![number(memory.scraped), counted.into()],
    }
}

fn ours_registry(family: &'static dyn metrics_core::Family) -> String {
    // Kept for the life of the process, as a program's registry is: what it caches for the encoder (each family's
    // fixed text) is part of what a scrape leaves allocated.
    let registry: &'static metrics_core::Registry = Box::leak(Box::new(
        metrics_core::Registry::builder()
            .register(family)
            .build()
            .expect("a valid family"),
    ));
    let mut out = String::new();
    scrape::ours(registry, Format::Text004, &mut out);
    out
}

/// Allocations per scrape of scenario F's registry once warm, into a buffer kept between scrapes.
fn steady_scrape_allocations(format: Format) -> f64 {
    const SCRAPES: usize = 10;
    let registry = crate::scenarios::f_scrape::ours_registry();
    let mut out = String::new();
    scrape::ours(registry, format, &mut out);
    let ((), calls) = alloc::calls(|| {
        for _ in 0..SCRAPES {
            out.clear();
            scrape::ours(registry, format, &mut out);
            black_box(&out);
        }
    });
    calls as f64 / SCRAPES as f64
}

/// Ours, enum labels: the static's size; touching every series must allocate nothing.
pub(crate) fn ours_enum() -> Memory {
    let ((), touched) = alloc::retained(|| {
        for i in 0..SERIES {
            let labels = FourDigits::of(i);
            BENCH_G_ENUM_TOTAL
                .labels(labels.a, labels.b, labels.c, labels.d)
                .inc();
        }
    });
    assert_eq!(
        touched, 0,
        "recording into an enum family allocates nothing"
    );
    let size = std::mem::size_of_val(&BENCH_G_ENUM_TOTAL);
    let ((), scraped) = alloc::retained(|| {
        black_box(ours_registry(&BENCH_G_ENUM_TOTAL));
    });
    Memory {
        created: size as f64 / SERIES as f64,
        scraped: (size.cast_signed() + scraped) as f64 / SERIES as f64,
    }
}

/// Ours, a bounded string label: what interning 10,000 values and creating their cells allocates.
pub(crate) fn ours_bounded() -> Memory {
    let size = std::mem::size_of_val(&BENCH_G_TENANT_TOTAL).cast_signed();
    let mut memory = measure(
        || {
            for i in 0..SERIES {
                BENCH_G_TENANT_TOTAL.labels(&tenant_name(i)).inc();
            }
        },
        |()| ours_registry(&BENCH_G_TENANT_TOTAL),
    );
    memory.created += size as f64 / SERIES as f64;
    memory.scraped += size as f64 / SERIES as f64;
    memory
}

/// Every peer with the four enum labels.
pub(crate) fn peers_enum() -> Vec<(Library, Memory)> {
    const NAME: &str = "bench_g_enum_total";
    let values = |i: usize| {
        let l = FourDigits::of(i);
        [l.a, l.b, l.c, l.d].map(metrics_core::LabelValue::as_str)
    };
    vec![
        (
            Library::PrometheusClient,
            measure(
                || {
                    use prometheus_client::metrics::{counter::Counter, family::Family};
                    let family = Family::<FourDigits, Counter>::default();
                    for i in 0..SERIES {
                        family.get_or_create(&FourDigits::of(i)).inc();
                    }
                    let mut registry = prometheus_client::registry::Registry::default();
                    registry.register("bench_g_enum", "G", family);
                    registry
                },
                |registry| {
                    let mut out = String::new();
                    scrape::prometheus_client(registry, &mut out);
                    out
                },
            ),
        ),
        (
            Library::Prometheus,
            measure(
                || {
                    let vec = prometheus::IntCounterVec::new(
                        prometheus::Opts::new(NAME, "G"),
                        &["a", "b", "c", "d"],
                    )
                    .expect("a valid family");
                    for i in 0..SERIES {
                        vec.with_label_values(&values(i)).inc();
                    }
                    let registry = prometheus::Registry::new();
                    registry.register(Box::new(vec)).expect("registered once");
                    registry
                },
                |registry| {
                    let mut out = String::new();
                    scrape::prometheus(registry, &mut out);
                    out
                },
            ),
        ),
        (
            Library::Metrics,
            measure(
                || {
                    let (recorder, handle) = scrape::metrics_recorder(
                        metrics_exporter_prometheus::PrometheusBuilder::new(),
                    );
                    metrics::with_local_recorder(&recorder, || {
                        for i in 0..SERIES {
                            let [a, b, c, d] = values(i);
                            metrics::counter!(NAME, "a" => a, "b" => b, "c" => c, "d" => d)
                                .increment(1);
                        }
                    });
                    (recorder, handle)
                },
                |(_, handle)| handle.render(),
            ),
        ),
        (
            Library::Measured,
            measure(
                || {
                    let vec = measured::CounterVec::with_label_set(FourDigitsSet::new());
                    for i in 0..SERIES {
                        vec.inc(FourDigits::of(i));
                    }
                    vec
                },
                |vec| scrape::measured_family(vec, NAME),
            ),
        ),
        (
            Library::Fastmetrics,
            measure(
                || {
                    use fastmetrics::metrics::{counter::Counter, family::Family};
                    let family = Family::<FourDigits, Counter>::default();
                    for i in 0..SERIES {
                        family.with_or_new(&FourDigits::of(i), Counter::inc);
                    }
                    let mut registry = fastmetrics::registry::Registry::default();
                    registry
                        .register("bench_g_enum", "G", family)
                        .expect("registered once");
                    registry
                },
                |registry| {
                    let mut out = String::new();
                    scrape::fastmetrics(registry, &mut out);
                    out
                },
            ),
        ),
    ]
}

/// Every peer with the one string label.
pub(crate) fn peers_string() -> Vec<(Library, Memory)> {
    const NAME: &str = "bench_g_tenant_total";
    vec![
        (
            Library::PrometheusClient,
            measure(
                || {
                    use prometheus_client::metrics::{counter::Counter, family::Family};
                    let family = Family::<Tenant, Counter>::default();
                    for i in 0..SERIES {
                        family
                            .get_or_create(&Tenant {
                                tenant: tenant_name(i),
                            })
                            .inc();
                    }
                    let mut registry = prometheus_client::registry::Registry::default();
                    registry.register("bench_g_tenant", "G", family);
                    registry
                },
                |registry| {
                    let mut out = String::new();
                    scrape::prometheus_client(registry, &mut out);
                    out
                },
            ),
        ),
        (
            Library::Prometheus,
            measure(
                || {
                    let vec = prometheus::IntCounterVec::new(
                        prometheus::Opts::new(NAME, "G"),
                        &["tenant"],
                    )
                    .expect("a valid family");
                    for i in 0..SERIES {
                        vec.with_label_values(&[tenant_name(i)]).inc();
                    }
                    let registry = prometheus::Registry::new();
                    registry.register(Box::new(vec)).expect("registered once");
                    registry
                },
                |registry| {
                    let mut out = String::new();
                    scrape::prometheus(registry, &mut out);
                    out
                },
            ),
        ),
        (
            Library::Metrics,
            measure(
                || {
                    let (recorder, handle) = scrape::metrics_recorder(
                        metrics_exporter_prometheus::PrometheusBuilder::new(),
                    );
                    metrics::with_local_recorder(&recorder, || {
                        for i in 0..SERIES {
                            metrics::counter!(NAME, "tenant" => tenant_name(i)).increment(1);
                        }
                    });
                    (recorder, handle)
                },
                |(_, handle)| handle.render(),
            ),
        ),
        (
            Library::Measured,
            measure(
                || {
                    let vec = measured::CounterVec::with_label_set(TenantSet::default());
                    for i in 0..SERIES {
                        vec.inc(TenantRef {
                            tenant: &tenant_name(i),
                        });
                    }
                    vec
                },
                |vec| scrape::measured_family(vec, NAME),
            ),
        ),
        (
            Library::Fastmetrics,
            measure(
                || {
                    use fastmetrics::metrics::{counter::Counter, family::Family};
                    let family = Family::<Tenant, Counter>::default();
                    for i in 0..SERIES {
                        let tenant = Tenant {
                            tenant: tenant_name(i),
                        };
                        family.with_or_new(&tenant, Counter::inc);
                    }
                    let mut registry = fastmetrics::registry::Registry::default();
                    registry
                        .register("bench_g_tenant", "G", family)
                        .expect("registered once");
                    registry
                },
                |registry| {
                    let mut out = String::new();
                    scrape::fastmetrics(registry, &mut out);
                    out
                },
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ours_enum_family_is_its_static_and_allocates_nothing_to_record() {
        let memory = ours_enum();
        assert!(
            memory.created >= 8.0 && memory.created < 9.0,
            "one u64 per series plus a few words: {memory:?}"
        );
        assert!(memory.scraped >= memory.created, "{memory:?}");
    }

    #[test]
    fn every_string_family_allocates_per_series() {
        let ours = ours_bounded();
        assert!(ours.created > 11.0, "at least the interned text: {ours:?}");
        for (library, memory) in peers_string() {
            assert!(
                memory.created > 11.0,
                "{library:?} keeps the text: {memory:?}"
            );
        }
    }

    #[test]
    fn every_peer_enum_family_allocates_per_series() {
        for (library, memory) in peers_enum() {
            assert!(memory.created >= 8.0, "{library:?}: {memory:?}");
        }
    }
}
