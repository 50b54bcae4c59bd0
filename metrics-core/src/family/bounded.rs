//! Families with bounded string labels: interned strings select a chunk of cells, enum labels index inside it.

use std::sync::OnceLock;

use super::{Descriptor, Family, LabelValues, MAX_LABELS, Series, SeriesSink};
use crate::label::Interner;
use crate::metric::Metric;

/// Chunks of cells by string-label combination, each allocated on first use.
type Chunks<M> = OnceLock<Box<[OnceLock<Box<[M]>>]>>;

/// A family with `S` bounded string labels and any number of enum labels.
///
/// Each string label has its own [`Interner`] (lock-free lookups, a hard cap). The interned indices select a
/// chunk of cells, allocated on first use and never freed; the enum labels index within the chunk. The most
/// memory it can ever use is fixed by the declared caps, which `metrics!` checks against the family's budget at
/// compile time.
#[derive(Debug)]
pub struct BoundedFamily<M: Metric, const S: usize> {
    descriptor: &'static Descriptor,
    interners: [Interner; S],
    enum_combinations: usize,
    make: fn() -> M,
    chunks: Chunks<M>,
}

impl<M: Metric, const S: usize> BoundedFamily<M, S> {
    /// A family whose string labels have `interners` (in declaration order) and whose enum labels have
    /// `enum_combinations` combinations; `make` builds a new cell.
    pub const fn new(
        descriptor: &'static Descriptor,
        interners: [Interner; S],
        enum_combinations: usize,
        make: fn() -> M,
    ) -> Self {
        Self {
            descriptor,
            interners,
            enum_combinations,
            make,
            chunks: OnceLock::new(),
        }
    }

    /// The cell for these string label values (declaration order) and enum label index.
    #[inline]
    pub fn get(&self, strings: [&str; S], enum_index: usize) -> &M {
        let mut chunk_index = 0;
        for (interner, value) in self.interners.iter().zip(strings) {
            chunk_index = chunk_index * (interner.cap() + 1) + interner.intern(value);
        }
        let chunk = self.chunks()[chunk_index]
            .get_or_init(|| (0..self.enum_combinations).map(|_| (self.make)()).collect());
        &chunk[enum_index]
    }

    /// The interner of each string label, in declaration order.
    pub fn interners(&self) -> &[Interner; S] {
        &self.interners
    }

    fn chunks(&self) -> &[OnceLock<Box<[M]>>] {
        self.chunks.get_or_init(|| {
            let total = self
                .interners
                .iter()
                .map(|i| i.cap() + 1)
                .product::<usize>();
            (0..total).map(|_| OnceLock::new()).collect()
        })
    }
}

impl<M: Metric, const S: usize> Family for BoundedFamily<M, S> {
    fn descriptor(&self) -> &'static Descriptor {
        self.descriptor
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        let Some(chunks) = self.chunks.get() else {
            return;
        };
        let labels = self.descriptor.labels;
        let mut values = [""; MAX_LABELS];
        let mut scratch = Vec::new();
        // Enum values are fixed: whether they need escaping is known once per scrape.
        let enums_clean = labels.iter().all(|label| match label.values {
            LabelValues::Enum(options) => !options
                .iter()
                .any(|v| crate::encode::needs_label_escaping(v)),
            _ => true,
        });
        for (chunk_index, chunk) in chunks.iter().enumerate() {
            let Some(cells) = chunk.get() else { continue };
            // Decode the chunk index into each string label's value, last string label fastest.
            let mut rest = chunk_index;
            let mut bounded_seen = S;
            let mut clean = enums_clean;
            for (slot, label) in labels.iter().enumerate().rev() {
                if let LabelValues::Bounded { .. } = label.values {
                    bounded_seen -= 1;
                    let interner = &self.interners[bounded_seen];
                    let radix = interner.cap() + 1;
                    let (value, value_clean) =
                        interner.value_and_clean(rest % radix).unwrap_or_default();
                    values[slot] = value;
                    clean &= value_clean;
                    rest /= radix;
                }
            }
            for (enum_index, cell) in cells.iter().enumerate() {
                let mut rest = enum_index;
                for (slot, label) in labels.iter().enumerate().rev() {
                    if let LabelValues::Enum(options) = label.values {
                        values[slot] = options[rest % options.len()];
                        rest /= options.len();
                    }
                }
                let values = &values[..labels.len()];
                let series = if clean {
                    Series::clean(values)
                } else {
                    Series::new(values)
                };
                sink.series(&series, &cell.sample(&mut scratch));
            }
        }
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
