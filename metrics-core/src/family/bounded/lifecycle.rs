//! Families whose values are removed or expire: [`RemovableFamily`]. A removed value's cells are given to a later
//! value, so no reference to a series may outlive a recording: recording goes through a closure, during which the
//! value's chunk is pinned, and a removed chunk is reclaimed only once no pin is left on it.
//!
//! Why nothing can land in another value's series, without any timing assumption:
//!
//! 1. A recorder looks the value up (its index and tag), pins the index (`fetch_add`, sequentially consistent),
//!    then checks that the index still holds the value ([`Interner::holds`], a sequentially consistent load). If
//!    not (the value was removed meanwhile), it unpins and looks the value up again.
//! 2. A removal unpublishes the value first (the interner stores 0 for its index, sequentially consistent), then
//!    parks the index; a reclaim, under the lifecycle lock, resets the cells and gives the index back only when
//!    its pin count reads 0 (sequentially consistent).
//! 3. In the single total order of those operations, either the recorder's pin comes before the reclaim's read
//!    (the reclaim sees it and waits), or after: then the removal's store precedes the recorder's check, which
//!    fails. A recorder that passed its check writes into the value's own cells, which stay its own until the pin
//!    is dropped (the decrement releases the writes to the reclaim that reads 0).
//!
//! A scrape holds the lifecycle lock for its whole walk, so no cells change hands between reading a value's name
//! and its cells. Recording never takes the lock.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Instant;

use super::{BoundedFamily, PAGE_CHUNKS, Page};
use crate::family::{Descriptor, Family};
use crate::label::Interner;
use crate::metric::Metric;
use crate::series::SeriesSink;

/// A family with one bounded string label (and any enum labels) whose values can be removed
/// ([`remove`](Self::remove)) or expire after a period without recordings (`expire_after` in `metrics!`,
/// [`Descriptor::with_expire_after`]), freeing their place under the cap.
///
/// `metrics!` makes one for a family declared with `removable = true` or `expire_after = ..`; every other family
/// keeps its values (and cells) for good.
///
/// # Recording
///
/// There is no reference to a series: a removed value's cells are reset and given to a later value, and a
/// reference kept past that would record into the other value's series. Record through a closure instead,
/// [`record`](Self::record): the series is the closure's argument, which cannot escape it, and the value's cells
/// are pinned while it runs. Reads go the same way ([`read`](Self::read)), and never create a series.
///
/// ```
/// use std::time::Duration;
///
/// use metrics_core::{
///     Counter, Descriptor, Interner, LabelDescriptor, LabelValues, MetricKind, RemovableFamily,
///     source_location,
/// };
///
/// static JOBS: RemovableFamily<Counter> = RemovableFamily::new(
///     &Descriptor::new("jobs_total", "Jobs.", MetricKind::Counter, source_location!())
///         .with_labels(&[LabelDescriptor::new("worker", LabelValues::Bounded { cap: 64 })])
///         .with_expire_after(Duration::from_mins(10)),
///     Interner::new(64),
///     1,
///     Counter::new,
/// );
///
/// JOBS.record("w-1", 0, |series| series.inc());
/// assert_eq!(JOBS.read("w-1", 0, Counter::get), Some(1));
/// assert!(JOBS.remove("w-1"));
/// assert_eq!(JOBS.read("w-1", 0, Counter::get), None);
/// ```
///
/// # Removal and expiry
///
/// - **The series disappear** from every scrape from then on (both formats, the summary, [`read`](Self::read)),
///   and the value's place under the cap is free at once: a new value takes it instead of the overflow series.
/// - **A removed series' count is discarded.** If the value comes back it is a new series starting from 0 (a
///   counter reset, which `rate()` and `increase()` handle; a gauge starts at 0 too).
/// - **A recording racing the removal** (its closure was running, or it found the value, when the removal came)
///   is ordered before the removal: it lands in the removed series and is discarded with it, never in the value's
///   new series nor in another value's. A recording that starts after the removal finds the value gone and
///   records it anew (from 0).
/// - **Cells are reused** once no recording is inside them any more: at the removal itself, or at a later
///   removal, sweep or scrape if a closure was still running. Until then a new value takes one of `cap` spare
///   chunks ([`Interner::indices`]); past those it goes to the overflow series for the moment (counted).
/// - **Expiry runs at each scrape** (each [`collect`](Family::collect), so pushes too) and at
///   [`sweep`](Self::sweep): a value is expired at the first scrape at least `expire_after` after the scrape that
///   last saw it recorded (every [`record`](Self::record) marks its chunk). Without scrapes nothing expires.
/// - The text of every distinct value is kept for the process's life (a few bytes each; a value that comes back
///   reuses it).
#[derive(Debug)]
pub struct RemovableFamily<M: Metric> {
    cells: BoundedFamily<M, 1>,
    /// Per index: how many recordings are inside its cells now.
    pins: OnceLock<Box<[AtomicU32]>>,
    /// Whether values expire: only then does a recording mark its chunk touched.
    expiring: bool,
    lifecycle: Mutex<Lifecycle>,
}

/// What removal and expiry keep, under one lock that recording never takes.
#[derive(Debug)]
struct Lifecycle {
    /// Indices of removed values whose cells a recording may still be inside.
    retired: Vec<usize>,
    /// Per index of a live value: when a sweep last saw it recorded.
    seen: Vec<Option<Instant>>,
}

/// One recording inside a chunk; dropping it (even by a panic in the closure) lets the chunk be reclaimed.
struct Pin<'a>(&'a AtomicU32);

impl Drop for Pin<'_> {
    fn drop(&mut self) {
        // Release: the closure's writes happen before the reclaim that reads 0 resets the cells.
        self.0.fetch_sub(1, Ordering::Release);
    }
}

impl<M: Metric> RemovableFamily<M> {
    /// A family whose one bounded label has `interner`, whose enum labels have `enum_combinations` combinations;
    /// `make` builds a new cell. Values expire if the descriptor has
    /// [`expire_after`](Descriptor::expire_after).
    pub const fn new(
        descriptor: &'static Descriptor,
        interner: Interner,
        enum_combinations: usize,
        make: fn() -> M,
    ) -> Self {
        Self {
            cells: BoundedFamily {
                descriptor,
                interners: [interner],
                enum_combinations,
                make,
                pages: OnceLock::new(),
            },
            pins: OnceLock::new(),
            expiring: descriptor.expire_after.is_some(),
            lifecycle: Mutex::new(Lifecycle {
                retired: Vec::new(),
                seen: Vec::new(),
            }),
        }
    }

    /// Runs `f` on the series of `value` and enum label index `enum_index`, creating the series as
    /// [`BoundedFamily::get`] does (a new value takes a slot of the cap, or lands on the overflow series past it),
    /// and returns what `f` returns. The series cannot outlive `f`: its cells are pinned while `f` runs, so they
    /// cannot be given to another value meanwhile. Keep `f` short (a removed value's cells are reused only after
    /// it returns).
    #[inline]
    pub fn record<R>(&self, value: &str, enum_index: usize, f: impl FnOnce(&M) -> R) -> R {
        let interner = &self.cells.interners[0];
        loop {
            let (index, tag) = interner.intern_tagged(value);
            let pin = self.pin(index);
            if !interner.holds(index, tag) {
                // Removed between the lookup and the pin: look it up again (a new series).
                drop(pin);
                continue;
            }
            let page = self.cells.page(index);
            let bit = 1 << (index % PAGE_CHUNKS);
            if page.used.load(Ordering::Relaxed) & bit == 0 {
                page.used.fetch_or(bit, Ordering::Relaxed);
            }
            if self.expiring && page.touched.load(Ordering::Relaxed) & bit == 0 {
                page.touched.fetch_or(bit, Ordering::Relaxed);
            }
            let result = f(self.cell(page, index, enum_index));
            drop(pin);
            return result;
        }
    }

    /// Runs `f` on the series of `value` and `enum_index` if it exists (recorded, not removed nor expired), and
    /// returns what `f` returns; `None` otherwise. Interns nothing, creates and exposes nothing, and does not count
    /// as a recording for expiry. The overflow series is found by its value,
    /// [`OVERFLOW_VALUE`](crate::label::OVERFLOW_VALUE).
    pub fn read<R>(&self, value: &str, enum_index: usize, f: impl FnOnce(&M) -> R) -> Option<R> {
        let interner = &self.cells.interners[0];
        loop {
            let (index, tag) = interner.lookup_tagged(value)?;
            let pin = self.pin(index);
            if !interner.holds(index, tag) {
                drop(pin);
                continue;
            }
            let page = self.cells.pages.get()?[index / PAGE_CHUNKS].get()?;
            let bit = 1 << (index % PAGE_CHUNKS);
            let result = (page.used.load(Ordering::Relaxed) & bit != 0)
                .then(|| f(self.cell(page, index, enum_index)));
            drop(pin);
            return result;
        }
    }

    /// The interner of the bounded label.
    pub fn interner(&self) -> &Interner {
        &self.cells.interners[0]
    }

    /// Removes `value` of the bounded label, with every series carrying it, and frees its place under the cap;
    /// `false` if it was not there (never recorded, or already removed or expired). The removed series' counts are
    /// discarded: if the value comes back, its series start from 0. See the [type docs](Self#removal-and-expiry)
    /// for what a recording racing the removal does.
    pub fn remove(&self, value: &str) -> bool {
        let mut lifecycle = self.lifecycle();
        let Some(index) = self.interner().remove(value) else {
            return false;
        };
        self.retire(&mut lifecycle, index);
        self.reclaim(&mut lifecycle);
        true
    }

    /// Expires, as of `now`, every value not seen recorded for the family's `expire_after` (none without it), and
    /// reuses removed values' cells that no recording is inside any more. Each scrape does this with the current
    /// time; call it to expire without scraping (a program that is scraped rarely), or in a test with a later
    /// `now`. Returns how many values expired.
    pub fn sweep(&self, now: Instant) -> usize {
        let mut lifecycle = self.lifecycle();
        let expired = self.expire(&mut lifecycle, now);
        self.reclaim(&mut lifecycle);
        expired
    }

    fn cell<'a>(&self, page: &'a Page<M>, index: usize, enum_index: usize) -> &'a M {
        &page.cells[(index % PAGE_CHUNKS) * self.cells.enum_combinations + enum_index]
    }

    fn pins(&self) -> &[AtomicU32] {
        self.pins.get_or_init(|| {
            (0..self.interner().indices())
                .map(|_| AtomicU32::new(0))
                .collect()
        })
    }

    #[inline]
    fn pin(&self, index: usize) -> Pin<'_> {
        let pin = &self.pins()[index];
        // Sequentially consistent: see the module docs, step 3.
        pin.fetch_add(1, Ordering::SeqCst);
        Pin(pin)
    }

    fn lifecycle(&self) -> MutexGuard<'_, Lifecycle> {
        // The lock guards bookkeeping only, which each step leaves consistent: a panic elsewhere changes nothing.
        self.lifecycle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The page and offset of chunk `index`, if its page was ever allocated.
    fn chunk(&self, index: usize) -> Option<(&Page<M>, usize)> {
        let page = self.cells.pages.get()?.get(index / PAGE_CHUNKS)?.get()?;
        Some((page, index % PAGE_CHUNKS))
    }

    /// Takes chunk `index` (its value already removed from the interner) out of the exposition and parks it until
    /// no recording is inside it.
    fn retire(&self, lifecycle: &mut Lifecycle, index: usize) {
        if let Some((page, offset)) = self.chunk(index) {
            let bit = 1 << offset;
            page.used.fetch_and(!bit, Ordering::Relaxed);
            page.touched.fetch_and(!bit, Ordering::Relaxed);
        }
        if let Some(seen) = lifecycle.seen.get_mut(index) {
            *seen = None;
        }
        lifecycle.retired.push(index);
    }

    /// Resets and releases every retired chunk no recording is inside; the others wait for the next call.
    fn reclaim(&self, lifecycle: &mut Lifecycle) {
        let interner = self.interner();
        lifecycle.retired.retain(|&index| {
            // Sequentially consistent: see the module docs, step 3. Read 0 means no recorder is inside, and any
            // later one fails its check until the index is released below.
            if self.pins()[index].load(Ordering::SeqCst) != 0 {
                return true;
            }
            if let Some((page, offset)) = self.chunk(index) {
                let bit = 1 << offset;
                // A recorder inside during the retirement may have marked the chunk again.
                page.used.fetch_and(!bit, Ordering::Relaxed);
                page.touched.fetch_and(!bit, Ordering::Relaxed);
                let cells = &page.cells[offset * self.cells.enum_combinations..]
                    [..self.cells.enum_combinations];
                for cell in cells {
                    cell.reset();
                }
            }
            // The reset happens before the release (the interner's lock), which happens before a new value's
            // entry is published (release/acquire): the new value's first recording sees clean cells.
            interner.release(index);
            false
        });
    }

    /// Removes every value that no sweep has seen recorded for `expire_after`. A value is seen recorded when a
    /// recording marked its chunk since the last sweep.
    fn expire(&self, lifecycle: &mut Lifecycle, now: Instant) -> usize {
        let (Some(after), Some(pages)) =
            (self.cells.descriptor.expire_after, self.cells.pages.get())
        else {
            return 0;
        };
        let interner = self.interner();
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
                if lifecycle.seen.len() <= index {
                    lifecycle.seen.resize(index + 1, None);
                }
                match lifecycle.seen[index] {
                    Some(at) if !touched => {
                        if now.saturating_duration_since(at) >= after
                            && interner.remove(value) == Some(index)
                        {
                            self.retire(lifecycle, index);
                            expired += 1;
                        }
                    }
                    _ => lifecycle.seen[index] = Some(now),
                }
            }
        }
        expired
    }
}

impl<M: Metric> Family for RemovableFamily<M> {
    fn descriptor(&self) -> &'static Descriptor {
        self.cells.descriptor
    }

    /// Expires and reclaims (as [`sweep`](Self::sweep) with the current time), then hands every live series, all
    /// under the lifecycle lock: no cells change hands during the walk, so a series is never shown under another
    /// value's name. A removal waits for the walk; recording never does.
    fn collect(&self, sink: &mut dyn SeriesSink) {
        let mut lifecycle = self.lifecycle();
        if self.expiring {
            self.expire(&mut lifecycle, Instant::now());
        }
        if !lifecycle.retired.is_empty() {
            self.reclaim(&mut lifecycle);
        }
        self.cells.collect_series(sink);
    }

    fn exemplars_dropped(&self) -> Option<u64> {
        self.cells.exemplars_dropped()
    }

    fn label_overflows(&self, report: &mut dyn FnMut(&'static str, u64)) {
        self.cells.label_overflows(report);
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::RemovableFamily;
    use crate::family::{Descriptor, Family, LabelDescriptor, LabelValues, MetricKind};
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

    fn family(descriptor: &'static Descriptor) -> RemovableFamily<Counter> {
        RemovableFamily::new(descriptor, Interner::new(2), 1, Counter::new)
    }

    fn inc(family: &RemovableFamily<Counter>, value: &str, by: u64) {
        family.record(value, 0, |series| series.inc_by(by));
    }

    /// Every exposed series as `(worker, count)`, sorted.
    fn exposed(family: &RemovableFamily<Counter>) -> Vec<(String, u64)> {
        let mut out = Vec::new();
        family.collect(&mut |series: &Series<'_>, sample: &Sample<'_>| {
            if let Sample::Counter(Number::U64(count)) = sample {
                out.push((series.values()[0].to_owned(), *count));
            }
        });
        out.sort();
        out
    }

    fn pairs(expected: &[(&str, u64)]) -> Vec<(String, u64)> {
        expected.iter().map(|&(v, n)| (v.to_owned(), n)).collect()
    }

    #[test]
    fn a_removed_value_disappears_frees_its_place_and_comes_back_from_zero() {
        let family = family(&PLAIN);
        inc(&family, "a", 5);
        inc(&family, "b", 1);
        assert!(family.remove("a"));
        assert!(!family.remove("a"), "already removed");
        assert!(!family.remove("never"), "never recorded");
        assert_eq!(
            family.read("a", 0, Counter::get),
            None,
            "read does not resurrect a removed series"
        );
        assert_eq!(exposed(&family), pairs(&[("b", 1)]));
        // The cap is 2 and `b` holds one place: `c` takes the other instead of the overflow series.
        inc(&family, "c", 1);
        assert_eq!(family.interner().overflows(), 0);
        inc(&family, "a", 1);
        assert_eq!(
            family.interner().overflows(),
            1,
            "a third live value overflows"
        );
        assert!(family.remove("c"));
        inc(&family, "a", 1);
        assert_eq!(
            exposed(&family),
            pairs(&[(OVERFLOW_VALUE, 1), ("a", 1), ("b", 1)]),
            "a came back from 0, not from 5"
        );
        assert!(
            !family.remove(OVERFLOW_VALUE),
            "the overflow series is not a value"
        );
    }

    #[test]
    fn removed_cells_are_reused_at_once_when_no_recording_is_inside() {
        let family = family(&PLAIN);
        for round in 0..100 {
            inc(&family, &format!("v{round}"), 1);
            assert!(family.remove(&format!("v{round}")));
        }
        assert_eq!(family.interner().overflows(), 0, "every index came back");
        inc(&family, "last", 1);
        assert_eq!(
            exposed(&family),
            pairs(&[("last", 1)]),
            "reused cells start from 0"
        );
    }

    #[test]
    fn a_chunk_is_not_reused_while_a_recording_is_inside_it() {
        let family = family(&PLAIN);
        inc(&family, "a", 5);
        let a_index = family.interner().lookup("a");
        family.record("a", 0, |series| {
            assert!(family.remove("a"), "removed while a recording is inside");
            // The removal could not reclaim a's chunk: new values take other chunks, however many come and go.
            for round in 0..10 {
                let value = format!("n{round}");
                inc(&family, &value, 100);
                assert_ne!(family.interner().lookup(&value), a_index);
                assert!(family.remove(&value));
            }
            family.sweep(Instant::now());
            // Still inside: this lands in the removed series, nowhere else.
            series.inc();
            assert_eq!(series.get(), 6, "nobody reset or reused the pinned cells");
        });
        // The pin is gone: the next sweep reclaims a's chunk, and the next value gets it, from 0.
        family.sweep(Instant::now());
        inc(&family, "b", 1);
        assert_eq!(
            family.interner().lookup("b"),
            a_index,
            "a's chunk is reused now"
        );
        assert_eq!(exposed(&family), pairs(&[("b", 1)]));
    }

    #[test]
    fn a_panicking_recording_unpins() {
        let family = family(&PLAIN);
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            family.record("a", 0, |_| panic!("in the closure"));
        }));
        assert!(caught.is_err());
        let a_index = family.interner().lookup("a");
        assert!(family.remove("a"));
        inc(&family, "b", 1);
        assert_eq!(family.interner().lookup("b"), a_index, "reclaimed at once");
    }

    #[test]
    fn values_expire_after_going_unrecorded_for_the_period() {
        let family = family(&EXPIRING);
        let start = Instant::now();
        inc(&family, "a", 1);
        inc(&family, "b", 1);
        assert_eq!(family.sweep(start), 0, "first seen");
        inc(&family, "a", 1);
        inc(&family, "b", 1);
        let later = start + Duration::from_secs(601);
        assert_eq!(family.sweep(later), 0, "both recorded since");
        inc(&family, "a", 1);
        assert_eq!(
            family.read("b", 0, Counter::get),
            Some(2),
            "a read is not a recording"
        );
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
        assert_eq!(exposed(&family), pairs(&[("a", 3)]));
        assert_eq!(family.read("b", 0, Counter::get), None);
        assert_eq!(
            family.sweep(later + Duration::from_secs(1300)),
            1,
            "a expires too"
        );
        assert!(exposed(&family).is_empty());
    }
}
