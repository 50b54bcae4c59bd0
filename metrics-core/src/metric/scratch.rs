//! Room for a histogram's cumulative counts while a family hands its series to a sink.

/// Bucket counts up to this many (bounds plus `+Inf`) are read into the stack; more spill to the heap.
const INLINE_BUCKETS: usize = 64;

/// Reused across the series of one `collect`, so reading a histogram allocates nothing for any family with at
/// most 63 finite bounds (Prometheus' advice is a dozen or so).
#[derive(Debug)]
pub struct SampleScratch {
    inline: [u64; INLINE_BUCKETS],
    spilled: Vec<u64>,
}

impl SampleScratch {
    /// Empty room; allocates nothing.
    pub const fn new() -> Self {
        Self {
            inline: [0; INLINE_BUCKETS],
            spilled: Vec::new(),
        }
    }

    /// A slice of exactly `len` counts to fill, on the stack when it fits.
    pub fn counts(&mut self, len: usize) -> &mut [u64] {
        if len <= INLINE_BUCKETS {
            &mut self.inline[..len]
        } else {
            self.spilled.resize(len, 0);
            &mut self.spilled
        }
    }
}

impl Default for SampleScratch {
    fn default() -> Self {
        Self::new()
    }
}
