//! A counting global allocator for scenario G: the bytes a thread holds, as requested from the allocator.
//!
//! The bench binary (and this crate's test binary) installs it with `#[global_allocator]`. It counts per thread,
//! so tests running in parallel do not disturb each other; a measured closure must therefore allocate on the
//! calling thread, which every library does when creating series. Requested sizes are counted, not what
//! `malloc` rounds them up to, so real resident memory is somewhat higher for every library alike.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;

/// The system allocator, counting what each thread allocates and frees.
#[derive(Debug)]
pub struct Counting;

thread_local! {
    /// Bytes allocated minus bytes freed by this thread. Const-initialised and without destructor, so the
    /// allocator can use it at any time without allocating.
    static LIVE: Cell<isize> = const { Cell::new(0) };
    /// Allocations (and reallocations) made by this thread.
    static CALLS: Cell<usize> = const { Cell::new(0) };
}

fn add(delta: isize) {
    // Fails only while the thread is being torn down; nothing is measured then.
    let _ = LIVE.try_with(|live| live.set(live.get() + delta));
}

fn call() {
    let _ = CALLS.try_with(|calls| calls.set(calls.get() + 1));
}

// `GlobalAlloc` is an unsafe trait: implementing it is the only way to observe every allocation. Each method
// forwards to `System` with the caller's own arguments, so the caller's safety contract carries over unchanged.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        add(layout.size().cast_signed());
        call();
        // SAFETY: forwarded as received; the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        add(layout.size().cast_signed());
        call();
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        add(-layout.size().cast_signed());
        // SAFETY: `ptr` was allocated by `System` (through us) with `layout`, as the caller guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        add(new_size.cast_signed() - layout.size().cast_signed());
        call();
        // SAFETY: as for `dealloc`, and `new_size` is valid per the caller.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// The bytes this thread currently holds (allocated minus freed since it started).
pub fn live_bytes() -> isize {
    LIVE.with(Cell::get)
}

/// Whether [`Counting`] is the global allocator of this binary.
pub fn installed() -> bool {
    let before = live_bytes();
    let probe = black_box(Box::new([0u8; 64]));
    let counted = live_bytes() - before;
    drop(probe);
    counted >= 64
}

/// Runs `work` and returns its result with how many allocations (and reallocations) it made on this thread.
pub fn calls<T>(work: impl FnOnce() -> T) -> (T, usize) {
    let before = CALLS.with(Cell::get);
    let result = work();
    (result, CALLS.with(Cell::get) - before)
}

/// Runs `make` and returns what it built with the bytes it still holds.
pub fn retained<T>(make: impl FnOnce() -> T) -> (T, isize) {
    let before = live_bytes();
    let built = make();
    (built, live_bytes() - before)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_what_is_kept_not_what_is_freed() {
        assert!(
            installed(),
            "the test binary installs the counting allocator"
        );
        let (kept, bytes) = retained(|| {
            let scratch = vec![0u8; 4096];
            black_box(&scratch);
            vec![0u64; 100]
        });
        assert_eq!(bytes, 800);
        drop(kept);
    }
}
