//! The `Family` impl of every family type `metrics!` generates, written once.

use super::{Family, Problem};
use crate::series::SeriesSink;

/// A type that is a [`Family`] through the storage it wraps: a [`DeclaredFamily`](crate::DeclaredFamily), and the
/// type `metrics!` generates for an info, observable or removable family, a newtype over its storage
/// ([`InfoFamily`](super::InfoFamily), [`ObservableFamily`](super::ObservableFamily), ..).
///
/// For generated code. A one-line impl of this trait per family, instead of a [`Family`] impl delegating each
/// method, is what the compiler checks per family: about a millisecond of `cargo check` less per family
/// (scenario J in `docs/performance.md`).
#[doc(hidden)]
pub trait Wraps: Send + Sync + 'static {
    /// The storage type, itself a [`Family`].
    type Storage: Family;

    /// The storage.
    fn storage(&self) -> &Self::Storage;
}

impl<T: Wraps> Family for T {
    #[inline]
    fn descriptor(&self) -> &'static super::Descriptor {
        self.storage().descriptor()
    }

    #[inline]
    fn collect(&self, sink: &mut dyn SeriesSink) {
        self.storage().collect(sink);
    }

    #[inline]
    fn label_overflows(&self, report: &mut dyn FnMut(&'static str, u64)) {
        self.storage().label_overflows(report);
    }

    #[inline]
    fn problems(&self, report: &mut dyn FnMut(Problem)) {
        self.storage().problems(report);
    }

    #[inline]
    fn observation_failures(&self, report: &mut dyn FnMut(&'static str, u64)) {
        self.storage().observation_failures(report);
    }

    #[inline]
    fn exemplars_dropped(&self) -> Option<u64> {
        self.storage().exemplars_dropped()
    }
}
