//! Counting started runs without a locked instruction on the hot path.
//!
//! The in-flight gauge is started minus finished; finished comes free with the duration histogram, so a run's start
//! is its only extra write. A shared atomic add costs a `lock`-prefixed instruction (about 5 ns, the gap between
//! `#[instrument_job]` and its budget of two clock reads and one observation). Instead each thread leases a slot
//! number for its lifetime and counts its starts in that slot of every operation with a plain load and store: one
//! writer per slot, so no increment is lost. A scrape sums the slots. Threads beyond [`SLOTS`] at once, and runs
//! during a thread's teardown, share one atomic counter instead.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// Slots per counter: threads counting without a lock at once.
const SLOTS: usize = 32;

/// Started runs of one operation.
#[derive(Debug)]
pub(crate) struct StartedCount {
    slots: [AtomicU64; SLOTS],
    shared: AtomicU64,
}

impl StartedCount {
    pub(crate) const fn new() -> Self {
        Self {
            slots: [const { AtomicU64::new(0) }; SLOTS],
            shared: AtomicU64::new(0),
        }
    }

    /// One more run started.
    #[inline]
    pub(crate) fn inc(&self) {
        if let Some(slot) = LEASE.try_with(|lease| lease.0).ok().flatten() {
            // This thread is the slot's only writer until it exits, so a load and a store lose nothing.
            let cell = &self.slots[slot];
            cell.store(
                cell.load(Ordering::Relaxed).wrapping_add(1),
                Ordering::Relaxed,
            );
        } else {
            self.shared.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Runs started so far.
    pub(crate) fn get(&self) -> u64 {
        self.slots
            .iter()
            .fold(self.shared.load(Ordering::Relaxed), |sum, cell| {
                sum.wrapping_add(cell.load(Ordering::Relaxed))
            })
    }
}

/// Free slot numbers, one bit each.
static FREE: AtomicU32 = AtomicU32::new(u32::MAX);

const _: () = assert!(SLOTS == u32::BITS as usize, "one bit of FREE per slot");

/// A thread's slot number, if one was free when it first counted a start; returned when the thread exits.
struct Lease(Option<usize>);

impl Lease {
    fn acquire() -> Self {
        // Acquire: the previous holder's last stores to this slot happen before our first load of it.
        let taken = FREE.fetch_update(Ordering::Acquire, Ordering::Relaxed, |free| {
            (free != 0).then(|| free & (free - 1))
        });
        Self(taken.ok().map(|free| free.trailing_zeros() as usize))
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(slot) = self.0 {
            // Release: this thread's stores to the slot happen before the next holder's.
            FREE.fetch_or(1 << slot, Ordering::Release);
        }
    }
}

thread_local! {
    static LEASE: Lease = Lease::acquire();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_on_many_threads_all_count_and_slots_are_returned() {
        static COUNT: StartedCount = StartedCount::new();
        // More threads than slots over the test, fewer at once: each returns its slot on exit.
        for _ in 0..3 {
            let threads: Vec<_> = (0..SLOTS / 2)
                .map(|_| {
                    std::thread::spawn(|| {
                        for _ in 0..1000 {
                            COUNT.inc();
                        }
                    })
                })
                .collect();
            for thread in threads {
                thread.join().expect("the thread counts");
            }
        }
        assert_eq!(COUNT.get(), 3 * (SLOTS as u64 / 2) * 1000);
    }

    #[test]
    fn threads_beyond_the_slots_share_one_counter() {
        static COUNT: StartedCount = StartedCount::new();
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(SLOTS + 8));
        let threads: Vec<_> = (0..SLOTS + 8)
            .map(|_| {
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    COUNT.inc();
                    // Every thread holds its lease until all have counted, so some found no slot.
                    barrier.wait();
                    COUNT.inc();
                })
            })
            .collect();
        for thread in threads {
            thread.join().expect("the thread counts");
        }
        assert_eq!(COUNT.get(), 2 * (SLOTS as u64 + 8));
        assert!(COUNT.shared.load(Ordering::Relaxed) > 0);
    }
}
