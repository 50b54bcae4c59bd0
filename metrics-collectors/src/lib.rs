//! Ready-made families for `metrics-core`: values read when Prometheus scrapes, not pushed on every change.
//!
//! | collector | switch it on | families |
//! |---|---|---|
//! | process (feature `process`, default) | `metrics_collectors::process_collector!();` | `process_cpu_seconds_total`, `process_resident_memory_bytes`, ... as `client_golang` writes them |
//! | tokio runtime (feature `tokio`) | `metrics_collectors::tokio_runtime_collector!();` then [`runtime::register`] per runtime | `tokio_runtime_*{runtime}` |
//! | build info (always) | `metrics_collectors::build_info!("myapp");` (+ one line in `build.rs`) | `myapp_build_info{version,revision,rustc} 1` |
//! | channels (feature `tokio`) | `metrics_collectors::channel_collector!();` and [`channel::channel`]`("jobs", 100)` for `tokio::sync::mpsc::channel(100)` | `channel_capacity`, `channel_depth`, `channel_full_total`, `channel_send_wait_seconds` |
//!
//! Each `*_collector!()` / `build_info!` line goes at module level in your binary (or any crate it links): it links
//! the families into [`Registry::global`](metrics_core::Registry::global) the same way `metrics!` does. Without the
//! line nothing is linked and nothing is read: a collector you do not switch on costs nothing. For an explicit
//! registry (targets without linkme), pass the builder through [`process::register`], [`runtime::register_families`]
//! or [`channel::register_families`] instead.
//!
//! ```
//! metrics_collectors::process_collector!();
//!
//! let text = metrics_core::Registry::global().unwrap().encode_to_string(metrics_core::Format::Text004).unwrap();
//! # #[cfg(target_os = "linux")]
//! assert!(text.contains("\nprocess_resident_memory_bytes "));
//! ```
#![deny(missing_docs)]

pub mod build;
pub mod build_info;
#[cfg(feature = "tokio")]
pub mod channel;
#[cfg(feature = "process")]
pub mod process;
#[cfg(feature = "tokio")]
pub mod runtime;

#[cfg(any(feature = "process", feature = "tokio"))]
mod scrape;

#[cfg(any(feature = "process", feature = "tokio"))]
pub use scrape::ScrapeFamily;

/// What the collectors' macros name. Not a public API: it changes without notice.
#[doc(hidden)]
pub mod __private {
    // One linkme entry per family named, as generated code links its families.
    pub use metrics_core::submit as submit_families;
    pub use metrics_core::{Descriptor, source_location};
}
