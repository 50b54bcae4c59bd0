//! The bounds of the hidden methods a family has for the calls it cannot answer ([`SelectFirst`](super::SelectFirst),
//! the stubs of [`DeclaredFamily`](super::DeclaredFamily), and those `metrics!` generates for the families it
//! does not declare as a `DeclaredFamily`): each trait is implemented only for [`Never`], so the bound never holds
//! and the call is an error with the trait's message. `do_not_recommend` keeps `Never` out of the error. The
//! messages of the calls a [`DeclaredFamily`](super::DeclaredFamily) meets say "this family" rather than naming
//! its type, a generic one (`DeclaredFamily<DenseFamily<Counter, 6>, JobsTotalLabels, 2>`) longer than it is
//! helpful; the error's span is on the call already.

/// Uninhabited: the one implementor of the traits below.
#[derive(Debug)]
pub enum Never {}

/// A labelled family's series are selected before recording: `JOBS_TOTAL.labels(..).inc()`.
#[diagnostic::on_unimplemented(
    message = "this family holds one series per combination of label values: select one with `.labels(..)` (the values in declaration order) or `.with(labels)` (a `{Labels}`) first",
    label = "select a series first",
    note = "for example `FAMILY.labels(..).inc()`; keep the returned reference to record into the same series repeatedly"
)]
pub trait SelectASeriesFirst<'a, Labels> {}

#[diagnostic::do_not_recommend]
impl<Labels> SelectASeriesFirst<'_, Labels> for Never {}

/// A family whose values are removed or expire hands out no reference to a series: a removed value's cells go to
/// a later value, and a kept reference would record into that value's series.
#[diagnostic::on_unimplemented(
    message = "`{Self}` removes or expires series: record with `.record(value, |series| series.inc())` (and read with `.read(value, |series| series.get())`)",
    label = "no reference to a series of a removable family",
    note = "the series is the closure's argument and cannot outlive it: a removed value's series is given to a later value, so a reference kept past a removal or expiry would record into another value's series"
)]
pub trait RecordInAClosure<'a> {}

#[diagnostic::do_not_recommend]
impl RecordInAClosure<'_> for Never {}

/// `remove` and `sweep` exist only on a family declared removable.
#[diagnostic::on_unimplemented(
    message = "this family keeps its values for good: declare `removable = true` (or `expire_after = 10m`) on the family to remove them",
    label = "not a removable family",
    note = "a removable family records through a closure, `FAMILY.record(value, |series| series.inc())`, instead of `.labels(..)`"
)]
pub trait KeepsItsValues<'a> {}

#[diagnostic::do_not_recommend]
impl KeepsItsValues<'_> for Never {}

/// An observable family is filled by its `observe` function at scrape time: nothing records into it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is observable: its `observe` function reports its values at scrape time, so it has no series to record into or select",
    label = "not on an observable family",
    note = "report values in the function named by `observe = ..` (`out.observe(labels, value)`), or remove `observe` from the declaration to record as events happen"
)]
pub trait ObservedAtScrape<'a> {}

#[diagnostic::do_not_recommend]
impl ObservedAtScrape<'_> for Never {}

/// A family without labels is its one series: record into it directly.
#[diagnostic::on_unimplemented(
    message = "this family has no labels: it is one series, so record into it directly (`FAMILY.inc()`), without `.labels(..)` or `.with(..)`",
    label = "this family has no labels",
    note = "to record per label value, declare the labels in `metrics!`: `pub counter jobs_total {{ job_type: JobType }}`"
)]
pub trait HasNoLabels<'a> {}

#[diagnostic::do_not_recommend]
impl HasNoLabels<'_> for Never {}

/// A `#[measure]` target of a labelled family gives each label a value.
#[diagnostic::on_unimplemented(
    message = "this family has labels: give each a value in the target, as in `count(FAMILY, label = expression, ..)` (the fields of `{Labels}`)",
    label = "a labelled family, without label values",
    note = "`outcome` and `reason` fill the labels of those names with the run's outcome and failure reason: `count(FAMILY, queue = queue, outcome)`"
)]
pub trait NameTheLabels<'a, Labels> {}

#[diagnostic::do_not_recommend]
impl<Labels> NameTheLabels<'_, Labels> for Never {}
