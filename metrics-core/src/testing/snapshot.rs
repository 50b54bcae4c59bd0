//! Every series' value at one moment, and the difference between two moments.

use std::collections::HashMap;

use crate::encode::canonical_float;
use crate::family::Family;
use crate::registry::Registry;
use crate::series::{Sample, Series};

/// One series, as a map key: its sample name and its labels sorted by name (so a lookup may list them in any order).
type Key = (String, Vec<(String, String)>);

/// The value of every sample of a registry at one moment, keyed by sample name and labels as the exposition writes
/// them: a counter `jobs_total{..}`, a gauge, a histogram's `_count`, `_sum` and `_bucket{le=".."}`, an info
/// family (1), a state set's `name{name="state"}` (1 for the current state, 0 otherwise).
///
/// Tests of one process run in parallel and share the families: assert on a [`Delta`] between a snapshot taken
/// before the code under test and one after ([`Snapshot::delta`]), never on absolute values. A delta isolates a
/// test from whatever ran before it; two tests recording the same series at the same time still add up, so give
/// each test its own label values.
///
/// ```
/// use metrics_core::{Registry, metrics, testing::Snapshot};
///
/// metrics! {
///     /// Jobs by queue.
///     pub counter snapshot_doc_jobs_total { queue: metrics_core::Outcome }
/// }
///
/// let registry = Registry::global().unwrap();
/// SNAPSHOT_DOC_JOBS_TOTAL.labels(metrics_core::Outcome::Success).inc(); // another test, earlier
/// let before = Snapshot::of(registry);
/// SNAPSHOT_DOC_JOBS_TOTAL.labels(metrics_core::Outcome::Success).inc_by(2);
/// let delta = before.delta(registry);
/// assert_eq!(delta.value("snapshot_doc_jobs_total", &[("queue", "success")]), 2.0);
/// assert_eq!(delta.value("snapshot_doc_jobs_total", &[("queue", "failure")]), 0.0);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    values: HashMap<Key, f64>,
}

impl Snapshot {
    /// Reads every family of `registry` (as a scrape does, without encoding).
    pub fn of(registry: &Registry) -> Self {
        let mut snapshot = Self::default();
        for family in registry.families() {
            snapshot.read(family);
        }
        snapshot
    }

    /// Reads `families` only.
    pub fn of_families(families: &[&dyn Family]) -> Self {
        let mut snapshot = Self::default();
        for family in families {
            snapshot.read(*family);
        }
        snapshot
    }

    fn read(&mut self, family: &dyn Family) {
        let descriptor = family.descriptor();
        let name = descriptor.name;
        let labels: Vec<&str> = descriptor.labels.iter().map(|label| label.name).collect();
        let values = &mut self.values;
        family.collect(&mut |series: &Series<'_>, sample: &Sample<'_>| {
            let pairs: Vec<(String, String)> = labels
                .iter()
                .zip(series.values())
                .map(|(label, value)| ((*label).to_owned(), (*value).to_owned()))
                .collect();
            let mut put = |sample_name: String, extra: Option<(&str, String)>, value: f64| {
                let mut pairs = pairs.clone();
                pairs.extend(extra.map(|(label, value)| (label.to_owned(), value)));
                pairs.sort();
                values.insert((sample_name, pairs), value);
            };
            match *sample {
                Sample::Counter(number) | Sample::Gauge(number) => {
                    put(name.to_owned(), None, number.as_f64());
                }
                Sample::Histogram { cumulative, sum } => {
                    let bounds = descriptor.buckets.iter().copied().chain([f64::INFINITY]);
                    for (bound, count) in bounds.map(canonical_float).zip(cumulative) {
                        put(format!("{name}_bucket"), Some(("le", bound)), *count as f64);
                    }
                    let count = cumulative.last().copied().unwrap_or_default();
                    put(format!("{name}_count"), None, count as f64);
                    put(format!("{name}_sum"), None, sum);
                }
                Sample::Info => put(name.to_owned(), None, 1.0),
                Sample::StateSet { current } => {
                    for (index, state) in descriptor.states.iter().enumerate() {
                        let on = if index == current { 1.0 } else { 0.0 };
                        put(name.to_owned(), Some((name, (*state).to_owned())), on);
                    }
                }
            }
        });
    }

    /// The value of sample `name` with exactly `labels` (in any order), or `None` when no such series exists.
    pub fn value(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        self.values.get(&key(name, labels)).copied()
    }

    /// What changed in `registry` since this snapshot: a new snapshot minus this one.
    pub fn delta(&self, registry: &Registry) -> Delta {
        Snapshot::of(registry).since(self)
    }

    /// This snapshot minus `earlier`, series by series (a series absent from `earlier` counts from 0).
    pub fn since(&self, earlier: &Snapshot) -> Delta {
        let changes = self
            .values
            .iter()
            .filter_map(|(key, now)| {
                let change = now - earlier.values.get(key).copied().unwrap_or_default();
                (change != 0.0).then(|| (key.clone(), change))
            })
            .collect();
        Delta { changes }
    }
}

/// One changed sample of a [`Delta`]: its name, its labels sorted by name, and the change.
pub type Change<'a> = (&'a str, Vec<(&'a str, &'a str)>, f64);

/// The change of every sample between two [`Snapshot`]s; series that did not change are absent (and read 0).
#[derive(Debug, Clone, Default)]
pub struct Delta {
    changes: HashMap<Key, f64>,
}

impl Delta {
    /// How much sample `name` with exactly `labels` (in any order) changed: 0 when it did not.
    pub fn value(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.changes
            .get(&key(name, labels))
            .copied()
            .unwrap_or_default()
    }

    /// Every sample that changed, as `(name, labels sorted by name, change)`, sorted: to assert that nothing else
    /// changed, or to print.
    pub fn changes(&self) -> Vec<Change<'_>> {
        let mut changes: Vec<_> = self
            .changes
            .iter()
            .map(|((name, labels), change)| {
                let labels = labels
                    .iter()
                    .map(|(l, v)| (l.as_str(), v.as_str()))
                    .collect();
                (name.as_str(), labels, *change)
            })
            .collect();
        changes.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        changes
    }
}

fn key(name: &str, labels: &[(&str, &str)]) -> Key {
    let mut pairs: Vec<(String, String)> = labels
        .iter()
        .map(|(label, value)| ((*label).to_owned(), (*value).to_owned()))
        .collect();
    pairs.sort();
    (name.to_owned(), pairs)
}
