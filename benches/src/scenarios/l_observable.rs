//! L: a family read at scrape time against a stored one: 1,000 gauge series (three ten-valued enum labels),
//! scraped alone. The observable family's function reports every series at every scrape; the stored family's
//! cells hold the same values. The target: an observable series costs no more at scrape time than a stored one
//! (the reading itself, here an array lookup, is the user's).

use std::sync::OnceLock;

use metrics_core::{Format, LabelValue as _, Registry, metrics};

use super::f_scrape::scraper;
use crate::contender::{Contender, Library};
use crate::harness::Config;
use crate::labels::Digit;
use crate::report::Table;
use crate::scrape;

/// Series per family.
#[cfg(test)]
const SERIES: usize = 1000;

metrics! {
    /// Scenario L: a stored gauge of 1,000 series.
    pub(crate) gauge bench_l_stored { a: Digit, b: Digit, c: Digit }

    /// Scenario L: the same gauge, read at scrape time.
    pub(crate) gauge bench_l_observed { a: Digit, b: Digit, c: Digit, observe = observe_all }
}

/// What series `i` holds, in both families.
fn value(i: usize) -> i64 {
    i64::try_from(i * 7 % 1000).unwrap_or_default()
}

fn observe_all(out: &mut BenchLObservedObserver<'_>) {
    for (i, a) in Digit::ALL.iter().enumerate() {
        for (j, b) in Digit::ALL.iter().enumerate() {
            for (k, c) in Digit::ALL.iter().enumerate() {
                let labels = BenchLObservedLabels {
                    a: *a,
                    b: *b,
                    c: *c,
                };
                out.observe(labels, value(i * 100 + j * 10 + k));
            }
        }
    }
}

fn registry(family: &'static dyn metrics_core::Family) -> Registry {
    Registry::builder()
        .register(family)
        .build()
        .expect("a valid family")
}

fn stored() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        for (i, a) in Digit::ALL.iter().enumerate() {
            for (j, b) in Digit::ALL.iter().enumerate() {
                for (k, c) in Digit::ALL.iter().enumerate() {
                    BENCH_L_STORED
                        .labels(*a, *b, *c)
                        .set(value(i * 100 + j * 10 + k));
                }
            }
        }
        registry(&BENCH_L_STORED)
    })
}

fn observed() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| registry(&BENCH_L_OBSERVED))
}

/// A scrape of `registry` alone, in text 0.0.4.
fn scrape_of(note: &'static str, registry: fn() -> &'static Registry) -> Contender {
    scraper(Library::Ours, note, move |out| {
        scrape::ours(registry(), Format::Text004, out);
    })
}

/// Both families' scrapes.
pub(crate) fn contenders() -> Vec<Contender> {
    vec![
        scrape_of("stored gauge", stored),
        scrape_of("observable gauge", observed),
    ]
}

/// Runs scenario L.
pub(crate) fn run(config: &Config) -> Table {
    let mut table = Table::new(
        "L: scrape of 1,000 gauge series, stored against read at scrape time",
        "µs/scrape",
    );
    super::time_all(&mut table, &mut contenders(), config, 1e-3);
    table.notes.push(
        "Target: an observable series costs no more at scrape time than a stored one. The observable family runs \
         its function (1,000 `observe` calls), checks each value, then writes the same lines."
            .into(),
    );
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The families' own sample lines, named alike (the observable registry also carries the failure counts).
    fn samples(text: &str, name: &str) -> Vec<String> {
        text.lines()
            .filter(|line| line.starts_with(&format!("{name}{{")))
            .map(|line| line.replacen(name, "X", 1))
            .collect()
    }

    #[test]
    fn both_families_expose_the_same_lines() {
        let stored = (contenders().remove(0).read)();
        let observed = (contenders().remove(1).read)();
        let lines = samples(&stored, "bench_l_stored");
        assert_eq!(lines.len(), SERIES);
        assert!(
            lines == samples(&observed, "bench_l_observed"),
            "the two families differ"
        );
    }
}
