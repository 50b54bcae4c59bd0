//! The in-process ring of snapshots behind `/api/metrics/summary`.
//!
//! The sampler copies every series' value into the ring once per interval. Series are named once, in a key
//! table; a snapshot holds only `(series id, value)` pairs and histogram bucket counts, so it costs about 24
//! bytes per series plus 8 per histogram bucket. The ring keeps at most `retention / interval + 1` snapshots and
//! at most the configured number of bytes, dropping the oldest first: its memory is bounded whatever runs.

use std::collections::{HashMap, VecDeque};
use std::fmt::Write as _;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use metrics_core::{Registry, Sample};

use crate::config::Config;

/// The most distinct series the key table remembers; series first seen past it are left out of snapshots. Only
/// info families with ever-changing label values could get near it, since every other label set is bounded.
const MAX_SERIES_KEYS: usize = 1 << 20;

/// One series: its family (index in the registry's family order) and its label values.
#[derive(Debug)]
pub(crate) struct SeriesKey {
    pub(crate) family: usize,
    pub(crate) labels: Box<[Box<str>]>,
}

/// A series' value in one snapshot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Value {
    /// A counter's or a gauge's value.
    Number(f64),
    /// A histogram: its cumulative buckets start at this offset of [`Snapshot::buckets`].
    Histogram { start: u32, sum: f64 },
    /// A state set's current state index.
    State(u32),
    /// An info series (present).
    Info,
}

/// The value of one series at the snapshot's time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Point {
    pub(crate) series: u32,
    pub(crate) value: Value,
}

/// Every series' value at one instant.
#[derive(Debug)]
pub(crate) struct Snapshot {
    /// Unix time in seconds.
    pub(crate) at: f64,
    pub(crate) points: Vec<Point>,
    /// Cumulative bucket counts of every histogram series, back to back.
    pub(crate) buckets: Vec<u64>,
}

impl Snapshot {
    fn bytes(&self) -> usize {
        size_of::<Self>()
            + self.points.capacity() * size_of::<Point>()
            + self.buckets.capacity() * size_of::<u64>()
    }

    /// The cumulative buckets of a histogram value of `len` buckets.
    pub(crate) fn histogram(&self, start: u32, len: usize) -> &[u64] {
        let start = start as usize;
        self.buckets.get(start..start + len).unwrap_or(&[])
    }
}

/// The names of every series seen, by id.
#[derive(Debug, Default)]
pub(crate) struct KeyTable {
    ids: HashMap<Box<str>, u32>,
    keys: Vec<SeriesKey>,
    scratch: String,
}

impl KeyTable {
    /// The key of series `id`.
    pub(crate) fn key(&self, id: u32) -> &SeriesKey {
        &self.keys[id as usize]
    }

    /// The id of a series, assigning one the first time; `None` when the table is full.
    fn id(&mut self, family: usize, labels: &[&str]) -> Option<u32> {
        // Length-prefixed parts: no label value, whatever it holds, can make two series share a key.
        self.scratch.clear();
        let _ = write!(self.scratch, "{family}");
        for label in labels {
            let _ = write!(self.scratch, "/{}:{label}", label.len());
        }
        if let Some(id) = self.ids.get(self.scratch.as_str()) {
            return Some(*id);
        }
        if self.keys.len() >= MAX_SERIES_KEYS {
            return None;
        }
        let id = self.keys.len() as u32;
        self.ids.insert(self.scratch.as_str().into(), id);
        self.keys.push(SeriesKey {
            family,
            labels: labels.iter().map(|l| Box::from(*l)).collect(),
        });
        Some(id)
    }
}

/// The ring: the key table and the snapshots, oldest first.
#[derive(Debug)]
pub(crate) struct Ring {
    state: Mutex<RingState>,
    slots: usize,
    memory_limit: usize,
    interval: Duration,
}

/// The ring's contents, behind its lock.
#[derive(Debug, Default)]
pub(crate) struct RingState {
    pub(crate) keys: KeyTable,
    pub(crate) snapshots: VecDeque<Snapshot>,
    bytes: usize,
}

impl Ring {
    /// An empty ring sized by `config`.
    pub(crate) fn new(config: &Config) -> Self {
        Self {
            state: Mutex::new(RingState::default()),
            slots: config.summary_slots(),
            memory_limit: config.summary_memory_limit,
            interval: config.summary_interval,
        }
    }

    /// The sampling interval.
    pub(crate) fn interval(&self) -> Duration {
        self.interval
    }

    /// The ring's contents, locked. A panic while the lock was held left at worst a snapshot half-built, which
    /// was never pushed, so the contents stay usable.
    pub(crate) fn lock(&self) -> MutexGuard<'_, RingState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes a snapshot of `registry` now and keeps it, dropping the oldest beyond the slot and memory bounds.
    pub(crate) fn record(&self, registry: &Registry) {
        let mut state = self.lock();
        let snapshot = state.capture(registry);
        state.bytes += snapshot.bytes();
        state.snapshots.push_back(snapshot);
        while state.snapshots.len() > self.slots
            || (state.bytes > self.memory_limit && state.snapshots.len() > 1)
        {
            if let Some(old) = state.snapshots.pop_front() {
                state.bytes -= old.bytes();
            }
        }
    }
}

impl RingState {
    /// A snapshot of every series of `registry` now, naming new series in the key table. Not stored.
    pub(crate) fn capture(&mut self, registry: &Registry) -> Snapshot {
        // Series rarely come or go between snapshots, so the newest one's sizes are this one's: one allocation
        // each, instead of doubling up to the size and shrinking back, which would leave a freed block behind
        // every snapshot kept for the whole retention.
        let (points, buckets) = self
            .snapshots
            .back()
            .map_or((0, 0), |last| (last.points.len(), last.buckets.len()));
        let mut snapshot = Snapshot {
            at: unix_now(),
            points: Vec::with_capacity(points),
            buckets: Vec::with_capacity(buckets),
        };
        for (family, source) in registry.families().into_iter().enumerate() {
            source.collect(
                &mut |series: &metrics_core::Series<'_>, sample: &Sample<'_>| {
                    let Some(id) = self.keys.id(family, series.values()) else {
                        return;
                    };
                    let value = match *sample {
                        Sample::Counter(number) | Sample::Gauge(number) => {
                            Value::Number(number.as_f64())
                        }
                        Sample::Histogram { cumulative, sum } => {
                            let start = snapshot.buckets.len() as u32;
                            snapshot.buckets.extend_from_slice(cumulative);
                            Value::Histogram { start, sum }
                        }
                        Sample::StateSet { current } => Value::State(current as u32),
                        Sample::Info => Value::Info,
                    };
                    snapshot.points.push(Point { series: id, value });
                },
            );
        }
        snapshot.points.shrink_to_fit();
        snapshot.buckets.shrink_to_fit();
        snapshot
    }
}

/// The current time as unix seconds.
pub(crate) fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |since| since.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::self_metrics::{
        REJECTED_REQUESTS_TOTAL, RejectReason, SCRAPE_ENCODE_DURATION_SECONDS,
    };

    fn registry() -> Registry {
        Registry::builder()
            .register(&REJECTED_REQUESTS_TOTAL)
            .register(&SCRAPE_ENCODE_DURATION_SECONDS)
            .build()
            .unwrap()
    }

    #[test]
    fn the_ring_keeps_at_most_its_slots() {
        let config = Config::default()
            .summary_interval(Duration::from_secs(10))
            .summary_retention(Duration::from_secs(30));
        let ring = Ring::new(&config);
        let registry = registry();
        for _ in 0..10 {
            ring.record(&registry);
        }
        let state = ring.lock();
        assert_eq!(
            state.snapshots.len(),
            4,
            "30s of 10s intervals, plus the newest"
        );
        // One series per refusal reason, one per scrape format.
        let series = <RejectReason as metrics_core::LabelValue>::CARDINALITY + 2;
        assert_eq!(
            state.snapshots[0].points.len(),
            series,
            "every series of both families"
        );
        assert_eq!(
            state.snapshots[0].buckets.len(),
            2 * 13,
            "cumulative buckets of both histogram series"
        );
        assert_eq!(
            state.keys.keys.len(),
            series,
            "series are named once, not per snapshot"
        );
    }

    #[test]
    fn the_memory_limit_drops_the_oldest_snapshots_first() {
        let ring = Ring::new(&Config::default().summary_memory_limit(1));
        let registry = registry();
        for _ in 0..5 {
            ring.record(&registry);
        }
        let state = ring.lock();
        assert_eq!(
            state.snapshots.len(),
            1,
            "only the newest snapshot survives a tiny limit"
        );
        assert_eq!(
            state.bytes,
            state.snapshots[0].bytes(),
            "the byte count follows evictions"
        );
    }

    #[test]
    fn keys_are_stable_and_never_alias() {
        let mut table = KeyTable::default();
        let a = table.id(0, &["a/1:b", "c"]).unwrap();
        let b = table.id(0, &["a", "b/1:c"]).unwrap();
        assert_ne!(a, b);
        assert_eq!(table.id(0, &["a/1:b", "c"]), Some(a));
        assert_ne!(
            table.id(1, &["a/1:b", "c"]),
            Some(a),
            "the family is part of the key"
        );
        assert_eq!(&*table.key(b).labels[1], "b/1:c");
    }
}
