//! Bounded string labels: open values (model, tenant, route) with a hard cap on distinct values.
//!
//! An [`Interner`] maps each distinct string to a dense index `0..cap`. Reads are lock-free: a probe of a fixed
//! open-addressing table of atomic indices, then a compare against the interned string. Inserts take a mutex, so
//! they never race each other, and publish the string before the index (release/acquire), so a reader that sees an
//! index always sees its string. Past the cap every new value maps to the overflow index `cap`, exposed as
//! [`OVERFLOW_VALUE`], and is counted; memory stays bounded whatever the input.

use std::hash::{BuildHasher, RandomState};
use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

/// The label value every string past a bounded label's cap is recorded under.
///
/// A caller passing this exact text also lands on the overflow series, so it can never appear twice.
pub const OVERFLOW_VALUE: &str = "__overflow__";

/// Marker for a bounded string label in a `metrics!` schema: `model: BoundedStr<64>` accepts any `&str` at the
/// call site and keeps at most 64 distinct values, plus the overflow value.
///
/// It is never constructed: the labels struct's field is a `&str`.
///
/// Which calls intern: recording through `FAMILY.with(..)` / `FAMILY.labels(..)` interns a new value (it takes a
/// slot of the cap, and its series is exposed from then on, even at zero); `FAMILY.find(..)` /
/// `FAMILY.find_labels(..)` only look values up, so reading a series never creates it.
#[derive(Debug)]
pub struct BoundedStr<const CAP: usize>(PhantomData<()>);

/// A fixed-capacity string-to-index map with a lock-free read path.
#[derive(Debug)]
pub struct Interner {
    cap: usize,
    state: OnceLock<Tables>,
    len: AtomicUsize,
    full: AtomicBool,
    overflows: AtomicU64,
    insert: Mutex<()>,
}

#[derive(Debug)]
struct Tables {
    hasher: RandomState,
    /// Open-addressing slots: 0 is empty, otherwise the value's index plus one.
    slots: Box<[AtomicU32]>,
    /// Interned strings by index. They live as long as the family (a static), so they are leaked once.
    values: Box<[OnceLock<&'static str>]>,
}

impl Interner {
    /// An empty interner that keeps at most `cap` distinct values. Allocates nothing until first use.
    pub const fn new(cap: usize) -> Self {
        Self {
            cap,
            state: OnceLock::new(),
            len: AtomicUsize::new(0),
            full: AtomicBool::new(false),
            overflows: AtomicU64::new(0),
            insert: Mutex::new(()),
        }
    }

    /// The declared cap; also the index of the overflow value.
    pub const fn cap(&self) -> usize {
        self.cap
    }

    /// How many distinct values have been interned (at most the cap).
    pub fn len(&self) -> usize {
        self.len.load(Ordering::Acquire)
    }

    /// Whether no value has been interned yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many times a value was sent to the overflow series because the cap was reached.
    pub fn overflows(&self) -> u64 {
        self.overflows.load(Ordering::Relaxed)
    }

    fn tables(&self) -> &Tables {
        self.state.get_or_init(|| {
            // Load factor at most one half keeps probes short; at least one empty slot always ends a probe.
            let slots = (self.cap.max(1) * 2).next_power_of_two();
            Tables {
                hasher: RandomState::new(),
                slots: (0..slots).map(|_| AtomicU32::new(0)).collect(),
                values: (0..self.cap).map(|_| OnceLock::new()).collect(),
            }
        })
    }

    /// The index of `value`, interning it if there is room; the overflow index ([`Interner::cap`]) otherwise.
    #[inline]
    pub fn intern(&self, value: &str) -> usize {
        let tables = self.tables();
        let hash = tables.hasher.hash_one(value);
        match tables.find(hash, value) {
            Probe::Found(index) => index,
            Probe::Vacant(_) if value == OVERFLOW_VALUE => self.cap,
            // Acquire pairs with the release store of `full`: every insert made before the table filled is visible to
            // the second probe, so a value interned just before the cap never lands on the overflow series too.
            Probe::Vacant(_) if self.full.load(Ordering::Acquire) => match tables.find(hash, value)
            {
                Probe::Found(index) => index,
                Probe::Vacant(_) => self.overflow(),
            },
            Probe::Vacant(_) => self.insert_slow(tables, hash, value),
        }
    }

    /// The index of `value` if it was interned ([`Interner::cap`] for [`OVERFLOW_VALUE`] itself), without
    /// interning it: a read never takes a slot of the cap.
    pub fn lookup(&self, value: &str) -> Option<usize> {
        if value == OVERFLOW_VALUE {
            return Some(self.cap);
        }
        let tables = self.state.get()?;
        match tables.find(tables.hasher.hash_one(value), value) {
            Probe::Found(index) => Some(index),
            Probe::Vacant(_) => None,
        }
    }

    #[cold]
    fn overflow(&self) -> usize {
        self.overflows.fetch_add(1, Ordering::Relaxed);
        self.cap
    }

    #[cold]
    fn insert_slow(&self, tables: &Tables, hash: u64, value: &str) -> usize {
        // A poisoned lock only means another inserter panicked (allocation failure); the tables stay consistent
        // because the index is published last.
        let _guard = self
            .insert
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let slot = match tables.find(hash, value) {
            Probe::Found(index) => return index,
            Probe::Vacant(slot) => slot,
        };
        let index = self.len.load(Ordering::Relaxed);
        if index >= self.cap {
            self.full.store(true, Ordering::Release);
            return self.overflow();
        }
        let leaked: &'static str = Box::leak(value.into());
        // Cannot fail: only this thread, under the lock, fills slot `index`.
        let _ = tables.values[index].set(leaked);
        tables.slots[slot].store(index as u32 + 1, Ordering::Release);
        self.len.store(index + 1, Ordering::Release);
        index
    }

    /// The value interned at `index`, [`OVERFLOW_VALUE`] for the overflow index, `None` for an unused index.
    #[inline]
    pub fn value(&self, index: usize) -> Option<&'static str> {
        if index == self.cap {
            return Some(OVERFLOW_VALUE);
        }
        self.state.get()?.values.get(index)?.get().copied()
    }

    /// The interned values, for reading many: [`Interned::get`] is [`Interner::value`] without looking up the
    /// tables each time.
    #[inline]
    pub(crate) fn interned(&self) -> Interned<'_> {
        Interned {
            values: self.state.get().map_or(&[], |tables| &tables.values),
            cap: self.cap,
        }
    }
}

/// The values of an [`Interner`], as [`Interner::interned`] found them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Interned<'a> {
    values: &'a [OnceLock<&'static str>],
    cap: usize,
}

impl Interned<'_> {
    /// As [`Interner::value`].
    #[inline]
    pub(crate) fn get(&self, index: usize) -> Option<&'static str> {
        if index == self.cap {
            return Some(OVERFLOW_VALUE);
        }
        self.values.get(index)?.get().copied()
    }
}

enum Probe {
    Found(usize),
    Vacant(usize),
}

impl Tables {
    #[inline]
    fn find(&self, hash: u64, value: &str) -> Probe {
        let mask = self.slots.len() - 1;
        let mut slot = hash as usize & mask;
        loop {
            match self.slots[slot].load(Ordering::Acquire) {
                0 => return Probe::Vacant(slot),
                tagged => {
                    let index = tagged as usize - 1;
                    if self.values[index].get().is_some_and(|v| *v == value) {
                        return Probe::Found(index);
                    }
                }
            }
            // Linear probing; the table is never more than half full, so an empty slot is always reached.
            slot = (slot + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn interns_dense_indices_in_insertion_order() {
        let interner = Interner::new(3);
        assert_eq!(interner.intern("a"), 0);
        assert_eq!(interner.intern("b"), 1);
        assert_eq!(interner.intern("a"), 0);
        assert_eq!(interner.value(1), Some("b"));
        assert_eq!(interner.value(2), None);
        assert_eq!(interner.len(), 2);
    }

    #[test]
    fn values_past_the_cap_overflow_and_are_counted() {
        let interner = Interner::new(2);
        interner.intern("a");
        interner.intern("b");
        assert_eq!(interner.intern("c"), 2);
        assert_eq!(interner.intern("d"), 2);
        assert_eq!(
            interner.intern("a"),
            0,
            "known values still resolve after the cap"
        );
        assert_eq!(interner.overflows(), 2);
        assert_eq!(interner.value(2), Some(OVERFLOW_VALUE));
    }

    #[test]
    fn the_overflow_text_itself_maps_to_the_overflow_index() {
        let interner = Interner::new(4);
        assert_eq!(interner.intern(OVERFLOW_VALUE), 4);
        assert_eq!(interner.len(), 0);
        assert_eq!(interner.overflows(), 0);
    }

    #[test]
    fn zero_cap_sends_everything_to_overflow() {
        let interner = Interner::new(0);
        assert_eq!(interner.intern("x"), 0);
        assert_eq!(interner.overflows(), 1);
    }

    #[test]
    fn concurrent_inserts_of_the_same_values_agree() {
        let interner = Arc::new(Interner::new(64));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let interner = Arc::clone(&interner);
                std::thread::spawn(move || {
                    (0..200)
                        .map(|i| interner.intern(&format!("v{}", i % 100)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let results: Vec<Vec<usize>> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert_eq!(interner.len(), 64);
        for i in 0..100 {
            let name = format!("v{i}");
            let index = interner.intern(&name);
            for r in &results {
                assert_eq!(r[i], index, "every thread saw the same index for {name}");
                assert_eq!(r[i + 100], index);
            }
            if index < 64 {
                assert_eq!(interner.value(index), Some(name.as_str()));
            }
        }
    }
}
