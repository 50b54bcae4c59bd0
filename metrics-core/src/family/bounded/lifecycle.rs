//! The lifecycle of a bounded family's values: removal, expiry, and giving removed values' cells to new ones
//! once nothing records into them any more. Only a family with one bounded label has it (its chunk index is the
//! value's index); recording never takes the lock kept here.

use std::sync::atomic::Ordering;
use std::sync::{MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::{BoundedFamily, PAGE_CHUNKS, Page};
use crate::metric::{Metric, SampleScratch};
use crate::series::{Number, Sample};

/// How long a removed value's cells must stay unchanged (no recording landed in them) before they are reset and
/// given to a new value. A recording that found the series just before its removal writes within nanoseconds; a
/// second of quiet, checked again whenever it is broken, is what keeps such a write from landing in another
/// value's series.
pub const RECLAIM_QUIET: Duration = Duration::from_secs(1);

/// What removal and expiry keep, under one lock that recording never takes.
#[derive(Debug)]
pub(super) struct Lifecycle {
    /// Chunks of removed values, waiting for their cells to go quiet before they are reset and released.
    retired: Vec<Retired>,
    /// Per chunk of a live value: when a sweep last saw it recorded, and its cells' fingerprint then.
    seen: Vec<Option<Seen>>,
}

#[derive(Debug)]
struct Retired {
    index: usize,
    since: Instant,
    fingerprint: u64,
}

#[derive(Debug, Clone, Copy)]
struct Seen {
    at: Instant,
    fingerprint: u64,
}

impl Lifecycle {
    pub(super) const fn new() -> Self {
        Self {
            retired: Vec::new(),
            seen: Vec::new(),
        }
    }
}

/// Removal and expiry: only for a family with one bounded label, whose chunk index is the value's index.
impl<M: Metric> BoundedFamily<M, 1> {
    /// Removes `value` of the bounded label, with every series carrying it, and frees its place under the cap;
    /// `false` if it was not there (never recorded, or already removed or expired). The removed series' counts are
    /// discarded: if the value comes back, its series start from 0. See the [type docs](Self#removal-and-expiry-one-bounded-label)
    /// for what a recording racing the removal does.
    pub fn remove(&self, value: &str) -> bool {
        let mut lifecycle = self.lifecycle();
        let Some(index) = self.interners[0].remove(value) else {
            return false;
        };
        self.retire(&mut lifecycle, index);
        self.reclaim(&mut lifecycle);
        true
    }

    /// Expires, as of `now`, every value not seen recorded for the family's `expire_after` (none without it), and
    /// gives removed values' cells to new values once they are quiet. Each scrape does this with the current
    /// time; call it to expire without scraping (a program that is scraped rarely), or in a test with a later
    /// `now`. Returns how many values expired.
    pub fn sweep(&self, now: Instant) -> usize {
        let mut lifecycle = self.lifecycle();
        let expired = self.expire(&mut lifecycle, now);
        self.reclaim(&mut lifecycle);
        expired
    }
}

impl<M: Metric, const S: usize> BoundedFamily<M, S> {
    fn lifecycle(&self) -> MutexGuard<'_, Lifecycle> {
        // The lock guards bookkeeping only, which each step leaves consistent: a panic elsewhere changes nothing.
        self.lifecycle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// A scrape's share of the lifecycle: skipped when another scrape or a removal holds the lock (the next scrape
    /// does it), so a scrape never waits on one.
    pub(super) fn maintain(&self, now: Instant) {
        let mut lifecycle = match self.lifecycle.try_lock() {
            Ok(guard) => guard,
            Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return,
        };
        if self.expiring {
            self.expire(&mut lifecycle, now);
        }
        if !lifecycle.retired.is_empty() {
            self.reclaim(&mut lifecycle);
        }
    }

    /// The page and bit of chunk `index`, if its page was ever allocated.
    fn chunk(&self, index: usize) -> Option<(&Page<M>, usize)> {
        let page = self.pages.get()?.get(index / PAGE_CHUNKS)?.get()?;
        Some((page, index % PAGE_CHUNKS))
    }

    /// A digest of the chunk's values: a change means something recorded into it.
    fn fingerprint(&self, page: &Page<M>, offset: usize) -> u64 {
        let mut scratch = SampleScratch::new();
        let mut hash = 0xcbf2_9ce4_8422_2325_u64;
        let mut mix = |word: u64| {
            hash = (hash ^ word).wrapping_mul(0x0100_0000_01b3);
        };
        let cells = &page.cells[offset * self.enum_combinations..][..self.enum_combinations];
        for cell in cells {
            match cell.sample(&mut scratch) {
                Sample::Counter(number) | Sample::Gauge(number) => mix(match number {
                    Number::U64(v) => v,
                    Number::I64(v) => v.cast_unsigned(),
                    Number::F64(v) => v.to_bits(),
                }),
                Sample::Histogram { cumulative, sum } => {
                    for &count in cumulative {
                        mix(count);
                    }
                    mix(sum.to_bits());
                }
                Sample::StateSet { current } => mix(current as u64),
                Sample::Info => {}
            }
        }
        hash
    }

    /// Takes chunk `index` (its value already removed from the interner) out of the exposition and parks it until
    /// its cells are quiet.
    fn retire(&self, lifecycle: &mut Lifecycle, index: usize) {
        let fingerprint = self.chunk(index).map_or(0, |(page, offset)| {
            let bit = 1 << offset;
            page.used.fetch_and(!bit, Ordering::Relaxed);
            page.touched.fetch_and(!bit, Ordering::Relaxed);
            self.fingerprint(page, offset)
        });
        if let Some(seen) = lifecycle.seen.get_mut(index) {
            *seen = None;
        }
        lifecycle.retired.push(Retired {
            index,
            since: Instant::now(),
            fingerprint,
        });
    }

    /// Resets and releases every retired chunk whose cells stayed unchanged (and unmarked) for [`RECLAIM_QUIET`];
    /// a chunk written meanwhile (a recording that raced the removal) starts its wait again.
    fn reclaim(&self, lifecycle: &mut Lifecycle) {
        let now = Instant::now();
        let Some(interner) = self.interners.first() else {
            return;
        };
        lifecycle.retired.retain_mut(|retired| {
            if now.duration_since(retired.since) < RECLAIM_QUIET {
                return true;
            }
            let Some((page, offset)) = self.chunk(retired.index) else {
                interner.release(retired.index);
                return false;
            };
            let bit = 1 << offset;
            let fingerprint = self.fingerprint(page, offset);
            if page.used.load(Ordering::Relaxed) & bit != 0 || fingerprint != retired.fingerprint {
                page.used.fetch_and(!bit, Ordering::Relaxed);
                retired.since = now;
                retired.fingerprint = fingerprint;
                return true;
            }
            for cell in &page.cells[offset * self.enum_combinations..][..self.enum_combinations] {
                cell.reset();
            }
            page.touched.fetch_and(!bit, Ordering::Relaxed);
            // The reset happens before the release (the interner's lock), which happens before a new value's
            // entry is published (release/acquire): the new value's first recording sees clean cells.
            interner.release(retired.index);
            false
        });
    }

    /// Removes every value that no sweep has seen recorded for `expire_after`. A value is seen recorded when its
    /// chunk was marked by a lookup or its cells changed since the last sweep.
    fn expire(&self, lifecycle: &mut Lifecycle, now: Instant) -> usize {
        let (Some(after), Some(pages), Some(interner), 1) = (
            self.descriptor.expire_after,
            self.pages.get(),
            self.interners.first(),
            S,
        ) else {
            return 0;
        };
        let mut expired = 0;
        for (page_index, page) in pages.iter().enumerate() {
            let Some(page) = page.get() else { continue };
            let mut used = page.used.load(Ordering::Relaxed);
            while used != 0 {
                let offset = used.trailing_zeros() as usize;
                used &= used - 1;
                let index = page_index * PAGE_CHUNKS + offset;
                // The overflow series is not a value: it holds no place under the cap.
                if index == interner.cap() {
                    continue;
                }
                let Some(value) = interner.value(index) else {
                    continue;
                };
                let bit = 1 << offset;
                let touched = page.touched.fetch_and(!bit, Ordering::Relaxed) & bit != 0;
                let fingerprint = self.fingerprint(page, offset);
                if lifecycle.seen.len() <= index {
                    lifecycle.seen.resize(index + 1, None);
                }
                match lifecycle.seen[index] {
                    Some(seen) if !touched && seen.fingerprint == fingerprint => {
                        if now.saturating_duration_since(seen.at) >= after
                            && interner.remove(value) == Some(index)
                        {
                            self.retire(lifecycle, index);
                            expired += 1;
                        }
                    }
                    _ => {
                        lifecycle.seen[index] = Some(Seen {
                            at: now,
                            fingerprint,
                        });
                    }
                }
            }
        }
        expired
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::RECLAIM_QUIET;
    use crate::family::{
        BoundedFamily, Descriptor, Family, LabelDescriptor, LabelValues, MetricKind,
    };
    use crate::label::{Interner, OVERFLOW_VALUE};
    use crate::metric::Counter;
    use crate::series::{Number, Sample, Series};

    const WORKER: &[LabelDescriptor] = &[LabelDescriptor::new(
        "worker",
        LabelValues::Bounded { cap: 2 },
    )];
    static PLAIN: Descriptor = Descriptor::new(
        "jobs_total",
        "Jobs.",
        MetricKind::Counter,
        crate::source_location!(),
    )
    .with_labels(WORKER);
    static EXPIRING: Descriptor = Descriptor::new(
        "jobs_total",
        "Jobs.",
        MetricKind::Counter,
        crate::source_location!(),
    )
    .with_labels(WORKER)
    .with_expire_after(Duration::from_mins(10));

    fn family(descriptor: &'static Descriptor) -> BoundedFamily<Counter, 1> {
        BoundedFamily::new(descriptor, [Interner::new(2)], 1, Counter::new)
    }

    /// Every exposed series as `(worker, count)`, in exposition order.
    fn exposed(family: &BoundedFamily<Counter, 1>) -> Vec<(String, u64)> {
        let mut out = Vec::new();
        family.collect(&mut |series: &Series<'_>, sample: &Sample<'_>| {
            if let Sample::Counter(Number::U64(count)) = sample {
                out.push((series.values()[0].to_owned(), *count));
            }
        });
        out
    }

    #[test]
    fn a_removed_value_disappears_frees_its_place_and_comes_back_from_zero() {
        let family = family(&PLAIN);
        family.get(["a"], 0).inc_by(5);
        family.get(["b"], 0).inc();
        assert!(family.remove("a"));
        assert!(!family.remove("a"), "already removed");
        assert!(!family.remove("never"), "never recorded");
        assert!(
            family.find(["a"], 0).is_none(),
            "find does not resurrect a removed series"
        );
        assert_eq!(exposed(&family), [("b".to_owned(), 1)]);
        // The cap is 2 and `b` holds one place: `c` takes the other instead of the overflow series.
        family.get(["c"], 0).inc();
        assert_eq!(family.interners()[0].overflows(), 0);
        family.get(["a"], 0).inc();
        assert_eq!(
            family.interners()[0].overflows(),
            1,
            "a third live value overflows"
        );
        assert!(family.remove("c"));
        family.get(["a"], 0).inc();
        let mut series = exposed(&family);
        series.sort();
        assert_eq!(
            series,
            [
                ("__overflow__".to_owned(), 1),
                ("a".to_owned(), 1),
                ("b".to_owned(), 1)
            ],
            "a came back from 0, not from 5"
        );
        assert!(
            !family.remove(OVERFLOW_VALUE),
            "the overflow series is not a value"
        );
    }

    #[test]
    fn removed_cells_are_reused_only_after_staying_quiet() {
        let family = family(&PLAIN);
        let kept = family.get(["a"], 0);
        kept.inc_by(5);
        assert!(family.remove("a"));
        family.get(["b"], 0).inc();
        assert!(family.remove("b"));
        family.get(["c"], 0).inc();
        assert!(family.remove("c"));
        // Cap 2 gives 4 indices for values: a, b and c's cells wait to go quiet, d takes the last one, and e finds
        // none for now although only one value lives.
        family.get(["d"], 0).inc();
        family.get(["e"], 0).inc();
        assert_eq!(family.interners()[0].overflows(), 1, "e overflowed");
        // A recording through a reference kept across the removal: it lands in the removed series.
        kept.inc();
        std::thread::sleep(RECLAIM_QUIET + Duration::from_millis(100));
        family.sweep(Instant::now());
        // b's and c's cells were quiet and are reused; a's were written after the removal and wait again.
        family.get(["e"], 0).inc();
        assert_eq!(family.interners()[0].overflows(), 1, "e found an index");
        assert!(family.remove("d"));
        family.get(["f"], 0).inc();
        assert_eq!(family.interners()[0].overflows(), 1, "f found an index");
        let mut series = exposed(&family);
        series.sort();
        assert_eq!(
            series,
            [
                ("__overflow__".to_owned(), 1),
                ("e".to_owned(), 1),
                ("f".to_owned(), 1)
            ],
            "reused cells start from 0"
        );
        assert_eq!(
            kept.get(),
            6,
            "the kept reference's cells were not given to anyone"
        );
    }

    #[test]
    fn values_expire_after_going_unrecorded_for_the_period() {
        let family = family(&EXPIRING);
        let start = Instant::now();
        family.get(["a"], 0).inc();
        let kept = family.get(["b"], 0);
        kept.inc();
        assert_eq!(family.sweep(start), 0, "first seen");
        family.get(["a"], 0).inc();
        kept.inc();
        let later = start + Duration::from_secs(601);
        assert_eq!(
            family.sweep(later),
            0,
            "both recorded since: a by lookup, b through its kept reference"
        );
        family.get(["a"], 0).inc();
        assert_eq!(
            family.sweep(later + Duration::from_secs(599)),
            0,
            "b is idle, but not for 600 s yet"
        );
        assert_eq!(
            family.sweep(later + Duration::from_mins(10)),
            1,
            "b expires"
        );
        assert_eq!(exposed(&family), [("a".to_owned(), 3)]);
        assert!(family.find(["b"], 0).is_none());
        assert_eq!(
            family.sweep(later + Duration::from_secs(1300)),
            1,
            "a expires too"
        );
        assert!(exposed(&family).is_empty());
    }
}
