//! The Prometheus Pushgateway client, for batch jobs that end before any scrape could see their metrics.
//!
//! A job pushes its registry (text format 0.0.4) under a *grouping key*: the `job` label, usually `instance`,
//! and any others. The Pushgateway keeps the last push per group and serves every group on its own `/metrics`.
//!
//! **Scrape the Pushgateway with `honor_labels: true`.** The pushed series carry the job's own `job` and
//! `instance` labels; without `honor_labels` Prometheus overwrites them with the Pushgateway's own target labels
//! (keeping the pushed ones as `exported_job`/`exported_instance`), so every batch job would appear as the
//! Pushgateway itself and queries by `job` would find nothing:
//!
//! ```yaml
//! scrape_configs:
//!   - job_name: pushgateway
//!     honor_labels: true
//!     static_configs:
//!       - targets: ['pushgateway:9091']
//! ```
//!
//! ```no_run
//! use metrics_push::pushgateway::{GroupingKey, PushOnExit, Pushgateway};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let gateway = Pushgateway::new("http://pushgateway:9091")?;
//! let key = GroupingKey::new("nightly_backup")?.with_label("instance", "db-1")?;
//! // Pushes the global registry when main returns or panics.
//! let _push = PushOnExit::new(gateway, key, metrics_core::Registry::global()?);
//! // ... the batch job's work ...
//! # Ok(()) }
//! ```

mod client;
mod grouping;
mod guard;

pub use client::{PushError, Pushgateway};
pub use grouping::GroupingKey;
pub use guard::PushOnExit;
