//! The one distributed slice every `metrics!` family is linked into.

#[cfg(feature = "linkme")]
use crate::family::Family;

/// Every family declared with `metrics!` in any crate linked into the binary.
///
/// linkme's declaration emits `#[link_section]` statics, which the `unsafe_code` lint counts as unsafe, so it is
/// allowed here; the runtime crates allow it in one other place only, the operations slice of `instrument`.
#[cfg(feature = "linkme")]
#[allow(unsafe_code)]
#[linkme::distributed_slice]
pub static FAMILIES: [&'static dyn Family];

/// The linked families, or none when the `linkme` feature is off.
pub(crate) fn linked() -> &'static [&'static dyn Family] {
    #[cfg(feature = "linkme")]
    {
        &FAMILIES
    }
    #[cfg(not(feature = "linkme"))]
    {
        &[]
    }
}
