//! One exemplar per line: the slot that holds the latest, and what a scrape reads it into.
//!
//! A slot is a sequence lock over atomics. A writer claims it by moving the sequence from even to odd with one
//! compare-and-swap, stores the value, timestamp and packed labels, and releases it at the next even number. A
//! reader copies everything and keeps the copy only if the sequence was the same even number before and after, so
//! a scrape never shows one observation's value with another's labels or timestamp. A writer that finds the slot
//! claimed by another leaves it to that one (both are the latest; waiting would put a lock on the hot path).

use std::sync::atomic::{AtomicU64, Ordering, fence};

use metrics_rules::exemplar::check_exemplar_labels;

use crate::series::{ExemplarAt, Exemplars, pack_exemplar_labels};

/// Packed label bytes a slot holds: the largest set the 128-character rule admits packs into 512 (a name has at
/// least one byte, which pays for its pair's three length bytes; a character is at most four bytes).
const WORDS: usize = 64;
const CAPACITY: usize = WORDS * 8;

/// How often a scrape retries a slot that writers keep changing before it leaves that exemplar out.
const READ_ATTEMPTS: usize = 16;

/// The latest exemplar of one line.
#[derive(Debug)]
pub(crate) struct ExemplarSlot {
    /// Even when settled, odd while a writer stores; 0 until the first exemplar.
    sequence: AtomicU64,
    len: AtomicU64,
    value: AtomicU64,
    timestamp: AtomicU64,
    words: [AtomicU64; WORDS],
}

impl ExemplarSlot {
    pub(crate) const fn new() -> Self {
        Self {
            sequence: AtomicU64::new(0),
            len: AtomicU64::new(0),
            value: AtomicU64::new(0),
            timestamp: AtomicU64::new(0),
            words: [const { AtomicU64::new(0) }; WORDS],
        }
    }

    /// Stores an exemplar: `labels` (which passed the exemplar label rule, so they pack into the slot) with `value`
    /// and `timestamp`; `false` when another writer holds the slot.
    ///
    /// The labels are packed straight into the slot's words while it is claimed: a few register shifts and one
    /// store per word. Packing into a stack buffer first and copying it in cost more than the rest of the
    /// exemplar together (the copy's loads straddle the packing's byte stores, which the CPU cannot forward).
    #[inline]
    fn store(&self, labels: &[(&str, &str)], value: f64, timestamp: f64) -> bool {
        let sequence = self.sequence.load(Ordering::Relaxed);
        if sequence % 2 == 1
            || self
                .sequence
                .compare_exchange(sequence, sequence + 1, Ordering::Acquire, Ordering::Relaxed)
                .is_err()
        {
            return false;
        }
        // Keeps the stores below after the odd sequence: a reader that sees any of them sees it changed.
        fence(Ordering::Release);
        self.value.store(value.to_bits(), Ordering::Relaxed);
        self.timestamp.store(timestamp.to_bits(), Ordering::Relaxed);
        let mut words = WordWriter::new(&self.words);
        pack_exemplar_labels(labels, |piece| words.push(piece));
        self.len.store(words.finish() as u64, Ordering::Relaxed);
        self.sequence.store(sequence + 2, Ordering::Release);
        true
    }

    /// Forgets the exemplar: the slot reads as never written. Claims the slot as a writer does, so a scrape reading
    /// it at the same time retries and sees none.
    pub(crate) fn clear(&self) {
        loop {
            let sequence = self.sequence.load(Ordering::Relaxed);
            if sequence == 0 {
                return;
            }
            if sequence.is_multiple_of(2)
                && self
                    .sequence
                    .compare_exchange(sequence, sequence + 1, Ordering::Acquire, Ordering::Relaxed)
                    .is_ok()
            {
                self.sequence.store(0, Ordering::Release);
                return;
            }
            std::hint::spin_loop();
        }
    }

    /// Appends the exemplar's packed labels to `bytes` and says where they are, or `None` when there is none yet
    /// (or writers kept changing it during every attempt).
    pub(crate) fn read(&self, bytes: &mut Vec<u8>) -> Option<ExemplarAt> {
        let start = bytes.len();
        for _ in 0..READ_ATTEMPTS {
            let before = self.sequence.load(Ordering::Acquire);
            if before == 0 {
                return None;
            }
            if before % 2 == 1 {
                std::hint::spin_loop();
                continue;
            }
            let len = (self.len.load(Ordering::Relaxed) as usize).min(CAPACITY);
            let value = f64::from_bits(self.value.load(Ordering::Relaxed));
            let timestamp = f64::from_bits(self.timestamp.load(Ordering::Relaxed));
            for word in &self.words[..len.div_ceil(8)] {
                bytes.extend_from_slice(&word.load(Ordering::Relaxed).to_le_bytes());
            }
            bytes.truncate(start + len);
            // Keeps the loads above before the second read of the sequence.
            fence(Ordering::Acquire);
            if self.sequence.load(Ordering::Relaxed) == before {
                return Some(ExemplarAt {
                    labels: (start as u32, (start + len) as u32),
                    value,
                    timestamp,
                });
            }
            bytes.truncate(start);
        }
        None
    }
}

impl Default for ExemplarSlot {
    fn default() -> Self {
        Self::new()
    }
}

/// Packs bytes into a slot's words, eight to a word (little endian), the last one padded with zeros.
struct WordWriter<'a> {
    words: &'a [AtomicU64],
    /// Bytes not yet stored, in the low `pending` bytes.
    partial: u64,
    pending: u32,
    /// Words stored so far.
    stored: usize,
    /// Bytes pushed, stored or not.
    len: usize,
}

impl<'a> WordWriter<'a> {
    #[inline]
    fn new(words: &'a [AtomicU64]) -> Self {
        Self {
            words,
            partial: 0,
            pending: 0,
            stored: 0,
            len: 0,
        }
    }

    /// Appends `piece`: whole words at a time, the tail through one register.
    #[inline]
    fn push(&mut self, piece: &[u8]) {
        let (whole, tail) = piece.as_chunks::<8>();
        for chunk in whole {
            self.push_word(u64::from_le_bytes(*chunk), 8);
        }
        if !tail.is_empty() {
            let mut last = [0u8; 8];
            last[..tail.len()].copy_from_slice(tail);
            self.push_word(u64::from_le_bytes(last), tail.len() as u32);
        }
    }

    /// Appends the low `n` bytes of `bits` (1 to 8; the bytes above them are zero).
    #[inline]
    fn push_word(&mut self, bits: u64, n: u32) {
        self.len += n as usize;
        self.partial |= bits << (8 * self.pending);
        let filled = self.pending + n;
        if filled < 8 {
            self.pending = filled;
            return;
        }
        self.emit(self.partial);
        // The bytes of `bits` that did not fit (none when the word was empty before).
        self.partial = bits.checked_shr(8 * (8 - self.pending)).unwrap_or(0);
        self.pending = filled - 8;
    }

    #[inline]
    fn emit(&mut self, word: u64) {
        // The label rule bounds a packed set by the slot's capacity, so a word past it is never reached; if it
        // were, the stored length would still cover only what the reader can find in the slot.
        if let Some(slot) = self.words.get(self.stored) {
            slot.store(word, Ordering::Relaxed);
            self.stored += 1;
        }
    }

    /// Stores the last, partly filled word and returns the packed length in bytes.
    #[inline]
    fn finish(mut self) -> usize {
        if self.pending > 0 {
            self.emit(self.partial);
        }
        self.len.min(self.stored * 8)
    }
}

/// Records `value` with these labels into `slot`, stamped now; `false` when the set breaks the OpenMetrics rule
/// (longer than 128 characters, or a name that is no label name). Such a set is dropped whole, never shortened:
/// a shortened trace id would point at another trace.
#[inline]
pub(crate) fn record(slot: &ExemplarSlot, labels: &[(&str, &str)], value: f64) -> bool {
    if check_exemplar_labels(labels).is_err() {
        return false;
    }
    // Read before the slot is claimed, so that the claim is not held across the clock read.
    let timestamp = now();
    slot.store(labels, value, timestamp);
    true
}

/// As [`record`], counting in `dropped` a set the rule refuses: what every exemplar-keeping cell does.
#[inline]
pub(crate) fn keep(slot: &ExemplarSlot, dropped: &AtomicU64, labels: &[(&str, &str)], value: f64) {
    if !record(slot, labels, value) {
        dropped.fetch_add(1, Ordering::Relaxed);
    }
}

/// Seconds since the Unix epoch. On Linux the coarse clock (one tick, a few milliseconds, of resolution) reads a
/// shared page without the time-stamp counter: several times cheaper than the precise clock, which would cost
/// more than the observation itself. Prometheus keeps exemplar timestamps to the millisecond.
#[inline]
fn now() -> f64 {
    #[cfg(target_os = "linux")]
    {
        let now = rustix::time::clock_gettime(rustix::time::ClockId::RealtimeCoarse);
        now.tv_sec as f64 + now.tv_nsec as f64 * 1e-9
    }
    #[cfg(not(target_os = "linux"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |since| since.as_secs_f64())
    }
}

/// Room for the exemplars of one series while a family hands it to a sink; reused across the family's series.
#[derive(Debug, Default)]
pub struct ExemplarScratch {
    bytes: Vec<u8>,
    lines: Vec<Option<ExemplarAt>>,
}

impl ExemplarScratch {
    /// Empty room; allocates nothing until a family with exemplars is read.
    pub const fn new() -> Self {
        Self {
            bytes: Vec::new(),
            lines: Vec::new(),
        }
    }

    /// Reads each slot, one per line.
    pub(crate) fn read(&mut self, slots: &[ExemplarSlot]) -> Exemplars<'_> {
        self.bytes.clear();
        self.lines.clear();
        for slot in slots {
            let at = slot.read(&mut self.bytes);
            self.lines.push(at);
        }
        Exemplars::new(&self.bytes, &self.lines)
    }
}

#[cfg(test)]
mod tests {

    /// Stores with a given timestamp, so a test can tie it to the value.
    fn store_at(slot: &ExemplarSlot, labels: &[(&str, &str)], value: f64, timestamp: f64) -> bool {
        slot.store(labels, value, timestamp)
    }
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;

    use super::*;

    /// An exemplar read back: its labels, value and timestamp.
    type ReadBack = (Vec<(String, String)>, f64, f64);

    fn labels_of(slot: &ExemplarSlot) -> Option<ReadBack> {
        let mut scratch = ExemplarScratch::new();
        let exemplars = scratch.read(std::slice::from_ref(slot));
        let exemplar = exemplars.get(0)?;
        let labels = exemplar
            .labels()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect();
        Some((labels, exemplar.value(), exemplar.timestamp()))
    }

    #[test]
    fn a_slot_keeps_the_latest_exemplar_whole() {
        let slot = ExemplarSlot::new();
        assert_eq!(labels_of(&slot), None, "empty until the first exemplar");
        assert!(store_at(
            &slot,
            &[("trace_id", "a"), ("span_id", "β")],
            1.5,
            10.0
        ));
        assert!(store_at(&slot, &[("trace_id", "b")], 2.5, 11.0));
        assert_eq!(
            labels_of(&slot),
            Some((vec![("trace_id".into(), "b".into())], 2.5, 11.0))
        );
    }

    /// The word writer lays pieces of every length and offset end to end, as a byte buffer would.
    #[test]
    fn words_hold_the_pieces_end_to_end() {
        let bytes: Vec<u8> = (1..=255).collect();
        for first in 0..20 {
            for second in 0..20 {
                let words = [const { AtomicU64::new(0) }; 8];
                let mut writer = WordWriter::new(&words);
                let pieces = [&bytes[..first], &bytes[100..100 + second], &bytes[200..203]];
                for piece in pieces {
                    writer.push(piece);
                }
                let len = writer.finish();
                let expected = pieces.concat();
                assert_eq!(len, expected.len());
                let read: Vec<u8> = words
                    .iter()
                    .flat_map(|w| w.load(Ordering::Relaxed).to_le_bytes())
                    .collect();
                assert_eq!(&read[..len], &expected[..], "{first} then {second} bytes");
                assert!(read[len..].iter().all(|b| *b == 0), "padded with zeros");
            }
        }
    }

    #[test]
    fn the_largest_admitted_sets_fit_and_longer_ones_are_refused() {
        let wide = "\u{10348}".repeat(127);
        let many: Vec<(String, &str)> = (0..128u8)
            .map(|i| (format!("{}", char::from(b'a' + i % 26)), ""))
            .collect();
        let many: Vec<(&str, &str)> = many.iter().map(|(n, v)| (n.as_str(), *v)).collect();
        for labels in [&[("a", wide.as_str())][..], &many] {
            let slot = ExemplarSlot::new();
            assert!(check_exemplar_labels(labels).is_ok());
            assert!(store_at(&slot, labels, 1.0, 1.0));
            let (read, _, _) = labels_of(&slot).expect("stored");
            assert_eq!(read.len(), labels.len());
        }
        let over = "x".repeat(121);
        let slot = ExemplarSlot::new();
        assert!(
            !record(&slot, &[("trace_id", &over)], 1.0),
            "129 characters"
        );
        assert!(
            !record(&slot, &[("trace id", "x")], 1.0),
            "not a label name"
        );
        assert_eq!(labels_of(&slot), None, "nothing of either is kept");
    }

    /// Value, labels and timestamp come from one store, whatever the writers do meanwhile.
    #[test]
    fn readers_never_mix_two_exemplars() {
        let slot = Arc::new(ExemplarSlot::new());
        let done = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = (0..2u32)
            .map(|writer| {
                let (slot, done) = (Arc::clone(&slot), Arc::clone(&done));
                std::thread::spawn(move || {
                    let mut i = 0u32;
                    while !done.load(Ordering::Relaxed) {
                        let n = f64::from(i * 2 + writer);
                        let text = format!("{n}{}", "z".repeat((i % 90) as usize));
                        store_at(&slot, &[("n", &text)], n, n + 0.5);
                        i += 1;
                        // Real writers pause between observations; a tight loop could starve the reader.
                        if i.is_multiple_of(8) {
                            std::thread::yield_now();
                        }
                    }
                })
            })
            .collect();
        // On a loaded machine the writers may not have run yet: wait for the first exemplar (bounded).
        let waiting = std::time::Instant::now();
        while labels_of(&slot).is_none() {
            assert!(
                waiting.elapsed().as_secs() < 30,
                "no writer stored an exemplar in 30 s"
            );
            std::thread::yield_now();
        }
        let mut seen = 0;
        for _ in 0..20_000 {
            if let Some((labels, value, timestamp)) = labels_of(&slot) {
                let text = labels[0].1.trim_end_matches('z');
                assert_eq!(text, format!("{value}"), "labels and value of one store");
                assert_eq!(timestamp, value + 0.5, "timestamp and value of one store");
                seen += 1;
            }
        }
        done.store(true, Ordering::Relaxed);
        for writer in writers {
            writer.join().expect("writer");
        }
        // Under contention a read may give up (the scrape then shows no exemplar, never a mixed one); how many
        // succeed depends on the machine's load, so liveness is checked on the quiet slot.
        let _ = seen;
        let (labels, value, _) = labels_of(&slot).expect("a slot no one writes reads back");
        assert_eq!(labels[0].1.trim_end_matches('z'), format!("{value}"));
    }
}
