//! Which families were never recorded: a family declared but never written is a real failure mode (a gauge
//! nobody sets reads 0 forever, and looks healthy), and a scrape alone cannot tell it from a quiet one.

use super::{Entry, Registry};
use crate::family::Family;
use crate::series::{Sample, Series};

/// Whether any series of `family` holds something other than its initial value: a counter or gauge not 0, a
/// histogram with an observation, an info family that was set, a state set out of its first state.
///
/// Storage keeps values only, no "written" bit (it would cost the hot path a store), so a family set back to its
/// initial value (a gauge at 0, a state set in its first state) reads as not recorded: the check is for families no
/// code writes, which is exactly what they look like.
pub(crate) fn is_recorded(family: &dyn Family) -> bool {
    let mut recorded = false;
    family.collect(&mut |_: &Series<'_>, sample: &Sample<'_>| {
        recorded |= match *sample {
            Sample::Counter(number) | Sample::Gauge(number) => number.as_f64() != 0.0,
            Sample::Histogram { cumulative, .. } => {
                cumulative.last().is_some_and(|&count| count > 0)
            }
            Sample::Info => true,
            Sample::StateSet { current } => current != 0,
        };
    });
    recorded
}

impl Registry {
    /// The program's families (not the registry's built-in ones) of which no series was ever recorded, by
    /// exposition name, in exposition order: every series still at its initial value (see
    /// [`Registry::is_recorded`]). Reads every family, as a scrape does.
    ///
    /// ```
    /// use metrics_core::{Registry, metrics};
    ///
    /// metrics! {
    ///     /// Set by nobody.
    ///     pub gauge unrecorded_doc_depth;
    ///     /// Recorded below.
    ///     pub counter unrecorded_doc_jobs_total;
    /// }
    ///
    /// UNRECORDED_DOC_JOBS_TOTAL.inc();
    /// let unrecorded = Registry::global().unwrap().unrecorded();
    /// assert!(unrecorded.contains(&"unrecorded_doc_depth"));
    /// assert!(!unrecorded.contains(&"unrecorded_doc_jobs_total"));
    /// ```
    pub fn unrecorded(&self) -> Vec<&'static str> {
        self.entries
            .iter()
            .filter_map(|entry| match entry {
                Entry::Program(_) | Entry::Summed(_) if !is_recorded(entry.family()) => {
                    Some(entry.family().descriptor().name)
                }
                Entry::Program(_) | Entry::Summed(_) | Entry::Builtin(_) => None,
            })
            .collect()
    }

    /// Whether any series of `family` holds something other than its initial value: a counter or gauge not 0, a
    /// histogram with an observation, an info family that was set, a state set out of its first state. A family
    /// set back to its initial value reads as not recorded (storage keeps values, not a "written" bit, which would
    /// cost every recording a store).
    pub fn is_recorded(&self, family: &dyn Family) -> bool {
        is_recorded(family)
    }
}
