//! The distributed slices every `metrics!` family is linked into.

#[cfg(feature = "linkme")]
use crate::family::Family;

/// Every family linked into the binary one entry each: the families of a `metrics!` block with `#[cfg]`
/// attributes, presets' families, hand-linked ones.
///
/// linkme's declaration emits `#[link_section]` statics, which the `unsafe_code` lint counts as unsafe, so it is
/// allowed here; the runtime crates allow it in one other place only, the operations slice of `instrument`.
#[cfg(feature = "linkme")]
#[allow(unsafe_code)]
#[linkme::distributed_slice]
pub static FAMILIES: [&'static dyn Family];

/// The families of each `metrics!` block in any crate linked into the binary, one entry per block: one linkme
/// element per block instead of one per family is about a third of a family's compile time (scenario J in
/// `docs/performance.md`).
#[cfg(feature = "linkme")]
#[allow(unsafe_code)]
#[linkme::distributed_slice]
pub static FAMILY_GROUPS: [&'static [&'static dyn Family]];

/// The linked families, or none when the `linkme` feature is off.
pub(crate) fn linked() -> impl Iterator<Item = &'static dyn Family> {
    #[cfg(feature = "linkme")]
    {
        FAMILIES
            .iter()
            .copied()
            .chain(FAMILY_GROUPS.iter().flat_map(|group| group.iter().copied()))
    }
    #[cfg(not(feature = "linkme"))]
    {
        core::iter::empty()
    }
}
