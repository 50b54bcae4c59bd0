//! The texts of a bounded label's values: an append-only arena read without a lock.
//!
//! A value's index (its place under the cap) can change hands when a value is removed, so the index cannot own
//! the text as a set-once cell; the text gets an id here instead, set once and never moved. Texts are leaked
//! (families are `'static`, and a lock-free reader may hold one at any time); a value that comes back after its
//! removal gets its old id again, so only distinct values cost memory.

use std::sync::OnceLock;

/// Ids in the first segment; segment `k` holds `FIRST << k`.
const FIRST: usize = 64;
/// Segments: room for `FIRST * (2^SEGMENTS - 1)` texts, far more than any program interns.
const SEGMENTS: usize = 26;

/// Texts by id: the first ones (as many as the interner has indices, what a label without churn ever uses) in
/// one slice allocated with the table, so the hot path reads one cell as before removal existed; the rest in
/// segments that double in size and are allocated on first use.
#[derive(Debug)]
pub(super) struct Texts {
    first: Box<[OnceLock<&'static str>]>,
    segments: [OnceLock<Box<[OnceLock<&'static str>]>>; SEGMENTS],
}

/// The segment of `id` and its place in it.
#[inline]
fn locate(id: usize) -> (usize, usize) {
    let segment = (id / FIRST + 1).ilog2() as usize;
    (segment, id - FIRST * ((1 << segment) - 1))
}

impl Texts {
    /// An arena whose first `first` ids need no segment.
    pub(super) fn new(first: usize) -> Self {
        Self {
            first: (0..first).map(|_| OnceLock::new()).collect(),
            segments: [const { OnceLock::new() }; SEGMENTS],
        }
    }

    /// The text with this id, `None` if none was stored under it yet.
    #[inline]
    pub(super) fn get(&self, id: usize) -> Option<&'static str> {
        if let Some(cell) = self.first.get(id) {
            return cell.get().copied();
        }
        self.get_segmented(id - self.first.len())
    }

    #[cold]
    fn get_segmented(&self, id: usize) -> Option<&'static str> {
        let (segment, offset) = locate(id);
        self.segments
            .get(segment)?
            .get()?
            .get(offset)?
            .get()
            .copied()
    }

    /// Stores `text` under `id`. The caller hands out each id once (under its insert lock); `false` if the arena
    /// is exhausted.
    pub(super) fn set(&self, id: usize, text: &'static str) -> bool {
        if let Some(cell) = self.first.get(id) {
            return cell.set(text).is_ok();
        }
        let (segment, offset) = locate(id - self.first.len());
        let Some(cells) = self.segments.get(segment) else {
            return false;
        };
        let cells = cells.get_or_init(|| (0..FIRST << segment).map(|_| OnceLock::new()).collect());
        cells[offset].set(text).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_fill_segments_in_order() {
        assert_eq!(locate(0), (0, 0));
        assert_eq!(locate(63), (0, 63));
        assert_eq!(locate(64), (1, 0));
        assert_eq!(locate(191), (1, 127));
        assert_eq!(locate(192), (2, 0));
        let texts = Texts::new(5);
        for id in [0, 4, 5, 63, 64, 500, 10_000] {
            assert_eq!(texts.get(id), None);
            assert!(texts.set(id, "v"));
            assert_eq!(texts.get(id), Some("v"));
        }
    }
}
