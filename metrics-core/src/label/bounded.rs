//! Bounded string labels: open values (model, tenant, route) with a hard cap on distinct values.
//!
//! An [`Interner`] maps each live string to an index. Reads are lock-free: a probe of a fixed open-addressing
//! table of atomic entries, then a compare against the interned string. Inserts and removals take a mutex, so
//! they never race each other, and publish the string before the entry (release/acquire), so a reader that sees an
//! entry always sees its string. Past the cap every new value maps to the overflow index, exposed as
//! [`OVERFLOW_VALUE`], and is counted; memory stays bounded whatever the input.
//!
//! **Removal** ([`Interner::remove`]) takes a value out of the table at once (a tombstone in its entry) and frees
//! its place under the cap, but not its index: the family keeps the index, whose cells a recording that found
//! it just before the removal may still be writing, until no recording is inside them any more (a pin count, see
//! `metrics-core/src/family/bounded/lifecycle.rs`), and only then gives it back ([`Interner::release`]). Meanwhile a new value takes one of the `cap` spare indices, so
//! [`Interner::indices`] is `2 * cap + 1`: the cap, the overflow index `cap`, and as many spares.

use std::collections::BTreeMap;
use std::hash::{BuildHasher, RandomState};
use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering, fence};
use std::sync::{Mutex, OnceLock};

use super::texts::Texts;

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
/// `FAMILY.find_labels(..)` only look values up, so reading a series never creates it. On a family with one
/// bounded label declared `removable = true`, `FAMILY.remove(value)` gives the slot back, and `expire_after = 10m`
/// does it for values left without a recording; such a family records with `FAMILY.record(.., |series| ..)`
/// (interns) and reads with `FAMILY.read(.., |series| ..)` (does not). See
/// [`RemovableFamily`](crate::RemovableFamily).
#[derive(Debug)]
pub struct BoundedStr<const CAP: usize>(PhantomData<()>);

/// A table entry that held a removed value: probes go past it, inserts may reuse it.
const TOMBSTONE: u64 = u64::MAX;

/// A fixed-capacity string-to-index map with a lock-free read path.
#[derive(Debug)]
pub struct Interner {
    cap: usize,
    state: OnceLock<Tables>,
    /// Live values: at most the cap.
    len: AtomicUsize,
    full: AtomicBool,
    overflows: AtomicU64,
    /// Odd while the table is being rebuilt (its tombstones cleared): a lock-free miss during a rebuild may be
    /// wrong, so the overflow path checks it before sending a value to the overflow series.
    rebuilds: AtomicU64,
    insert: Mutex<Slots>,
}

/// What only the insert lock's holder reads or writes.
#[derive(Debug)]
struct Slots {
    /// Indices given back by [`Interner::release`], reused first.
    recycled: Vec<usize>,
    /// The next index never used (the overflow index `cap` is skipped).
    fresh: usize,
    /// Entries holding a tombstone.
    tombstones: usize,
    /// The text id of every value ever interned, so a value that comes back costs no new text.
    ids: BTreeMap<&'static str, u32>,
}

#[derive(Debug)]
struct Tables {
    hasher: RandomState,
    /// Open-addressing entries: 0 is empty, [`TOMBSTONE`] a removed value, otherwise `(text id + 1) << 32 |
    /// (index + 1)`.
    entries: Box<[AtomicU64]>,
    /// The text id plus one of the value holding each index, 0 for none: what a scrape reads.
    values: Box<[AtomicU64]>,
    texts: Texts,
}

const fn pack(id: usize, index: usize) -> u64 {
    ((id as u64 + 1) << 32) | (index as u64 + 1)
}

const fn unpack(entry: u64) -> (usize, usize) {
    (
        ((entry >> 32) - 1) as usize,
        ((entry & 0xFFFF_FFFF) - 1) as usize,
    )
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
            rebuilds: AtomicU64::new(0),
            insert: Mutex::new(Slots {
                recycled: Vec::new(),
                fresh: 0,
                tombstones: 0,
                ids: BTreeMap::new(),
            }),
        }
    }

    /// The declared cap; also the index of the overflow value.
    pub const fn cap(&self) -> usize {
        self.cap
    }

    /// How many indices values can have: `2 * cap + 1` (the cap, the overflow index, and `cap` spares that new
    /// values take while removed values' indices wait to be released).
    pub const fn indices(&self) -> usize {
        2 * self.cap + 1
    }

    /// How many distinct values are interned now (at most the cap).
    pub fn len(&self) -> usize {
        self.len.load(Ordering::Acquire)
    }

    /// Whether no value is interned.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many times a value was sent to the overflow series because the cap was reached.
    pub fn overflows(&self) -> u64 {
        self.overflows.load(Ordering::Relaxed)
    }

    fn tables(&self) -> &Tables {
        self.state.get_or_init(|| {
            // Load factor at most one half keeps probes short; tombstones are cleared before they fill it.
            let entries = (self.cap.max(1) * 2).next_power_of_two();
            Tables {
                hasher: RandomState::new(),
                entries: (0..entries).map(|_| AtomicU64::new(0)).collect(),
                values: (0..self.indices()).map(|_| AtomicU64::new(0)).collect(),
                texts: Texts::new(self.indices()),
            }
        })
    }

    /// The index of `value`, interning it if there is room; the overflow index ([`Interner::cap`]) otherwise.
    #[inline]
    pub fn intern(&self, value: &str) -> usize {
        self.intern_tagged(value).0
    }

    /// [`Interner::intern`], with the value's tag: what [`Interner::holds`] checks later to tell whether the index
    /// still belongs to this value (0 for the overflow index, which never changes hands).
    #[inline]
    pub(crate) fn intern_tagged(&self, value: &str) -> (usize, u64) {
        let tables = self.tables();
        let hash = tables.hasher.hash_one(value);
        match tables.entry_of(hash, value) {
            Some(found) => found,
            None if value == OVERFLOW_VALUE => (self.cap, 0),
            None if self.full.load(Ordering::Acquire) => self.full_path(tables, hash, value),
            None => self.insert_slow(tables, hash, value),
        }
    }

    /// Whether `index` is held now by the value whose tag [`Interner::intern_tagged`] or
    /// [`Interner::lookup_tagged`] returned. Sequentially consistent with the store in [`Interner::remove`]: a
    /// recorder that pins an index and then finds it still held cannot be missed by a reclaim that unpublished the
    /// value first and then found no pin (see `metrics-core/src/family/bounded/lifecycle.rs`).
    #[inline]
    pub(crate) fn holds(&self, index: usize, tag: u64) -> bool {
        tag == 0
            || self.state.get().is_some_and(|tables| {
                tables
                    .values
                    .get(index)
                    .is_some_and(|held| held.load(Ordering::SeqCst) == tag)
            })
    }

    /// A value not found while the table is full. Acquire on `full` pairs with its release store: every insert
    /// made before the table filled is visible to the second probe, so a value interned just before the cap never
    /// lands on the overflow series too. A probe that overlapped a rebuild may have missed a value that is there,
    /// so it is decided under the lock instead.
    #[cold]
    fn full_path(&self, tables: &Tables, hash: u64, value: &str) -> (usize, u64) {
        let before = self.rebuilds.load(Ordering::Acquire);
        if let Some(found) = tables.entry_of(hash, value) {
            return found;
        }
        fence(Ordering::Acquire);
        if before % 2 == 1 || self.rebuilds.load(Ordering::Relaxed) != before {
            self.insert_slow(tables, hash, value)
        } else {
            (self.overflow(), 0)
        }
    }

    /// The index of `value` if it is interned ([`Interner::cap`] for [`OVERFLOW_VALUE`] itself), without
    /// interning it: a read never takes a slot of the cap.
    pub fn lookup(&self, value: &str) -> Option<usize> {
        self.lookup_tagged(value).map(|(index, _)| index)
    }

    /// [`Interner::lookup`], with the value's tag for [`Interner::holds`].
    pub(crate) fn lookup_tagged(&self, value: &str) -> Option<(usize, u64)> {
        if value == OVERFLOW_VALUE {
            return Some((self.cap, 0));
        }
        let tables = self.state.get()?;
        let hash = tables.hasher.hash_one(value);
        match tables.entry_of(hash, value) {
            Some(found) => Some(found),
            // A probe that overlapped a rebuild may miss: decide under the lock.
            None if self.rebuilds.load(Ordering::Acquire) != 0 => {
                let _guard = self.lock();
                tables.entry_of(hash, value)
            }
            None => None,
        }
    }

    #[cold]
    fn overflow(&self) -> usize {
        self.overflows.fetch_add(1, Ordering::Relaxed);
        self.cap
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Slots> {
        // A poisoned lock only means another inserter panicked (allocation failure); the tables stay consistent
        // because an entry is published last.
        self.insert
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    #[cold]
    fn insert_slow(&self, tables: &Tables, hash: u64, value: &str) -> (usize, u64) {
        let mut slots = self.lock();
        let entry = match tables.find(hash, value) {
            Probe::Found(index, entry) => {
                let (id, _) = unpack(tables.entries[entry].load(Ordering::Relaxed));
                return (index, id as u64 + 1);
            }
            Probe::Vacant(entry) => entry,
        };
        let live = self.len.load(Ordering::Relaxed);
        let index = if live >= self.cap {
            None
        } else if let Some(index) = slots.recycled.pop() {
            Some(index)
        } else if slots.fresh < self.indices() {
            let index = slots.fresh;
            // The overflow index is never a value's.
            slots.fresh += if index + 1 == self.cap { 2 } else { 1 };
            Some(index)
        } else {
            // Every spare index still waits for its removed value's cells to go quiet.
            None
        };
        let (Some(index), Some(entry)) = (index, entry) else {
            if let Some(index) = index {
                slots.recycled.push(index);
            }
            self.full.store(true, Ordering::Release);
            return (self.overflow(), 0);
        };
        let id = if let Some(&id) = slots.ids.get(value) {
            id as usize
        } else {
            let id = slots.ids.len();
            let leaked: &'static str = Box::leak(value.into());
            if u32::try_from(id).is_err() || !tables.texts.set(id, leaked) {
                slots.recycled.push(index);
                return (self.overflow(), 0);
            }
            slots.ids.insert(leaked, id as u32);
            id
        };
        if tables.entries[entry].load(Ordering::Relaxed) == TOMBSTONE {
            slots.tombstones -= 1;
        }
        tables.values[index].store(id as u64 + 1, Ordering::Release);
        tables.entries[entry].store(pack(id, index), Ordering::Release);
        self.len.store(live + 1, Ordering::Release);
        (index, id as u64 + 1)
    }

    /// Takes `value` out: lookups no longer find it, its place under the cap is free at once, and its index is
    /// returned, to be given back with [`Interner::release`] once nothing records into its cells any more (until
    /// then it is not reused). `None` if the value is not interned.
    pub fn remove(&self, value: &str) -> Option<usize> {
        if value == OVERFLOW_VALUE {
            return None;
        }
        let tables = self.state.get()?;
        let hash = tables.hasher.hash_one(value);
        let mut slots = self.lock();
        let Probe::Found(index, entry) = tables.find(hash, value) else {
            return None;
        };
        tables.entries[entry].store(TOMBSTONE, Ordering::Release);
        // Sequentially consistent: see `Interner::holds`.
        tables.values[index].store(0, Ordering::SeqCst);
        slots.tombstones += 1;
        self.len.fetch_sub(1, Ordering::AcqRel);
        self.full.store(false, Ordering::Release);
        // Tombstones make misses probe further; past a quarter of the table they are cleared.
        if slots.tombstones * 4 > tables.entries.len() {
            self.rebuild(tables, &mut slots);
        }
        Some(index)
    }

    /// Gives back an index [`Interner::remove`] returned: a new value may take it. The caller has reset its cells.
    pub fn release(&self, index: usize) {
        let mut slots = self.lock();
        if index != self.cap && index < self.indices() && !slots.recycled.contains(&index) {
            slots.recycled.push(index);
            self.full.store(false, Ordering::Release);
        }
    }

    /// Clears the tombstones: every live entry is put back at its hash's first free place. Lock-free probes
    /// running meanwhile may miss a value that is there; each miss is decided again under the lock (the insert
    /// path takes it anyway, and the overflow path and [`Interner::lookup`] check `rebuilds`).
    fn rebuild(&self, tables: &Tables, slots: &mut Slots) {
        let live: Vec<u64> = tables
            .entries
            .iter()
            .map(|entry| entry.load(Ordering::Relaxed))
            .filter(|&entry| entry != 0 && entry != TOMBSTONE)
            .collect();
        let sequence = self.rebuilds.load(Ordering::Relaxed);
        self.rebuilds.store(sequence + 1, Ordering::Relaxed);
        fence(Ordering::Release);
        for entry in &tables.entries {
            entry.store(0, Ordering::Relaxed);
        }
        let mask = tables.entries.len() - 1;
        for packed in live {
            let (id, _) = unpack(packed);
            let text = tables.texts.get(id).unwrap_or_default();
            let mut entry = tables.hasher.hash_one(text) as usize & mask;
            while tables.entries[entry].load(Ordering::Relaxed) != 0 {
                entry = (entry + 1) & mask;
            }
            tables.entries[entry].store(packed, Ordering::Release);
        }
        slots.tombstones = 0;
        self.rebuilds.store(sequence + 2, Ordering::Release);
    }

    /// The value interned at `index`, [`OVERFLOW_VALUE`] for the overflow index, `None` for an index no value
    /// holds now.
    #[inline]
    pub fn value(&self, index: usize) -> Option<&'static str> {
        self.interned().get(index)
    }

    /// The interned values, for reading many: [`Interned::get`] is [`Interner::value`] without looking up the
    /// tables each time.
    #[inline]
    pub(crate) fn interned(&self) -> Interned<'_> {
        Interned {
            tables: self.state.get(),
            cap: self.cap,
        }
    }
}

/// The values of an [`Interner`], as [`Interner::interned`] found them.
#[derive(Clone, Copy)]
pub(crate) struct Interned<'a> {
    tables: Option<&'a Tables>,
    cap: usize,
}

/// The position [`Interned::positioned`] gives the overflow value: no text id reaches it.
pub(crate) const OVERFLOW_POSITION: u32 = u32::MAX;

impl Interned<'_> {
    /// As [`Interner::value`].
    #[inline]
    pub(crate) fn get(&self, index: usize) -> Option<&'static str> {
        self.positioned(index).map(|(value, _)| value)
    }

    /// The value at `index` with its position for the encoder's per-value caches
    /// ([`Series::with_positions`](crate::series::Series::with_positions)): the value's text id, not the index.
    /// An index changes hands when a value is removed, so a cache keyed by it would serve the removed value's
    /// escaping to its successor; a text id always names the same text.
    #[inline]
    pub(crate) fn positioned(&self, index: usize) -> Option<(&'static str, u32)> {
        if index == self.cap {
            return Some((OVERFLOW_VALUE, OVERFLOW_POSITION));
        }
        let tables = self.tables?;
        let id = (tables.values.get(index)?.load(Ordering::Acquire) as usize).checked_sub(1)?;
        let position = u32::try_from(id).ok()?;
        Some((tables.texts.get(id)?, position))
    }
}

enum Probe {
    /// The value's index and its entry.
    Found(usize, usize),
    /// Where it would go (the first tombstone or empty entry met), `None` if every entry is taken.
    Vacant(Option<usize>),
}

impl Tables {
    /// The lock-free read: the index of `value` and its tag (text id + 1), if an entry holds it. An empty entry ends the probe, and there
    /// always is one: live values fill at most half the table and tombstones are cleared past a quarter.
    #[inline]
    fn entry_of(&self, hash: u64, value: &str) -> Option<(usize, u64)> {
        let mask = self.entries.len() - 1;
        let mut entry = hash as usize & mask;
        loop {
            match self.entries[entry].load(Ordering::Acquire) {
                0 => return None,
                TOMBSTONE => {}
                packed => {
                    let (id, index) = unpack(packed);
                    if self.texts.get(id).is_some_and(|v| v == value) {
                        return Some((index, id as u64 + 1));
                    }
                }
            }
            entry = (entry + 1) & mask;
        }
    }

    /// The probe of the insert lock's holder: the value's index and entry, or where it would go.
    fn find(&self, hash: u64, value: &str) -> Probe {
        let mask = self.entries.len() - 1;
        let mut entry = hash as usize & mask;
        let mut reusable = None;
        // Linear probing; an empty entry ends it. Tombstones are cleared before they fill the table, but the
        // bound keeps a probe finite whatever happens.
        for _ in 0..self.entries.len() {
            match self.entries[entry].load(Ordering::Acquire) {
                0 => return Probe::Vacant(Some(reusable.unwrap_or(entry))),
                TOMBSTONE => {
                    reusable.get_or_insert(entry);
                }
                packed => {
                    let (id, index) = unpack(packed);
                    if self.texts.get(id).is_some_and(|v| v == value) {
                        return Probe::Found(index, entry);
                    }
                }
            }
            entry = (entry + 1) & mask;
        }
        Probe::Vacant(reusable)
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

    #[test]
    fn removal_frees_a_place_and_release_gives_the_index_back() {
        let interner = Interner::new(2);
        assert_eq!(interner.intern("a"), 0);
        assert_eq!(interner.intern("b"), 1);
        assert_eq!(interner.intern("c"), 2, "full: overflow");
        assert_eq!(interner.remove("a"), Some(0));
        assert_eq!(interner.remove("a"), None);
        assert_eq!(interner.lookup("a"), None);
        assert_eq!(interner.value(0), None);
        assert_eq!(interner.len(), 1);
        assert_eq!(
            interner.intern("c"),
            3,
            "a spare index, not a's, which is not released yet"
        );
        assert_eq!(interner.remove("b"), Some(1));
        assert_eq!(interner.intern("d"), 4);
        assert_eq!(interner.remove("c"), Some(3));
        assert_eq!(
            interner.intern("e"),
            2,
            "no index left: overflow until one is released"
        );
        interner.release(0);
        assert_eq!(interner.intern("e"), 0);
        assert_eq!(interner.value(0), Some("e"));
        assert_eq!(interner.intern("a"), 2, "two live values: the cap");
    }

    #[test]
    fn a_tag_no_longer_holds_once_its_index_changed_hands() {
        let interner = Interner::new(1);
        let (index, tag) = interner.intern_tagged("a");
        assert!(interner.holds(index, tag));
        assert_eq!(interner.lookup_tagged("a"), Some((index, tag)));
        assert_eq!(interner.remove("a"), Some(index));
        assert!(!interner.holds(index, tag), "removed: unpublished at once");
        interner.release(index);
        let (b_index, b_tag) = interner.intern_tagged("b");
        assert_eq!(b_index, index, "b took a's released index");
        assert!(
            !interner.holds(index, tag),
            "a's tag does not hold b's index"
        );
        assert!(interner.holds(b_index, b_tag));
        assert_eq!(interner.remove("b"), Some(b_index));
        interner.release(b_index);
        let (again, again_tag) = interner.intern_tagged("a");
        assert_eq!(again_tag, tag, "a returning value keeps its tag");
        assert!(interner.holds(again, tag));
        assert_eq!(interner.intern_tagged(OVERFLOW_VALUE), (1, 0));
        assert!(
            interner.holds(1, 0),
            "the overflow index never changes hands"
        );
    }

    #[test]
    fn churn_through_many_removals_keeps_every_live_value_found() {
        let interner = Interner::new(8);
        let mut live: Vec<(String, usize)> = Vec::new();
        for round in 0..2000 {
            let name = format!("v{round}");
            if live.len() == 8 {
                let (old, index) = live.remove(round % 8);
                assert_eq!(interner.remove(&old), Some(index));
                interner.release(index);
            }
            let index = interner.intern(&name);
            assert_ne!(index, interner.cap(), "a place was free");
            live.push((name, index));
            for (value, index) in &live {
                assert_eq!(interner.lookup(value), Some(*index));
                assert_eq!(interner.value(*index), Some(value.as_str()));
            }
        }
        assert_eq!(interner.overflows(), 0);
        assert_eq!(interner.len(), 8);
    }

    #[test]
    fn a_reused_index_gives_its_new_value_a_new_position() {
        // The encoder remembers per position whether a value needs escaping: a value reusing a removed value's
        // index must not inherit that (a clean `a` followed by `x"y` would be written unescaped).
        let interner = Interner::new(1);
        let index = interner.intern("a");
        let (_, clean_position) = interner.interned().positioned(index).expect("interned");
        assert_eq!(interner.remove("a"), Some(index));
        interner.release(index);
        assert_eq!(
            interner.intern("x\"y"),
            index,
            "the released index is reused"
        );
        let (value, position) = interner.interned().positioned(index).expect("interned");
        assert_eq!(value, "x\"y");
        assert_ne!(position, clean_position, "a new text, a new position");
        assert_eq!(interner.remove("x\"y"), Some(index));
        interner.release(index);
        assert_eq!(interner.intern("a"), index);
        assert_eq!(
            interner.interned().positioned(index),
            Some(("a", clean_position)),
            "a returning text keeps its position"
        );
        assert_eq!(
            interner.interned().positioned(interner.cap()),
            Some((OVERFLOW_VALUE, OVERFLOW_POSITION))
        );
    }
}
