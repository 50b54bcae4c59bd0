//! The process collector: CPU, memory, file descriptors, threads and start time of this process, under the names
//! `client_golang` and the Prometheus process exporter write, so existing dashboards and alerts work unchanged.
//!
//! | family | type | source |
//! |---|---|---|
//! | `process_cpu_seconds_total` | counter | `/proc/self/stat` `utime` + `stime`, in clock ticks |
//! | `process_resident_memory_bytes` | gauge | `/proc/self/stat` rss, in pages |
//! | `process_virtual_memory_bytes` | gauge | `/proc/self/stat` vsize |
//! | `process_open_fds` | gauge | entries of `/proc/self/fd` |
//! | `process_max_fds` | gauge | soft `Max open files` of `/proc/self/limits` |
//! | `process_start_time_seconds` | gauge | `/proc/self/stat` `starttime` + `btime` of `/proc/stat` (read once) |
//! | `process_threads` | gauge | `/proc/self/stat` `num_threads` |
//!
//! Every value is read when the registry is scraped. `/proc/self/stat` and `/proc/self/limits` are kept open and
//! read again from the start at each scrape (procfs regenerates them), so `process_open_fds` counts those two
//! descriptors as well. The clock tick rate and page size come from the kernel's
//! auxiliary vector (`/proc/self/auxv`: `AT_CLKTCK`, `AT_PAGESZ`), read once, so no `libc` and no `unsafe` is
//! needed; if it cannot be read, 100 Hz and 4096 bytes (the Linux defaults) are assumed. A value that cannot be
//! read is left out of that scrape rather than reported as zero.
//!
//! **Linux only.** On other targets [`FAMILIES`] is empty: `process_collector!()` and [`register`] register
//! nothing, and no `process_*` family appears.
//!
//! Switch it on with one line at module level:
//!
//! ```
//! metrics_collectors::process_collector!();
//! ```

#[cfg(target_os = "linux")]
mod families;
#[cfg(target_os = "linux")]
mod procfs;

use metrics_core::{Family, RegistryBuilder};

#[cfg(target_os = "linux")]
pub use families::{
    CPU_SECONDS, MAX_FDS, OPEN_FDS, RESIDENT_MEMORY, START_TIME, THREADS, VIRTUAL_MEMORY,
};

/// Every process family (none off Linux).
#[cfg(target_os = "linux")]
pub static FAMILIES: [&'static dyn Family; 7] = [
    &CPU_SECONDS,
    &RESIDENT_MEMORY,
    &VIRTUAL_MEMORY,
    &OPEN_FDS,
    &MAX_FDS,
    &START_TIME,
    &THREADS,
];

/// Every process family (none off Linux).
#[cfg(not(target_os = "linux"))]
pub static FAMILIES: [&'static dyn Family; 0] = [];

/// Adds the process families to an explicit registry (none off Linux).
///
/// ```
/// let registry = metrics_collectors::process::register(metrics_core::Registry::builder()).build().unwrap();
/// # #[cfg(target_os = "linux")]
/// assert_eq!(registry.families().len(), 7);
/// ```
#[must_use]
pub fn register(mut builder: RegistryBuilder) -> RegistryBuilder {
    for family in FAMILIES {
        builder = builder.register(family);
    }
    builder
}

/// Links the process families into `Registry::global()`; nothing off Linux. Write it once, at module level.
///
/// ```
/// metrics_collectors::process_collector!();
/// ```
#[macro_export]
macro_rules! process_collector {
    () => {
        $crate::__process_submit!();
    };
}

#[cfg(target_os = "linux")]
#[doc(hidden)]
#[macro_export]
macro_rules! __process_submit {
    () => {
        $crate::__private::submit_families!(
            $crate::process::CPU_SECONDS,
            $crate::process::RESIDENT_MEMORY,
            $crate::process::VIRTUAL_MEMORY,
            $crate::process::OPEN_FDS,
            $crate::process::MAX_FDS,
            $crate::process::START_TIME,
            $crate::process::THREADS,
        );
    };
}

#[cfg(not(target_os = "linux"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __process_submit {
    () => {};
}
