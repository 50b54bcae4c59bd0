//! Families with bounded string labels: interned strings select a chunk of cells, enum labels index inside it.
//!
//! A family with one bounded label may instead have a lifecycle ([`RemovableFamily`]): a value can be removed or
//! expire after a period without recordings, freeing its place under the cap.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

mod lifecycle;

pub use lifecycle::RemovableFamily;

use super::{Descriptor, Family, LabelValues, MAX_LABELS, hand_cell};
use crate::label::{Interned, Interner};
use crate::metric::{ExemplarScratch, Metric, SampleScratch};
use crate::series::{Series, SeriesSink};

/// Chunks per page: one `u64` of "used" bits each.
const PAGE_CHUNKS: usize = 64;

/// A family with `S` bounded string labels and any number of enum labels.
///
/// Each string label has its own [`Interner`] (lock-free lookups, a hard cap). The interned indices select a
/// chunk of cells (one per enum label combination); chunks are allocated 64 at a time on first use and never
/// freed, and a bit per chunk records which combinations of string values were ever used, so only those are
/// exposed. The most memory it can ever use is fixed by the declared caps (twice over: see
/// [`Interner::indices`]), which `metrics!` checks against the family's budget at compile time.
///
/// A value, once interned, keeps its cells for the process's life, so the reference [`get`](Self::get) returns
/// is that value's series for good: keep it on hot loops. Values are never removed here; a family whose values
/// are removed or expire is a [`RemovableFamily`], which records through a closure instead.
#[derive(Debug)]
pub struct BoundedFamily<M: Metric, const S: usize> {
    descriptor: &'static Descriptor,
    interners: [Interner; S],
    enum_combinations: usize,
    make: fn() -> M,
    pages: OnceLock<Box<[OnceLock<Page<M>>]>>,
}

/// The cells of [`PAGE_CHUNKS`] consecutive chunks, which of those chunks were used, and which were recorded since
/// the last sweep ([`RemovableFamily`] with `expire_after` only).
#[derive(Debug)]
struct Page<M> {
    cells: Box<[M]>,
    used: AtomicU64,
    touched: AtomicU64,
}

impl<M: Metric, const S: usize> BoundedFamily<M, S> {
    /// A family whose string labels have `interners` (in declaration order) and whose enum labels have
    /// `enum_combinations` combinations; `make` builds a new cell.
    ///
    /// # Panics
    ///
    /// If the descriptor has [`expire_after`](Descriptor::expire_after): values of this family are never removed,
    /// use [`RemovableFamily`]. In a `static` this is a compile-time error.
    pub const fn new(
        descriptor: &'static Descriptor,
        interners: [Interner; S],
        enum_combinations: usize,
        make: fn() -> M,
    ) -> Self {
        assert!(
            descriptor.expire_after.is_none(),
            "a family with `expire_after` is a `RemovableFamily`"
        );
        Self {
            descriptor,
            interners,
            enum_combinations,
            make,
            pages: OnceLock::new(),
        }
    }

    /// The cell for these string label values (declaration order) and enum label index, creating the series: a
    /// value seen for the first time is interned (it takes a slot of its label's cap, or lands on the overflow
    /// series past it) and the series is exposed from then on. To read without creating, use
    /// [`BoundedFamily::find`].
    #[inline]
    pub fn get(&self, strings: [&str; S], enum_index: usize) -> &M {
        let mut chunk_index = 0;
        for (interner, value) in self.interners.iter().zip(strings) {
            chunk_index = chunk_index * interner.indices() + interner.intern(value);
        }
        let page = self.page(chunk_index);
        let bit = 1 << (chunk_index % PAGE_CHUNKS);
        // Set once per chunk: after that the hot path only reads the bit.
        if page.used.load(Ordering::Relaxed) & bit == 0 {
            page.used.fetch_or(bit, Ordering::Relaxed);
        }
        &page.cells[(chunk_index % PAGE_CHUNKS) * self.enum_combinations + enum_index]
    }

    /// The cell of a series that was recorded (by [`BoundedFamily::get`]), or `None`: never interns a value, never
    /// creates or exposes a series. The overflow series is found by its value,
    /// [`OVERFLOW_VALUE`](crate::label::OVERFLOW_VALUE).
    pub fn find(&self, strings: [&str; S], enum_index: usize) -> Option<&M> {
        let mut chunk_index = 0;
        for (interner, value) in self.interners.iter().zip(strings) {
            chunk_index = chunk_index * interner.indices() + interner.lookup(value)?;
        }
        let page = self.pages.get()?[chunk_index / PAGE_CHUNKS].get()?;
        let bit = 1 << (chunk_index % PAGE_CHUNKS);
        (page.used.load(Ordering::Relaxed) & bit != 0)
            .then(|| &page.cells[(chunk_index % PAGE_CHUNKS) * self.enum_combinations + enum_index])
    }

    /// The interner of each string label, in declaration order.
    pub fn interners(&self) -> &[Interner; S] {
        &self.interners
    }

    fn page(&self, chunk_index: usize) -> &Page<M> {
        self.pages()[chunk_index / PAGE_CHUNKS].get_or_init(|| Page {
            cells: (0..PAGE_CHUNKS * self.enum_combinations)
                .map(|_| (self.make)())
                .collect(),
            used: AtomicU64::new(0),
            touched: AtomicU64::new(0),
        })
    }

    fn pages(&self) -> &[OnceLock<Page<M>>] {
        self.pages.get_or_init(|| {
            let chunks = self
                .interners
                .iter()
                .map(Interner::indices)
                .product::<usize>();
            (0..chunks.div_ceil(PAGE_CHUNKS))
                .map(|_| OnceLock::new())
                .collect()
        })
    }
}

impl<M: Metric, const S: usize> Family for BoundedFamily<M, S> {
    fn descriptor(&self) -> &'static Descriptor {
        self.descriptor
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        self.collect_series(sink);
    }

    fn exemplars_dropped(&self) -> Option<u64> {
        M::EXEMPLARS.then(|| {
            self.pages
                .get()
                .into_iter()
                .flat_map(|pages| pages.iter().filter_map(OnceLock::get))
                .flat_map(|page| page.cells.iter())
                .map(Metric::exemplars_dropped)
                .sum()
        })
    }

    fn label_overflows(&self, report: &mut dyn FnMut(&'static str, u64)) {
        let mut bounded = self.interners.iter();
        for label in self.descriptor.labels {
            if let LabelValues::Bounded { .. } = label.values
                && let Some(interner) = bounded.next()
            {
                report(label.name, interner.overflows());
            }
        }
    }
}

impl<M: Metric, const S: usize> BoundedFamily<M, S> {
    /// Every used chunk's series, skipping a chunk whose value is gone (removed, in a [`RemovableFamily`]).
    fn collect_series(&self, sink: &mut dyn SeriesSink) {
        let Some(pages) = self.pages.get() else {
            return;
        };
        let labels = self.descriptor.labels;
        let count = labels.len();
        // Where each string label and each enum label sits, found once rather than per series.
        let mut string_slots = [0usize; S];
        let mut enum_slots: [(usize, &[&str]); MAX_LABELS] = [(0, &[]); MAX_LABELS];
        let mut enums = 0;
        let mut strings = 0;
        for (slot, label) in labels.iter().enumerate() {
            match label.values {
                LabelValues::Bounded { .. } if strings < S => {
                    string_slots[strings] = slot;
                    strings += 1;
                }
                LabelValues::Enum(options) => {
                    enum_slots[enums] = (slot, options);
                    enums += 1;
                }
                LabelValues::Bounded { .. } | LabelValues::Text => {}
            }
        }
        let enum_slots = &enum_slots[..enums];
        // One string label and nothing else, the usual shape: a loop with nothing to decode.
        if let ([interner], 1, 0, 1) = (&self.interners[..], count, enums, self.enum_combinations) {
            collect_one_string(pages, interner.interned(), sink);
            return;
        }
        let mut values = [""; MAX_LABELS];
        let mut positions = [0u32; MAX_LABELS];
        let mut scratch = SampleScratch::new();
        let mut exemplars = ExemplarScratch::new();
        for (page_index, page) in pages.iter().enumerate() {
            let Some(page) = page.get() else { continue };
            let mut used = page.used.load(Ordering::Relaxed);
            'chunks: while used != 0 {
                let offset = used.trailing_zeros() as usize;
                used &= used - 1;
                // Decode the chunk index into each string label's interned index, last string label fastest.
                let mut rest = page_index * PAGE_CHUNKS + offset;
                for (interner, &slot) in self.interners.iter().zip(&string_slots).rev() {
                    // One string label (the usual case) needs no division: the chunk index is its index.
                    let index = if S == 1 {
                        rest
                    } else {
                        let radix = interner.indices();
                        let index = rest % radix;
                        rest /= radix;
                        index
                    };
                    // Always present: a chunk is marked used only after its values were interned.
                    let Some((value, position)) = interner.interned().positioned(index) else {
                        continue 'chunks;
                    };
                    values[slot] = value;
                    positions[slot] = position;
                }
                // Without enum labels (the usual shape) a chunk is one cell: no decoding loop.
                if enum_slots.is_empty() && self.enum_combinations == 1 {
                    if let Some(cell) = page.cells.get(offset) {
                        let series = Series::with_positions(&values[..count], &positions[..count]);
                        hand_cell(sink, &series, cell, &mut scratch, &mut exemplars);
                    }
                    continue;
                }
                let cells =
                    &page.cells[offset * self.enum_combinations..][..self.enum_combinations];
                for (enum_index, cell) in cells.iter().enumerate() {
                    let mut rest = enum_index;
                    for &(slot, options) in enum_slots.iter().rev() {
                        let position = rest % options.len();
                        values[slot] = options[position];
                        positions[slot] = position as u32;
                        rest /= options.len();
                    }
                    let series = Series::with_positions(&values[..count], &positions[..count]);
                    hand_cell(sink, &series, cell, &mut scratch, &mut exemplars);
                }
            }
        }
    }
}

/// [`BoundedFamily::collect`] for a family whose only label is one string: each used chunk is one cell, and its
/// index is the value's interned index.
fn collect_one_string<M: Metric>(
    pages: &[OnceLock<Page<M>>],
    interned: Interned<'_>,
    sink: &mut dyn SeriesSink,
) {
    let mut scratch = SampleScratch::new();
    let mut exemplars = ExemplarScratch::new();
    for (page_index, page) in pages.iter().enumerate() {
        let Some(page) = page.get() else { continue };
        let mut used = page.used.load(Ordering::Relaxed);
        while used != 0 {
            let offset = used.trailing_zeros() as usize;
            used &= used - 1;
            let index = page_index * PAGE_CHUNKS + offset;
            // Always present: a chunk is marked used only after its value was interned.
            let (Some((value, position)), Some(cell)) =
                (interned.positioned(index), page.cells.get(offset))
            else {
                continue;
            };
            let (values, positions) = ([value], [position]);
            let series = Series::with_positions(&values, &positions);
            hand_cell(sink, &series, cell, &mut scratch, &mut exemplars);
        }
    }
}
