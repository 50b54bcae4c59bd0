//! Helpers for tests of instrumented code: read values without parsing text, isolate a test's counts from the
//! other tests of the process, compare exposition text, and find families that nothing records.
//!
//! Every family with labels also has typed reads that never create a series (`FAMILY.find(..)`,
//! `FAMILY.find_labels(..)`, or `FAMILY.read(.., |series| series.get())` on a removable family; label-less families
//! deref to their cell), and the per-function presets have
//! [`OperationFamily::function`](crate::instrument::OperationFamily::function). What this module adds works over a
//! whole registry:
//!
//! - [`Snapshot`]: every series' value at one moment; [`Snapshot::delta`] is what changed since, so a test asserts
//!   on its own increments whatever other tests of the process recorded before it.
//! - [`compare_exposition`]: the exposition of the named families against expected text, as `client_golang`'s
//!   `testutil.CollectAndCompare` does.
//! - [`check_recorded`]: fails listing the families no code recorded (a gauge declared and never set).

mod compare;
mod snapshot;

pub use compare::{ExpositionMismatch, compare_exposition};
pub use snapshot::{Change, Delta, Snapshot};

use std::fmt;

use crate::registry::Registry;

/// Families of a registry that were never recorded, as found by [`check_recorded`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrecorded(pub Vec<&'static str>);

impl fmt::Display for Unrecorded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} metric famil{} never recorded (every series still at its initial value): declare only what the code records, or record it:",
            self.0.len(),
            if self.0.len() == 1 {
                "y was"
            } else {
                "ies were"
            }
        )?;
        for name in &self.0 {
            write!(f, "\n  - {name}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Unrecorded {}

/// Checks that every family of `registry` except those in `except` was recorded (see
/// [`Registry::unrecorded`]): run the code under test first, then this.
///
/// # Errors
///
/// [`Unrecorded`], listing each family never recorded.
///
/// ```
/// use metrics_core::{Registry, metrics, testing};
///
/// metrics! {
///     /// Recorded.
///     pub counter check_doc_jobs_total;
///     /// Declared, never set: the incident this check exists for.
///     pub gauge check_doc_queue_depth;
/// }
///
/// let registry = Registry::builder()
///     .register(&CHECK_DOC_JOBS_TOTAL)
///     .register(&CHECK_DOC_QUEUE_DEPTH)
///     .build()
///     .unwrap();
/// CHECK_DOC_JOBS_TOTAL.inc();
/// let error = testing::check_recorded(&registry, &[]).unwrap_err();
/// assert_eq!(error.0, ["check_doc_queue_depth"]);
/// assert!(testing::check_recorded(&registry, &["check_doc_queue_depth"]).is_ok());
/// ```
pub fn check_recorded(registry: &Registry, except: &[&str]) -> Result<(), Unrecorded> {
    let unrecorded: Vec<_> = registry
        .unrecorded()
        .into_iter()
        .filter(|name| !except.contains(name))
        .collect();
    if unrecorded.is_empty() {
        Ok(())
    } else {
        Err(Unrecorded(unrecorded))
    }
}
